# Kernels that fail: a KIR trap as kernelc's Python module raises it, and an
# ordinary Python exception.


class KernelTrap(Exception):
    def __init__(self, kind, line):
        super().__init__(f"{kind} at line {line}")
        self.kind = kind
        self.line = line


def trap(xs):
    return _index(xs, len(xs))


def _index(xs, i):
    if i < 0 or i >= len(xs):
        raise KernelTrap("index out of range", 7)
    return xs[i]


def raise_value_error(xs):
    raise ValueError("bad value " + str(len(xs)))


calls = 0


def trap_on_third_call(xs):
    global calls
    calls += 1
    if calls == 3:
        raise KernelTrap("integer division by zero", 12)
    return calls
