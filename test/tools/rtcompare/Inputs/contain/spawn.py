"""A hostile stand-in for sum.k's module: it runs a program. Run with
subprocess allowed, so that the audit hook is what refuses it."""
import subprocess


def sum(xs):
    subprocess.run(["/bin/touch", "spawned-by-py"])
    return len(xs)
