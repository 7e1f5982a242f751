"""fannkuch-redux: hand-written Python reference of benchmarks/kernels/fannkuch.k.

For every permutation of 0..n-1, in the Computer Language Benchmarks Game's
order (rotate the prefix perm1[0..r] left by one, with one counter per prefix
length), count the flips of a copy of it (reverse the first perm[0] + 1
elements until perm[0] is 0). Even-numbered permutations add their flip
count to the checksum, odd-numbered ones subtract it.
Returns checksum * 1000 + maximum flips.
Flips are slice reversals and the rotation is pop(0) / insert(r, ...), the
list operations a Python programmer reaches for; every flip is still
performed (no look-ahead shortcut), as in the kernel and the C reference.
n < 1 raises ValueError (the kernel traps on perm[0] there).
"""


def fannkuch(n):
    if n < 1:
        raise ValueError(f'fannkuch: n = {n} is below 1')
    perm1 = list(range(n))
    count = [0] * n
    max_flips = 0
    checksum = 0
    sign = 1
    r = n
    while True:
        while r != 1:
            count[r - 1] = r
            r -= 1

        perm = perm1[:]
        flips = 0
        k = perm[0]
        while k:
            perm[:k + 1] = perm[k::-1]
            flips += 1
            k = perm[0]
        if flips > max_flips:
            max_flips = flips
        checksum += sign * flips
        sign = -sign

        # Next permutation: rotate perm1[0..r] left by one; when the prefix's
        # counter runs out, go on with the next longer prefix.
        while True:
            if r == n:
                return checksum * 1000 + max_flips
            perm1.insert(r, perm1.pop(0))
            count[r] -= 1
            if count[r] > 0:
                break
            r += 1
