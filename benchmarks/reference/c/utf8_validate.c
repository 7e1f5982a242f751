/*===- utf8_validate.c - C reference of benchmarks/kernels/utf8_validate.k ===*
 *
 * Splits the bytes at each '\n' into lines (bytes after the last '\n' form a
 * last line) and validates each as UTF-8 per RFC 3629 / Unicode Table 3-7:
 * no stray continuation bytes, overlong forms, surrogates, code points
 * above U+10FFFF or truncated sequences. Returns
 * valid_lines * 2^32 + (code points in the valid lines).
 * A lead-byte decoder with an ASCII fast path: the lead byte gives the
 * sequence length and the allowed range of the second byte; later bytes must
 * be 80..BF. After an error the rest of the line is skipped with memchr.
 *
 *===----------------------------------------------------------------------===*/

#include "refmain.h"

#include <string.h>

static inline bool is_cont(unsigned char c) { return (c & 0xC0) == 0x80; }

/* Decodes the line at p up to its '\n' or end. Returns the position of that
 * '\n' (or end) and sets *cps, or returns NULL at the first ill-formed
 * sequence. */
static const unsigned char *check_line(const unsigned char *p,
                                       const unsigned char *end,
                                       int64_t *cps) {
  int64_t count = 0;
  while (p < end) {
    unsigned char b = *p;
    if (b < 0x80) {
      if (b == '\n')
        break;
      ++count;
      ++p;
      continue;
    }
    int need;
    unsigned char lo = 0x80, hi = 0xBF;
    if (b >= 0xC2 && b <= 0xDF) {
      need = 1;
    } else if (b >= 0xE0 && b <= 0xEF) {
      need = 2;
      if (b == 0xE0)
        lo = 0xA0;
      else if (b == 0xED)
        hi = 0x9F;
    } else if (b >= 0xF0 && b <= 0xF4) {
      need = 3;
      if (b == 0xF0)
        lo = 0x90;
      else if (b == 0xF4)
        hi = 0x8F;
    } else {
      return NULL; /* a continuation byte, C0, C1 or F5..FF */
    }
    if (end - p <= need || p[1] < lo || p[1] > hi)
      return NULL;
    for (int k = 2; k <= need; ++k)
      if (!is_cont(p[k]))
        return NULL;
    ++count;
    p += need + 1;
  }
  *cps = count;
  return p;
}

int64_t utf8_validate(const kc_str *data) {
  const unsigned char *p = (const unsigned char *)data->data;
  const unsigned char *end = p + data->len;
  int64_t valid_lines = 0, code_points = 0;
  while (p < end) {
    int64_t cps;
    const unsigned char *eol = check_line(p, end, &cps);
    if (eol) {
      ++valid_lines;
      code_points += cps;
    } else {
      eol = memchr(p, '\n', (size_t)(end - p));
      if (!eol)
        break;
    }
    p = eol + 1;
  }
  return valid_lines * 4294967296 + code_points;
}

static const kc_str *Data;

void kc_ref_prepare(const kcin_inputs *in) {
  kcin_expect_count(in, 1);
  Data = kcin_bytes(in, 0);
}

kc_ref_result kc_ref_call(void) {
  return (kc_ref_result){.kind = KC_REF_INT, .as.i = utf8_validate(Data)};
}
