/*===- json_tokens.c - C reference of benchmarks/kernels/json_tokens.k ---===*
 *
 * Counts JSON tokens; -1 when the text is not a sequence of JSON tokens.
 * The token rules are the kernel's (see the comment at the top of
 * json_tokens.k): punctuation { } [ ] : , strings (a backslash escapes the
 * next character), numbers -?D+(.D+)?([eE][+-]?D+)?, true, false, null.
 *
 *===----------------------------------------------------------------------===*/

#include "refmain.h"

#include <string.h>

static inline bool is_digit(unsigned char c) { return c - '0' < 10u; }

static const unsigned char *skip_digits(const unsigned char *p,
                                        const unsigned char *end) {
  while (p < end && is_digit(*p))
    ++p;
  return p;
}

/* End of the number at p, or NULL when it is malformed. */
static const unsigned char *scan_number(const unsigned char *p,
                                        const unsigned char *end) {
  if (*p == '-')
    ++p;
  const unsigned char *q = skip_digits(p, end);
  if (q == p)
    return NULL;
  p = q;
  if (p < end && *p == '.') {
    q = skip_digits(p + 1, end);
    if (q == p + 1)
      return NULL;
    p = q;
  }
  if (p < end && (*p == 'e' || *p == 'E')) {
    ++p;
    if (p < end && (*p == '+' || *p == '-'))
      ++p;
    q = skip_digits(p, end);
    if (q == p)
      return NULL;
    p = q;
  }
  return p;
}

/* End of the string whose opening quote is at p, or NULL when unterminated. */
static const unsigned char *scan_string(const unsigned char *p,
                                        const unsigned char *end) {
  for (++p; p < end; ++p) {
    if (*p == '"')
      return p + 1;
    if (*p == '\\' && ++p == end) /* skip the escaped character */
      break;
  }
  return NULL;
}

/* End of the keyword at p, or NULL when p does not spell it. */
static const unsigned char *scan_word(const unsigned char *p,
                                      const unsigned char *end,
                                      const char *word, size_t len) {
  if ((size_t)(end - p) < len || memcmp(p, word, len) != 0)
    return NULL;
  return p + len;
}

int64_t json_tokens(const kc_str *text) {
  const unsigned char *p = (const unsigned char *)text->data;
  const unsigned char *end = p + text->len;
  int64_t tokens = 0;
  while (p < end) {
    switch (*p) {
    case ' ':
    case '\t':
    case '\n':
    case '\r':
      ++p;
      continue;
    case '{':
    case '}':
    case '[':
    case ']':
    case ':':
    case ',':
      ++p;
      break;
    case '"':
      p = scan_string(p, end);
      break;
    case '-':
    case '0':
    case '1':
    case '2':
    case '3':
    case '4':
    case '5':
    case '6':
    case '7':
    case '8':
    case '9':
      p = scan_number(p, end);
      break;
    case 't':
      p = scan_word(p, end, "true", 4);
      break;
    case 'f':
      p = scan_word(p, end, "false", 5);
      break;
    case 'n':
      p = scan_word(p, end, "null", 4);
      break;
    default:
      return -1;
    }
    if (!p)
      return -1;
    ++tokens;
  }
  return tokens;
}

static const kc_str *Text;

void kc_ref_prepare(const kcin_inputs *in) {
  kcin_expect_count(in, 1);
  Text = kcin_str(in, 0);
}

kc_ref_result kc_ref_call(void) {
  return (kc_ref_result){.kind = KC_REF_INT, .as.i = json_tokens(Text)};
}
