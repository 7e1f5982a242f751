# Kernels that look at the Python values the runner passes.
import sys

seen = []


def total(xs):
    s = 0
    for x in xs:
        s += x
    return s


def clobber(xs):
    # Every call must see the fresh list [1] * 10: first * 100 + len(xs) is
    # 111 unless an earlier call's changes leak through. Returns the number
    # of calls so far, then every value observed.
    first = xs[0]
    xs[0] = 1000
    xs.append(7)
    seen.append(first * 100 + len(xs))
    return [len(seen)] + sorted(set(seen))


def types(xs, text, data, scale, n):
    return " ".join([type(xs).__name__, type(xs[0]).__name__, str(len(xs)),
                     type(text).__name__, str(len(text)),
                     type(data).__name__, str(len(data)),
                     type(scale).__name__, repr(scale),
                     type(n).__name__, repr(n)])


def scalars(flag, small, big, x, s, b):
    return [repr(flag), repr(small), repr(big), repr(x), repr(s), repr(b)]


def empty():
    return 0


def where():
    # The interpreter's configuration, as the kernel sees it.
    return [sys.path[0], str(sys.flags.isolated), str(sys.flags.no_site),
            str(sys.flags.ignore_environment), str(sys.flags.safe_path),
            str(sys.dont_write_bytecode), str(len(sys.path))]

