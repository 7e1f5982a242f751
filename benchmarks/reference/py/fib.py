"""fib: hand-written Python reference of benchmarks/kernels/fib.k.

Naive doubly recursive Fibonacci (fib(0) = 0, fib(1) = 1, no memoization,
so no functools.cache): returns fib(n), after 2 fib(n + 1) - 1 calls.
"""


def fib(n):
    return n if n < 2 else fib(n - 1) + fib(n - 2)
