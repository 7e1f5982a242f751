# The module of test/runtimes/cpython/opcodes.test's EXTENDED_ARG case: a
# loop body long enough (60 statements) that both jumps of the loop need an
# EXTENDED_ARG prefix.


def long_loop(n):
    s = 0
    for i in range(n):
        s += 1
        s += 1
        s += 1
        s += 1
        s += 1
        s += 1
        s += 1
        s += 1
        s += 1
        s += 1
        s += 1
        s += 1
        s += 1
        s += 1
        s += 1
        s += 1
        s += 1
        s += 1
        s += 1
        s += 1
        s += 1
        s += 1
        s += 1
        s += 1
        s += 1
        s += 1
        s += 1
        s += 1
        s += 1
        s += 1
        s += 1
        s += 1
        s += 1
        s += 1
        s += 1
        s += 1
        s += 1
        s += 1
        s += 1
        s += 1
        s += 1
        s += 1
        s += 1
        s += 1
        s += 1
        s += 1
        s += 1
        s += 1
        s += 1
        s += 1
        s += 1
        s += 1
        s += 1
        s += 1
        s += 1
        s += 1
        s += 1
        s += 1
        s += 1
        s += 1
    return s
