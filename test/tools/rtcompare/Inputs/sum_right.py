"""A correct Python reference for sum.k."""


def sum(xs):
    total = 0
    for x in xs:
        total += x
    return total
