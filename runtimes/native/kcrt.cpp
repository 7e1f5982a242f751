//===- kcrt.cpp - Native kernel runtime: arena, traps, str, arrays, maps --===//
//
// Compiled kernels call these functions on their hot paths (every string
// built, every array push, every map update), so the fast paths are a few
// instructions with no locks and no libc calls; everything rare (new chunks,
// growth, traps) sits in out-of-line slow paths.
//
//===----------------------------------------------------------------------===//

#include "kcrt.h"

#include <atomic>
#include <csetjmp>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <unistd.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

#if defined(__has_feature)
#if __has_feature(address_sanitizer)
#define KC_ASAN 1
#endif
#endif
#if defined(__SANITIZE_ADDRESS__) && !defined(KC_ASAN)
#define KC_ASAN 1
#endif
#ifdef KC_ASAN
#include <sanitizer/asan_interface.h>
// ASan sees the arena's chunks as malloc blocks: without these annotations
// it would miss a runtime function reading past what the arena handed out,
// or memory a reset or release took back (docs/testing.md).
#define KC_POISON(P, N) __asan_poison_memory_region((P), (N))
#define KC_UNPOISON(P, N) __asan_unpoison_memory_region((P), (N))
#else
#define KC_POISON(P, N) ((void)(P), (void)(N))
#define KC_UNPOISON(P, N) ((void)(P), (void)(N))
#endif

#define KC_LIKELY(X) __builtin_expect(!!(X), 1)
#define KC_UNLIKELY(X) __builtin_expect(!!(X), 0)
#define KC_NOINLINE __attribute__((noinline))

namespace {

//===----------------------------------------------------------------------===//
// Arena
//===----------------------------------------------------------------------===//

// Standard chunks start at 1 MiB and double up to 64 MiB: few system calls
// for big kernels, little waste for tiny ones. Requests above BigRequest get
// a chunk of their own so a large array never strands most of a chunk.
constexpr uint64_t FirstChunkSize = uint64_t(1) << 20;
constexpr uint64_t MaxChunkSize = uint64_t(64) << 20;
constexpr uint64_t BigRequest = uint64_t(256) << 10;
constexpr int64_t DefaultLimit = int64_t(8) << 30;
// Keeps size arithmetic far from overflow; anything this big is over any
// sensible limit anyway.
constexpr int64_t MaxRequest = int64_t(1) << 60;

struct Chunk {
  Chunk *Next;
  uint64_t Size; // usable bytes after the header
  uint64_t Used; // high-water mark, recorded when the chunk is retired
  uint64_t Pad;  // keeps the payload 16-byte aligned
  char *payload() { return reinterpret_cast<char *>(this + 1); }
};
static_assert(sizeof(Chunk) % 16 == 0, "payload must stay 16-byte aligned");

// Marks a chunk's payload from \p From on as not handed out (ASan builds).
inline void poisonFrom(Chunk *C, uint64_t From) {
  KC_POISON(C->payload() + From, C->Size - From);
}

// Memory is handed out uninitialised, as malloc does: every object the
// runtime or a compiled kernel builds writes all of its bytes before they
// are read (array(n, v) fills its elements, records store every field, map
// indexes are cleared when they are made), so clearing chunks on reset
// would only repeat that work (a quarter of a string-building kernel's time).
//
// The fast path is one comparison: End is where the current chunk ends, or
// earlier, where the byte limit would be reached. Bytes are not counted per
// allocation: Before holds those of retired and big chunks, and the current
// chunk's are Cur - its payload.
struct Arena {
  char *Cur;
  char *End;      // min(end of Current's payload, where the limit is hit)
  Chunk *Current; // the standard chunk Cur points into
  Chunk *Full;    // retired standard chunks, in use since the last reset
  Chunk *Big;     // dedicated chunks of large requests
  Chunk *BigSpare; // big chunks of the last run, kept for the next
  Chunk *Spare;   // standard chunks ready for reuse
  uint64_t NextSize;
  int64_t Before; // bytes handed out outside [Current's payload, Cur)
};

// Plain data with constant initialisation: access needs no TLS guard.
thread_local Arena TheArena;

// -1 until the first allocation reads KC_ARENA_LIMIT.
std::atomic<int64_t> Limit{-1};

int64_t limitFromEnvironment() {
  const char *Env = std::getenv("KC_ARENA_LIMIT");
  if (!Env || !*Env)
    return DefaultLimit;
  char *EndPtr = nullptr;
  unsigned long long V = std::strtoull(Env, &EndPtr, 10);
  int Shift = 0;
  switch (*EndPtr) {
  case 'k':
  case 'K':
    Shift = 10;
    ++EndPtr;
    break;
  case 'm':
  case 'M':
    Shift = 20;
    ++EndPtr;
    break;
  case 'g':
  case 'G':
    Shift = 30;
    ++EndPtr;
    break;
  default:
    break;
  }
  if (EndPtr == Env || *EndPtr || V > (uint64_t(MaxRequest) >> Shift))
    return DefaultLimit; // an unreadable limit must not disable the check
  return int64_t(V << Shift);
}

KC_NOINLINE int64_t currentLimit() {
  int64_t L = Limit.load(std::memory_order_relaxed);
  if (L >= 0)
    return L;
  int64_t Unread = -1;
  Limit.compare_exchange_strong(Unread, limitFromEnvironment());
  return Limit.load(std::memory_order_relaxed);
}

void releaseList(Chunk *C) {
  while (C) {
    Chunk *Next = C->Next;
    std::free(C);
    C = Next;
  }
}

void releaseArena(Arena &A) {
  releaseList(A.Current);
  releaseList(A.Full);
  releaseList(A.Big);
  releaseList(A.BigSpare);
  releaseList(A.Spare);
  A = Arena();
}

// Returns a thread's chunks to the system when the thread ends. It lives
// apart from the Arena so that the arena itself stays guard-free.
struct ArenaReaper {
  ~ArenaReaper() { releaseArena(TheArena); }
};

void registerReaper() {
  static thread_local ArenaReaper Reaper;
  (void)&Reaper;
}

[[noreturn]] void outOfMemory() { kc_trap(KC_TRAP_OUT_OF_MEMORY, 0); }

Chunk *newChunk(uint64_t Size) {
  // Not calloc: once glibc serves chunks of this size from its heap (its
  // mmap threshold adapts after the first free), calloc would clear them.
  void *Mem = std::malloc(sizeof(Chunk) + Size);
  if (!Mem)
    outOfMemory();
  Chunk *C = static_cast<Chunk *>(Mem);
  C->Size = Size;
  poisonFrom(C, 0);
  return C;
}

int64_t arenaBytes(const Arena &A) {
  return A.Before + (A.Current ? A.Cur - A.Current->payload() : 0);
}

// Sets End for the current chunk and the limit \p L. With no room under
// the limit (or the limit not read yet, -1) End is Cur: the next
// allocation takes the slow path, which decides.
void setEnd(Arena &A, int64_t L) {
  if (!A.Current) {
    A.Cur = A.End = nullptr;
    return;
  }
  char *ChunkEnd = A.Current->payload() + A.Current->Size;
  int64_t Room = L - arenaBytes(A);
  if (Room < 0)
    Room = 0;
  A.End = ChunkEnd - A.Cur > Room ? A.Cur + Room : ChunkEnd;
}

// The smallest spare big chunk of at least Size bytes, taken off the list,
// or null. Runs repeat their requests, so a chunk of the last run's usually
// fits: no malloc, and no page faults on memory the system took back.
Chunk *takeBigSpare(Arena &A, uint64_t Size) {
  Chunk **Best = nullptr;
  for (Chunk **P = &A.BigSpare; *P; P = &(*P)->Next)
    if ((*P)->Size >= Size && (!Best || (*P)->Size < (*Best)->Size))
      Best = P;
  if (!Best)
    return nullptr;
  Chunk *C = *Best;
  *Best = C->Next;
  return C;
}

// Big chunks [Big, Until) are no longer used: they become the spares, and
// the spares this run did not reuse are freed (so the cache never holds
// more than one run's big chunks).
void retireBig(Arena &A, Chunk *Until) {
  releaseList(A.BigSpare);
  A.BigSpare = nullptr;
  while (A.Big != Until) {
    Chunk *C = A.Big;
    A.Big = C->Next;
    C->Next = A.BigSpare;
    A.BigSpare = C;
    poisonFrom(C, 0);
  }
}

KC_NOINLINE void *allocSlow(Arena &A, uint64_t Rounded) {
  registerReaper();
  // Also the first allocation's: the unread limit (-1) makes End null.
  int64_t L = currentLimit();
  if (arenaBytes(A) + int64_t(Rounded) > L)
    outOfMemory();
  if (A.Current && Rounded <= uint64_t(A.Current->payload() +
                                       A.Current->Size - A.Cur)) {
    // The chunk has room: End was the limit, which has been raised since.
    char *P = A.Cur;
    A.Cur += Rounded;
    setEnd(A, L);
    KC_UNPOISON(P, Rounded);
    return P;
  }
  if (Rounded > BigRequest) {
    Chunk *C = takeBigSpare(A, Rounded);
    if (!C)
      C = newChunk(Rounded);
    C->Next = A.Big;
    A.Big = C;
    A.Before += int64_t(Rounded);
    setEnd(A, L);
    KC_UNPOISON(C->payload(), Rounded);
    return C->payload();
  }
  if (A.Current) {
    A.Current->Used = uint64_t(A.Cur - A.Current->payload());
    A.Before += int64_t(A.Current->Used);
    A.Current->Next = A.Full;
    A.Full = A.Current;
  }
  Chunk *C = A.Spare;
  if (C) {
    A.Spare = C->Next;
  } else {
    uint64_t Size = A.NextSize ? A.NextSize : FirstChunkSize;
    C = newChunk(Size);
    A.NextSize = Size < MaxChunkSize ? Size * 2 : MaxChunkSize;
  }
  C->Next = nullptr;
  A.Current = C;
  A.Cur = C->payload() + Rounded;
  setEnd(A, L);
  KC_UNPOISON(C->payload(), Rounded);
  return C->payload();
}

inline void *allocate(int64_t Size) {
  Arena &A = TheArena;
  // One unsigned comparison catches negative, zero and oversized requests.
  // A zero-byte request still gets a unique, non-null block.
  if (KC_UNLIKELY(uint64_t(Size) - 1 >= uint64_t(MaxRequest))) {
    if (Size != 0)
      outOfMemory();
    Size = 1;
  }
  uint64_t Rounded = (uint64_t(Size) + 15) & ~uint64_t(15);
  if (KC_LIKELY(Rounded <= uint64_t(A.End - A.Cur))) {
    char *P = A.Cur;
    A.Cur += Rounded;
    KC_UNPOISON(P, Rounded);
    return P;
  }
  return allocSlow(A, Rounded);
}

//===----------------------------------------------------------------------===//
// Traps
//===----------------------------------------------------------------------===//

struct TrapFrame {
  sigjmp_buf Buf;
  TrapFrame *Prev;
  volatile int32_t Kind;
  volatile int32_t Line;
};

thread_local TrapFrame *TopFrame;

const char *const TrapMessages[] = {
#define KC_TRAP_MESSAGE(E, M) M,
    KC_TRAPS(KC_TRAP_MESSAGE)
#undef KC_TRAP_MESSAGE
};

//===----------------------------------------------------------------------===//
// Strings
//===----------------------------------------------------------------------===//

// A fresh string of Len bytes, which follow its header in the same block
// (so the 8 bytes before them are readable, as kcrt.h promises); Bytes is
// where the caller writes them.
inline kc_str *newStr(int64_t Len, char *&Bytes) {
  if (KC_UNLIKELY(Len < 0))
    kc_trap(KC_TRAP_NEG_LENGTH, 0);
  if (KC_UNLIKELY(Len > MaxRequest))
    outOfMemory();
  kc_str *S = static_cast<kc_str *>(allocate(int64_t(sizeof(kc_str)) + Len));
  Bytes = reinterpret_cast<char *>(S + 1);
  S->len = Len;
  S->data = Bytes;
  return S;
}

// A view of the bytes [B, B + Len), which already exist: the 16-byte header
// is all a slice, a split piece or a trim costs.
inline kc_str *view(const char *B, int64_t Len) {
  kc_str *S = static_cast<kc_str *>(allocate(int64_t(sizeof(kc_str))));
  S->len = Len;
  S->data = B;
  return S;
}

// chr() is common in string-building kernels; its 128 results are immutable,
// so they are shared instead of allocated. Code C's byte is CodeBytes[8 + C]:
// the 8 bytes before the first one are readable too.
// clang-format off
#define KC_ONE(C) char(C),
#define KC_ONE8(C) KC_ONE(C) KC_ONE(C + 1) KC_ONE(C + 2) KC_ONE(C + 3)        \
                   KC_ONE(C + 4) KC_ONE(C + 5) KC_ONE(C + 6) KC_ONE(C + 7)
alignas(16) const char CodeBytes[8 + 128] = {
    0, 0, 0, 0, 0, 0, 0, 0,
    KC_ONE8(0)  KC_ONE8(8)  KC_ONE8(16)  KC_ONE8(24)
    KC_ONE8(32) KC_ONE8(40) KC_ONE8(48)  KC_ONE8(56)
    KC_ONE8(64) KC_ONE8(72) KC_ONE8(80)  KC_ONE8(88)
    KC_ONE8(96) KC_ONE8(104) KC_ONE8(112) KC_ONE8(120)};
#undef KC_ONE8
#undef KC_ONE
#define KC_ONE(C) {1, CodeBytes + 8 + (C)},
#define KC_ONE8(C) KC_ONE(C) KC_ONE(C + 1) KC_ONE(C + 2) KC_ONE(C + 3)        \
                   KC_ONE(C + 4) KC_ONE(C + 5) KC_ONE(C + 6) KC_ONE(C + 7)
alignas(16) const kc_str OneChars[128] = {
    KC_ONE8(0)  KC_ONE8(8)  KC_ONE8(16)  KC_ONE8(24)
    KC_ONE8(32) KC_ONE8(40) KC_ONE8(48)  KC_ONE8(56)
    KC_ONE8(64) KC_ONE8(72) KC_ONE8(80)  KC_ONE8(88)
    KC_ONE8(96) KC_ONE8(104) KC_ONE8(112) KC_ONE8(120)};
#undef KC_ONE8
#undef KC_ONE
// clang-format on

// The empty string, shared like the one-character ones: split's empty pieces
// and join's empty result allocate nothing.
const kc_str EmptyStr = {0, CodeBytes + 8};

inline kc_str *emptyStr() { return const_cast<kc_str *>(&EmptyStr); }

// memcpy for the short strings split and join copy most (words, fields):
// up to 16 bytes with two overlapping loads and stores, which costs less
// than the call and dispatch of a library memcpy.
inline void copyBytes(char *D, const char *S, size_t N) {
  if (N > 16) {
    std::memcpy(D, S, N);
  } else if (N >= 8) {
    uint64_t A, B;
    std::memcpy(&A, S, 8);
    std::memcpy(&B, S + N - 8, 8);
    std::memcpy(D, &A, 8);
    std::memcpy(D + N - 8, &B, 8);
  } else if (N >= 4) {
    uint32_t A, B;
    std::memcpy(&A, S, 4);
    std::memcpy(&B, S + N - 4, 4);
    std::memcpy(D, &A, 4);
    std::memcpy(D + N - 4, &B, 4);
  } else if (N) {
    D[0] = S[0];
    D[N / 2] = S[N / 2];
    D[N - 1] = S[N - 1];
  }
}

// The value of the last N (1..8) bytes of the 8 at P as decimal digits, or
// at least InvalidDigits when one of them is not a digit. The bytes before
// them are ignored, so P may point before the digits (at a length or sign).
constexpr uint64_t InvalidDigits = uint64_t(1) << 62;
inline uint64_t eightDigits(const char *P, int64_t N) {
  constexpr uint64_t Ones = 0x0101010101010101ULL;
  uint64_t W;
  std::memcpy(&W, P, 8);
  // Little-endian: the last N bytes are the high ones. The bytes below them
  // become zero digits, which do not change the value.
  uint64_t Keep = ~uint64_t(0) << (8 * (8 - N));
  uint64_t X = (W ^ (0x30 * Ones)) & Keep;
  // A digit is 0..9 after the xor: its high nibble is clear and adding 6
  // does not carry into it (bytes >= 0xfa that carry are rejected anyway).
  if (((X | (X + 0x06 * Ones)) & (0xf0 * Ones)) != 0)
    return InvalidDigits;
  // Pairs, then quads, then the eight digits (most significant at the
  // lowest address, the lowest byte).
  X = (X * 2561) >> 8;                                  // 10 * 256 + 1
  X = ((X & 0x00ff00ff00ff00ffULL) * 6553601) >> 16;     // 100 * 65536 + 1
  return ((X & 0x0000ffff0000ffffULL) * 42949672960001) >> 32; // 10^4 * 2^32 + 1
}

// A piece [B, E) of a string, as a view of its bytes.
inline kc_str *piece(const char *B, const char *E) {
  if (B == E)
    return emptyStr();
  return view(B, E - B);
}

// Calls F(P) for every P in [Begin, End) where *P == C, in order. Sixteen
// or eight bytes per step, and every hit in a step is taken from its mask,
// so short pieces (fields, words, path segments) cost a few instructions
// each and long ones one step per 16 bytes. The last partial word is the 8 bytes that
// end at End (readable, kcrt.h), with the bytes before Begin's masked off.
template <typename Fn>
inline void eachByte(const char *Begin, const char *End, char C, Fn F) {
  constexpr uint64_t Ones = 0x0101010101010101ULL;
  constexpr uint64_t Low7 = 0x7f * Ones;
  const uint64_t Pattern = Ones * (unsigned char)C;
  // 0x80 in exactly the bytes of W equal to C: no carry crosses a byte.
  auto Matches = [&](uint64_t W) {
    uint64_t X = W ^ Pattern;
    return ~(((X & Low7) + Low7) | X | Low7);
  };
  auto Each = [&](const char *Base, uint64_t M) {
    for (; M; M &= M - 1)
      F(Base + (__builtin_ctzll(M) >> 3));
  };
  const char *P = Begin;
#ifdef __SSE2__
  // Sixteen bytes per step where the target has them (every x86-64).
  const __m128i Vec = _mm_set1_epi8(C);
  for (; End - P >= 16; P += 16) {
    __m128i X = _mm_loadu_si128(reinterpret_cast<const __m128i *>(P));
    for (unsigned M = unsigned(_mm_movemask_epi8(_mm_cmpeq_epi8(X, Vec))); M;
         M &= M - 1)
      F(P + __builtin_ctz(M));
  }
#endif
  for (; End - P >= 8; P += 8) {
    uint64_t W;
    std::memcpy(&W, P, 8);
    Each(P, Matches(W));
  }
  if (P == End)
    return;
  uint64_t W;
  std::memcpy(&W, End - 8, 8);
  // Little-endian: the End - P bytes still to scan are the high ones.
  Each(End - 8, Matches(W) & (~uint64_t(0) << (8 * (8 - (End - P)))));
}

// Whether the N bytes at A and B are equal; short ones (the rest of most
// needles) without a call.
inline bool sameBytes(const char *A, const char *B, size_t N) {
  if (N > 16)
    return std::memcmp(A, B, N) == 0;
  if (N >= 8) {
    uint64_t A0, A1, B0, B1;
    std::memcpy(&A0, A, 8);
    std::memcpy(&A1, A + N - 8, 8);
    std::memcpy(&B0, B, 8);
    std::memcpy(&B1, B + N - 8, 8);
    return ((A0 ^ B0) | (A1 ^ B1)) == 0;
  }
  if (N >= 4) {
    uint32_t A0, A1, B0, B1;
    std::memcpy(&A0, A, 4);
    std::memcpy(&A1, A + N - 4, 4);
    std::memcpy(&B0, B, 4);
    std::memcpy(&B1, B + N - 4, 4);
    return ((A0 ^ B0) | (A1 ^ B1)) == 0;
  }
  for (size_t I = 0; I < N; ++I)
    if (A[I] != B[I])
      return false;
  return true;
}

// The first occurrence of Needle (NeedleLen >= 1) beginning in [P, Last],
// or null. memchr finds candidates for the first byte (SIMD in glibc, so
// text without it is skipped many bytes at a time); memcmp checks the rest.
inline const char *search(const char *P, const char *Last, const char *Needle,
                          int64_t NeedleLen) {
  const char First = Needle[0];
  const size_t Rest = size_t(NeedleLen - 1);
  while (P <= Last) {
    P = static_cast<const char *>(std::memchr(P, First, size_t(Last - P) + 1));
    if (!P)
      return nullptr;
    if (sameBytes(P + 1, Needle + 1, Rest))
      return P;
    ++P;
  }
  return nullptr;
}

// Positions found by a scan (split's separators): the first ones in a
// buffer on the caller's stack, the rest in arena memory that doubles as it
// fills (and is simply abandoned, like any arena garbage). Passed by value,
// so the scan loop keeps it in registers.
struct Hits {
  const char **Begin, **Cur, **End;
  int64_t size() const { return Cur - Begin; }
};

KC_NOINLINE Hits growHits(Hits H) {
  int64_t Cap = H.End - H.Begin, Bytes;
  if (__builtin_mul_overflow(Cap, int64_t(2 * sizeof(char *)), &Bytes) ||
      Bytes > MaxRequest)
    outOfMemory();
  auto **Bigger = static_cast<const char **>(allocate(Bytes));
  std::memcpy(Bigger, H.Begin, size_t(Cap) * sizeof(char *));
  return {Bigger, Bigger + Cap, Bigger + 2 * Cap};
}

//===----------------------------------------------------------------------===//
// Maps
//===----------------------------------------------------------------------===//

// Layout: Entries holds (key, value) pairs in insertion order; Index is an
// open-addressing table (linear probing, power-of-two size, load <= 1/2) of
// 64-bit slots: the high 32 bits are the low 32 bits of the key's hash (a
// tag that rejects most mismatches without touching Entries), the low 32
// bits are the entry's position + 1, and 0 marks an empty slot. A key's home
// slot is hash & mask, so growing the index only re-places slots: neither
// keys nor hashes are read again.
//
// Removal takes the key's slot out of the index by backward shifting (the
// slots after it in its probe run move up to where a probe still finds
// them), so the index has no tombstones and lookups never slow down. Its
// entry becomes a hole (marked in Moves) unless it is the last one. Holes
// leave when the entries are packed: when the entries are full and at least
// a quarter are holes (instead of growing), when they grow (the copy skips
// them), and before iteration (kc_map_pack). Packing moves the live entries
// down in order, noting each one's new position in Moves, and renumbers the
// index's slots from it in place: the tags and so the slots stay, no key is
// hashed again.
struct MapEntry {
  uint64_t Key; // int64_t, or a kc_str *
  uint64_t Value;
};

} // namespace

struct kc_map {
  uint64_t *Index;
  MapEntry *Entries;
  uint64_t Mask; // index size - 1
  int64_t Len;   // live entries
  int64_t Cap;   // entries capacity
  int32_t KeyKind;
  int64_t End;   // positions in use, holes included: Len <= End <= Cap
  // One per position below Cap: Hole for a hole, else 0 (and, while
  // packing, the entry's new position). Null until the first hole.
  uint32_t *Moves;
  // str maps: short keys are copied here, next to each other, so that the
  // strings a lookup compares sit on few cache lines and pages instead of
  // wherever the caller's strings were allocated.
  char *KeyCur;
  char *KeyEnd;
};

namespace {

constexpr uint64_t InitialIndexSize = 8;
constexpr int64_t InitialEntries = 4;
// Positions are stored in 32 bits, and tags only filter while the index
// stays within 2^32 slots.
constexpr int64_t MaxEntries = (int64_t(1) << 31) - 1;

inline uint64_t mix(uint64_t A, uint64_t B) {
  __uint128_t R = __uint128_t(A) * B;
  return uint64_t(R) ^ uint64_t(R >> 64);
}

constexpr uint64_t Secret0 = 0xa0761d6478bd642fULL;
constexpr uint64_t Secret1 = 0xe7037ed1a0b428dbULL;
constexpr uint64_t Secret2 = 0x8ebc6af09c88c6e3ULL;

inline uint64_t hashInt(int64_t Key) {
  return mix(uint64_t(Key) ^ Secret0, Secret1);
}

inline uint64_t read64(const unsigned char *P) {
  uint64_t V;
  std::memcpy(&V, P, 8);
  return V;
}

inline uint64_t read32(const unsigned char *P) {
  uint32_t V;
  std::memcpy(&V, P, 4);
  return V;
}

// wyhash-style: short keys (most words) are hashed with two multiplications
// from at most four overlapping loads; long keys take 16 bytes per round.
inline uint64_t hashBytes(const unsigned char *P, uint64_t Len) {
  uint64_t Seed = Secret0;
  uint64_t A, B;
  if (KC_LIKELY(Len <= 16)) {
    if (Len >= 4) {
      uint64_t Mid = (Len >> 3) << 2;
      A = (read32(P) << 32) | read32(P + Mid);
      B = (read32(P + Len - 4) << 32) | read32(P + Len - 4 - Mid);
    } else if (Len > 0) {
      A = (uint64_t(P[0]) << 16) | (uint64_t(P[Len >> 1]) << 8) | P[Len - 1];
      B = 0;
    } else {
      A = B = 0;
    }
  } else {
    uint64_t I = Len;
    while (I > 16) {
      Seed = mix(read64(P) ^ Secret1, read64(P + 8) ^ Seed);
      P += 16;
      I -= 16;
    }
    A = read64(P + I - 16);
    B = read64(P + I - 8);
  }
  return mix(Secret1 ^ Len, mix(A ^ Secret1, B ^ Seed ^ Secret2));
}

inline uint64_t hashStr(const kc_str *S) {
  return hashBytes(reinterpret_cast<const unsigned char *>(S->data),
                   uint64_t(S->len));
}

// Equal lengths are checked first, so for a key of up to 16 bytes two
// 8-byte loads per string compare it without a memcmp call. A window that
// starts before the data (readable: kcrt.h) covers bytes of whatever
// precedes it, shifted out before comparing.
inline bool sameStr(const kc_str *A, const kc_str *B) {
  if (A == B)
    return true;
  const int64_t N = A->len;
  if (N != B->len)
    return false;
  auto Load = [](const char *P) {
    uint64_t V;
    std::memcpy(&V, P, 8);
    return V;
  };
  if (N <= 8) {
    if (A->data == B->data || N == 0)
      return true;
    // Little-endian: the N bytes of the data are the high ones.
    return (Load(A->data + N - 8) ^ Load(B->data + N - 8)) >> (64 - 8 * N) ==
           0;
  }
  if (N <= 16)
    return ((Load(A->data) ^ Load(B->data)) |
            (Load(A->data + N - 8) ^ Load(B->data + N - 8))) == 0;
  return std::memcmp(A->data, B->data, size_t(N)) == 0;
}

constexpr int64_t KeyBlockBytes = 16 << 10;
constexpr int64_t MaxCopiedKey = 256;

// The string a str map keeps for a new key: a copy in the map's key blocks
// when it is short (an immutable string's copy is as good as itself),
// otherwise the caller's string.
KC_NOINLINE const kc_str *keepKey(kc_map *M, const kc_str *Key) {
  if (Key->len > MaxCopiedKey)
    return Key;
  int64_t Bytes = (int64_t(sizeof(kc_str)) + Key->len + 15) & ~int64_t(15);
  if (M->KeyEnd - M->KeyCur < Bytes) {
    M->KeyCur = static_cast<char *>(allocate(KeyBlockBytes));
    M->KeyEnd = M->KeyCur + KeyBlockBytes;
  }
  // Header and bytes together, as a fresh string's: a lookup that compares
  // with this key touches one line, not the key's header and its parent.
  auto *Copy = reinterpret_cast<kc_str *>(M->KeyCur);
  char *CopyBytes = M->KeyCur + sizeof(kc_str);
  M->KeyCur += Bytes;
  Copy->len = Key->len;
  Copy->data = CopyBytes;
  copyBytes(CopyBytes, Key->data, size_t(Key->len));
  return Copy;
}

KC_NOINLINE void growIndex(kc_map *M) {
  uint64_t NewSize = (M->Mask + 1) * 2;
  uint64_t NewMask = NewSize - 1;
  auto *NewIndex = static_cast<uint64_t *>(allocate(int64_t(NewSize * 8)));
  std::memset(NewIndex, 0, NewSize * 8); // every slot empty
  for (uint64_t I = 0; I <= M->Mask; ++I) {
    uint64_t Slot = M->Index[I];
    if (!Slot)
      continue;
    uint64_t Pos = (Slot >> 32) & NewMask;
    while (NewIndex[Pos])
      Pos = (Pos + 1) & NewMask;
    NewIndex[Pos] = Slot;
  }
  M->Index = NewIndex;
  M->Mask = NewMask;
}

constexpr uint32_t Hole = 0xffffffffu;

inline bool isHole(const kc_map *M, int64_t P) { return M->Moves[P] == Hole; }

// Moves the live entries into Dest (M->Entries itself, or a bigger array)
// in order, renumbers the index, and forgets the holes.
void packInto(kc_map *M, MapEntry *Dest) {
  // Holes lie anywhere, so both loops are branch-free: a hole is copied
  // too, and overwritten by the next live entry (J <= P: only positions
  // already read are written); its Moves is never read.
  uint32_t *Moves = M->Moves;
  MapEntry *Entries = M->Entries;
  uint32_t J = 0;
  for (int64_t P = 0, End = M->End; P < End; ++P) {
    uint32_t Live = Moves[P] != Hole;
    Dest[J] = Entries[P];
    Moves[P] = J;
    J += Live;
  }
  uint64_t *Index = M->Index;
  for (uint64_t I = 0, Mask = M->Mask; I <= Mask; ++I) {
    uint64_t Slot = Index[I];
    uint32_t Low = uint32_t(Slot);
    uint64_t Moved = (Slot & ~uint64_t(0xffffffffu)) |
                     (uint64_t(Moves[Low ? Low - 1 : 0]) + 1);
    Index[I] = Slot ? Moved : 0;
  }
  std::memset(Moves, 0, size_t(M->End) * 4);
  M->Entries = Dest;
  M->End = M->Len;
}

KC_NOINLINE void growEntries(kc_map *M) {
  int64_t Holes = M->End - M->Len;
  if (Holes && (Holes * 4 >= M->End || M->Cap >= MaxEntries)) {
    // Packing frees a quarter of the entries at least: growth can wait, and
    // a cache that inserts and removes as often never grows.
    packInto(M, M->Entries);
    return;
  }
  if (M->Cap >= MaxEntries)
    outOfMemory();
  int64_t NewCap = M->Cap < MaxEntries / 2 ? M->Cap * 2 : MaxEntries;
  auto *NewEntries =
      static_cast<MapEntry *>(allocate(NewCap * int64_t(sizeof(MapEntry))));
  if (Holes) {
    packInto(M, NewEntries);
  } else {
    std::memcpy(NewEntries, M->Entries, size_t(M->End) * sizeof(MapEntry));
    M->Entries = NewEntries;
  }
  M->Cap = NewCap;
  M->Moves = nullptr; // sized for the old capacity; a new hole makes more
}

// Appends a new entry whose key is absent, given its tag (the low 32 bits of
// its hash, which also pick its home slot) and the empty slot the probe for
// it ended on.
inline uint64_t *insertAt(kc_map *M, uint64_t Tag, uint64_t Pos, uint64_t Key,
                          uint64_t Value) {
  if (KC_UNLIKELY(uint64_t(M->Len + 1) * 2 > M->Mask + 1)) {
    growIndex(M);
    Pos = Tag & M->Mask;
    while (M->Index[Pos])
      Pos = (Pos + 1) & M->Mask;
  }
  // Packing renumbers index slots but moves none: Pos stays empty.
  if (KC_UNLIKELY(M->End == M->Cap))
    growEntries(M);
  int64_t I = M->End++;
  ++M->Len;
  M->Entries[I].Key = Key;
  M->Entries[I].Value = Value;
  M->Index[Pos] = (Tag << 32) | uint64_t(I + 1);
  return &M->Entries[I].Value;
}

// Takes the index slot at Pos out of the table and turns its entry into a
// hole (or drops it, at the end).
void removeAt(kc_map *M, uint64_t Pos) {
  uint64_t *Index = M->Index;
  uint64_t Mask = M->Mask;
  uint64_t P = uint32_t(Index[Pos]) - 1;
  // Backward shift: a later slot of the probe run moves into the gap unless
  // its home lies cyclically in (gap, its place], where a probe for it
  // would stop at the gap before reaching it: it moves when it is at least
  // as far from its home as from the gap.
  uint64_t Gap = Pos;
  for (uint64_t J = (Gap + 1) & Mask;; J = (J + 1) & Mask) {
    uint64_t Slot = Index[J];
    if (!Slot)
      break;
    uint64_t Home = (Slot >> 32) & Mask;
    if (((J - Home) & Mask) >= ((J - Gap) & Mask)) {
      Index[Gap] = Slot;
      Gap = J;
    }
  }
  Index[Gap] = 0;
  --M->Len;
  if (int64_t(P) == M->End - 1) {
    // The last entry: no hole, and holes it leaves at the end go too.
    --M->End;
    while (M->End > M->Len && isHole(M, M->End - 1))
      M->Moves[--M->End] = 0;
    return;
  }
  if (!M->Moves) {
    M->Moves = static_cast<uint32_t *>(allocate(M->Cap * 4));
    std::memset(M->Moves, 0, size_t(M->Cap) * 4); // no holes yet
  }
  M->Moves[P] = Hole;
}

} // namespace

extern "C" {

//===----------------------------------------------------------------------===//
// Memory
//===----------------------------------------------------------------------===//

void *kc_alloc(int64_t size) { return allocate(size); }

void *kc_alloc_zeroed(int64_t size) {
  char *P = static_cast<char *>(allocate(size));
  if (size > 64) {
    std::memset(P, 0, size_t(size));
    return P;
  }
  // Records are small: 16 bytes at a time (blocks are rounded up to 16),
  // without a memset call.
  for (int64_t I = 0; I < size; I += 16)
    std::memset(P + I, 0, 16);
  return P;
}

void kc_arena_reset(void) {
  Arena &A = TheArena;
  retireBig(A, nullptr);
  for (Chunk *C = A.Full; C;) {
    Chunk *Next = C->Next;
    C->Next = A.Spare;
    A.Spare = C;
    poisonFrom(C, 0);
    C = Next;
  }
  A.Full = nullptr;
  if (A.Current) {
    A.Cur = A.Current->payload();
    poisonFrom(A.Current, 0);
  }
  A.Before = 0;
  setEnd(A, Limit.load(std::memory_order_relaxed));
}

int64_t kc_arena_bytes(void) { return arenaBytes(TheArena); }

kc_arena_pos kc_arena_mark(void) {
  Arena &A = TheArena;
  kc_arena_pos M;
  M.chunk = A.Current;
  M.big = A.Big;
  M.offset = A.Current ? A.Cur - A.Current->payload() : 0;
  M.bytes = arenaBytes(A);
  return M;
}

void kc_arena_release(kc_arena_pos m) {
  Arena &A = TheArena;
  auto *Marked = static_cast<Chunk *>(m.chunk);
  retireBig(A, static_cast<Chunk *>(m.big));
  // Standard chunks taken after the mark sit on top of the Full stack, the
  // marked chunk right below them once it was retired.
  auto Recycle = [&A](Chunk *C) {
    C->Next = A.Spare;
    A.Spare = C;
    poisonFrom(C, 0);
  };
  if (A.Current && A.Current != Marked) {
    Recycle(A.Current);
    while (A.Full != Marked) {
      Chunk *C = A.Full;
      A.Full = C->Next;
      Recycle(C);
    }
    A.Current = nullptr;
    A.Cur = nullptr;
    if (Marked) {
      A.Full = Marked->Next;
      Marked->Next = nullptr;
      A.Current = Marked;
    }
  }
  if (A.Current) {
    A.Cur = A.Current->payload() + m.offset;
    poisonFrom(A.Current, m.offset);
  }
  A.Before = m.bytes - m.offset;
  setEnd(A, Limit.load(std::memory_order_relaxed));
}

void kc_arena_set_limit(int64_t bytes) {
  Limit.store(bytes < 0 ? 0 : bytes, std::memory_order_relaxed);
  // Other threads see the new limit at their next chunk.
  setEnd(TheArena, Limit.load(std::memory_order_relaxed));
}

int64_t kc_arena_limit(void) { return currentLimit(); }

//===----------------------------------------------------------------------===//
// Traps
//===----------------------------------------------------------------------===//

void kc_trap(int32_t kind, int32_t line) {
  if (TrapFrame *F = TopFrame) {
    F->Kind = kind;
    F->Line = line;
    siglongjmp(F->Buf, 1);
  }
  std::fflush(stdout);
  std::fprintf(stderr, "trap: %s at line %d\n", kc_trap_message(kind),
               int(line));
  std::fflush(stderr);
  _exit(3);
}

const char *kc_trap_message(int32_t kind) {
  if (kind < 0 || kind >= KC_TRAP_COUNT)
    return "unknown trap";
  return TrapMessages[kind];
}

int32_t kc_invoke(kc_entry_fn entry, void **args, void *ret,
                  int32_t *trap_line) {
  TrapFrame Frame;
  Frame.Prev = TopFrame;
  Frame.Kind = 0;
  Frame.Line = 0;
  TopFrame = &Frame;
  // The signal mask is left alone: a trap is a plain call, never a signal.
  if (sigsetjmp(Frame.Buf, 0) == 0) {
    entry(args, ret);
    TopFrame = Frame.Prev;
    return 0;
  }
  TopFrame = Frame.Prev;
  if (trap_line)
    *trap_line = Frame.Line;
  return Frame.Kind + 1;
}

//===----------------------------------------------------------------------===//
// Strings and bytes
//===----------------------------------------------------------------------===//

kc_str *kc_str_new(int64_t len) {
  char *Bytes;
  return newStr(len, Bytes);
}

kc_str *kc_str_from(const char *data, int64_t len) {
  char *Bytes;
  kc_str *S = newStr(len, Bytes);
  copyBytes(Bytes, data, size_t(len));
  return S;
}

kc_str *kc_str_concat(const kc_str *a, const kc_str *b) {
  if (b->len == 0)
    return const_cast<kc_str *>(a);
  if (a->len == 0)
    return const_cast<kc_str *>(b);
  char *Bytes;
  kc_str *S = newStr(a->len + b->len, Bytes);
  copyBytes(Bytes, a->data, size_t(a->len));
  copyBytes(Bytes + a->len, b->data, size_t(b->len));
  return S;
}

kc_str *kc_str_slice(const kc_str *s, int64_t begin, int64_t end,
                     int32_t line) {
  if (KC_UNLIKELY(begin < 0 || begin > end || end > s->len))
    kc_trap(KC_TRAP_SLICE, line);
  if (begin == 0 && end == s->len)
    return const_cast<kc_str *>(s); // immutable: the whole is itself
  return piece(s->data + begin, s->data + end);
}

int32_t kc_str_compare(const kc_str *a, const kc_str *b) {
  int64_t Min = a->len < b->len ? a->len : b->len;
  // memcmp compares as unsigned char, which is the order we promise.
  int C = Min ? std::memcmp(a->data, b->data, size_t(Min)) : 0;
  if (C)
    return C < 0 ? -1 : 1;
  if (a->len == b->len)
    return 0;
  return a->len < b->len ? -1 : 1;
}

bool kc_str_equal(const kc_str *a, const kc_str *b) { return sameStr(a, b); }

kc_str *kc_str_from_int(int64_t value) {
  // Two digits per division, from a table of "00".."99".
  static const char Pairs[201] =
      "00010203040506070809101112131415161718192021222324252627282930313233"
      "34353637383940414243444546474849505152535455565758596061626364656667"
      "6869707172737475767778798081828384858687888990919293949596979899";
  char Buf[24];
  char *End = Buf + sizeof(Buf);
  char *P = End;
  // Negating in unsigned arithmetic keeps INT64_MIN well defined.
  uint64_t U = value < 0 ? 0 - uint64_t(value) : uint64_t(value);
  while (U >= 100) {
    const char *Pair = Pairs + 2 * (U % 100);
    U /= 100;
    P -= 2;
    P[0] = Pair[0];
    P[1] = Pair[1];
  }
  if (U >= 10) {
    P -= 2;
    P[0] = Pairs[2 * U];
    P[1] = Pairs[2 * U + 1];
  } else {
    *--P = char('0' + U);
  }
  if (value < 0)
    *--P = '-';
  char *Out;
  kc_str *S = newStr(End - P, Out);
  copyBytes(Out, P, size_t(End - P));
  return S;
}

int64_t kc_str_parse_int(const kc_str *s, int32_t line) {
  constexpr uint64_t SafeMax = uint64_t(1) << 53;
  const char *P = s->data;
  const char *End = P + s->len;
  bool Negative = P != End && *P == '-';
  if (Negative)
    ++P;
  const int64_t N = End - P;
  if (N == 0)
    kc_trap(KC_TRAP_PARSE_INT, line);
  uint64_t V;
  if (KC_LIKELY(N <= 16)) {
    // Eight digits at a time. The 8 bytes before End (or before End - 8)
    // are readable (kcrt.h); those before the digits are masked.
    uint64_t Lo = eightDigits(End - 8, N < 8 ? N : 8);
    uint64_t Hi = N > 8 ? eightDigits(End - 16, N - 8) : 0;
    if (KC_UNLIKELY((Lo | Hi) >= InvalidDigits))
      kc_trap(KC_TRAP_PARSE_INT, line);
    V = Hi * 100000000 + Lo;
  } else {
    V = 0;
    for (; P != End; ++P) {
      unsigned D = unsigned((unsigned char)*P) - '0';
      if (D > 9)
        kc_trap(KC_TRAP_PARSE_INT, line);
      V = V * 10 + D;
      // Checked per digit, so V never gets near overflowing 64 bits.
      if (V > SafeMax)
        kc_trap(KC_TRAP_PARSE_INT, line);
    }
  }
  if (V > SafeMax)
    kc_trap(KC_TRAP_PARSE_INT, line);
  return Negative ? -int64_t(V) : int64_t(V);
}

kc_str *kc_str_from_code(int64_t code, int32_t line) {
  if (KC_UNLIKELY(code < 0 || code > 127))
    kc_trap(KC_TRAP_CHAR_CODE, line);
  return const_cast<kc_str *>(&OneChars[code]);
}

int64_t kc_str_find(const kc_str *s, const kc_str *sub, int64_t start,
                    int32_t line) {
  // One unsigned comparison also rejects a negative start.
  if (KC_UNLIKELY(uint64_t(start) > uint64_t(s->len)))
    kc_trap(KC_TRAP_INDEX, line);
  int64_t N = sub->len;
  if (N == 0)
    return start;
  if (N > s->len - start)
    return -1;
  const char *Hit =
      search(s->data + start, s->data + (s->len - N), sub->data, N);
  return Hit ? Hit - s->data : -1;
}

kc_array *kc_str_split(const kc_str *s, const kc_str *sep, int32_t line) {
  const int64_t N = sep->len;
  if (KC_UNLIKELY(N == 0))
    kc_trap(KC_TRAP_EMPTY_SEPARATOR, line);
  const char *Begin = s->data, *End = s->data + s->len;
  // Where the separators are, first; then the array and the views, in one
  // block. Most splits (fields, words, path segments) have few pieces, whose
  // hits fit on the stack; long ones spill into the arena.
  const char *Local[64];
  Hits H = {Local, Local, Local + 64};
  auto Push = [&H](const char *Hit) {
    if (KC_UNLIKELY(H.Cur == H.End))
      H = growHits(H);
    *H.Cur++ = Hit;
  };
  if (N == 1) { // the usual case: lines, fields, words
    eachByte(Begin, End, sep->data[0], Push);
  } else if (s->len >= N) {
    const char *Last = End - N;
    for (const char *P = Begin, *Hit; (Hit = search(P, Last, sep->data, N));
         P = Hit + N)
      Push(Hit);
  }
  const int64_t Count = H.size() + 1;
  if (Count == 1) {
    // No separator at all: the one piece is s itself (strings are
    // immutable).
    kc_array *A = kc_array_new(1, int64_t(sizeof(kc_str *)), line);
    static_cast<const kc_str **>(A->data)[0] = s;
    return A;
  }
  // [array header][Count pointers][Count views]; the pointers are the
  // array's elements (a later push moves them, the views stay).
  constexpr int64_t HeaderBytes = 32;
  int64_t Bytes;
  if (__builtin_mul_overflow(Count, int64_t(sizeof(kc_str *) + sizeof(kc_str)),
                             &Bytes) ||
      Bytes > MaxRequest)
    outOfMemory();
  char *Mem = static_cast<char *>(allocate(HeaderBytes + Bytes));
  kc_array *A = reinterpret_cast<kc_array *>(Mem);
  auto **Slots = reinterpret_cast<kc_str **>(Mem + HeaderBytes);
  auto *Views = reinterpret_cast<kc_str *>(Slots + Count);
  A->len = A->cap = Count;
  A->data = Slots;
  const char *Piece = Begin;
  for (int64_t I = 0; I < Count - 1; ++I) {
    const char *Hit = H.Begin[I];
    Views[I].len = Hit - Piece;
    Views[I].data = Piece;
    Slots[I] = &Views[I];
    Piece = Hit + N;
  }
  Views[Count - 1].len = End - Piece;
  Views[Count - 1].data = Piece;
  Slots[Count - 1] = &Views[Count - 1];
  return A;
}

} // extern "C"

namespace {

// The bytes [P, P + Len) of s with A-Z mapped to a-z: when there is no
// upper-case letter among them, s itself if they are all of s, else a view
// of them; otherwise a new string.
kc_str *lowered(const kc_str *s, const char *P, const int64_t Len) {
  auto Unchanged = [&] {
    return Len == s->len ? const_cast<kc_str *>(s) : piece(P, P + Len);
  };
  if (Len == 0)
    return Unchanged();
  // Eight bytes at a time. Per byte b of a word, with x = b & 0x7f:
  // x + 0x3f has its top bit set iff x >= 'A', x + 0x25 iff x > 'Z' (no
  // carry crosses bytes); bytes >= 0x80 are not letters. The mask has 0x80
  // in every upper-case byte, and mask >> 2 is the 0x20 that lowers it.
  constexpr uint64_t Ones = 0x0101010101010101ULL;
  auto UpperMask = [](uint64_t W) {
    uint64_t X = W & (0x7f * Ones);
    return (X + 0x3f * Ones) & ~(X + 0x25 * Ones) & ~W & (0x80 * Ones);
  };
  auto Load = [](const char *Q) {
    uint64_t W;
    std::memcpy(&W, Q, 8);
    return W;
  };
  if (Len < 8) {
    // The 8 bytes that end where the text ends are readable (kcrt.h); the
    // ones before the text are masked.
    if (!(UpperMask(Load(P + Len - 8)) & (~uint64_t(0) << (8 * (8 - Len)))))
      return Unchanged(); // nothing to change: most text
    char *Out;
    kc_str *R = newStr(Len, Out);
    for (int64_t I = 0; I < Len; ++I) {
      unsigned char C = (unsigned char)P[I];
      Out[I] = char(C | (unsigned(C - 'A') <= 25u ? 0x20 : 0));
    }
    return R;
  }
  int64_t I = 0;
  while (I + 8 <= Len && !UpperMask(Load(P + I)))
    I += 8;
  if (I + 8 > Len && !UpperMask(Load(P + Len - 8)))
    return Unchanged();
  char *Out;
  kc_str *R = newStr(Len, Out);
  std::memcpy(Out, P, size_t(I));
  for (; I + 8 <= Len; I += 8) {
    uint64_t W = Load(P + I);
    W |= UpperMask(W) >> 2;
    std::memcpy(Out + I, &W, 8);
  }
  if (I < Len) { // the last word again, overlapping: the same bytes result
    uint64_t W = Load(P + Len - 8);
    W |= UpperMask(W) >> 2;
    std::memcpy(Out + Len - 8, &W, 8);
  }
  return R;
}

} // namespace

extern "C" {

kc_str *kc_str_lower(const kc_str *s) { return lowered(s, s->data, s->len); }

kc_str *kc_str_slice_lower(const kc_str *s, int64_t begin, int64_t end,
                           int32_t line) {
  if (KC_UNLIKELY(begin < 0 || begin > end || end > s->len))
    kc_trap(KC_TRAP_SLICE, line);
  return lowered(s, s->data + begin, end - begin);
}

kc_str *kc_str_join(const kc_array *parts, const kc_str *sep) {
  return kc_str_join_n(static_cast<kc_str *const *>(parts->data), parts->len,
                       sep);
}

kc_str *kc_str_join_n(kc_str *const *Parts, int64_t N, const kc_str *sep) {
  if (N == 0)
    return emptyStr();
  if (N == 1)
    return Parts[0];
  // The length once, then one allocation and one copy of every byte.
  int64_t Total;
  if (__builtin_mul_overflow(sep->len, N - 1, &Total))
    outOfMemory();
  for (int64_t I = 0; I < N; ++I)
    if (__builtin_add_overflow(Total, Parts[I]->len, &Total))
      outOfMemory();
  char *Out;
  kc_str *R = newStr(Total, Out);
  auto Put = [&Out](const kc_str *Part) {
    copyBytes(Out, Part->data, size_t(Part->len));
    Out += Part->len;
  };
  Put(Parts[0]);
  const int64_t SepLen = sep->len;
  // One loop per kind of separator: none (a + b + c, join(parts, "")), one
  // character, longer.
  if (SepLen == 0) {
    for (int64_t I = 1; I < N; ++I)
      Put(Parts[I]);
  } else if (SepLen == 1) {
    const char Sep = sep->data[0];
    for (int64_t I = 1; I < N; ++I) {
      *Out++ = Sep;
      Put(Parts[I]);
    }
  } else {
    for (int64_t I = 1; I < N; ++I) {
      Put(sep);
      Put(Parts[I]);
    }
  }
  return R;
}

kc_str *kc_str_concat_joins(kc_str *const *strs, kc_array *const *arrays,
                            int64_t n) {
  // The length once, then one allocation and one copy of every byte, as
  // join_n does; a join segment's parts follow each other with its sep.
  int64_t Total = 0;
  for (int64_t I = 0; I < n; ++I) {
    int64_t Len = strs[I]->len;
    if (const kc_array *A = arrays[I]) {
      if (A->len == 0)
        continue;
      if (__builtin_mul_overflow(Len, A->len - 1, &Len))
        outOfMemory();
      auto *const *Parts = static_cast<kc_str *const *>(A->data);
      for (int64_t J = 0; J < A->len; ++J)
        if (__builtin_add_overflow(Len, Parts[J]->len, &Len))
          outOfMemory();
    }
    if (__builtin_add_overflow(Total, Len, &Total))
      outOfMemory();
  }
  char *Out;
  kc_str *R = newStr(Total, Out);
  auto Put = [&Out](const kc_str *S) {
    copyBytes(Out, S->data, size_t(S->len));
    Out += S->len;
  };
  for (int64_t I = 0; I < n; ++I) {
    const kc_array *A = arrays[I];
    if (!A) {
      Put(strs[I]);
      continue;
    }
    auto *const *Parts = static_cast<kc_str *const *>(A->data);
    for (int64_t J = 0; J < A->len; ++J) {
      if (J)
        Put(strs[I]);
      Put(Parts[J]);
    }
  }
  return R;
}

// [B, E) of s without its leading and trailing ' ' and '\t' '\n' '\v' '\f'
// '\r' (9..13), JS's trim() set for ASCII, as a view; s itself when that is
// all of s.
inline kc_str *trimmed(const kc_str *s, const char *B, const char *E) {
  auto IsSpace = [](unsigned char C) { return C == ' ' || C - 9u <= 4u; };
  while (B != E && IsSpace((unsigned char)*B))
    ++B;
  while (E != B && IsSpace((unsigned char)E[-1]))
    --E;
  if (E - B == s->len)
    return const_cast<kc_str *>(s); // nothing to strip
  return piece(B, E);
}

kc_str *kc_str_trim(const kc_str *s) {
  return trimmed(s, s->data, s->data + s->len);
}

kc_str *kc_str_slice_trim(const kc_str *s, int64_t begin, int64_t end,
                          int32_t line) {
  if (KC_UNLIKELY(begin < 0 || begin > end || end > s->len))
    kc_trap(KC_TRAP_SLICE, line);
  return trimmed(s, s->data + begin, s->data + end);
}

kc_str *kc_str_replace(const kc_str *s, const kc_str *old_, const kc_str *new_,
                       int32_t line) {
  const int64_t OldLen = old_->len, NewLen = new_->len;
  if (KC_UNLIKELY(OldLen == 0))
    kc_trap(KC_TRAP_EMPTY_PATTERN, line);
  if (s->len < OldLen)
    return const_cast<kc_str *>(s);
  const char *Begin = s->data, *End = s->data + s->len;
  const char *Last = End - OldLen;
  // One search pass counts the occurrences (for the one allocation of the
  // exact result) and remembers the first few, which is all of them in
  // most strings; past those, the copy loop searches again.
  constexpr int64_t Remembered = 32;
  const char *Hits[Remembered];
  int64_t Count = 0;
  for (const char *P = Begin, *Hit; (Hit = search(P, Last, old_->data, OldLen));
       P = Hit + OldLen) {
    if (Count < Remembered)
      Hits[Count] = Hit;
    ++Count;
  }
  if (Count == 0)
    return const_cast<kc_str *>(s);
  int64_t Growth, Total;
  if (__builtin_mul_overflow(Count, NewLen - OldLen, &Growth) ||
      __builtin_add_overflow(s->len, Growth, &Total))
    outOfMemory();
  char *Out;
  kc_str *R = newStr(Total, Out);
  const char *P = Begin;
  for (int64_t I = 0; I < Count; ++I) {
    const char *Hit = I < Remembered ? Hits[I]
                                     : search(P, Last, old_->data, OldLen);
    copyBytes(Out, P, size_t(Hit - P));
    Out += Hit - P;
    if (NewLen == 1)
      *Out++ = new_->data[0]; // the common case
    else {
      copyBytes(Out, new_->data, size_t(NewLen));
      Out += NewLen;
    }
    P = Hit + OldLen;
  }
  copyBytes(Out, P, size_t(End - P));
  return R;
}

bool kc_str_contains(const kc_str *s, const kc_str *sub) {
  const int64_t N = sub->len;
  if (N == 0)
    return true;
  if (N > s->len)
    return false;
  return search(s->data, s->data + (s->len - N), sub->data, N) != nullptr;
}

kc_str *kc_str_from_codes(const kc_array *codes, int32_t line) {
  const int64_t N = codes->len;
  const int64_t *Codes = static_cast<const int64_t *>(codes->data);
  if (N == 0)
    return emptyStr();
  if (N == 1)
    return kc_str_from_code(Codes[0], line);
  char *Out;
  kc_str *R = newStr(N, Out);
  // One branch-free pass, which the compiler vectorizes: narrow every code
  // and collect the bits of all of them; a code outside 0..127 (negative
  // ones included) leaves a bit above bit 6. The string is not returned then.
  uint64_t Bits = 0;
  for (int64_t I = 0; I < N; ++I) {
    Bits |= uint64_t(Codes[I]);
    Out[I] = char(Codes[I]);
  }
  if (KC_UNLIKELY(Bits > 127))
    kc_trap(KC_TRAP_CHAR_CODE, line);
  return R;
}

//===----------------------------------------------------------------------===//
// Arrays
//===----------------------------------------------------------------------===//

kc_array *kc_array_new(int64_t len, int64_t elem_size, int32_t line) {
  if (KC_UNLIKELY(len < 0))
    kc_trap(KC_TRAP_NEG_LENGTH, line);
  int64_t DataBytes;
  if (__builtin_mul_overflow(len, elem_size, &DataBytes))
    outOfMemory();
  // The header is rounded to 32 bytes so the elements that follow it in the
  // same allocation stay 16-byte aligned.
  constexpr int64_t HeaderBytes = 32;
  static_assert(sizeof(kc_array) <= HeaderBytes, "array header grew");
  if (DataBytes > MaxRequest)
    outOfMemory();
  char *Mem = static_cast<char *>(allocate(HeaderBytes + DataBytes));
  kc_array *A = reinterpret_cast<kc_array *>(Mem);
  A->len = len;
  A->cap = len;
  A->data = Mem + HeaderBytes;
  return A;
}

void kc_array_reserve_one(kc_array *a, int64_t elem_size) {
  if (KC_LIKELY(a->cap > a->len))
    return;
  int64_t NewCap = a->cap < 2 ? 4 : a->cap * 2;
  int64_t Bytes;
  if (__builtin_mul_overflow(NewCap, elem_size, &Bytes))
    outOfMemory();
  void *Data = allocate(Bytes);
  if (a->len)
    std::memcpy(Data, a->data, size_t(a->len * elem_size));
  a->data = Data; // the old buffer is arena memory: simply abandoned
  a->cap = NewCap;
}

//===----------------------------------------------------------------------===//
// Maps
//===----------------------------------------------------------------------===//

kc_map *kc_map_new(int32_t key_kind) {
  auto *M = static_cast<kc_map *>(allocate(sizeof(kc_map)));
  M->Index = static_cast<uint64_t *>(allocate(InitialIndexSize * 8));
  std::memset(M->Index, 0, InitialIndexSize * 8); // every slot empty
  M->Entries = static_cast<MapEntry *>(
      allocate(InitialEntries * int64_t(sizeof(MapEntry))));
  M->Mask = InitialIndexSize - 1;
  M->Len = 0;
  M->Cap = InitialEntries;
  M->KeyKind = key_kind;
  M->End = 0;
  M->Moves = nullptr;
  M->KeyCur = M->KeyEnd = nullptr;
  return M;
}

int64_t kc_map_len(const kc_map *m) { return m->Len; }

uint64_t *kc_map_find_int(kc_map *m, int64_t key) {
  uint64_t H = hashInt(key);
  uint64_t Tag = H & 0xffffffffu;
  for (uint64_t Pos = H & m->Mask;; Pos = (Pos + 1) & m->Mask) {
    uint64_t Slot = m->Index[Pos];
    if (!Slot)
      return nullptr;
    if ((Slot >> 32) == Tag) {
      MapEntry &E = m->Entries[uint32_t(Slot) - 1];
      if (int64_t(E.Key) == key)
        return &E.Value;
    }
  }
}

uint64_t *kc_map_find_str(kc_map *m, const kc_str *key) {
  uint64_t H = hashStr(key);
  uint64_t Tag = H & 0xffffffffu;
  for (uint64_t Pos = H & m->Mask;; Pos = (Pos + 1) & m->Mask) {
    uint64_t Slot = m->Index[Pos];
    if (!Slot)
      return nullptr;
    if ((Slot >> 32) == Tag) {
      MapEntry &E = m->Entries[uint32_t(Slot) - 1];
      if (sameStr(reinterpret_cast<const kc_str *>(E.Key), key))
        return &E.Value;
    }
  }
}

uint64_t *kc_map_upsert_int(kc_map *m, int64_t key, uint64_t init) {
  uint64_t H = hashInt(key);
  uint64_t Tag = H & 0xffffffffu;
  uint64_t Pos = H & m->Mask;
  for (;; Pos = (Pos + 1) & m->Mask) {
    uint64_t Slot = m->Index[Pos];
    if (!Slot)
      break;
    if ((Slot >> 32) == Tag) {
      MapEntry &E = m->Entries[uint32_t(Slot) - 1];
      if (int64_t(E.Key) == key)
        return &E.Value;
    }
  }
  return insertAt(m, Tag, Pos, uint64_t(key), init);
}

uint64_t *kc_map_upsert_str(kc_map *m, const kc_str *key, uint64_t init) {
  uint64_t H = hashStr(key);
  uint64_t Tag = H & 0xffffffffu;
  uint64_t Pos = H & m->Mask;
  for (;; Pos = (Pos + 1) & m->Mask) {
    uint64_t Slot = m->Index[Pos];
    if (!Slot)
      break;
    if ((Slot >> 32) == Tag) {
      MapEntry &E = m->Entries[uint32_t(Slot) - 1];
      if (sameStr(reinterpret_cast<const kc_str *>(E.Key), key))
        return &E.Value;
    }
  }
  return insertAt(m, Tag, Pos, reinterpret_cast<uint64_t>(keepKey(m, key)),
                  init);
}

uint64_t *kc_map_slot_int(kc_map *m, int64_t key) {
  return kc_map_upsert_int(m, key, 0);
}

uint64_t *kc_map_slot_str(kc_map *m, const kc_str *key) {
  return kc_map_upsert_str(m, key, 0);
}

bool kc_map_remove_int(kc_map *m, int64_t key) {
  uint64_t H = hashInt(key);
  uint64_t Tag = H & 0xffffffffu;
  for (uint64_t Pos = H & m->Mask;; Pos = (Pos + 1) & m->Mask) {
    uint64_t Slot = m->Index[Pos];
    if (!Slot)
      return false;
    if ((Slot >> 32) == Tag &&
        int64_t(m->Entries[uint32_t(Slot) - 1].Key) == key) {
      removeAt(m, Pos);
      return true;
    }
  }
}

bool kc_map_remove_str(kc_map *m, const kc_str *key) {
  uint64_t H = hashStr(key);
  uint64_t Tag = H & 0xffffffffu;
  for (uint64_t Pos = H & m->Mask;; Pos = (Pos + 1) & m->Mask) {
    uint64_t Slot = m->Index[Pos];
    if (!Slot)
      return false;
    if ((Slot >> 32) == Tag &&
        sameStr(reinterpret_cast<const kc_str *>(
                    m->Entries[uint32_t(Slot) - 1].Key),
                key)) {
      removeAt(m, Pos);
      return true;
    }
  }
}

void kc_map_pack(kc_map *m) {
  if (KC_UNLIKELY(m->End != m->Len))
    packInto(m, m->Entries);
}

kc_array *kc_map_keys(kc_map *m) {
  kc_map_pack(m);
  kc_array *A = kc_array_new(m->Len, 8, 0);
  for (int64_t I = 0; I < m->Len; ++I)
    static_cast<uint64_t *>(A->data)[I] = m->Entries[I].Key;
  return A;
}

int64_t kc_map_key_int_at(const kc_map *m, int64_t i) {
  return int64_t(m->Entries[i].Key);
}

kc_str *kc_map_key_str_at(const kc_map *m, int64_t i) {
  return reinterpret_cast<kc_str *>(m->Entries[i].Key);
}

uint64_t kc_map_value_at(const kc_map *m, int64_t i) {
  return m->Entries[i].Value;
}

//===----------------------------------------------------------------------===//
// Symbols
//===----------------------------------------------------------------------===//

// clang-format off
const kc_runtime_symbol *kc_runtime_symbols(void) {
#define KC_SYMBOL(F) {#F, reinterpret_cast<void *>(&F)}
  static const kc_runtime_symbol Table[] = {
      KC_SYMBOL(kc_alloc),
      KC_SYMBOL(kc_alloc_zeroed),
      KC_SYMBOL(kc_arena_reset),
      KC_SYMBOL(kc_arena_bytes),
      KC_SYMBOL(kc_arena_set_limit),
      KC_SYMBOL(kc_arena_limit),
      KC_SYMBOL(kc_arena_mark),
      KC_SYMBOL(kc_arena_release),
      KC_SYMBOL(kc_trap),
      KC_SYMBOL(kc_trap_message),
      KC_SYMBOL(kc_invoke),
      KC_SYMBOL(kc_str_new),
      KC_SYMBOL(kc_str_from),
      KC_SYMBOL(kc_str_concat),
      KC_SYMBOL(kc_str_slice),
      KC_SYMBOL(kc_str_compare),
      KC_SYMBOL(kc_str_equal),
      KC_SYMBOL(kc_str_from_int),
      KC_SYMBOL(kc_str_parse_int),
      KC_SYMBOL(kc_str_from_code),
      KC_SYMBOL(kc_str_find),
      KC_SYMBOL(kc_str_split),
      KC_SYMBOL(kc_str_lower),
      KC_SYMBOL(kc_str_join),
      KC_SYMBOL(kc_str_trim),
      KC_SYMBOL(kc_str_slice_trim),
      KC_SYMBOL(kc_str_slice_lower),
      KC_SYMBOL(kc_str_replace),
      KC_SYMBOL(kc_str_contains),
      KC_SYMBOL(kc_str_join_n),
      KC_SYMBOL(kc_str_concat_joins),
      KC_SYMBOL(kc_str_from_codes),
      KC_SYMBOL(kc_array_new),
      KC_SYMBOL(kc_array_reserve_one),
      KC_SYMBOL(kc_map_new),
      KC_SYMBOL(kc_map_len),
      KC_SYMBOL(kc_map_find_int),
      KC_SYMBOL(kc_map_find_str),
      KC_SYMBOL(kc_map_slot_int),
      KC_SYMBOL(kc_map_slot_str),
      KC_SYMBOL(kc_map_upsert_int),
      KC_SYMBOL(kc_map_upsert_str),
      KC_SYMBOL(kc_map_key_int_at),
      KC_SYMBOL(kc_map_key_str_at),
      KC_SYMBOL(kc_map_value_at),
      KC_SYMBOL(kc_map_remove_int),
      KC_SYMBOL(kc_map_remove_str),
      KC_SYMBOL(kc_map_pack),
      KC_SYMBOL(kc_map_keys),
      KC_SYMBOL(kc_runtime_symbols),
      {nullptr, nullptr}};
#undef KC_SYMBOL
  return Table;
}
// clang-format on

} // extern "C"
