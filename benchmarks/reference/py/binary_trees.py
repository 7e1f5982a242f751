"""binary-trees: hand-written Python reference of benchmarks/kernels/binary_trees.k.

The Computer Language Benchmarks Game binary-trees: for max_depth =
max(6, n), a stretch tree of depth max_depth + 1, a long-lived tree of depth
max_depth, 2 ** (max_depth - depth + 4) trees of each depth 4, 6, ...,
max_depth, then the long-lived tree again; every tree is built bottom-up and
checked by counting its nodes (2 ** (depth + 1) - 1). Returns the sum of the
checks.
As in the benchmark's fastest Python programs, a node is a (left, right)
tuple and a leaf is (None, None), a constant tuple that CPython shares
(the leaves are not allocated, the inner nodes are).
"""


def _bottom_up_tree(depth):
    if depth:
        depth -= 1
        return (_bottom_up_tree(depth), _bottom_up_tree(depth))
    return (None, None)


def _item_check(node):
    left, right = node
    if left is None:
        return 1
    return 1 + _item_check(left) + _item_check(right)


def binary_trees(n):
    min_depth = 4
    max_depth = max(min_depth + 2, n)
    make = _bottom_up_tree
    check = _item_check

    total = check(make(max_depth + 1))
    long_lived = make(max_depth)
    for depth in range(min_depth, max_depth + 1, 2):
        for _ in range(1 << (max_depth - depth + min_depth)):
            total += check(make(depth))
    return total + check(long_lived)
