"""A Python reference of env.k that returns its environment, in order, as
NAME=value;... with HOME's value left out (a path of the test's). It needs
os, allowed with --allow-import."""
import os


def env(n):
    return ";".join(k if k == "HOME" else f"{k}={v}" for k, v in os.environ.items())
