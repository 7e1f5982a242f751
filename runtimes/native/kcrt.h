/*===- kcrt.h - ABI of the native kernel runtime (C) ---------------------===*
 *
 * Compiled kernels and the hand-written C references share this ABI, so one
 * native runner can call either. Kernel values map to C as:
 *   bool -> bool (i1 zeroext in LLVM), i32 -> int32_t, u32 -> uint32_t,
 *   int -> int64_t, f64 -> double,
 *   str, bytes -> kc_str * (immutable; a view of bytes, possibly shared),
 *   [T] -> kc_array *,
 *   map[K]V -> kc_map *, record -> pointer to a struct of its fields in
 *   declaration order with natural C alignment.
 * Every heap object lives in the current arena, reset between runs.
 *
 *===----------------------------------------------------------------------===*/

#ifndef KC_RUNTIMES_NATIVE_KCRT_H
#define KC_RUNTIMES_NATIVE_KCRT_H

#include <stdbool.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Trap kinds: the only way a kernel stops early. Keep in sync with the
 * "traps" column of docs/language.md. */
#define KC_TRAPS(X)                                                            \
  X(KC_TRAP_INDEX, "index out of range")                                       \
  X(KC_TRAP_DIV_ZERO, "integer division by zero")                              \
  X(KC_TRAP_CONVERSION, "number out of range in conversion")                   \
  X(KC_TRAP_PARSE_INT, "invalid integer in parse_int")                         \
  X(KC_TRAP_MAP_KEY, "key not in map")                                         \
  X(KC_TRAP_NEG_LENGTH, "negative array length")                               \
  X(KC_TRAP_EMPTY_POP, "pop from empty array")                                 \
  X(KC_TRAP_UNSAFE_INT, "int outside the safe range +-2^53")                   \
  X(KC_TRAP_SLICE, "slice bounds out of range")                                \
  X(KC_TRAP_CHAR_CODE, "character code outside 0..127")                        \
  X(KC_TRAP_MAP_MODIFIED, "map modified during iteration")                     \
  X(KC_TRAP_OUT_OF_MEMORY, "out of memory")                                    \
  X(KC_TRAP_EMPTY_SEPARATOR, "empty separator in split")                       \
  X(KC_TRAP_NULL, "null reference")                                            \
  X(KC_TRAP_EMPTY_PATTERN, "empty pattern in replace")

enum kc_trap_kind {
#define KC_TRAP_ENUM(E, M) E,
  KC_TRAPS(KC_TRAP_ENUM)
#undef KC_TRAP_ENUM
  KC_TRAP_COUNT
};

/* A string is a view: data points at its len bytes, which may lie inside
 * another string's (a slice, a split piece or a trimmed string shares its
 * parent's bytes instead of copying them). That is safe because strings are
 * immutable and every byte lives in the arena (or in constant data) for at
 * least as long as anything that points at it. No terminator is promised.
 * Every producer of bytes places them after at least 8 readable bytes (a
 * fresh string's bytes follow its header), so the runtime may load the 8
 * bytes that end anywhere in [data, data + len] and mask what precedes. */
typedef struct kc_str {
  int64_t len;
  const char *data;
} kc_str;

typedef struct kc_array {
  int64_t len;
  int64_t cap;
  void *data; /* len elements of the element type's C size */
} kc_array;

typedef struct kc_map kc_map;

/* Map values are stored as 64 raw bits: integers zero- or sign-extended as
 * their type is, doubles by bit pattern, pointers as addresses. */
enum kc_map_key_kind { KC_MAP_INT_KEYS = 0, KC_MAP_STR_KEYS = 1 };

/* --- memory --- */
/* Uninitialised (as malloc), 16-byte aligned, from the arena. */
void *kc_alloc(int64_t size);
/* The same, cleared to zero bytes. */
void *kc_alloc_zeroed(int64_t size);
void kc_arena_reset(void);    /* frees everything allocated since start */
int64_t kc_arena_bytes(void); /* bytes currently allocated */
/* The most bytes the arena hands out before kc_alloc traps with
 * KC_TRAP_OUT_OF_MEMORY; shared by all threads. Defaults to 8 GiB, or to the
 * KC_ARENA_LIMIT environment variable (bytes, optional K/M/G suffix). A new
 * limit applies at once in the calling thread, in others from their next
 * chunk. */
void kc_arena_set_limit(int64_t bytes);
int64_t kc_arena_limit(void);
/* A position in the calling thread's arena. kc_arena_release(m) frees
 * everything allocated after kc_arena_mark() returned m and keeps what came
 * before, e.g. a kernel's inputs across repeated runs. m must come from the
 * same thread, with no kc_arena_reset or earlier release in between. */
typedef struct kc_arena_pos {
  void *chunk;
  void *big;
  int64_t offset;
  int64_t bytes;
} kc_arena_pos;
kc_arena_pos kc_arena_mark(void);
void kc_arena_release(kc_arena_pos m);

/* --- traps --- */
/* Stops the kernel: unwinds (longjmp) to the innermost kc_invoke. Outside
 * kc_invoke it prints "trap: MESSAGE at line N" to stderr and exits 3. */
__attribute__((noreturn)) void kc_trap(int32_t kind, int32_t line);
const char *kc_trap_message(int32_t kind);

/* Calls entry(args, ret) and returns 0, or the trap kind + 1 if the kernel
 * trapped (then *trap_line is set). Nests. */
typedef void (*kc_entry_fn)(void **args, void *ret);
int32_t kc_invoke(kc_entry_fn entry, void **args, void *ret,
                  int32_t *trap_line);

/* --- str and bytes --- */
/* A fresh string whose len bytes follow its header and are uninitialised:
 * its creator fills them (through a cast of data) before anyone reads it. */
kc_str *kc_str_new(int64_t len);
kc_str *kc_str_from(const char *data, int64_t len);
kc_str *kc_str_concat(const kc_str *a, const kc_str *b);
/* The bytes [begin, end) of s, shared (a view, no copy); s itself when that
 * is all of s. Traps (KC_TRAP_SLICE) unless 0 <= begin <= end <= s->len. */
kc_str *kc_str_slice(const kc_str *s, int64_t begin, int64_t end,
                     int32_t line);
int32_t kc_str_compare(const kc_str *a, const kc_str *b); /* <0, 0, >0 */
bool kc_str_equal(const kc_str *a, const kc_str *b);
kc_str *kc_str_from_int(int64_t value);
int64_t kc_str_parse_int(const kc_str *s, int32_t line);
kc_str *kc_str_from_code(int64_t code, int32_t line);
/* The least i >= start where sub occurs in s, or -1; an empty sub is found
 * at start. Traps (KC_TRAP_INDEX) unless 0 <= start <= s->len. */
int64_t kc_str_find(const kc_str *s, const kc_str *sub, int64_t start,
                    int32_t line);
/* A new array of kc_str * (element size 8): the pieces of s between the
 * non-overlapping occurrences of sep, left to right. Every piece is a view
 * of s's bytes (no copy); a piece equal to the whole of s is s itself.
 * Traps (KC_TRAP_EMPTY_SEPARATOR) when sep is empty. */
kc_array *kc_str_split(const kc_str *s, const kc_str *sep, int32_t line);
/* s with A-Z mapped to a-z; s itself when it has no upper-case letter. */
kc_str *kc_str_lower(const kc_str *s);
/* kc_str_lower(kc_str_slice(s, begin, end, line)) without the intermediate
 * view when the slice has an upper-case letter. */
kc_str *kc_str_slice_lower(const kc_str *s, int64_t begin, int64_t end,
                           int32_t line);
/* The elements of parts (kc_str *) with sep between them; a one-element
 * array gives its element itself. */
kc_str *kc_str_join(const kc_array *parts, const kc_str *sep);
/* The same for the n strings at parts: what a + b + c and join([a, b], s)
 * compile to, with no array and no intermediate string. */
kc_str *kc_str_join_n(kc_str *const *parts, int64_t n, const kc_str *sep);
/* The concatenation of n segments, segment i being join(arrays[i],
 * strs[i]) when arrays[i] is not null, else strs[i]: what a + join(parts,
 * sep) + b compiles to, with no intermediate string for the join. */
kc_str *kc_str_concat_joins(kc_str *const *strs, kc_array *const *arrays,
                            int64_t n);
/* s without its leading and trailing ' ', '\t', '\n', '\r', '\v' and '\f',
 * as a view of s's bytes; s itself when there are none. */
kc_str *kc_str_trim(const kc_str *s);
/* kc_str_trim(kc_str_slice(s, begin, end, line)) without the intermediate
 * view. */
kc_str *kc_str_slice_trim(const kc_str *s, int64_t begin, int64_t end,
                          int32_t line);
/* s with every non-overlapping occurrence of old, left to right, replaced
 * by new; s itself when old does not occur. Traps (KC_TRAP_EMPTY_PATTERN)
 * when old is empty. */
kc_str *kc_str_replace(const kc_str *s, const kc_str *old_, const kc_str *new_,
                       int32_t line);
/* Whether sub occurs in s (an empty sub always does). */
bool kc_str_contains(const kc_str *s, const kc_str *sub);
/* The string whose character codes are the elements of codes (int64_t),
 * in order. Traps (KC_TRAP_CHAR_CODE) when one is outside 0..127. */
kc_str *kc_str_from_codes(const kc_array *codes, int32_t line);

/* --- arrays --- */
/* len uninitialised elements (the caller fills them); len < 0 traps. */
kc_array *kc_array_new(int64_t len, int64_t elem_size, int32_t line);
/* Makes room for one more element (cap > len) before a push. */
void kc_array_reserve_one(kc_array *a, int64_t elem_size);

/* --- maps --- */
kc_map *kc_map_new(int32_t key_kind);
int64_t kc_map_len(const kc_map *m);
/* Slot of the key's value, or NULL when absent. */
uint64_t *kc_map_find_int(kc_map *m, int64_t key);
uint64_t *kc_map_find_str(kc_map *m, const kc_str *key);
/* Slot of the key's value, inserted (zero) at the end of the order when
 * absent. A slot stays valid until the next insertion or removal. */
uint64_t *kc_map_slot_int(kc_map *m, int64_t key);
uint64_t *kc_map_slot_str(kc_map *m, const kc_str *key);
/* The same, but a new entry starts as init: m[k] = f(m.get(k, d)) is one
 * lookup, an upsert with init d. */
uint64_t *kc_map_upsert_int(kc_map *m, int64_t key, uint64_t init);
uint64_t *kc_map_upsert_str(kc_map *m, const kc_str *key, uint64_t init);
/* Removes the key's entry: true if it was there. The other entries keep
 * their order. */
bool kc_map_remove_int(kc_map *m, int64_t key);
bool kc_map_remove_str(kc_map *m, const kc_str *key);
/* Makes the positions 0 .. kc_map_len(m) - 1 the entries in insertion
 * order again after removals (which leave holes); cheap when there were
 * none. Call it before the *_at functions below. */
void kc_map_pack(kc_map *m);
/* The i-th entry in insertion order, 0 <= i < kc_map_len(m), of a map
 * packed since its last removal. */
int64_t kc_map_key_int_at(const kc_map *m, int64_t i);
kc_str *kc_map_key_str_at(const kc_map *m, int64_t i);
uint64_t kc_map_value_at(const kc_map *m, int64_t i);
/* A new array of the keys (int64_t or kc_str *, 8 bytes each) in insertion
 * order; packs the map. */
kc_array *kc_map_keys(kc_map *m);

/* --- symbols for a JIT: every function above, by name --- */
typedef struct kc_runtime_symbol {
  const char *name;
  void *address;
} kc_runtime_symbol;
/* NULL-terminated table. */
const kc_runtime_symbol *kc_runtime_symbols(void);

#ifdef __cplusplus
}
#endif

#endif
