"""A hostile stand-in for sum.k's module: it writes a file, and swallows
the error it gets."""


def sum(xs):
    try:
        with open("written-by-py", "w") as f:
            f.write("x")
    except OSError:
        pass
    return len(xs)
