"""Word frequencies: hand-written Python reference of benchmarks/kernels/word_freq.k.

Words: the tokens between ' ' and '\\n' characters, with one trailing
. , ; : ! or ? removed, when not empty (see word_freq.k). Returns the
kernel's u32 checksum, all mod 2**32, with fold(h, x) = (h ^ x) * 16777619:
h = 2166136261 ^ number of distinct words; then for each distinct word in
order of first occurrence, fold in its character codes and then its count;
finally fold in the highest count.
str.split gives the tokens (split() without an argument would also split at
tabs and other whitespace, so lines and spaces are split separately); a
dict counts them, with get bound once, and keeps insertion order
(collections.Counter would do the counting in C).
"""


def word_freq(text):
    counts = {}
    get = counts.get
    for line in text.split("\n"):
        for word in line.split(" "):
            if word:
                if word[-1] in ".,;:!?":
                    word = word[:-1]
                    if not word:
                        continue
                counts[word] = get(word, 0) + 1

    h = 0x811C9DC5 ^ len(counts)
    for word, count in counts.items():
        for c in word.encode("ascii"):
            h = ((h ^ c) * 0x01000193) & 0xFFFFFFFF
        h = ((h ^ count) * 0x01000193) & 0xFFFFFFFF
    return ((h ^ max(counts.values(), default=0)) * 0x01000193) & 0xFFFFFFFF
