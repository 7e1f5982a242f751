# A module that does not compile.


def broken(:
    return 0
