"""A Python reference for sum.k that never returns: rtcompare times it out."""


def sum(xs):
    s = 0
    while True:
        s += len(xs)
