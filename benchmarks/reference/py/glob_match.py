"""Glob matching: hand-written Python reference of benchmarks/kernels/glob_match.k.

Matches each path of a '\\n'-terminated list against the kernel's eight
patterns and returns its u32 checksum of the match counts, all mod 2**32,
with fold(h, x) = (h ^ x) * 16777619: h = 2166136261 ^ number of paths, then
h = fold(h, count of pattern k) for k = 0..7 in order.
Patterns: ** any run, '/' included; * any run without '/'; ? one character
other than '/'; [set] one character other than '/' among single characters
and ranges a-z; anything else itself; the whole path must match.
The classic linear star-backtracking matcher, by hand (fnmatch and re
would translate the pattern to a regular expression and match it in C).
On a mismatch the last star takes one more character; a single star cannot
take a '/', so then the last double star takes one more instead.
"""

_PATTERNS = (
    "*.c",
    "[st]*/**_test.*",
    "**/*.md",
    "*/??*_*.[ch]*",
    "include/**.h*",
    "test*/**[jt]s",
    "*/*/*.[a-m]*",
    "**vendor/**_impl.*",
)


def _in_set(p, lo, hi, t):
    """Whether character t is in the set p[lo:hi] (characters, ranges a-z)."""
    q = lo
    while q < hi:
        if q + 2 < hi and p[q + 1] == "-":
            if p[q] <= t <= p[q + 2]:
                return True
            q += 3
        else:
            if p[q] == t:
                return True
            q += 1
    return False


def _glob(p, s):
    pn = len(p)
    sn = len(s)
    pi = si = 0
    star_p = dstar_p = -1  # pattern index after the last (double) star
    star_s = dstar_s = 0  # first path index that star has not taken
    star_double = False
    while si < sn:
        if pi < pn:
            c = p[pi]
            t = s[si]
            if c == "*":
                if p.startswith("*", pi + 1):
                    pi += 2
                    dstar_p = pi
                    dstar_s = si
                    star_double = True
                else:
                    pi += 1
                    star_double = False
                star_p = pi
                star_s = si
                continue
            if c == "[":
                close = p.find("]", pi + 2)
                if t != "/" and _in_set(p, pi + 1, close, t):
                    pi = close + 1
                    si += 1
                    continue
            elif c == t or (c == "?" and t != "/"):
                pi += 1
                si += 1
                continue
        # Mismatch: backtrack.
        if star_p >= 0 and (star_double or s[star_s] != "/"):
            star_s += 1
            pi = star_p
            si = star_s
        elif dstar_p >= 0:
            dstar_s += 1
            star_p = pi = dstar_p
            star_s = si = dstar_s
            star_double = True
        else:
            return False
    while pi < pn and p[pi] == "*":
        pi += 1
    return pi == pn


def glob_match(names):
    patterns = _PATTERNS
    glob = _glob
    counts = [0] * len(patterns)
    paths = 0
    for name in names.split("\n"):
        if name:
            paths += 1
            for k, pattern in enumerate(patterns):
                if glob(pattern, name):
                    counts[k] += 1
    h = 0x811C9DC5 ^ paths
    for count in counts:
        h = ((h ^ count) * 0x01000193) & 0xFFFFFFFF
    return h
