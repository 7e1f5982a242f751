"""Levenshtein distance: hand-written Python reference of benchmarks/kernels/levenshtein.k.

The least number of unit-cost insertions, deletions and substitutions that
turn the str `a` into `b`, by the Wagner-Fischer dynamic programme: one row
per character of `a` over `b`, computed from the previous row only.
Returns the distance (an int).
Each row is a new list built with a bound append, and the inner loop walks
b, prev[j - 1] and prev[j] together with zip (over a shifted slice of prev):
no indexing in the inner loop, and no min() calls, which cost a builtin call
per cell.
"""


def levenshtein(a, b):
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i]
        append = cur.append
        left = i  # cur[j - 1]
        for cb, diag, up in zip(b, prev, prev[1:]):
            # diag: prev[j - 1] (substitute or match); up: prev[j] (delete);
            # left: cur[j - 1] (insert).
            if cb != ca:
                diag += 1
            if up < left:
                left = up
            left += 1
            if diag < left:
                left = diag
            append(left)
        prev = cur
    return prev[-1]
