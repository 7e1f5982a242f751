"""A hostile stand-in for sum.k's module: it imports what it may not."""


def sum(xs):
    import os
    return len(os.listdir("/")) + len(xs)
