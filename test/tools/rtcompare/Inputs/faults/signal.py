"""A Python reference for sum.k whose runner dies of SIGSEGV.

Pure Python cannot fault the interpreter; the honest equivalent is the
signal sent to itself. It needs os and signal, which the test allows with
--allow-import=py=os,signal (the audit hook lets os.kill reach the runner
itself only).
"""
import os
import signal


def sum(xs):
    os.kill(os.getpid(), signal.SIGSEGV)
    while True:
        pass
