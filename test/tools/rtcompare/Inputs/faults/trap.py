"""A Python reference for sum.k that traps as kernelc's Python does: an
exception whose class is named KernelTrap, with the trap's kind and line."""


class KernelTrap(Exception):
    def __init__(self, kind, line):
        super().__init__(f"{kind} at line {line}")
        self.kind = kind
        self.line = line


def sum(xs):
    if xs:
        raise KernelTrap("index out of range", 4)
    return 0
