"""A Python reference for sum.k that is off by three."""


def sum(xs):
    total = 3
    for x in xs:
        total += x
    return total
