/*===- kcin.h - Header-only reader of .kin input files for C references ---===*
 *
 * A .kin file holds the generated inputs of one workload (written by
 * `kernelc --dump-inputs`; format defined in lib/Bench/Workload.h), all
 * little-endian:
 *   "KCIN1\n", u32 count, then per value: u8 kind, and
 *   Int: i64 | F64: f64 | Bool: u8 | Bytes/Str: u64 len, bytes |
 *   IntArray: u64 n, n x i64 | F64Array: u64 n, n x f64
 * Values become the C types of runtimes/native/kcrt.h, allocated with
 * malloc and never freed (a reference runs once per process). Any malformed
 * file or mismatched kind is reported on stderr and exits with status 2.
 *
 *===----------------------------------------------------------------------===*/

#ifndef KC_BENCHMARKS_REFERENCE_C_KCIN_H
#define KC_BENCHMARKS_REFERENCE_C_KCIN_H

#include "kcrt.h"

#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Value kinds, as bench::Value::Kind numbers them. */
enum kcin_kind {
  KCIN_INT = 0,
  KCIN_F64 = 1,
  KCIN_BOOL = 2,
  KCIN_BYTES = 3,
  KCIN_STR = 4,
  KCIN_INT_ARRAY = 5,
  KCIN_F64_ARRAY = 6,
};

typedef struct kcin_value {
  enum kcin_kind kind;
  int64_t i;   /* KCIN_INT */
  double f;    /* KCIN_F64 */
  bool b;      /* KCIN_BOOL */
  kc_str *s;   /* KCIN_BYTES, KCIN_STR */
  kc_array *a; /* KCIN_INT_ARRAY (int64_t elements), KCIN_F64_ARRAY (double) */
} kcin_value;

typedef struct kcin_inputs {
  const char *path;
  uint32_t count;
  kcin_value *values;
} kcin_inputs;

static const char *const kcin_kind_names[] = {
    "int", "f64", "bool", "bytes", "str", "[int]", "[f64]",
};

__attribute__((noreturn, format(printf, 2, 3))) static inline void
kcin_fail(const char *path, const char *fmt, ...) {
  va_list ap;
  fprintf(stderr, "kcin: %s: ", path);
  va_start(ap, fmt);
  vfprintf(stderr, fmt, ap);
  va_end(ap);
  fputc('\n', stderr);
  exit(2);
}

static inline void *kcin_xmalloc(size_t size) {
  void *p = malloc(size ? size : 1);
  if (!p) {
    fprintf(stderr, "kcin: out of memory\n");
    exit(2);
  }
  return p;
}

/* A cursor over the file's bytes. */
typedef struct kcin_reader {
  const char *path;
  const unsigned char *p, *end;
} kcin_reader;

static inline void kcin_need(kcin_reader *r, uint64_t n, const char *what) {
  if ((uint64_t)(r->end - r->p) < n)
    kcin_fail(r->path, "truncated file: %s needs %llu more bytes, %lld left",
              what, (unsigned long long)n, (long long)(r->end - r->p));
}

static inline uint64_t kcin_u64(kcin_reader *r, const char *what) {
  kcin_need(r, 8, what);
  uint64_t v = 0;
  for (int k = 7; k >= 0; --k)
    v = v << 8 | r->p[k];
  r->p += 8;
  return v;
}

static inline uint32_t kcin_u32(kcin_reader *r, const char *what) {
  kcin_need(r, 4, what);
  uint32_t v = (uint32_t)r->p[0] | (uint32_t)r->p[1] << 8 |
               (uint32_t)r->p[2] << 16 | (uint32_t)r->p[3] << 24;
  r->p += 4;
  return v;
}

static inline double kcin_f64_bits(uint64_t bits) {
  double d;
  memcpy(&d, &bits, sizeof d);
  return d;
}

/* A count of elements of `size` bytes each that must fit in the rest of the
 * file. */
static inline uint64_t kcin_length(kcin_reader *r, uint64_t size,
                                   const char *what) {
  uint64_t n = kcin_u64(r, what);
  if (n > (uint64_t)(r->end - r->p) / size)
    kcin_fail(r->path, "%s of %llu elements runs past the end of the file",
              what, (unsigned long long)n);
  return n;
}

static inline kcin_value kcin_read_value(kcin_reader *r, uint32_t index) {
  kcin_value v;
  memset(&v, 0, sizeof v);
  kcin_need(r, 1, "value kind");
  unsigned kind = *r->p++;
  switch (kind) {
  case KCIN_INT:
    v.i = (int64_t)kcin_u64(r, "int");
    break;
  case KCIN_F64:
    v.f = kcin_f64_bits(kcin_u64(r, "f64"));
    break;
  case KCIN_BOOL:
    kcin_need(r, 1, "bool");
    if (*r->p > 1)
      kcin_fail(r->path, "value %u: bool byte %u is neither 0 nor 1", index,
                *r->p);
    v.b = *r->p++ == 1;
    break;
  case KCIN_BYTES:
  case KCIN_STR: {
    uint64_t n = kcin_length(r, 1, kind == KCIN_STR ? "str" : "bytes");
    /* The bytes follow the header, as in a fresh kcrt string. */
    v.s = (kc_str *)kcin_xmalloc(sizeof(kc_str) + n);
    char *bytes = (char *)(v.s + 1);
    v.s->len = (int64_t)n;
    v.s->data = bytes;
    memcpy(bytes, r->p, n);
    r->p += n;
    if (kind == KCIN_STR)
      for (uint64_t k = 0; k < n; ++k)
        if ((unsigned char)bytes[k] > 127)
          kcin_fail(r->path, "value %u: str is not ASCII at offset %llu", index,
                    (unsigned long long)k);
    break;
  }
  case KCIN_INT_ARRAY:
  case KCIN_F64_ARRAY: {
    uint64_t n = kcin_length(r, 8, kind == KCIN_INT_ARRAY ? "[int]" : "[f64]");
    v.a = (kc_array *)kcin_xmalloc(sizeof(kc_array));
    v.a->len = v.a->cap = (int64_t)n;
    v.a->data = kcin_xmalloc(n * 8);
    for (uint64_t k = 0; k < n; ++k) {
      uint64_t bits = kcin_u64(r, "array element");
      if (kind == KCIN_INT_ARRAY)
        ((int64_t *)v.a->data)[k] = (int64_t)bits;
      else
        ((double *)v.a->data)[k] = kcin_f64_bits(bits);
    }
    break;
  }
  default:
    kcin_fail(r->path, "value %u: unknown kind %u", index, kind);
  }
  v.kind = (enum kcin_kind)kind;
  return v;
}

/* Parses a whole .kin image. */
static inline kcin_inputs kcin_parse(const char *path,
                                     const unsigned char *data, size_t size) {
  static const char magic[] = "KCIN1\n";
  kcin_reader r = {path, data, data + size};
  kcin_need(&r, sizeof magic - 1, "magic");
  if (memcmp(r.p, magic, sizeof magic - 1) != 0)
    kcin_fail(path, "not a .kin file (bad magic)");
  r.p += sizeof magic - 1;
  kcin_inputs in = {path, 0, NULL};
  in.count = kcin_u32(&r, "value count");
  if (in.count > (uint64_t)(r.end - r.p))
    kcin_fail(path, "value count %u exceeds the file size", in.count);
  in.values = (kcin_value *)kcin_xmalloc(sizeof(kcin_value) * in.count);
  for (uint32_t k = 0; k < in.count; ++k)
    in.values[k] = kcin_read_value(&r, k);
  if (r.p != r.end)
    kcin_fail(path, "%lld trailing bytes after the last value",
              (long long)(r.end - r.p));
  return in;
}

/* Reads and parses the file at path. */
static inline kcin_inputs kcin_read_file(const char *path) {
  FILE *f = fopen(path, "rb");
  if (!f)
    kcin_fail(path, "cannot open: %s", strerror(errno));
  unsigned char *buf = NULL;
  size_t size = 0, cap = 0;
  for (;;) {
    if (size == cap) {
      cap = cap ? cap * 2 : 1 << 16;
      unsigned char *grown = (unsigned char *)realloc(buf, cap);
      if (!grown)
        kcin_fail(path, "out of memory");
      buf = grown;
    }
    size_t got = fread(buf + size, 1, cap - size, f);
    size += got;
    if (got == 0)
      break;
  }
  if (ferror(f))
    kcin_fail(path, "read error");
  fclose(f);
  kcin_inputs in = kcin_parse(path, buf, size);
  free(buf);
  return in;
}

/* --- typed access: the value at `index` must exist and have the kind --- */

static inline const kcin_value *kcin_get(const kcin_inputs *in, uint32_t index,
                                         enum kcin_kind kind) {
  if (index >= in->count)
    kcin_fail(in->path, "expected at least %u values, found %u", index + 1,
              in->count);
  const kcin_value *v = &in->values[index];
  if (v->kind != kind)
    kcin_fail(in->path, "value %u: expected %s, found %s", index,
              kcin_kind_names[kind], kcin_kind_names[v->kind]);
  return v;
}

/* Fails unless the file holds exactly n values. */
static inline void kcin_expect_count(const kcin_inputs *in, uint32_t n) {
  if (in->count != n)
    kcin_fail(in->path, "expected %u values, found %u", n, in->count);
}

static inline int64_t kcin_int(const kcin_inputs *in, uint32_t index) {
  return kcin_get(in, index, KCIN_INT)->i;
}
static inline double kcin_f64(const kcin_inputs *in, uint32_t index) {
  return kcin_get(in, index, KCIN_F64)->f;
}
static inline bool kcin_bool(const kcin_inputs *in, uint32_t index) {
  return kcin_get(in, index, KCIN_BOOL)->b;
}
static inline const kc_str *kcin_str(const kcin_inputs *in, uint32_t index) {
  return kcin_get(in, index, KCIN_STR)->s;
}
static inline const kc_str *kcin_bytes(const kcin_inputs *in, uint32_t index) {
  return kcin_get(in, index, KCIN_BYTES)->s;
}
/* [int]: int64_t elements. */
static inline kc_array *kcin_int_array(const kcin_inputs *in, uint32_t index) {
  return kcin_get(in, index, KCIN_INT_ARRAY)->a;
}
/* [f64]: double elements. */
static inline kc_array *kcin_f64_array(const kcin_inputs *in, uint32_t index) {
  return kcin_get(in, index, KCIN_F64_ARRAY)->a;
}
/* [i32] or [u32] (is_unsigned): a new array of 4-byte elements; every value
 * must fit the type. */
static inline kc_array *kcin_int32_array(const kcin_inputs *in, uint32_t index,
                                         bool is_unsigned) {
  const kc_array *src = kcin_int_array(in, index);
  const int64_t *from = (const int64_t *)src->data;
  int64_t lo = is_unsigned ? 0 : INT32_MIN;
  int64_t hi = is_unsigned ? (int64_t)UINT32_MAX : INT32_MAX;
  kc_array *a = (kc_array *)kcin_xmalloc(sizeof(kc_array));
  a->len = a->cap = src->len;
  a->data = kcin_xmalloc((size_t)src->len * 4);
  for (int64_t k = 0; k < src->len; ++k) {
    if (from[k] < lo || from[k] > hi)
      kcin_fail(in->path, "value %u: element %lld (%lld) does not fit %s",
                index, (long long)k, (long long)from[k],
                is_unsigned ? "u32" : "i32");
    if (is_unsigned)
      ((uint32_t *)a->data)[k] = (uint32_t)from[k];
    else
      ((int32_t *)a->data)[k] = (int32_t)from[k];
  }
  return a;
}

#endif
