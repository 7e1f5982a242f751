"""JSON records decoder: hand-written Python reference of benchmarks/kernels/json_parse.k.

Parses a JSON array of objects {"id": I, "name": S, "email": S, "age": I,
"score": I, "active": B, "tags": [S, ...]} (the seven keys in any order, each
exactly once) into Person objects and returns a checksum of them, or -1 when
the text is malformed (grammar at the top of json_parse.k: integers
-?(0|[1-9][0-9]*) of at most 15 digits; strings with the escapes \\" \\\\ \\/
\\b \\f \\n \\r \\t and \\uXXXX below 0x80; JSON whitespace; raw control
characters are not rejected).
Checksum: the sum over the records of id + 7 age + 3 score + 101 [active]
+ 5 sig(name) + 11 sig(email) + 13 len(tags) + sum of (k + 17) sig(tags[k]),
with sig(s) = 1000003 len(s) + 961 s[0] + 31 s[len/2] + s[-1] (0 for "").
A recursive-descent scanner in the style of the json module's pure-Python
one (closures over the text that return (value, end) and raise on malformed
input), without json or re: a string's body is found with str.find and
sliced, and the next backslash's position is cached so the text is searched
for backslashes once overall; integers are int() of the digit run.
"""


class Person:
    __slots__ = ("id", "name", "email", "age", "score", "active", "tags")

    def __init__(self, id, name, email, age, score, active, tags):
        self.id = id
        self.name = name
        self.email = email
        self.age = age
        self.score = score
        self.active = active
        self.tags = tags


class Malformed(Exception):
    pass


_SPACE = " \t\n\r"
_DIGITS = "0123456789"
_HEX = "0123456789abcdefABCDEF"
_SIMPLE_ESCAPES = {'"': '"', "\\": "\\", "/": "/", "b": "\b", "f": "\f",
                   "n": "\n", "r": "\r", "t": "\t"}


def _parse_people(text):
    n = len(text)
    find = text.find
    startswith = text.startswith
    backslash = -2  # next backslash at or after the scan point; -1: none left

    def skip_ws(i):
        while i < n and text[i] in _SPACE:
            i += 1
        return i

    def string(i):
        """(value, end) of the string whose opening quote is at i."""
        nonlocal backslash
        if i >= n or text[i] != '"':
            raise Malformed
        i += 1
        q = find('"', i)
        if q < 0:
            raise Malformed
        if backslash < i and backslash != -1:
            backslash = find("\\", i)
        if backslash == -1 or backslash > q:
            return text[i:q], q + 1
        # The slow path: decode escapes until the closing quote.
        parts = []
        append = parts.append
        while True:
            b = backslash
            if b == -1 or b > q:
                append(text[i:q])
                return "".join(parts), q + 1
            append(text[i:b])
            c = text[b + 1:b + 2]
            i = b + 2
            if c == "u":
                h = text[i:i + 4]
                if len(h) != 4 or h.strip(_HEX):
                    raise Malformed
                code = int(h, 16)
                if code >= 0x80:
                    raise Malformed
                append(chr(code))
                i += 4
            else:
                decoded = _SIMPLE_ESCAPES.get(c)
                if decoded is None:
                    raise Malformed
                append(decoded)
            backslash = find("\\", i)
            if q < i:
                q = find('"', i)  # the quote found was an escaped one
                if q < 0:
                    raise Malformed

    def integer(i):
        """(value, end) of the integer at i."""
        first = i + 1 if i < n and text[i] == "-" else i
        j = first
        while j < n and text[j] in _DIGITS:
            j += 1
        digits = j - first
        if digits == 0 or digits > 15 or (digits > 1 and text[first] == "0"):
            raise Malformed
        return int(text[i:j]), j

    def tags(i):
        """(list of str, end) of the array of strings at i."""
        if i >= n or text[i] != "[":
            raise Malformed
        i = skip_ws(i + 1)
        values = []
        if i < n and text[i] == "]":
            return values, i + 1
        append = values.append
        while True:
            value, i = string(i)
            append(value)
            i = skip_ws(i)
            c = text[i:i + 1]
            if c == "]":
                return values, i + 1
            if c != ",":
                raise Malformed
            i = skip_ws(i + 1)

    def person(i):
        """(Person, end) of the object at i."""
        if i >= n or text[i] != "{":
            raise Malformed
        id = age = score = 0
        name = email = ""
        active = False
        tag_list = None
        seen = 0  # one bit per key, in the order of the schema
        i = skip_ws(i + 1)
        while True:
            key, i = string(i)
            i = skip_ws(i)
            if text[i:i + 1] != ":":
                raise Malformed
            i = skip_ws(i + 1)
            if key == "id":
                bit = 1
                id, i = integer(i)
            elif key == "name":
                bit = 2
                name, i = string(i)
            elif key == "email":
                bit = 4
                email, i = string(i)
            elif key == "age":
                bit = 8
                age, i = integer(i)
            elif key == "score":
                bit = 16
                score, i = integer(i)
            elif key == "active":
                bit = 32
                if startswith("true", i):
                    active = True
                    i += 4
                elif startswith("false", i):
                    active = False
                    i += 5
                else:
                    raise Malformed
            elif key == "tags":
                bit = 64
                tag_list, i = tags(i)
            else:
                raise Malformed
            if seen & bit:
                raise Malformed
            seen |= bit
            i = skip_ws(i)
            c = text[i:i + 1]
            if c == "}":
                break
            if c != ",":
                raise Malformed
            i = skip_ws(i + 1)
        if seen != 127:
            raise Malformed
        return Person(id, name, email, age, score, active, tag_list), i + 1

    people = []
    append = people.append
    i = skip_ws(0)
    if text[i:i + 1] != "[":
        raise Malformed
    i = skip_ws(i + 1)
    if text[i:i + 1] == "]":
        return people if skip_ws(i + 1) == n else None
    while True:
        p, i = person(i)
        append(p)
        i = skip_ws(i)
        c = text[i:i + 1]
        if c == "]":
            break
        if c != ",":
            raise Malformed
        i = skip_ws(i + 1)
    if skip_ws(i + 1) != n:
        raise Malformed
    return people


def _sig(s):
    """A cheap signature of a string: its length and three sampled characters."""
    n = len(s)
    if not n:
        return 0
    return n * 1000003 + ord(s[0]) * 961 + ord(s[n >> 1]) * 31 + ord(s[-1])


def json_parse(text):
    try:
        people = _parse_people(text)
    except Malformed:
        return -1
    if people is None:
        return -1
    sig = _sig
    total = 0
    for p in people:
        total += p.id + 7 * p.age + 3 * p.score + 5 * sig(p.name) + 11 * sig(p.email)
        if p.active:
            total += 101
        tags = p.tags
        total += 13 * len(tags)
        for k, t in enumerate(tags, 17):
            total += k * sig(t)
    return total
