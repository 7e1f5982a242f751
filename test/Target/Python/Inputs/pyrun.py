"""Loads a Python module emitted by kernelc and prints what calls return.

usage: pyrun.py MODULE.py CALL...

Each CALL is a Python expression evaluated with the module's globals (so the
kernel functions are in scope, and float("nan") or b"\\xff" can build
arguments). One line per call: the call, then `-> TYPE VALUE` with the value's
repr (exact for floats, -0.0 included), or `-> trap KIND at line N` when the
kernel raised KernelTrap (its str() must say the same), or
`-> error TYPE: MESSAGE` for any other exception, which is always a bug.
"""

import importlib.util
import sys


def main():
    spec = importlib.util.spec_from_file_location("kernel", sys.argv[1])
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    for call in sys.argv[2:]:
        try:
            value = eval(call, vars(module))
        except module.KernelTrap as trap:
            expected = f"{trap.kind} at line {trap.line}"
            same = "" if str(trap) == expected else f" (str: {trap})"
            print(f"{call} -> trap {expected}{same}")
            continue
        except Exception as error:
            print(f"{call} -> error {type(error).__name__}: {error}")
            continue
        print(f"{call} -> {type(value).__name__} {value!r}")


if __name__ == "__main__":
    main()
