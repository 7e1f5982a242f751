"""The Python reference of after.k: how many elements exceed 2."""


def after(xs):
    return sum(1 for x in xs if x > 2)
