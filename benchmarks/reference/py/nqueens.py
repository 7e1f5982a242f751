"""n-queens: hand-written Python reference of benchmarks/kernels/nqueens.k.

The number of solutions of the n-queens problem, by backtracking one row at
a time over bitmasks (taken columns, squares attacked along each diagonal);
every solution is enumerated, no symmetry halving. Python's ints need no
masking: bits that the left shift pushes past the board are cleared by
`& full` when the free squares are taken.
"""


def nqueens(n):
    full = (1 << n) - 1

    def place(cols, left, right):
        if cols == full:
            return 1
        count = 0
        free = full & ~(cols | left | right)
        while free:
            bit = free & -free  # the lowest free square
            free ^= bit
            count += place(cols | bit, (left | bit) << 1, (right | bit) >> 1)
        return count

    return place(0, 0, 0)
