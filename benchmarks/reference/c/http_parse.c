/*===- http_parse.c - C reference of benchmarks/kernels/http_parse.k -----===*
 *
 * Parses request heads laid back to back (request line, header lines, empty
 * line; every line ends in CRLF) and returns the checksum of http_parse.k,
 * or -1 for a malformed head (rules at the top of http_parse.k: the request
 * line splits on single spaces into METHOD (one of the seven, numbered
 * 1..7), a target starting with '/' and "HTTP/1.1"; a header is name ':'
 * value with a non-empty name that neither starts nor ends with a space or
 * tab, matched lower-cased, and the value without leading and trailing
 * spaces and tabs; exactly one Host; Content-Length 1..15 digits).
 * Checksum: the sum over heads of 1000003 method + 1009 target length
 * + 101 (offset of '?' in the target + 1, 0 without one) + 17 headers
 * + 3 host length + the lengths of all header values, plus the sum of the
 * Content-Length values.
 * Zero-copy, as picohttpparser: lines are found with memchr for '\r'; each
 * header name is lower-cased into a buffer (as nginx does) and compared
 * there.
 *
 *===----------------------------------------------------------------------===*/

#include "refmain.h"

#include <string.h>

/* The first "\r\n" at or after p, or NULL. */
static const char *find_crlf(const char *p, const char *end) {
  while (p + 1 < end) {
    const char *q = memchr(p, '\r', (size_t)(end - p - 1));
    if (!q)
      return NULL;
    if (q[1] == '\n')
      return q;
    p = q + 1;
  }
  return NULL;
}

static int method_number(const char *m, size_t len) {
  static const char *const Names[] = {"GET",   "POST", "PUT",    "DELETE",
                                      "PATCH", "HEAD", "OPTIONS"};
  for (int k = 0; k < 7; ++k)
    if (strlen(Names[k]) == len && memcmp(Names[k], m, len) == 0)
      return k + 1;
  return 0;
}

static inline bool is_ows(char c) { return c == ' ' || c == '\t'; }

int64_t http_parse(const kc_str *text) {
  const char *p = text->data, *end = p + text->len;
  int64_t total = 0;
  while (p < end) {
    /* The request line: exactly two spaces. */
    const char *eol = find_crlf(p, end);
    if (!eol)
      return -1;
    const char *sp1 = memchr(p, ' ', (size_t)(eol - p));
    if (!sp1)
      return -1;
    const char *target = sp1 + 1;
    const char *sp2 = memchr(target, ' ', (size_t)(eol - target));
    if (!sp2)
      return -1;
    const char *version = sp2 + 1;
    if (memchr(version, ' ', (size_t)(eol - version)))
      return -1;
    int method = method_number(p, (size_t)(sp1 - p));
    size_t target_len = (size_t)(sp2 - target);
    if (!method || target_len == 0 || *target != '/' ||
        eol - version != 8 || memcmp(version, "HTTP/1.1", 8) != 0)
      return -1;
    const char *query = memchr(target, '?', target_len);
    p = eol + 2;

    int64_t headers = 0, hosts = 0, host_len = 0, values_len = 0;
    for (;;) {
      eol = find_crlf(p, end);
      if (!eol)
        return -1;
      if (eol == p)
        break;
      const char *colon = memchr(p, ':', (size_t)(eol - p));
      /* No whitespace before the colon, no obsolete line folding. */
      if (!colon || colon == p || is_ows(*p) || is_ows(colon[-1]))
        return -1;
      /* Lower-case the name into a buffer, as nginx does; a name too long
       * for it cannot be one the checksum needs. */
      size_t name_len = (size_t)(colon - p);
      char name[32];
      for (size_t k = 0; k < name_len && k < sizeof name; ++k) {
        unsigned char c = (unsigned char)p[k];
        name[k] = (char)(c - 'A' < 26u ? c | 0x20 : c);
      }
      const char *a = colon + 1, *b = eol;
      while (a < b && is_ows(*a))
        ++a;
      while (b > a && is_ows(b[-1]))
        --b;
      values_len += b - a;
      if (name_len == 4 && memcmp(name, "host", 4) == 0) {
        ++hosts;
        host_len = b - a;
      } else if (name_len == 14 && memcmp(name, "content-length", 14) == 0) {
        if (a == b || b - a > 15)
          return -1;
        int64_t value = 0;
        for (; a < b; ++a) {
          unsigned d = (unsigned char)*a - '0';
          if (d > 9)
            return -1;
          value = value * 10 + d;
        }
        total += value;
      }
      ++headers;
      p = eol + 2;
    }
    p += 2;
    if (hosts != 1)
      return -1;
    total += 1000003 * (int64_t)method + 1009 * (int64_t)target_len +
             101 * (query ? query - target + 1 : 0) + 17 * headers +
             3 * host_len + values_len;
  }
  return total;
}

static const kc_str *Text;

void kc_ref_prepare(const kcin_inputs *in) {
  kcin_expect_count(in, 1);
  Text = kcin_str(in, 0);
}

kc_ref_result kc_ref_call(void) {
  return (kc_ref_result){.kind = KC_REF_INT, .as.i = http_parse(Text)};
}
