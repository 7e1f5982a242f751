/*===- glob_match.c - C reference of benchmarks/kernels/glob_match.k -----===*
 *
 * Matches each path of a '\n'-terminated list against the kernel's eight
 * patterns; returns its u32 checksum of the match counts, all mod 2^32, with
 * fold(h, x) = (h ^ x) * 16777619: h = 2166136261 ^ number of paths, then
 * h = fold(h, count of pattern k) for k = 0..7 in order.
 * Patterns: ** any run, '/' included; * any run without '/'; ? one
 * character other than '/'; [set] one character other than '/' among single
 * characters and ranges a-z; anything else itself; the whole path must
 * match. The classic linear star-backtracking matcher (no fnmatch): on a
 * mismatch the last star takes one more character; a single star cannot
 * take a '/', so then the last double star takes one more instead.
 *
 *===----------------------------------------------------------------------===*/

#include "refmain.h"

#define FNV32_PRIME 16777619u

static const char *const Patterns[] = {
    "*.c",           "[st]*/**_test.*", "**/*.md",      "*/??*_*.[ch]*",
    "include/**.h*", "test*/**[jt]s",   "*/*/*.[a-m]*", "**vendor/**_impl.*",
};
enum { NumPatterns = sizeof Patterns / sizeof Patterns[0] };

/* Whether c is in the set [lo, hi) of a bracket expression. */
static bool in_set(const char *lo, const char *hi, char c) {
  while (lo < hi) {
    if (hi - lo > 2 && lo[1] == '-') {
      if (lo[0] <= c && c <= lo[2])
        return true;
      lo += 3;
    } else {
      if (*lo == c)
        return true;
      ++lo;
    }
  }
  return false;
}

/* Whether the path [s, end) matches the NUL-terminated pattern p. */
static bool glob(const char *p, const char *s, const char *end) {
  /* Just after the last star in p, and the first char of s it has not
   * taken; likewise for the last double star. */
  const char *star_p = NULL, *star_s = NULL;
  const char *dstar_p = NULL, *dstar_s = NULL;
  bool star_double = false;
  while (s < end) {
    char c = *p;
    if (c == '*') {
      if (p[1] == '*') {
        p += 2;
        dstar_p = p;
        dstar_s = s;
        star_double = true;
      } else {
        ++p;
        star_double = false;
      }
      star_p = p;
      star_s = s;
      continue;
    }
    if (c == '[') {
      const char *close = strchr(p + 2, ']');
      if (*s != '/' && in_set(p + 1, close, *s)) {
        p = close + 1;
        ++s;
        continue;
      }
    } else if (c != '\0' && (c == *s || (c == '?' && *s != '/'))) {
      ++p;
      ++s;
      continue;
    }
    /* Mismatch: backtrack. */
    if (star_p && (star_double || *star_s != '/')) {
      p = star_p;
      s = ++star_s;
    } else if (dstar_p) {
      p = star_p = dstar_p;
      s = star_s = ++dstar_s;
      star_double = true;
    } else {
      return false;
    }
  }
  while (*p == '*')
    ++p;
  return *p == '\0';
}

uint32_t glob_match(const kc_str *names) {
  const char *p = names->data;
  const char *end = p + names->len;
  int64_t counts[NumPatterns] = {0};
  uint32_t paths = 0;
  while (p < end) {
    const char *nl = memchr(p, '\n', (size_t)(end - p));
    const char *name_end = nl ? nl : end;
    if (name_end != p) {
      ++paths;
      for (int k = 0; k < NumPatterns; ++k)
        counts[k] += glob(Patterns[k], p, name_end);
    }
    p = name_end + 1;
  }
  uint32_t h = 2166136261u ^ paths;
  for (int k = 0; k < NumPatterns; ++k)
    h = (h ^ (uint32_t)counts[k]) * FNV32_PRIME;
  return h;
}

static const kc_str *Names;

void kc_ref_prepare(const kcin_inputs *in) {
  kcin_expect_count(in, 1);
  Names = kcin_str(in, 0);
}

kc_ref_result kc_ref_call(void) {
  return (kc_ref_result){.kind = KC_REF_U32, .as.u32 = glob_match(Names)};
}
