// lru_cache.mjs - hand-written JS reference of benchmarks/kernels/lru_cache.k
//
// An LRU cache of `capacity` entries over a trace of integer keys: a hit
// makes the key the most recently used; a miss evicts the least recently
// used entry when the cache is full, then caches the key as the most recent.
// Returns, folded as h = (h ^ v) * 16777619 from 2166136261 (mod 2^32), the
// cached keys from least to most recently used, then hits, misses and
// evictions; a non-negative Number.
// The layout of the npm lru-cache package: a Map from key to slot number and
// a doubly linked recency list through the slots in typed arrays (here
// circular, slot `capacity` being the sentinel). The shorter idiom, one Map
// whose insertion order is the recency order (delete + set on a hit,
// cache.keys().next().value for the oldest), ran 2.5-4x slower on this trace:
// every hit leaves a deleted entry in V8's ordered hash table, so the table
// is rebuilt often and the oldest-key lookup walks past the deleted entries.

export function lru_cache(trace, capacity) {
  const sentinel = capacity;
  const slotOf = new Map(); // key -> slot
  const keys = new Array(capacity).fill(0); // slot -> key
  const prev = new Int32Array(capacity + 1).fill(sentinel);
  const next = new Int32Array(capacity + 1).fill(sentinel);
  let used = 0;
  let hits = 0;
  let evictions = 0;
  for (let i = 0, n = trace.length; i < n; i++) {
    const key = trace[i];
    let s = slotOf.get(key);
    if (s !== undefined) {
      hits++;
      next[prev[s]] = next[s];
      prev[next[s]] = prev[s];
    } else {
      if (used < capacity) {
        s = used++;
      } else {
        s = next[sentinel]; // the least recently used
        evictions++;
        slotOf.delete(keys[s]);
        next[sentinel] = next[s];
        prev[next[s]] = sentinel;
      }
      keys[s] = key;
      slotOf.set(key, s);
    }
    const last = prev[sentinel];
    next[last] = s;
    prev[s] = last;
    next[s] = sentinel;
    prev[sentinel] = s;
  }
  const misses = trace.length - hits;
  let h = 0x811c9dc5 | 0;
  for (let s = next[sentinel]; s !== sentinel; s = next[s]) {
    h = Math.imul(h ^ keys[s], 16777619);
  }
  h = Math.imul(h ^ hits, 16777619);
  h = Math.imul(h ^ misses, 16777619);
  h = Math.imul(h ^ evictions, 16777619);
  return h >>> 0;
}
