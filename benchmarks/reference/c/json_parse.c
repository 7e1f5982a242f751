/*===- json_parse.c - C reference of benchmarks/kernels/json_parse.k -----===*
 *
 * Parses a JSON array of objects {"id": I, "name": S, "email": S, "age": I,
 * "score": I, "active": B, "tags": [S, ...]} (the seven keys in any order,
 * each exactly once) into Person structs and returns a checksum of them, or
 * -1 when the text is malformed (grammar at the top of json_parse.k:
 * integers -?(0|[1-9][0-9]*) of at most 15 digits; strings with the escapes
 * \" \\ \/ \b \f \n \r \t and \uXXXX below 0x80; JSON whitespace; raw
 * control characters are not rejected).
 * Checksum: the sum over the records of id + 7 age + 3 score + 101 [active]
 * + 5 sig(name) + 11 sig(email) + 13 ntags + sum of (k + 17) sig(tag k),
 * with sig(s) = 1000003 len + 961 s[0] + 31 s[len/2] + s[len-1] (0 for "").
 * Recursive descent over a byte pointer. Strings are views: one without
 * escapes points into the text, an escaped one is decoded into a buffer as
 * long as the text (decoding never lengthens a string). Tags of all records
 * live in one growing array of views.
 *
 *===----------------------------------------------------------------------===*/

#include "refmain.h"

#include <string.h>

typedef struct view {
  const char *p;
  int64_t len;
} view;

typedef struct person {
  int64_t id, age, score;
  view name, email;
  int64_t first_tag, ntags; /* into the parser's tags */
  bool active;
} person;

typedef struct parser {
  const unsigned char *end;
  char *decoded; /* free space of the decoding buffer */
  person *people;
  int64_t npeople, people_cap;
  view *tags;
  int64_t ntags, tags_cap;
} parser;

static void *grow(void *p, int64_t *cap, size_t elem) {
  *cap = *cap ? *cap * 2 : 256;
  void *q = realloc(p, (size_t)*cap * elem);
  if (!q) {
    fputs("json_parse: out of memory\n", stderr);
    exit(2);
  }
  return q;
}

static const unsigned char *skip_ws(const unsigned char *p,
                                    const unsigned char *end) {
  while (p < end && (*p == ' ' || *p == '\n' || *p == '\t' || *p == '\r'))
    ++p;
  return p;
}

static int hex_value(unsigned c) {
  if (c - '0' < 10u)
    return (int)(c - '0');
  c |= 0x20; /* fold A-F onto a-f */
  if (c - 'a' < 6u)
    return (int)(c - 'a' + 10);
  return -1;
}

/* The string whose opening quote is at p, into *out; the end, or NULL. */
static const unsigned char *scan_string(parser *ps, const unsigned char *p,
                                        view *out) {
  const unsigned char *end = ps->end;
  if (p == end || *p != '"')
    return NULL;
  const unsigned char *s = ++p;
  while (p < end && *p != '"' && *p != '\\')
    ++p;
  if (p == end)
    return NULL;
  if (*p == '"') {
    out->p = (const char *)s;
    out->len = p - s;
    return p + 1;
  }
  /* Escapes: copy the plain runs and the decoded characters. */
  char *d = ps->decoded, *start = d;
  for (;;) {
    size_t run = (size_t)(p - s);
    memcpy(d, s, run);
    d += run;
    if (p == end)
      return NULL;
    if (*p == '"')
      break;
    if (++p == end) /* the backslash */
      return NULL;
    switch (*p++) {
    case '"': *d++ = '"'; break;
    case '\\': *d++ = '\\'; break;
    case '/': *d++ = '/'; break;
    case 'b': *d++ = '\b'; break;
    case 'f': *d++ = '\f'; break;
    case 'n': *d++ = '\n'; break;
    case 'r': *d++ = '\r'; break;
    case 't': *d++ = '\t'; break;
    case 'u': {
      if (end - p < 4)
        return NULL;
      int code = 0;
      for (int k = 0; k < 4; ++k) {
        int v = hex_value(p[k]);
        if (v < 0)
          return NULL;
        code = code * 16 + v;
      }
      if (code >= 0x80)
        return NULL;
      *d++ = (char)code;
      p += 4;
      break;
    }
    default:
      return NULL;
    }
    s = p;
    while (p < end && *p != '"' && *p != '\\')
      ++p;
  }
  ps->decoded = d;
  out->p = start;
  out->len = d - start;
  return p + 1;
}

static const unsigned char *scan_int(const unsigned char *p,
                                     const unsigned char *end, int64_t *out) {
  bool negative = p < end && *p == '-';
  if (negative)
    ++p;
  const unsigned char *first = p;
  const unsigned char *stop = end - p > 16 ? p + 16 : end;
  int64_t value = 0;
  while (p < stop && (unsigned)(*p - '0') < 10u)
    value = value * 10 + (*p++ - '0');
  int64_t digits = p - first;
  if (digits == 0 || digits > 15 || (digits > 1 && *first == '0'))
    return NULL;
  *out = negative ? -value : value;
  return p;
}

static const unsigned char *scan_tags(parser *ps, const unsigned char *p,
                                      person *rec) {
  const unsigned char *end = ps->end;
  if (p == end || *p != '[')
    return NULL;
  rec->first_tag = ps->ntags;
  p = skip_ws(p + 1, end);
  if (p < end && *p == ']')
    return p + 1;
  for (;;) {
    if (ps->ntags == ps->tags_cap)
      ps->tags = grow(ps->tags, &ps->tags_cap, sizeof(view));
    if (!(p = scan_string(ps, p, &ps->tags[ps->ntags])))
      return NULL;
    ++ps->ntags;
    ++rec->ntags;
    p = skip_ws(p, end);
    if (p == end)
      return NULL;
    if (*p == ']')
      return p + 1;
    if (*p != ',')
      return NULL;
    p = skip_ws(p + 1, end);
  }
}

static bool key_is(view k, const char *name, size_t len) {
  return (size_t)k.len == len && memcmp(k.p, name, len) == 0;
}

static const unsigned char *scan_person(parser *ps, const unsigned char *p) {
  const unsigned char *end = ps->end;
  if (p == end || *p != '{')
    return NULL;
  person rec = {0};
  unsigned seen = 0; /* one bit per key, in the order of the schema */
  p = skip_ws(p + 1, end);
  for (;;) {
    view key;
    if (!(p = scan_string(ps, p, &key)))
      return NULL;
    p = skip_ws(p, end);
    if (p == end || *p != ':')
      return NULL;
    p = skip_ws(p + 1, end);
    unsigned bit;
    if (key_is(key, "id", 2)) {
      bit = 1;
      p = scan_int(p, end, &rec.id);
    } else if (key_is(key, "name", 4)) {
      bit = 2;
      p = scan_string(ps, p, &rec.name);
    } else if (key_is(key, "email", 5)) {
      bit = 4;
      p = scan_string(ps, p, &rec.email);
    } else if (key_is(key, "age", 3)) {
      bit = 8;
      p = scan_int(p, end, &rec.age);
    } else if (key_is(key, "score", 5)) {
      bit = 16;
      p = scan_int(p, end, &rec.score);
    } else if (key_is(key, "active", 6)) {
      bit = 32;
      if (end - p >= 4 && memcmp(p, "true", 4) == 0) {
        rec.active = true;
        p += 4;
      } else if (end - p >= 5 && memcmp(p, "false", 5) == 0) {
        rec.active = false;
        p += 5;
      } else {
        return NULL;
      }
    } else if (key_is(key, "tags", 4)) {
      bit = 64;
      p = scan_tags(ps, p, &rec);
    } else {
      return NULL;
    }
    if (!p || (seen & bit))
      return NULL;
    seen |= bit;
    p = skip_ws(p, end);
    if (p == end)
      return NULL;
    if (*p == '}')
      break;
    if (*p != ',')
      return NULL;
    p = skip_ws(p + 1, end);
  }
  if (seen != 127)
    return NULL;
  if (ps->npeople == ps->people_cap)
    ps->people = grow(ps->people, &ps->people_cap, sizeof(person));
  ps->people[ps->npeople++] = rec;
  return p + 1;
}

static bool parse_people(parser *ps, const unsigned char *p) {
  const unsigned char *end = ps->end;
  p = skip_ws(p, end);
  if (p == end || *p != '[')
    return false;
  p = skip_ws(p + 1, end);
  if (p < end && *p == ']')
    return skip_ws(p + 1, end) == end;
  for (;;) {
    if (!(p = scan_person(ps, p)))
      return false;
    p = skip_ws(p, end);
    if (p == end)
      return false;
    if (*p == ']')
      return skip_ws(p + 1, end) == end;
    if (*p != ',')
      return false;
    p = skip_ws(p + 1, end);
  }
}

/* A cheap signature of a string: its length and three sampled characters. */
static int64_t sig(view s) {
  if (s.len == 0)
    return 0;
  const unsigned char *c = (const unsigned char *)s.p;
  return s.len * 1000003 + c[0] * 961 + c[s.len / 2] * 31 + c[s.len - 1];
}

int64_t json_parse(const kc_str *text) {
  const unsigned char *p = (const unsigned char *)text->data;
  char *decoded = malloc((size_t)text->len + 1);
  if (!decoded) {
    fputs("json_parse: out of memory\n", stderr);
    exit(2);
  }
  parser ps = {.end = p + text->len, .decoded = decoded};
  int64_t sum = -1;
  if (parse_people(&ps, p)) {
    sum = 0;
    for (int64_t i = 0; i < ps.npeople; ++i) {
      const person *r = &ps.people[i];
      sum += r->id + 7 * r->age + 3 * r->score + 5 * sig(r->name) +
             11 * sig(r->email);
      if (r->active)
        sum += 101;
      sum += 13 * r->ntags;
      for (int64_t k = 0; k < r->ntags; ++k)
        sum += (k + 17) * sig(ps.tags[r->first_tag + k]);
    }
  }
  free(ps.people);
  free(ps.tags);
  free(decoded);
  return sum;
}

static const kc_str *Text;

void kc_ref_prepare(const kcin_inputs *in) {
  kcin_expect_count(in, 1);
  Text = kcin_str(in, 0);
}

kc_ref_result kc_ref_call(void) {
  return (kc_ref_result){.kind = KC_REF_INT, .as.i = json_parse(Text)};
}
