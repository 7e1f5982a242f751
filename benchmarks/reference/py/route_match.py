"""URL router: hand-written Python reference of benchmarks/kernels/route_match.k.

Matches each line of the text (one request path per line, each ending in
'\\n') against the 16 PATTERNS, the first match in table order winning: the
path and pattern split on '/' have as many segments, the path starts with
'/', and every segment after the first equals the pattern's, except that a
':name' segment captures any non-empty segment. Returns h + captured, with
h = (33 h + route + 2) mod 2**32 over the paths in order (route = the
pattern's index, -1 for no match) and captured the total length of the
captured segments.
The router is compiled once, at import: patterns indexed by their first
segment, each kept as (index, segment count, (position, literal) pairs,
parameter positions), so a match compares only the literals.
"""

PATTERNS = (
    "/",
    "/health",
    "/users",
    "/users/:id",
    "/users/:id/posts",
    "/users/:id/posts/:post_id",
    "/users/:id/followers",
    "/posts/:id/comments/:comment_id",
    "/api/v1/orders/:order_id/items",
    "/api/v1/products/:sku",
    "/api/v1/search",
    "/static/:file",
    "/admin/settings",
    "/orgs/:org/repos/:repo/issues/:number",
    "/orgs/:org/members",
    "/login",
)


def _compile(patterns):
    by_first = {}
    for index, pattern in enumerate(patterns):
        segs = pattern.split("/")
        rest = list(enumerate(segs))[2:]
        literals = tuple((k, s) for k, s in rest if not s.startswith(":"))
        params = tuple(k for k, s in rest if s.startswith(":"))
        by_first.setdefault(segs[1], []).append((index, len(segs), literals, params))
    return by_first


ROUTES = _compile(PATTERNS)


def route_match(text):
    candidates = ROUTES.get
    paths = text.split("\n")
    paths.pop()  # the text ends with '\n': the last piece is ""
    h = 0
    captured = 0
    for path in paths:
        segs = path.split("/")
        n = len(segs)
        found = -1
        if n >= 2 and not segs[0]:
            for index, count, literals, params in candidates(segs[1], ()):
                if count != n:
                    continue
                for k, literal in literals:
                    if segs[k] != literal:
                        break
                else:
                    length = 0
                    for k in params:
                        m = len(segs[k])
                        if not m:
                            break
                        length += m
                    else:
                        found = index
                        captured += length
                        break
        h = (h * 33 + found + 2) & 0xFFFFFFFF
    return h + captured
