"""A hostile stand-in for an emitted module of sum.k: it reads a file."""


def sum(xs):
    with open("/etc/passwd") as f:
        return len(f.read()) + len(xs)
