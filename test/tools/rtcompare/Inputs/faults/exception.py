"""A Python reference for sum.k that raises: rtcompare reports the exception."""


def sum(xs):
    raise ValueError("the reference refuses")
