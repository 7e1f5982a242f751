/*===- route_match.c - C reference of benchmarks/kernels/route_match.k ---===*
 *
 * Matches each line of the text (one request path per line, each ending in
 * '\n') against the 16 Patterns, the first match in table order winning:
 * the path and pattern split on '/' have as many segments, the path starts
 * with '/', and every segment after the first equals the pattern's, except
 * that a ':name' segment captures any non-empty segment. Returns
 * h + captured, with h = 33 h + route + 2 (uint32_t) over the paths in order
 * (route = the pattern's index, -1 for no match) and captured the total
 * length of the captured segments.
 * The router is compiled once, at the first call (the JS and Python
 * references compile it at load): routes indexed by their first segment in
 * a small open-addressing hash table, each with its literal and parameter
 * positions. A path is cut into (pointer, length) segments in place.
 *
 *===----------------------------------------------------------------------===*/

#include "refmain.h"

#include <string.h>

#define NROUTES 16
#define MAX_SEGS 8 /* more than any pattern has */
#define TABLE_SIZE 32

static const char *const Patterns[NROUTES] = {
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
};

typedef struct seg {
  const char *p;
  size_t len;
} seg;

typedef struct route {
  int index, nsegs, nliterals, nparams;
  int literal_at[MAX_SEGS], param_at[MAX_SEGS];
  seg literals[MAX_SEGS];
} route;

typedef struct slot {
  seg first; /* p == NULL: empty slot */
  int nroutes;
  route routes[NROUTES];
} slot;

static slot Table[TABLE_SIZE];

static uint32_t hash(const char *p, size_t len) {
  uint32_t h = 2166136261u;
  for (size_t k = 0; k < len; ++k)
    h = (h ^ (unsigned char)p[k]) * 16777619u;
  return h;
}

/* The slot of the first segment s: its own, or the empty one it would take. */
static slot *slot_of(const char *p, size_t len) {
  for (uint32_t k = hash(p, len);; ++k) {
    slot *s = &Table[k % TABLE_SIZE];
    if (!s->first.p ||
        (s->first.len == len && memcmp(s->first.p, p, len) == 0))
      return s;
  }
}

/* Cuts [p, end) at each '/' into segs (at most MAX_SEGS kept); returns the
 * number of segments. */
static int split_path(const char *p, const char *end, seg *segs) {
  int n = 0;
  for (;;) {
    const char *slash = memchr(p, '/', (size_t)(end - p));
    const char *stop = slash ? slash : end;
    if (n < MAX_SEGS)
      segs[n] = (seg){p, (size_t)(stop - p)};
    ++n;
    if (!slash)
      return n;
    p = slash + 1;
  }
}

static void compile_routes(void) {
  for (int r = 0; r < NROUTES; ++r) {
    const char *p = Patterns[r];
    seg segs[MAX_SEGS];
    int n = split_path(p, p + strlen(p), segs);
    route rt = {.index = r, .nsegs = n};
    for (int k = 2; k < n; ++k) {
      if (segs[k].len > 0 && segs[k].p[0] == ':') {
        rt.param_at[rt.nparams++] = k;
      } else {
        rt.literal_at[rt.nliterals] = k;
        rt.literals[rt.nliterals++] = segs[k];
      }
    }
    slot *s = slot_of(segs[1].p, segs[1].len);
    /* An empty first segment (the root) gets a non-NULL pointer too. */
    s->first = segs[1];
    s->routes[s->nroutes++] = rt;
  }
}

int64_t route_match(const kc_str *text) {
  static bool compiled;
  if (!compiled) {
    compile_routes();
    compiled = true;
  }
  const char *p = text->data, *end = p + text->len;
  uint32_t h = 0;
  int64_t captured = 0;
  const char *eol;
  while ((eol = memchr(p, '\n', (size_t)(end - p)))) {
    int found = -1;
    if (p < eol && *p == '/') {
      seg segs[MAX_SEGS];
      int n = split_path(p, eol, segs);
      const slot *s = slot_of(segs[1].p, segs[1].len);
      for (int r = 0; r < s->nroutes && s->first.p; ++r) {
        const route *rt = &s->routes[r];
        if (rt->nsegs != n)
          continue;
        int k = 0;
        for (; k < rt->nliterals; ++k) {
          const seg *a = &segs[rt->literal_at[k]], *b = &rt->literals[k];
          if (a->len != b->len || memcmp(a->p, b->p, a->len) != 0)
            break;
        }
        if (k < rt->nliterals)
          continue;
        int64_t length = 0;
        for (k = 0; k < rt->nparams; ++k) {
          size_t m = segs[rt->param_at[k]].len;
          if (m == 0)
            break;
          length += (int64_t)m;
        }
        if (k < rt->nparams)
          continue;
        found = rt->index;
        captured += length;
        break;
      }
    }
    h = h * 33 + (uint32_t)(found + 2);
    p = eol + 1;
  }
  return (int64_t)h + captured;
}

static const kc_str *Text;

void kc_ref_prepare(const kcin_inputs *in) {
  kcin_expect_count(in, 1);
  Text = kcin_str(in, 0);
}

kc_ref_result kc_ref_call(void) {
  return (kc_ref_result){.kind = KC_REF_INT, .as.i = route_match(Text)};
}
