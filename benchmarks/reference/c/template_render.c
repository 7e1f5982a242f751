/*===- template_render.c - C reference of benchmarks/kernels/template_render.k -===*
 *
 * Replaces every "{{name}}" of the template by the value bound to name in
 * Values ("" for an unknown name; the name is everything up to the next
 * "}}", untrimmed) and returns the rendered length + the 32-bit FNV-1a hash
 * of every 61st character of the rendered text (indices 0, 61, 122, ...);
 * -1 when a "{{" has no "}}" after it.
 * Placeholders are found with memchr; the output goes into one growing
 * buffer, reused across calls. Twelve bindings: looked up by length, then
 * memcmp.
 *
 *===----------------------------------------------------------------------===*/

#include "refmain.h"

#include <string.h>

typedef struct binding {
  const char *name, *value;
  size_t name_len, value_len;
} binding;

#define BIND(N, V) {N, V, sizeof(N) - 1, sizeof(V) - 1}
static const binding Values[] = {
    BIND("user", "Ada Lovelace"),
    BIND("email", "ada@analytical.example"),
    BIND("city", "London"),
    BIND("date", "1843-07-10"),
    BIND("order_id", "AE-1843-0042"),
    BIND("total", "1,234.50 GBP"),
    BIND("product", "Analytical Engine"),
    BIND("count", "3"),
    BIND("company", "Babbage & Lovelace Ltd"),
    BIND("plan", "Enterprise"),
    BIND("link", "https://analytical.example/orders/AE-1843-0042"),
    BIND("code", "NOTE-G"),
};
#undef BIND

static char *Out;
static size_t OutCap;

static void reserve(size_t need) {
  if (need <= OutCap)
    return;
  while (OutCap < need)
    OutCap = OutCap ? OutCap * 2 : 1 << 16;
  Out = realloc(Out, OutCap);
  if (!Out) {
    fputs("template_render: out of memory\n", stderr);
    exit(2);
  }
}

/* The first occurrence of the doubled character cc at or after p, or NULL. */
static const char *find2(const char *p, const char *end, char c) {
  while (p + 1 < end) {
    const char *q = memchr(p, c, (size_t)(end - p - 1));
    if (!q)
      return NULL;
    if (q[1] == c)
      return q;
    p = q + 1;
  }
  return NULL;
}

static const binding *lookup(const char *name, size_t len) {
  for (size_t k = 0; k < sizeof Values / sizeof Values[0]; ++k)
    if (Values[k].name_len == len && memcmp(Values[k].name, name, len) == 0)
      return &Values[k];
  return NULL;
}

int64_t template_render(const kc_str *text) {
  const char *p = text->data, *end = p + text->len;
  size_t n = 0;
  for (;;) {
    const char *open = find2(p, end, '{');
    if (!open)
      break;
    const char *close = find2(open + 2, end, '}');
    if (!close)
      return -1;
    const binding *b = lookup(open + 2, (size_t)(close - open - 2));
    size_t run = (size_t)(open - p), vlen = b ? b->value_len : 0;
    reserve(n + run + vlen);
    memcpy(Out + n, p, run);
    n += run;
    if (b) {
      memcpy(Out + n, b->value, vlen);
      n += vlen;
    }
    p = close + 2;
  }
  size_t run = (size_t)(end - p);
  reserve(n + run);
  memcpy(Out + n, p, run);
  n += run;

  uint32_t h = 2166136261u; /* FNV-1a offset basis */
  for (size_t k = 0; k < n; k += 61)
    h = (h ^ (unsigned char)Out[k]) * 16777619u;
  return (int64_t)n + h;
}

static const kc_str *Text;

void kc_ref_prepare(const kcin_inputs *in) {
  kcin_expect_count(in, 1);
  Text = kcin_str(in, 0);
}

kc_ref_result kc_ref_call(void) {
  return (kc_ref_result){.kind = KC_REF_INT, .as.i = template_render(Text)};
}
