"""JSON encoder: hand-written Python reference of benchmarks/kernels/json_serialize.k.

Builds one Person per element of the input lists (record k: id k, age
ages[k], score scores[k], and from p = picks[k]: name NAMES[p & 31], email
EMAILS[(p >> 5) & 15], active bit 9 of p, tags TAG_SETS[(p >> 10) & 7]),
serializes them all to one compact JSON array text
([{"id":0,"name":"...",...,"tags":["..."]},...], no spaces) and returns
len(text) + the 32-bit FNV-1a hash of every 61st character of the text
(indices 0, 61, 122, ...). Strings are escaped as json.dumps(s, ensure_ascii=False)
does: \\" \\\\ \\b \\f \\n \\r \\t, other characters below 0x20 as \\u00xx
(lower-case hex); nothing else ('/' and DEL as they are).
Without the json module: each record is one f-string and the records are
joined once. A string is escaped with str methods, not re: a printable
one (the common case) needs only str.replace of its backslashes and quotes,
when it has any; any other goes through str.translate with a table of the
34 special characters (slower: it looks each character up).
"""

_ESCAPES = {c: "\\u%04x" % c for c in range(0x20)}
_ESCAPES.update({ord("\b"): "\\b", ord("\f"): "\\f", ord("\n"): "\\n",
                 ord("\r"): "\\r", ord("\t"): "\\t", ord('"'): '\\"',
                 ord("\\"): "\\\\"})

NAMES = (
    "Ada Lovelace", "Alan Turing", "Grace Hopper", "Edsger Dijkstra",
    "Barbara Liskov", "Donald Knuth", "Ken Thompson", "Dennis Ritchie",
    'Frances "Fran" Allen', "John McCarthy", "Niklaus Wirth", "Tony Hoare",
    "Leslie Lamport", "Margaret Hamilton", "Radia Perlman", "Bjarne Stroustrup",
    "C:\\Users\\guido", "Anders Hejlsberg", "Brendan Eich", "James Gosling",
    'Yukihiro "Matz" Matsumoto', "Rich Hickey", "Simon Peyton Jones", "Robin Milner",
    "first line\nsecond line", "tab\tseparated", "Jean Sammet", "Kathleen Booth",
    "Brian Kernighan", "Guy L. Steele Jr.", "back\\slash", "Fernando Corbato",
)
EMAILS = (
    "ada@example.com", "alan.turing@example.org", "grace@navy.example.mil",
    "ewd@example.nl", "liskov@example.edu", "knuth@example.edu",
    '"ken"@example.com', "dmr@example.com", "fran/allen@example.com",
    "jmc@example.edu", "wirth@example.ch", "hoare@example.ac.uk",
    "lamport@example.com", "margaret@example.gov", "radia\\perlman@example.com",
    "bjarne@example.com",
)
TAG_SETS = (
    [],
    ["admin"],
    ["beta", "early-access"],
    ["ops", "on-call", "pager-duty"],
    ["vip"],
    ["new", "trial", '"quoted"', "x\\y"],
    ["staff", "eng"],
    ["legacy", "v1\x01"],
)


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


def _escape(s):
    if s.isprintable():
        if "\\" in s:
            s = s.replace("\\", "\\\\")
        if '"' in s:
            s = s.replace('"', '\\"')
        return s
    return s.translate(_ESCAPES)


def _serialize(people):
    esc = _escape
    parts = []
    append = parts.append
    for p in people:
        tags = p.tags
        tag_text = '"' + '","'.join([esc(t) for t in tags]) + '"' if tags else ""
        append(f'{{"id":{p.id},"name":"{esc(p.name)}","email":"{esc(p.email)}",'
               f'"age":{p.age},"score":{p.score},"active":{"true" if p.active else "false"},'
               f'"tags":[{tag_text}]}}')
    return "[" + ",".join(parts) + "]"


def json_serialize(ages, scores, picks):
    names, emails, tag_sets = NAMES, EMAILS, TAG_SETS
    people = [Person(k, names[p & 31], emails[(p >> 5) & 15], age, score,
                     (p >> 9) & 1 == 1, tag_sets[(p >> 10) & 7])
              for k, (age, score, p) in enumerate(zip(ages, scores, picks))]
    text = _serialize(people)
    h = 0x811C9DC5  # FNV-1a offset basis
    for c in text[::61]:
        h = ((h ^ ord(c)) * 0x01000193) & 0xFFFFFFFF
    return len(text) + h
