# Another module: its bytecode is not the kernel's and is not counted.
def twice(x):
    return x + x
