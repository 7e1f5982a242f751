# The module of test/runtimes/cpython/opcodes.test: a loop of known trip
# count that calls a function of its own module and one of another module.
from opcodes_other import twice


def square(x):
    return x * x


def loop(n):
    s = 0
    for i in range(n):
        s += square(i)
    return twice(s)


# Not a Python function: count_opcodes refuses it.
length = len
