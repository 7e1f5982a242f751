"""LRU cache simulation: hand-written Python reference of benchmarks/kernels/lru_cache.k.

An LRU cache of `capacity` entries over a list of integer keys: a hit makes
the key the most recently used; a miss evicts the least recently used entry
when the cache is full, then caches the key as the most recent. Returns,
folded as h = (h ^ v) * 16777619 from 2166136261 (mod 2**32), the cached keys
from least to most recently used, then hits, misses and evictions.
The idiomatic Python LRU: an OrderedDict, whose order is the recency order,
with move_to_end on a hit and popitem(last=False) for the least recently
used (both O(1): the OrderedDict keeps its own linked list). A plain dict
with pop + reinsert and next(iter(d)) for the oldest key gives the same
result but was 1.7x slower here: after many deletions at its front,
next(iter(d)) scans past the holes until the dict is rebuilt.
"""

from collections import OrderedDict


def lru_cache(trace, capacity):
    cache = OrderedDict()  # key -> cached value (the key itself here)
    move_to_end = cache.move_to_end
    popitem = cache.popitem
    hits = 0
    evictions = 0
    for key in trace:
        if key in cache:
            move_to_end(key)
            hits += 1
        else:
            if len(cache) >= capacity:
                popitem(False)
                evictions += 1
            cache[key] = key
    misses = len(trace) - hits
    h = 0x811C9DC5
    for key in cache:
        h = (h ^ key) * 16777619 & 0xFFFFFFFF
    for v in (hits, misses, evictions):
        h = (h ^ v) * 16777619 & 0xFFFFFFFF
    return h
