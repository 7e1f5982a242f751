/*===- json_serialize.c - C reference of benchmarks/kernels/json_serialize.k -===*
 *
 * Builds one person per element of the input arrays (record k: id k, age
 * ages[k], score scores[k], and from p = picks[k]: name Names[p & 31],
 * email Emails[(p >> 5) & 15], active bit 9 of p, tags
 * TagSets[(p >> 10) & 7]), serializes them all to one compact JSON array
 * text ([{"id":0,"name":"...",...,"tags":["..."]},...], no spaces) and
 * returns the text's length + the 32-bit FNV-1a hash of every 61st
 * character of the text (indices 0, 61, 122, ...). Strings are escaped as
 * JSON.stringify does: \" \\ \b \f \n \r \t, other characters below 0x20
 * as \u00xx (lower-case hex); nothing else ('/' and DEL as they are).
 * One growing output buffer, reused across calls; a 128-entry table marks
 * the characters to escape, runs between them are copied with memcpy;
 * integers are formatted by hand.
 *
 *===----------------------------------------------------------------------===*/

#include "refmain.h"

#include <string.h>

static const char *const Names[32] = {
    "Ada Lovelace", "Alan Turing", "Grace Hopper", "Edsger Dijkstra",
    "Barbara Liskov", "Donald Knuth", "Ken Thompson", "Dennis Ritchie",
    "Frances \"Fran\" Allen", "John McCarthy", "Niklaus Wirth", "Tony Hoare",
    "Leslie Lamport", "Margaret Hamilton", "Radia Perlman", "Bjarne Stroustrup",
    "C:\\Users\\guido", "Anders Hejlsberg", "Brendan Eich", "James Gosling",
    "Yukihiro \"Matz\" Matsumoto", "Rich Hickey", "Simon Peyton Jones", "Robin Milner",
    "first line\nsecond line", "tab\tseparated", "Jean Sammet", "Kathleen Booth",
    "Brian Kernighan", "Guy L. Steele Jr.", "back\\slash", "Fernando Corbato",
};
static const char *const Emails[16] = {
    "ada@example.com", "alan.turing@example.org", "grace@navy.example.mil",
    "ewd@example.nl", "liskov@example.edu", "knuth@example.edu",
    "\"ken\"@example.com", "dmr@example.com", "fran/allen@example.com",
    "jmc@example.edu", "wirth@example.ch", "hoare@example.ac.uk",
    "lamport@example.com", "margaret@example.gov", "radia\\perlman@example.com",
    "bjarne@example.com",
};
typedef struct tag_set {
  int n;
  const char *tags[4];
} tag_set;
static const tag_set TagSets[8] = {
    {0, {0}},
    {1, {"admin"}},
    {2, {"beta", "early-access"}},
    {3, {"ops", "on-call", "pager-duty"}},
    {1, {"vip"}},
    {4, {"new", "trial", "\"quoted\"", "x\\y"}},
    {2, {"staff", "eng"}},
    {2, {"legacy", "v1\x01"}},
};

typedef struct person {
  int64_t id, age, score;
  const char *name, *email;
  const tag_set *tags;
  bool active;
} person;

static char *Buf;
static size_t Cap;
static person *People;
static size_t PeopleCap;

static void *xrealloc(void *p, size_t size) {
  p = realloc(p, size);
  if (!p) {
    fputs("json_serialize: out of memory\n", stderr);
    exit(2);
  }
  return p;
}

/* Room for `more` bytes after the first n. */
static inline char *reserve(size_t n, size_t more) {
  if (n + more > Cap) {
    while (n + more > Cap)
      Cap = Cap ? Cap * 2 : 1 << 16;
    Buf = xrealloc(Buf, Cap);
  }
  return Buf + n;
}

static size_t put(size_t n, const char *s, size_t len) {
  memcpy(reserve(n, len), s, len);
  return n + len;
}
#define PUT(n, lit) put(n, lit, sizeof(lit) - 1)

static size_t put_int(size_t n, int64_t v) {
  char tmp[24], *e = tmp + sizeof tmp, *q = e;
  uint64_t u = v < 0 ? 0 - (uint64_t)v : (uint64_t)v;
  do
    *--q = (char)('0' + u % 10);
  while (u /= 10);
  if (v < 0)
    *--q = '-';
  return put(n, q, (size_t)(e - q));
}

/* Escape[c]: 0 for a character copied as is, else the letter after the
 * backslash ('u' for \u00xx). */
static const char Escape[128] = {
    'u', 'u', 'u', 'u', 'u', 'u', 'u', 'u', /* 0x00 */
    'b', 't', 'n', 'u', 'f', 'r', 'u', 'u', /* 0x08: \b \t \n \v \f \r */
    'u', 'u', 'u', 'u', 'u', 'u', 'u', 'u', /* 0x10 */
    'u', 'u', 'u', 'u', 'u', 'u', 'u', 'u', /* 0x18 */
    ['"'] = '"', ['\\'] = '\\',
};

static size_t put_string(size_t n, const char *s) {
  static const char Hex[] = "0123456789abcdef";
  n = PUT(n, "\"");
  const char *run = s;
  for (;; ++s) {
    unsigned char c = (unsigned char)*s;
    if (c == 0) /* the terminator */
      break;
    if (c >= 128 || !Escape[c])
      continue;
    n = put(n, run, (size_t)(s - run));
    char *d = reserve(n, 6);
    d[0] = '\\';
    d[1] = Escape[c];
    if (Escape[c] == 'u') {
      d[2] = d[3] = '0';
      d[4] = Hex[c >> 4];
      d[5] = Hex[c & 15];
      n += 6;
    } else {
      n += 2;
    }
    run = s + 1;
  }
  n = put(n, run, (size_t)(s - run));
  return PUT(n, "\"");
}

int64_t json_serialize(const kc_array *ages, const kc_array *scores,
                       const kc_array *picks) {
  const int64_t *age = ages->data, *score = scores->data;
  const uint32_t *pick = picks->data;
  size_t count = (size_t)picks->len;
  if (count > PeopleCap) {
    PeopleCap = count;
    People = xrealloc(People, count * sizeof(person));
  }
  for (size_t k = 0; k < count; ++k) {
    uint32_t p = pick[k];
    People[k] = (person){.id = (int64_t)k,
                         .age = age[k],
                         .score = score[k],
                         .name = Names[p & 31],
                         .email = Emails[(p >> 5) & 15],
                         .tags = &TagSets[(p >> 10) & 7],
                         .active = ((p >> 9) & 1) == 1};
  }

  size_t n = PUT(0, "[");
  for (size_t k = 0; k < count; ++k) {
    const person *p = &People[k];
    if (k > 0)
      n = PUT(n, ",");
    n = PUT(n, "{\"id\":");
    n = put_int(n, p->id);
    n = PUT(n, ",\"name\":");
    n = put_string(n, p->name);
    n = PUT(n, ",\"email\":");
    n = put_string(n, p->email);
    n = PUT(n, ",\"age\":");
    n = put_int(n, p->age);
    n = PUT(n, ",\"score\":");
    n = put_int(n, p->score);
    n = p->active ? PUT(n, ",\"active\":true,\"tags\":[")
                  : PUT(n, ",\"active\":false,\"tags\":[");
    for (int t = 0; t < p->tags->n; ++t) {
      if (t > 0)
        n = PUT(n, ",");
      n = put_string(n, p->tags->tags[t]);
    }
    n = PUT(n, "]}");
  }
  n = PUT(n, "]");

  uint32_t h = 2166136261u; /* FNV-1a offset basis */
  for (size_t k = 0; k < n; k += 61)
    h = (h ^ (unsigned char)Buf[k]) * 16777619u;
  return (int64_t)n + h;
}

static const kc_array *Ages, *Scores, *Picks;

void kc_ref_prepare(const kcin_inputs *in) {
  kcin_expect_count(in, 3);
  Ages = kcin_int_array(in, 0);
  Scores = kcin_int_array(in, 1);
  Picks = kcin_int32_array(in, 2, true); /* [u32] */
}

kc_ref_result kc_ref_call(void) {
  return (kc_ref_result){.kind = KC_REF_INT,
                         .as.i = json_serialize(Ages, Scores, Picks)};
}
