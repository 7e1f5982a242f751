// route_match.mjs - hand-written JS reference of
// benchmarks/kernels/route_match.k
//
// Matches each line of the text (one request path per line, each ending in
// '\n') against the 16 PATTERNS, the first match in table order winning:
// the path and pattern split on '/' have as many segments, the path starts
// with '/', and every segment after the first equals the pattern's, except
// that a ':name' segment captures any non-empty segment. Returns
// h + captured, with h = (33 h + route + 2) mod 2^32 over the paths in
// order (route = the pattern's index, -1 for no match) and captured the
// total length of the captured segments.
// The router is compiled once, at module load: patterns indexed by their
// first segment in a Map, each kept with its segment count, literal
// positions and literals, and parameter positions, so a match compares only
// the literals.

const PATTERNS = [
  '/',
  '/health',
  '/users',
  '/users/:id',
  '/users/:id/posts',
  '/users/:id/posts/:post_id',
  '/users/:id/followers',
  '/posts/:id/comments/:comment_id',
  '/api/v1/orders/:order_id/items',
  '/api/v1/products/:sku',
  '/api/v1/search',
  '/static/:file',
  '/admin/settings',
  '/orgs/:org/repos/:repo/issues/:number',
  '/orgs/:org/members',
  '/login',
];

class Route {
  constructor(index, segments) {
    this.index = index;
    this.segments = segments.length;
    this.literalAt = [];
    this.literals = [];
    this.paramAt = [];
    for (let k = 2; k < segments.length; k++) {
      if (segments[k].startsWith(':')) {
        this.paramAt.push(k);
      } else {
        this.literalAt.push(k);
        this.literals.push(segments[k]);
      }
    }
  }
}

const BY_FIRST = new Map();
PATTERNS.forEach((pattern, index) => {
  const segments = pattern.split('/');
  let list = BY_FIRST.get(segments[1]);
  if (list === undefined) BY_FIRST.set(segments[1], (list = []));
  list.push(new Route(index, segments));
});

const NONE = [];

export function route_match(text) {
  const paths = text.split('\n');
  let h = 0;
  let captured = 0;
  for (let p = 0; p < paths.length - 1; p++) { // the text ends with '\n': the last piece is ""
    const segs = paths[p].split('/');
    const n = segs.length;
    let found = -1;
    if (n >= 2 && segs[0] === '') {
      const routes = BY_FIRST.get(segs[1]) ?? NONE;
      next: for (let r = 0; r < routes.length; r++) {
        const route = routes[r];
        if (route.segments !== n) continue;
        const literalAt = route.literalAt, literals = route.literals;
        for (let k = 0; k < literalAt.length; k++) {
          if (segs[literalAt[k]] !== literals[k]) continue next;
        }
        const paramAt = route.paramAt;
        let length = 0;
        for (let k = 0; k < paramAt.length; k++) {
          const m = segs[paramAt[k]].length;
          if (m === 0) continue next;
          length += m;
        }
        found = route.index;
        captured += length;
        break;
      }
    }
    h = (Math.imul(h, 33) + found + 2) | 0;
  }
  return (h >>> 0) + captured;
}
