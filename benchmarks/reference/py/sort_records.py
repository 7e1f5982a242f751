"""Stable merge sort of records: hand-written Python reference of benchmarks/kernels/sort_records.k.

Sorts records (key, id), record i being (keys[i], i), stably by key with the
kernel's bottom-up merge sort: runs of 32 sorted by insertion sort, then
merged pairwise (width 32, 64, ...) back and forth between two lists, taking
from the left run while its key is <= the right run's. Returns the sorted
ids folded as h = (h ^ id) * 16777619 from 2166136261 (mod 2**32).
No sorted() or list.sort() (they are CPython's TimSort, in C, not this
algorithm). A record is a class with __slots__. The merge keeps the head
keys of both runs in locals, so each step reads one attribute; what is left
of a run after the merge is copied by one slice assignment.
"""

_RUN = 32


class Rec:
    __slots__ = ('key', 'id')

    def __init__(self, key, id):
        self.key = key
        self.id = id


def _insertion_sort(a, lo, hi):
    for i in range(lo + 1, hi):
        x = a[i]
        key = x.key
        j = i
        while j > lo and a[j - 1].key > key:
            a[j] = a[j - 1]
            j -= 1
        a[j] = x


def _merge(src, dst, lo, mid, hi):
    """dst[lo:hi] = the stable merge of src[lo:mid] and src[mid:hi]."""
    i = lo
    j = mid
    k = lo
    if i < mid and j < hi:
        x = src[i]
        y = src[j]
        xkey = x.key
        ykey = y.key
        while True:
            if ykey < xkey:
                dst[k] = y
                k += 1
                j += 1
                if j == hi:
                    break
                y = src[j]
                ykey = y.key
            else:
                dst[k] = x
                k += 1
                i += 1
                if i == mid:
                    break
                x = src[i]
                xkey = x.key
    if i < mid:
        dst[k:hi] = src[i:mid]
    else:
        dst[k:hi] = src[j:hi]


def sort_records(keys):
    n = len(keys)
    src = [Rec(key, i) for i, key in enumerate(keys)]
    for lo in range(0, n, _RUN):
        _insertion_sort(src, lo, min(lo + _RUN, n))
    dst = src[:]
    width = _RUN
    while width < n:
        for lo in range(0, n, 2 * width):
            _merge(src, dst, lo, min(lo + width, n), min(lo + 2 * width, n))
        src, dst = dst, src
        width *= 2
    h = 0x811C9DC5
    for r in src:
        h = (h ^ r.id) * 16777619 & 0xFFFFFFFF
    return h
