//===- KcrtTest.cpp - Unit tests of kcrt: arena, traps, str, arrays, maps -===//

#include "runtimes/native/kcrt.h"

#include "gtest/gtest.h"
#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <map>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

namespace {

// Runs Fn inside kc_invoke and returns kc_invoke's answer (0, or the trap
// kind + 1). Fn must hold only trivially destructible state: a trap
// longjmps over its frame.
template <typename F> int32_t invoke(F Fn, int32_t *Line = nullptr) {
  void *Args[] = {&Fn};
  int32_t Dummy = -1;
  return kc_invoke([](void **A, void *) { (*static_cast<F *>(A[0]))(); }, Args,
                   nullptr, Line ? Line : &Dummy);
}

kc_str *str(const char *S) { return kc_str_from(S, int64_t(std::strlen(S))); }

std::string text(const kc_str *S) {
  return std::string(S->data, size_t(S->len));
}

class KcrtTest : public ::testing::Test {
protected:
  void TearDown() override { kc_arena_reset(); }
};

//===----------------------------------------------------------------------===//
// Arena
//===----------------------------------------------------------------------===//

TEST_F(KcrtTest, AllocIsAlignedAndWritable) {
  kc_arena_reset();
  for (int64_t Size : {0, 1, 7, 15, 16, 17, 100, 4096, 300000, 5 << 20}) {
    auto *P = static_cast<unsigned char *>(kc_alloc(Size));
    ASSERT_NE(P, nullptr);
    EXPECT_EQ(reinterpret_cast<uintptr_t>(P) % 16, 0u) << Size;
    std::memset(P, 0xab, size_t(Size));
  }
}

TEST_F(KcrtTest, AllocZeroedClearsRecycledMemory) {
  kc_arena_reset();
  for (int I = 0; I < 100; ++I)
    std::memset(kc_alloc(1000), 0xff, 1000);
  kc_arena_reset();
  for (int64_t Size : {1, 8, 16, 24, 48, 64, 65, 200, 1000}) {
    auto *P = static_cast<unsigned char *>(kc_alloc_zeroed(Size));
    for (int64_t I = 0; I < Size; ++I)
      ASSERT_EQ(P[I], 0) << "byte " << I << " of " << Size;
  }
}

TEST_F(KcrtTest, AllocationsDoNotOverlap) {
  kc_arena_reset();
  std::vector<std::pair<char *, int64_t>> Blocks;
  for (int I = 0; I < 20000; ++I) {
    int64_t Size = 1 + (I * 37) % 700;
    char *P = static_cast<char *>(kc_alloc(Size));
    std::memset(P, char(I), size_t(Size));
    Blocks.push_back({P, Size});
  }
  for (size_t I = 0; I < Blocks.size(); ++I)
    for (int64_t J = 0; J < Blocks[I].second; ++J)
      ASSERT_EQ(Blocks[I].first[J], char(I)) << I;
}

TEST_F(KcrtTest, BytesCountAndReset) {
  kc_arena_reset();
  EXPECT_EQ(kc_arena_bytes(), 0);
  kc_alloc(10);
  kc_alloc(16);
  kc_alloc(1 << 20);
  EXPECT_EQ(kc_arena_bytes(), 16 + 16 + (1 << 20));
  kc_arena_reset();
  EXPECT_EQ(kc_arena_bytes(), 0);
}

TEST_F(KcrtTest, ResetRecyclesMemory) {
  kc_arena_reset();
  // Fill several chunks, reset, and refill: the blocks of each round stay
  // apart and the recycled chunks serve the next round.
  for (int Round = 0; Round < 3; ++Round) {
    std::vector<unsigned char *> Blocks;
    for (int I = 0; I < 3000; ++I) {
      auto *P = static_cast<unsigned char *>(kc_alloc(1000));
      std::memset(P, Round * 16 + I % 16, 1000);
      Blocks.push_back(P);
    }
    for (int I = 0; I < 3000; ++I)
      ASSERT_EQ(Blocks[I][0], Round * 16 + I % 16) << I;
    EXPECT_EQ(kc_arena_bytes(), 3000 * 1008);
    kc_arena_reset();
  }
}

TEST_F(KcrtTest, MarkAndReleaseKeepEarlierObjects) {
  kc_arena_reset();
  // Inputs first, as a runner does, then many runs released after each.
  kc_str *Input = kc_str_from("keep me", 7);
  kc_array *Big = kc_array_new(300000, 8, 1); // a dedicated chunk
  static_cast<int64_t *>(Big->data)[299999] = 7;
  kc_arena_pos Mark = kc_arena_mark();
  int64_t BytesAtMark = kc_arena_bytes();
  for (int Run = 0; Run < 5; ++Run) {
    // Small objects across several chunks and a few big ones.
    for (int I = 0; I < 5000; ++I)
      std::memset(kc_alloc(1000), 0xee, 1000);
    for (int I = 0; I < 3; ++I)
      std::memset(kc_alloc(1 << 20), 0xee, 1 << 20);
    kc_arena_release(Mark);
    EXPECT_EQ(kc_arena_bytes(), BytesAtMark);
    EXPECT_EQ(text(Input), "keep me");
    EXPECT_EQ(static_cast<int64_t *>(Big->data)[299999], 7);
  }
  // The next allocation reuses the released space right after the mark.
  kc_arena_pos Again = kc_arena_mark();
  auto *P = static_cast<unsigned char *>(kc_alloc(64));
  std::memset(P, 0x11, 64);
  kc_arena_release(Again);
  EXPECT_EQ(kc_alloc(64), P);

  // A mark taken on an empty arena releases everything.
  kc_arena_reset();
  kc_arena_pos Empty = kc_arena_mark();
  for (int I = 0; I < 3000; ++I)
    std::memset(kc_alloc(1000), 0xee, 1000);
  kc_alloc(1 << 20);
  kc_arena_release(Empty);
  EXPECT_EQ(kc_arena_bytes(), 0);
  std::memset(kc_alloc(1000), 0x22, 1000);
  // Releasing right after marking changes nothing.
  kc_arena_pos Same = kc_arena_mark();
  kc_arena_release(Same);
  EXPECT_EQ(kc_arena_bytes(), 1008);
}

TEST_F(KcrtTest, LimitTrapsOutOfMemory) {
  int64_t Saved = kc_arena_limit();
  if (!std::getenv("KC_ARENA_LIMIT")) {
    EXPECT_EQ(Saved, int64_t(8) << 30);
  }
  kc_arena_reset();
  kc_arena_set_limit(4 << 20);
  EXPECT_EQ(kc_arena_limit(), 4 << 20);
  int32_t Line = -1;
  EXPECT_EQ(invoke([] { kc_alloc(3 << 20); }), 0);
  EXPECT_EQ(invoke([] { kc_alloc(2 << 20); }, &Line),
            KC_TRAP_OUT_OF_MEMORY + 1);
  EXPECT_EQ(Line, 0);
  EXPECT_EQ(invoke([] {
              for (;;)
                kc_alloc(1000);
            }),
            KC_TRAP_OUT_OF_MEMORY + 1);
  EXPECT_LE(kc_arena_bytes(), 4 << 20);
  kc_arena_reset();
  EXPECT_EQ(invoke([] { kc_alloc(2 << 20); }), 0);
  kc_arena_set_limit(Saved);
  EXPECT_EQ(invoke([] { kc_alloc(-1); }), KC_TRAP_OUT_OF_MEMORY + 1);
  EXPECT_EQ(invoke([] { kc_alloc(INT64_MAX); }), KC_TRAP_OUT_OF_MEMORY + 1);
}

// The fast path compares with one end that is also where the limit would
// be crossed: raising or lowering the limit in the middle of a chunk must
// take effect at once, and the byte count stays exact.
TEST_F(KcrtTest, LimitChangesInsideAChunk) {
  int64_t Saved = kc_arena_limit();
  kc_arena_reset();
  kc_arena_set_limit(100000);
  for (int I = 0; I < 90; ++I)
    kc_alloc(1000); // 1008 each: 90720 bytes
  EXPECT_EQ(kc_arena_bytes(), 90720);
  EXPECT_EQ(invoke([] { kc_alloc(10000); }), KC_TRAP_OUT_OF_MEMORY + 1);
  EXPECT_EQ(invoke([] { kc_alloc(9000); }), 0); // 99728: still fits
  EXPECT_EQ(kc_arena_bytes(), 99728);
  kc_arena_set_limit(200000);
  EXPECT_EQ(invoke([] { kc_alloc(50000); }), 0);
  EXPECT_EQ(kc_arena_bytes(), 149728);
  kc_arena_set_limit(1000);
  EXPECT_EQ(invoke([] { kc_alloc(1); }), KC_TRAP_OUT_OF_MEMORY + 1);
  EXPECT_EQ(kc_arena_bytes(), 149728);
  kc_arena_set_limit(Saved);
  // A big request and small ones around it are all counted.
  kc_arena_pos Mark = kc_arena_mark();
  kc_alloc(100);
  kc_alloc(1 << 20);
  kc_alloc(100);
  EXPECT_EQ(kc_arena_bytes(), 149728 + 112 + (1 << 20) + 112);
  kc_arena_release(Mark);
  EXPECT_EQ(kc_arena_bytes(), 149728);
  kc_alloc(16);
  EXPECT_EQ(kc_arena_bytes(), 149744);
}

// Big requests get chunks of their own, which the next run reuses (a run
// repeats its requests) instead of asking the system again. (In a thread
// of its own: a fresh arena has no standard chunk a request could fit in.)
TEST_F(KcrtTest, BigChunksAreReusedByTheNextRun) {
  std::thread T([] {
    kc_arena_pos Mark = kc_arena_mark();
    void *First = kc_alloc(3 << 20);
    void *Second = kc_alloc(1 << 20);
    std::memset(First, 1, 3 << 20);
    kc_arena_release(Mark);
    EXPECT_EQ(kc_arena_bytes(), 0);
    // Best fit: the 1 MiB request takes the 1 MiB chunk, the 2 MiB one the
    // 3 MiB chunk; both are counted as requested.
    EXPECT_EQ(kc_alloc(1 << 20), Second);
    EXPECT_EQ(kc_alloc(2 << 20), First);
    EXPECT_EQ(kc_arena_bytes(), 3 << 20);
    // A run that needs more gets a new chunk.
    void *Third = kc_alloc(4 << 20);
    EXPECT_NE(Third, First);
    EXPECT_NE(Third, Second);
    std::memset(Third, 2, 4 << 20);
    EXPECT_EQ(kc_arena_bytes(), 7 << 20);
    kc_arena_reset();
    EXPECT_EQ(kc_arena_bytes(), 0);
    EXPECT_EQ(kc_alloc(4 << 20), Third);
  });
  T.join();
}

TEST_F(KcrtTest, ArenaIsPerThread) {
  kc_arena_reset();
  kc_alloc(1000);
  int64_t OtherBytes = -1;
  std::thread T([&] {
    OtherBytes = kc_arena_bytes();
    kc_alloc(64);
    kc_str *S = kc_str_from_int(12345);
    EXPECT_EQ(text(S), "12345");
  });
  T.join();
  EXPECT_EQ(OtherBytes, 0);
  EXPECT_EQ(kc_arena_bytes(), 1008);
}

#if defined(__has_feature)
#if __has_feature(address_sanitizer)
#define KC_TEST_ASAN 1
#endif
#endif

#ifdef KC_TEST_ASAN
// The sanitizer build: the arena tells ASan what it has not handed out and
// what a reset or a release took back, so reading there is an error, as it
// is for freed malloc memory.
TEST_F(KcrtTest, AsanSeesArenaMemoryNotHandedOut) {
  kc_arena_reset();
  auto *P = static_cast<volatile char *>(kc_alloc(24));
  P[31] = 1; // the block is rounded up to 32 bytes
  EXPECT_DEATH(P[32] = 1, "use-after-poison");
  auto *Big = static_cast<volatile char *>(kc_alloc(1 << 20));
  Big[(1 << 20) - 1] = 1;
  EXPECT_DEATH(Big[1 << 20] = 1, "AddressSanitizer");
}

TEST_F(KcrtTest, AsanSeesArenaMemoryTakenBack) {
  kc_arena_reset();
  kc_str *Kept = str("kept");
  kc_arena_pos Mark = kc_arena_mark();
  kc_str *Released = str("released");
  kc_array *BigReleased = kc_array_new(300000, 8, 1);
  kc_arena_release(Mark);
  EXPECT_EQ(text(Kept), "kept");
  EXPECT_DEATH(text(Released), "use-after-poison");
  EXPECT_DEATH((void)static_cast<volatile int64_t *>(BigReleased->data)[0],
               "use-after-poison");
  kc_arena_reset();
  EXPECT_DEATH(text(Kept), "use-after-poison");
  // Handed out again, the memory is usable again.
  kc_str *Again = str("again");
  EXPECT_EQ(text(Again), "again");
}
#endif

//===----------------------------------------------------------------------===//
// Traps
//===----------------------------------------------------------------------===//

TEST_F(KcrtTest, InvokeReturnsZeroWithoutTrap) {
  int32_t Line = -1;
  EXPECT_EQ(invoke([] {}, &Line), 0);
}

TEST_F(KcrtTest, InvokeCatchesTrapWithLine) {
  for (int32_t K = 0; K < KC_TRAP_COUNT; ++K) {
    int32_t Line = -1;
    static int32_t Kind;
    Kind = K;
    EXPECT_EQ(invoke([] { kc_trap(Kind, 100 + Kind); }, &Line), K + 1);
    EXPECT_EQ(Line, 100 + K);
  }
}

TEST_F(KcrtTest, InvokeNests) {
  static int32_t InnerResult, InnerLine;
  int32_t Line = -1;
  int32_t Outer = invoke(
      [] {
        InnerResult = invoke([] { kc_trap(KC_TRAP_INDEX, 5); }, &InnerLine);
        kc_trap(KC_TRAP_DIV_ZERO, 9);
      },
      &Line);
  EXPECT_EQ(InnerResult, KC_TRAP_INDEX + 1);
  EXPECT_EQ(InnerLine, 5);
  EXPECT_EQ(Outer, KC_TRAP_DIV_ZERO + 1);
  EXPECT_EQ(Line, 9);
  // The stack is unwound: a trap now would again be caught by a new invoke.
  EXPECT_EQ(invoke([] { kc_trap(KC_TRAP_SLICE, 1); }), KC_TRAP_SLICE + 1);
}

TEST_F(KcrtTest, InvokePassesArgsAndRet) {
  int64_t A = 40, B = 2, R = 0;
  void *Args[] = {&A, &B};
  int32_t Line;
  EXPECT_EQ(kc_invoke(
                [](void **Args, void *Ret) {
                  *static_cast<int64_t *>(Ret) =
                      *static_cast<int64_t *>(Args[0]) +
                      *static_cast<int64_t *>(Args[1]);
                },
                Args, &R, &Line),
            0);
  EXPECT_EQ(R, 42);
}

TEST_F(KcrtTest, TrapMessages) {
  EXPECT_STREQ(kc_trap_message(KC_TRAP_INDEX), "index out of range");
  EXPECT_STREQ(kc_trap_message(KC_TRAP_OUT_OF_MEMORY), "out of memory");
  EXPECT_STREQ(kc_trap_message(KC_TRAP_COUNT), "unknown trap");
  EXPECT_STREQ(kc_trap_message(-1), "unknown trap");
}

TEST(KcrtDeathTest, TrapOutsideInvokeExits3) {
  EXPECT_EXIT(kc_trap(KC_TRAP_DIV_ZERO, 17), ::testing::ExitedWithCode(3),
              "trap: integer division by zero at line 17");
}

//===----------------------------------------------------------------------===//
// Strings
//===----------------------------------------------------------------------===//

TEST_F(KcrtTest, StrBasics) {
  kc_str *E = kc_str_new(0);
  EXPECT_EQ(E->len, 0);
  kc_str *S = str("hello");
  EXPECT_EQ(text(S), "hello");
  EXPECT_EQ(text(kc_str_concat(S, str(", world"))), "hello, world");
  EXPECT_EQ(text(kc_str_concat(E, S)), "hello");
  EXPECT_EQ(text(kc_str_concat(S, E)), "hello");
  EXPECT_EQ(kc_str_concat(E, E)->len, 0);
  kc_str *N = kc_str_new(3);
  std::memcpy(const_cast<char *>(N->data), "abc", 3); // fresh: ours to fill
  EXPECT_EQ(text(N), "abc");
  EXPECT_EQ(kc_str_from(nullptr, 0)->len, 0);
  EXPECT_EQ(invoke([] { kc_str_new(-1); }), KC_TRAP_NEG_LENGTH + 1);
}

TEST_F(KcrtTest, StrSlice) {
  static kc_str *S;
  S = str("abcdef");
  EXPECT_EQ(text(kc_str_slice(S, 0, 6, 1)), "abcdef");
  EXPECT_EQ(text(kc_str_slice(S, 1, 3, 1)), "bc");
  EXPECT_EQ(text(kc_str_slice(S, 0, 0, 1)), "");
  EXPECT_EQ(text(kc_str_slice(S, 6, 6, 1)), "");
  EXPECT_EQ(text(kc_str_slice(S, 5, 6, 1)), "f");
  int32_t Line = 0;
  EXPECT_EQ(invoke([] { kc_str_slice(S, -1, 2, 33); }, &Line),
            KC_TRAP_SLICE + 1);
  EXPECT_EQ(Line, 33);
  EXPECT_EQ(invoke([] { kc_str_slice(S, 3, 2, 1); }), KC_TRAP_SLICE + 1);
  EXPECT_EQ(invoke([] { kc_str_slice(S, 0, 7, 1); }), KC_TRAP_SLICE + 1);
  EXPECT_EQ(invoke([] { kc_str_slice(S, 7, 7, 1); }), KC_TRAP_SLICE + 1);
  EXPECT_EQ(invoke([] { kc_str_slice(S, INT64_MIN, INT64_MAX, 1); }),
            KC_TRAP_SLICE + 1);
}

// Strings are views: a slice, a split piece or a trim points into its
// parent's bytes. Every operation must see exactly the view's bytes, never
// its neighbours', which the word-at-a-time code loads and must mask.
TEST_F(KcrtTest, ViewsShareTheirParentsBytes) {
  kc_str *S = str("the quick brown fox");
  int64_t Before = kc_arena_bytes();
  kc_str *A = kc_str_slice(S, 4, 15, 1); // "quick brown"
  kc_str *B = kc_str_slice(A, 6, 11, 1); // a slice of a slice: "brown"
  kc_str *C = kc_str_slice(B, 1, 3, 1);  // "ro"
  EXPECT_EQ(text(A), "quick brown");
  EXPECT_EQ(text(B), "brown");
  EXPECT_EQ(text(C), "ro");
  EXPECT_EQ(A->data, S->data + 4);
  EXPECT_EQ(B->data, S->data + 10);
  EXPECT_EQ(C->data, S->data + 11);
  // Three 16-byte headers, no bytes copied.
  EXPECT_EQ(kc_arena_bytes() - Before, 3 * 16);
  // Empty slices anywhere, the end included, are "".
  for (int64_t At : {0, 3, 19}) {
    kc_str *E = kc_str_slice(S, At, At, 1);
    EXPECT_EQ(E->len, 0);
    EXPECT_TRUE(kc_str_equal(E, str("")));
  }
  EXPECT_EQ(kc_str_slice(A, 11, 11, 1)->len, 0);
}

TEST_F(KcrtTest, ViewsCompareByTheirOwnBytes) {
  // The same text after different bytes, for the short (up to 8 bytes) and
  // the two-word (9 to 16) comparisons.
  kc_str *X = kc_str_slice(str("xxab"), 2, 4, 1);
  kc_str *Y = kc_str_slice(str("yyab"), 2, 4, 1);
  EXPECT_TRUE(kc_str_equal(X, Y));
  EXPECT_EQ(kc_str_compare(X, Y), 0);
  EXPECT_FALSE(kc_str_equal(X, kc_str_slice(str("xxac"), 2, 4, 1)));
  kc_str *L = kc_str_slice(str("0123456789abcdefXY"), 2, 14, 1);
  kc_str *M = kc_str_slice(str("--23456789abcd"), 2, 14, 1);
  EXPECT_TRUE(kc_str_equal(L, M));
  EXPECT_FALSE(kc_str_equal(L, kc_str_slice(str("--23456789abce"), 2, 14, 1)));
  // Every length up to 20, equal texts after unequal bytes.
  const char *Text = "abcdefghijklmnopqrst";
  for (int64_t N = 0; N <= 20; ++N) {
    std::string P = "PQRSTUVW" + std::string(Text, size_t(N)) + "1";
    std::string Q = "pqrstuvw" + std::string(Text, size_t(N)) + "2";
    kc_str *V = kc_str_slice(str(P.c_str()), 8, 8 + N, 1);
    kc_str *W = kc_str_slice(str(Q.c_str()), 8, 8 + N, 1);
    EXPECT_TRUE(kc_str_equal(V, W)) << N;
  }
}

TEST_F(KcrtTest, ViewsParseLowerSearchAndTrimOnlyTheirBytes) {
  // Digits before the view's own: "765", and 16 digits (the slow path).
  EXPECT_EQ(kc_str_parse_int(kc_str_slice(str("9876543210"), 2, 5, 1), 1),
            765);
  EXPECT_EQ(kc_str_parse_int(kc_str_slice(str("-12345678901234567"), 2, 18, 1),
                             1),
            2345678901234567);
  EXPECT_EQ(kc_str_parse_int(kc_str_slice(str("5-42"), 1, 4, 1), 1), -42);
  // A digit after the view does not count; a letter before it does not trap.
  EXPECT_EQ(kc_str_parse_int(kc_str_slice(str("x12y"), 1, 3, 1), 1), 12);
  // Upper-case letters just before a view with none: the view itself.
  kc_str *Def = kc_str_slice(str("ABCdef"), 3, 6, 1);
  EXPECT_EQ(kc_str_lower(Def), Def);
  EXPECT_EQ(text(kc_str_lower(kc_str_slice(str("abcDEF"), 3, 6, 1))), "def");
  // A match that begins in the view but ends after it is not found.
  EXPECT_EQ(kc_str_find(kc_str_slice(str("abcabc"), 0, 4, 1), str("bc"), 2, 1),
            -1);
  EXPECT_EQ(kc_str_find(kc_str_slice(str("abcabc"), 2, 6, 1), str("bc"), 0, 1),
            2);
  EXPECT_FALSE(kc_str_contains(kc_str_slice(str("abcd"), 0, 3, 1), str("cd")));
  // Trimming a view gives a view of the same bytes.
  kc_str *Pad = str("  pad  ");
  kc_str *T = kc_str_trim(kc_str_slice(Pad, 1, 6, 1));
  EXPECT_EQ(text(T), "pad");
  EXPECT_EQ(T->data, Pad->data + 2);
}

TEST_F(KcrtTest, SplitPiecesAreViewsAndWorkAsMapKeys) {
  kc_str *S = str("b,a,b,c,a,b");
  kc_array *A = kc_str_split(S, str(","), 1);
  ASSERT_EQ(A->len, 6);
  auto **Pieces = static_cast<kc_str **>(A->data);
  for (int64_t I = 0; I < 6; ++I) {
    EXPECT_EQ(Pieces[I]->len, 1);
    EXPECT_EQ(Pieces[I]->data, S->data + 2 * I); // no copies
  }
  kc_map *M = kc_map_new(KC_MAP_STR_KEYS);
  for (int64_t I = 0; I < 6; ++I)
    ++*kc_map_upsert_str(M, Pieces[I], 0);
  ASSERT_EQ(kc_map_len(M), 3);
  // Insertion order b, a, c; 3, 2, 1 occurrences; found with fresh strings.
  EXPECT_EQ(text(kc_map_key_str_at(M, 0)), "b");
  EXPECT_EQ(text(kc_map_key_str_at(M, 1)), "a");
  EXPECT_EQ(text(kc_map_key_str_at(M, 2)), "c");
  EXPECT_EQ(*kc_map_find_str(M, str("b")), 3u);
  EXPECT_EQ(*kc_map_find_str(M, str("a")), 2u);
  EXPECT_EQ(*kc_map_find_str(M, str("c")), 1u);
  // A view whose next byte makes it look like a longer key is not one.
  EXPECT_EQ(kc_map_find_str(M, kc_str_slice(str("ba"), 0, 2, 1)), nullptr);
  // Separators just before and at the end of a view belong to its parent.
  kc_array *B = kc_str_split(kc_str_slice(str(",abc,d"), 1, 5, 1), str(","), 1);
  ASSERT_EQ(B->len, 2);
  EXPECT_EQ(text(static_cast<kc_str **>(B->data)[0]), "abc");
  EXPECT_EQ(text(static_cast<kc_str **>(B->data)[1]), "");
  // Every length up to 40 with separators around a view of no separators.
  for (int64_t N = 0; N <= 40; ++N) {
    std::string P = ";;;;;;;;" + std::string(size_t(N), 'x') + ";;";
    kc_array *C =
        kc_str_split(kc_str_slice(str(P.c_str()), 8, 8 + N, 1), str(";"), 1);
    ASSERT_EQ(C->len, 1) << N;
    EXPECT_EQ(static_cast<kc_str **>(C->data)[0]->len, N);
  }
}

TEST_F(KcrtTest, StrCompareAndEqual) {
  EXPECT_EQ(kc_str_compare(str(""), str("")), 0);
  EXPECT_LT(kc_str_compare(str(""), str("a")), 0);
  EXPECT_GT(kc_str_compare(str("a"), str("")), 0);
  EXPECT_LT(kc_str_compare(str("a"), str("b")), 0);
  EXPECT_LT(kc_str_compare(str("ab"), str("b")), 0);
  EXPECT_LT(kc_str_compare(str("a"), str("ab")), 0);
  EXPECT_GT(kc_str_compare(str("abd"), str("abc")), 0);
  EXPECT_EQ(kc_str_compare(str("same"), str("same")), 0);
  EXPECT_LT(kc_str_compare(str("Z"), str("a")), 0);
  // Bytes compare unsigned: 0x80 sorts after 0x7f.
  kc_str *Hi = kc_str_from("\x80", 1), *Lo = kc_str_from("\x7f", 1);
  EXPECT_GT(kc_str_compare(Hi, Lo), 0);
  EXPECT_LT(kc_str_compare(Lo, Hi), 0);
  EXPECT_TRUE(kc_str_equal(str("x"), str("x")));
  EXPECT_TRUE(kc_str_equal(str(""), str("")));
  EXPECT_FALSE(kc_str_equal(str("x"), str("xy")));
  EXPECT_FALSE(kc_str_equal(str("xz"), str("xy")));
  EXPECT_TRUE(kc_str_equal(kc_str_from("a\0b", 3), kc_str_from("a\0b", 3)));
  EXPECT_FALSE(kc_str_equal(kc_str_from("a\0b", 3), kc_str_from("a\0c", 3)));
}

TEST_F(KcrtTest, StrFromInt) {
  EXPECT_EQ(text(kc_str_from_int(0)), "0");
  EXPECT_EQ(text(kc_str_from_int(7)), "7");
  EXPECT_EQ(text(kc_str_from_int(-1)), "-1");
  EXPECT_EQ(text(kc_str_from_int(1234567890)), "1234567890");
  EXPECT_EQ(text(kc_str_from_int(9007199254740992)), "9007199254740992");
  EXPECT_EQ(text(kc_str_from_int(INT64_MAX)), "9223372036854775807");
  EXPECT_EQ(text(kc_str_from_int(INT64_MIN)), "-9223372036854775808");
}

TEST_F(KcrtTest, StrParseInt) {
  auto Parse = [](const char *S) { return kc_str_parse_int(str(S), 1); };
  EXPECT_EQ(Parse("0"), 0);
  EXPECT_EQ(Parse("-0"), 0);
  EXPECT_EQ(Parse("42"), 42);
  EXPECT_EQ(Parse("-42"), -42);
  EXPECT_EQ(Parse("007"), 7);
  EXPECT_EQ(Parse("9007199254740992"), 9007199254740992);
  EXPECT_EQ(Parse("-9007199254740992"), -9007199254740992);
  EXPECT_EQ(Parse("0000000000000000000000000001"), 1);
  static const char *Bad;
  for (const char *B : {"", "-", "+1", " 1", "1 ", "1a", "a1", "--1", "1-",
                        "1.0", "0x10", "9007199254740993", "-9007199254740993",
                        "99999999999999999999999999", "\xd9\xa3", "1\n"}) {
    Bad = B;
    int32_t Line = 0;
    EXPECT_EQ(invoke([] { kc_str_parse_int(str(Bad), 77); }, &Line),
              KC_TRAP_PARSE_INT + 1)
        << "'" << B << "'";
    EXPECT_EQ(Line, 77);
  }
  // Not NUL-terminated: the parser must stop at len.
  kc_str *S = kc_str_from("123456", 3);
  EXPECT_EQ(kc_str_parse_int(S, 1), 123);
}

// parse_int reads up to 16 digits eight at a time: every length, every
// digit position and every byte value in every position must agree with
// the digit-by-digit rule.
TEST_F(KcrtTest, StrParseIntAgreesWithDigitLoop) {
  auto Reference = [](const std::string &S, int64_t &Out) {
    size_t I = !S.empty() && S[0] == '-';
    if (I == S.size())
      return false;
    uint64_t V = 0;
    for (size_t J = I; J < S.size(); ++J) {
      if (S[J] < '0' || S[J] > '9')
        return false;
      V = V * 10 + uint64_t(S[J] - '0');
      if (V > (uint64_t(1) << 53))
        return false;
    }
    Out = I ? -int64_t(V) : int64_t(V);
    return true;
  };
  static kc_str *Arg;
  auto hex = [](const std::string &S) {
    std::string H;
    for (unsigned char C : S)
      H += "0123456789abcdef"[C >> 4], H += "0123456789abcdef"[C & 15], H += ' ';
    return H;
  };
  auto Check = [&](const std::string &S) {
    int64_t Want = 0;
    bool Ok = Reference(S, Want);
    // Sliced out of a longer string with digits around it, so that the
    // bytes next to the text are digits too.
    std::string Around = "12345678901234567890" + S + "98765432109876543210";
    Arg = kc_str_slice(kc_str_from(Around.data(), int64_t(Around.size())), 20,
                       20 + int64_t(S.size()), 1);
    int64_t Got = 0;
    int32_t Trap = invoke([&Got] { Got = kc_str_parse_int(Arg, 5); });
    ASSERT_EQ(Trap, Ok ? 0 : KC_TRAP_PARSE_INT + 1) << hex(S);
    if (Ok) {
      ASSERT_EQ(Got, Want) << hex(S);
    }
  };
  uint64_t Seed = 12345;
  auto Next = [&Seed] {
    Seed = Seed * 6364136223846793005ULL + 1442695040888963407ULL;
    return Seed >> 33;
  };
  for (int Len = 1; Len <= 20; ++Len) {
    for (int Round = 0; Round < 20; ++Round) {
      std::string Digits;
      for (int I = 0; I < Len; ++I)
        Digits += char('0' + Next() % 10);
      Check(Digits);
      Check("-" + Digits);
      // Every byte value in every position.
      for (int Pos = 0; Pos < Len && Round < 2; ++Pos)
        for (int B = 0; B < 256; ++B) {
          std::string T = Digits;
          T[size_t(Pos)] = char(B);
          Check(T);
          Check("-" + T);
        }
    }
  }
  for (const char *S : {"9999999999999999", "9007199254740992",
                        "9007199254740993", "0000000000000000", "1000000000000000",
                        "-0000000000000001", "99999999", "100000000"})
    Check(S);
}

TEST_F(KcrtTest, StrFromCode) {
  EXPECT_EQ(text(kc_str_from_code(97, 1)), "a");
  EXPECT_EQ(text(kc_str_from_code(0, 1)), std::string(1, '\0'));
  EXPECT_EQ(text(kc_str_from_code(127, 1)), "\x7f");
  EXPECT_EQ(
      text(kc_str_concat(kc_str_from_code('h', 1), kc_str_from_code('i', 1))),
      "hi");
  int32_t Line = 0;
  EXPECT_EQ(invoke([] { kc_str_from_code(128, 12); }, &Line),
            KC_TRAP_CHAR_CODE + 1);
  EXPECT_EQ(Line, 12);
  EXPECT_EQ(invoke([] { kc_str_from_code(-1, 1); }), KC_TRAP_CHAR_CODE + 1);
  EXPECT_EQ(invoke([] { kc_str_from_code(INT64_MIN, 1); }),
            KC_TRAP_CHAR_CODE + 1);
}

TEST_F(KcrtTest, StrFind) {
  static kc_str *S;
  S = str("abcabcab");
  auto Find = [](const char *Sub, int64_t Start) {
    return kc_str_find(S, str(Sub), Start, 1);
  };
  EXPECT_EQ(Find("a", 0), 0);
  EXPECT_EQ(Find("a", 1), 3);
  EXPECT_EQ(Find("cab", 0), 2);
  EXPECT_EQ(Find("cab", 3), 5);
  EXPECT_EQ(Find("cab", 6), -1);
  EXPECT_EQ(Find("ab", 6), 6); // a match that ends at the end
  EXPECT_EQ(Find("abcabcab", 0), 0);
  EXPECT_EQ(Find("abcabcabc", 0), -1); // longer than s
  EXPECT_EQ(Find("b", 8), -1);
  EXPECT_EQ(Find("x", 0), -1);
  EXPECT_EQ(Find("ac", 0), -1); // the first byte occurs, the rest never
  // An empty sub is found at start, the end included.
  EXPECT_EQ(Find("", 0), 0);
  EXPECT_EQ(Find("", 5), 5);
  EXPECT_EQ(Find("", 8), 8);
  EXPECT_EQ(kc_str_find(str(""), str(""), 0, 1), 0);
  EXPECT_EQ(kc_str_find(str(""), str("a"), 0, 1), -1);
  // Not NUL-terminated, and NUL is an ordinary byte: only len counts.
  kc_str *T = kc_str_from("xa\0bxyz", 5);
  EXPECT_EQ(kc_str_find(T, kc_str_from("\0b", 2), 0, 1), 2);
  EXPECT_EQ(kc_str_find(T, str("xy"), 0, 1), -1);
  int32_t Line = 0;
  EXPECT_EQ(invoke([] { kc_str_find(S, str("a"), 9, 41); }, &Line),
            KC_TRAP_INDEX + 1);
  EXPECT_EQ(Line, 41);
  EXPECT_EQ(invoke([] { kc_str_find(S, str(""), -1, 1); }), KC_TRAP_INDEX + 1);
  EXPECT_EQ(invoke([] { kc_str_find(S, str("a"), INT64_MIN, 1); }),
            KC_TRAP_INDEX + 1);
}

std::vector<std::string> pieces(const kc_array *A) {
  std::vector<std::string> V;
  for (int64_t I = 0; I < A->len; ++I)
    V.push_back(text(static_cast<kc_str *const *>(A->data)[I]));
  return V;
}

// Single-byte separators take a word-at-a-time scan: pieces of every
// length around the 8-byte steps and the switch to memchr.
TEST_F(KcrtTest, StrSplitOneByteSeparator) {
  for (int Len : {0, 1, 7, 8, 9, 15, 16, 17, 31, 32, 33, 40, 100, 1000})
    for (char Sep : {',', '\n', '\0', '\xff'}) {
      std::string Text, Piece;
      std::vector<std::string> Want;
      for (int K = 0; K < 5; ++K) {
        Piece.clear();
        for (int I = 0; I < Len + K; ++I)
          Piece += char(Sep == 'a' ? 'b' : 'a' + (I + K) % 26);
        Want.push_back(Piece);
        Text += (K ? std::string(1, Sep) : "") + Piece;
      }
      kc_array *A = kc_str_split(kc_str_from(Text.data(), int64_t(Text.size())),
                                 kc_str_from(&Sep, 1), 1);
      EXPECT_EQ(pieces(A), Want) << Len << " " << int(Sep);
    }
}

TEST_F(KcrtTest, StrSplit) {
  using V = std::vector<std::string>;
  auto Split = [](const char *S, const char *Sep) {
    return pieces(kc_str_split(str(S), str(Sep), 1));
  };
  EXPECT_EQ(Split("a,b,c", ","), (V{"a", "b", "c"}));
  EXPECT_EQ(Split("a,,b", ","), (V{"a", "", "b"}));
  EXPECT_EQ(Split("", ","), (V{""}));
  EXPECT_EQ(Split(",", ","), (V{"", ""}));
  EXPECT_EQ(Split(",a,", ","), (V{"", "a", ""}));
  EXPECT_EQ(Split("abc", ","), (V{"abc"}));
  EXPECT_EQ(Split("a::b:::c", "::"), (V{"a", "b", ":c"}));
  // Occurrences do not overlap and are taken from the left.
  EXPECT_EQ(Split("aaa", "aa"), (V{"", "a"}));
  EXPECT_EQ(Split("aaaa", "aa"), (V{"", "", ""}));
  EXPECT_EQ(Split("ab", "abc"), (V{"ab"}));
  // Without a separator, the one piece is the string itself.
  kc_str *S = str("no separator");
  kc_array *One = kc_str_split(S, str(","), 1);
  ASSERT_EQ(One->len, 1);
  EXPECT_EQ(static_cast<kc_str **>(One->data)[0], S);
  // Many pieces: the array grows past its first capacity.
  std::string Long;
  V Want;
  for (int I = 0; I < 1000; ++I) {
    Long += (I ? " " : "") + std::to_string(I);
    Want.push_back(std::to_string(I));
  }
  kc_array *Many = kc_str_split(str(Long.c_str()), str(" "), 1);
  EXPECT_EQ(pieces(Many), Want);
  EXPECT_GE(Many->cap, Many->len);
  // The result is an ordinary array: a push after a split works.
  kc_array_reserve_one(Many, 8);
  static_cast<kc_str **>(Many->data)[Many->len++] = str("x");
  EXPECT_EQ(pieces(Many).back(), "x");
  int32_t Line = 0;
  EXPECT_EQ(invoke([] { kc_str_split(str("abc"), str(""), 52); }, &Line),
            KC_TRAP_EMPTY_SEPARATOR + 1);
  EXPECT_EQ(Line, 52);
  EXPECT_STREQ(kc_trap_message(KC_TRAP_EMPTY_SEPARATOR),
               "empty separator in split");
}

TEST_F(KcrtTest, SplitAndJoinCopyEveryLength) {
  // Pieces of every length from 0 to 40 (short ones are copied without
  // memcpy), separators of 1 to 20 bytes.
  for (int SepLen = 1; SepLen <= 20; ++SepLen) {
    std::string Sep(size_t(SepLen), '/'), Text;
    std::vector<std::string> Want;
    for (int Len = 0; Len <= 40; ++Len) {
      std::string Piece;
      for (int I = 0; I < Len; ++I)
        Piece += char('a' + (I * 7 + Len) % 26);
      Text += (Len ? Sep : "") + Piece;
      Want.push_back(Piece);
    }
    kc_array *Parts = kc_str_split(str(Text.c_str()), str(Sep.c_str()), 1);
    EXPECT_EQ(pieces(Parts), Want) << SepLen;
    EXPECT_EQ(text(kc_str_join(Parts, str(Sep.c_str()))), Text) << SepLen;
  }
}

TEST_F(KcrtTest, StrLower) {
  EXPECT_EQ(text(kc_str_lower(str("Hello, World!"))), "hello, world!");
  EXPECT_EQ(text(kc_str_lower(str(""))), "");
  // Only A-Z change: '@' and '[' are next to them.
  EXPECT_EQ(text(kc_str_lower(str("@AZ[`az{"))), "@az[`az{");
  // Every position of the first upper-case letter, around the 8-byte steps.
  for (int Len = 1; Len <= 20; ++Len)
    for (int Pos = 0; Pos < Len; ++Pos) {
      std::string In(size_t(Len), 'x'), Want(size_t(Len), 'x');
      In[size_t(Pos)] = 'Q';
      Want[size_t(Pos)] = 'q';
      if (Pos + 2 < Len)
        In[size_t(Pos + 2)] = 'Z', Want[size_t(Pos + 2)] = 'z';
      EXPECT_EQ(text(kc_str_lower(str(In.c_str()))), Want) << In;
    }
  // Every byte value: bytes >= 0x80 are not letters.
  std::string All, AllLower;
  for (int C = 1; C < 256; ++C) {
    All += char(C);
    AllLower += char(C >= 'A' && C <= 'Z' ? C + 32 : C);
  }
  kc_str *A = kc_str_from(All.data(), int64_t(All.size()));
  EXPECT_EQ(text(kc_str_lower(A)), AllLower);
  // Nothing to change: the string itself, no allocation.
  kc_str *S = str("already lower-case, 123");
  int64_t Before = kc_arena_bytes();
  EXPECT_EQ(kc_str_lower(S), S);
  EXPECT_EQ(kc_arena_bytes(), Before);
}

// lower() works a word at a time, with overlapping last words and, below 8
// bytes, a word that starts before the text: every length, every position
// of an upper-case letter, and the characters around 'A' and 'Z'.
TEST_F(KcrtTest, StrLowerEveryLengthAndPosition) {
  const std::string Edge = "@AZ[`az{09 ~\x7f";
  for (size_t Len = 0; Len <= 40; ++Len)
    for (size_t Pos = 0; Pos <= Len; ++Pos)
      for (char C : Edge) {
        std::string T(Len, 'q');
        for (size_t I = 0; I < Len; ++I)
          T[I] = "ab-c. 9zy"[I % 9];
        if (Pos < Len)
          T[Pos] = C;
        std::string Want = T;
        for (char &W : Want)
          if (W >= 'A' && W <= 'Z')
            W = char(W + 32);
        kc_str *S = kc_str_from(T.data(), int64_t(T.size()));
        kc_str *L = kc_str_lower(S);
        ASSERT_EQ(text(L), Want) << Len << " " << Pos << " " << C;
        if (Want == T) {
          ASSERT_EQ(L, S); // nothing to change: the string itself
        }
      }
}

// find compares the rest of the needle without memcmp up to 16 bytes.
TEST_F(KcrtTest, StrFindNeedleLengths) {
  for (int N = 1; N <= 24; ++N) {
    std::string Needle;
    for (int I = 0; I < N; ++I)
      Needle += char('a' + I % 7);
    // Near misses first: the needle with one byte changed, at each offset.
    std::string Text;
    for (int I = 0; I < N; ++I) {
      std::string Miss = Needle;
      Miss[size_t(I)] = 'X';
      Text += Miss + "|";
    }
    int64_t At = int64_t(Text.size());
    Text += Needle + "|" + Needle;
    EXPECT_EQ(kc_str_find(str(Text.c_str()), str(Needle.c_str()), 0, 1), At)
        << N;
    EXPECT_EQ(kc_str_find(str(Text.c_str()), str(Needle.c_str()), At + 1, 1),
              At + N + 1)
        << N;
  }
}

TEST_F(KcrtTest, StrFromCodes) {
  auto Codes = [](std::vector<int64_t> V) {
    kc_array *A = kc_array_new(int64_t(V.size()), 8, 1);
    for (size_t I = 0; I < V.size(); ++I)
      static_cast<int64_t *>(A->data)[I] = V[I];
    return A;
  };
  EXPECT_EQ(text(kc_str_from_codes(Codes({}), 1)), "");
  EXPECT_EQ(text(kc_str_from_codes(Codes({104, 105}), 1)), "hi");
  EXPECT_EQ(text(kc_str_from_codes(Codes({0, 127}), 1)),
            std::string("\0\x7f", 2));
  // Long enough for the vector loop and its remainder.
  std::vector<int64_t> Long;
  std::string Want;
  for (int I = 0; I < 1000; ++I) {
    Long.push_back(32 + I % 95);
    Want += char(32 + I % 95);
  }
  EXPECT_EQ(text(kc_str_from_codes(Codes(Long), 1)), Want);
  // One bad code anywhere traps: above 127, negative, or far out of range.
  for (int64_t Bad : {int64_t(128), int64_t(255), int64_t(256), int64_t(-1),
                      int64_t(1) << 53, INT64_MIN}) {
    for (size_t At : {size_t(0), size_t(1), size_t(500), size_t(999)}) {
      std::vector<int64_t> V = Long;
      V[At] = Bad;
      static kc_array *Arg;
      Arg = Codes(V);
      int32_t Line = 0;
      EXPECT_EQ(invoke([] { kc_str_from_codes(Arg, 61); }, &Line),
                KC_TRAP_CHAR_CODE + 1)
          << Bad << " at " << At;
      EXPECT_EQ(Line, 61);
    }
  }
  static kc_array *One;
  One = Codes({200});
  EXPECT_EQ(invoke([] { kc_str_from_codes(One, 1); }), KC_TRAP_CHAR_CODE + 1);
}

TEST_F(KcrtTest, StrJoin) {
  auto Join = [](std::vector<const char *> Parts, const char *Sep) {
    kc_array *A = kc_array_new(int64_t(Parts.size()), 8, 1);
    for (size_t I = 0; I < Parts.size(); ++I)
      static_cast<kc_str **>(A->data)[I] = str(Parts[I]);
    return text(kc_str_join(A, str(Sep)));
  };
  EXPECT_EQ(Join({}, ","), "");
  EXPECT_EQ(Join({"a"}, ","), "a");
  EXPECT_EQ(Join({"a", "b", "c"}, ","), "a,b,c");
  EXPECT_EQ(Join({"a", "", "b"}, ", "), "a, , b");
  EXPECT_EQ(Join({"", ""}, ""), "");
  EXPECT_EQ(Join({"ab", "cd"}, ""), "abcd");
  EXPECT_EQ(Join({"x", "y"}, "--"), "x--y");
  // join undoes split.
  kc_str *S = str("a,,b,");
  EXPECT_EQ(text(kc_str_join(kc_str_split(S, str(","), 1), str(","))), "a,,b,");
  // One allocation, of exactly the result.
  kc_array *A = kc_str_split(str("one two three four"), str(" "), 1);
  int64_t Before = kc_arena_bytes();
  kc_str *R = kc_str_join(A, str("+"));
  EXPECT_EQ(text(R), "one+two+three+four");
  // "+" (16 + 1 bytes, rounded to 32) and the result (16 + 18, to 48).
  EXPECT_EQ(kc_arena_bytes() - Before, 32 + 48);
}

TEST_F(KcrtTest, StrConcatJoins) {
  auto Array = [](std::vector<const char *> Parts) {
    kc_array *A = kc_array_new(int64_t(Parts.size()), 8, 1);
    for (size_t I = 0; I < Parts.size(); ++I)
      static_cast<kc_str **>(A->data)[I] = str(Parts[I]);
    return A;
  };
  // "[" + join([a, "", bc], ", ") + "]" + join([], "!") + join([x], "-")
  kc_str *Strs[] = {str("["), str(", "), str("]"), str("!"), str("-")};
  kc_array *Arrays[] = {nullptr, Array({"a", "", "bc"}), nullptr, Array({}),
                        Array({"x"})};
  int64_t Before = kc_arena_bytes();
  kc_str *R = kc_str_concat_joins(Strs, Arrays, 5);
  EXPECT_EQ(text(R), "[a, , bc]x");
  // One allocation, of exactly the result: 16 + 10 bytes, rounded to 32.
  EXPECT_EQ(kc_arena_bytes() - Before, 32);
  EXPECT_EQ(kc_str_concat_joins(Strs, Arrays, 0)->len, 0);
  // A join of pieces that are views of one string.
  kc_array *Pieces = kc_str_split(str("1 22 333"), str(" "), 1);
  kc_str *Wrap[] = {str("<"), str("|"), str(">")};
  kc_array *WrapArrays[] = {nullptr, Pieces, nullptr};
  EXPECT_EQ(text(kc_str_concat_joins(Wrap, WrapArrays, 3)), "<1|22|333>");
}

TEST_F(KcrtTest, StrTrim) {
  auto Trim = [](const char *S) { return text(kc_str_trim(str(S))); };
  EXPECT_EQ(Trim("  a b  "), "a b");
  EXPECT_EQ(Trim(" \t\n\r\v\fx\f\v\r\n\t "), "x");
  EXPECT_EQ(Trim("\t"), "");
  EXPECT_EQ(Trim(" \r\n "), "");
  EXPECT_EQ(Trim(""), "");
  EXPECT_EQ(Trim("a \t b"), "a \t b"); // inside: kept
  // Only the six: '\x1c'..'\x1f' (whitespace to Python's str.strip()),
  // '\x08', '\x0e' and bytes >= 0x80 stay.
  EXPECT_EQ(Trim("\x1c x \x1f"), "\x1c x \x1f");
  EXPECT_EQ(Trim(" \x08x\x0e "), "\x08x\x0e");
  EXPECT_EQ(Trim("\xa0x\x85"), "\xa0x\x85");
  kc_str *N = kc_str_from(" \0x\0 ", 5); // NUL is an ordinary byte
  EXPECT_EQ(text(kc_str_trim(N)), std::string("\0x\0", 3));
  // Nothing to strip: the string itself, no allocation.
  kc_str *S = str("already trimmed");
  int64_t Before = kc_arena_bytes();
  EXPECT_EQ(kc_str_trim(S), S);
  EXPECT_EQ(kc_arena_bytes(), Before);
  // Else a view of the bytes: one 16-byte header, no copy.
  kc_str *T = str("\tabc\n");
  Before = kc_arena_bytes();
  EXPECT_EQ(text(kc_str_trim(T)), "abc");
  EXPECT_EQ(kc_arena_bytes() - Before, 16);
}

TEST_F(KcrtTest, StrSliceTrim) {
  kc_str *S = str("Host:  example.org \r\n");
  auto SliceTrim = [&](int64_t B, int64_t E) {
    return text(kc_str_slice_trim(S, B, E, 1));
  };
  EXPECT_EQ(SliceTrim(5, 21), "example.org");
  EXPECT_EQ(SliceTrim(0, 4), "Host");
  EXPECT_EQ(SliceTrim(5, 7), "");
  EXPECT_EQ(SliceTrim(21, 21), "");
  // The whole of an untrimmed string is the string itself: no allocation.
  kc_str *T = str("abc");
  int64_t Before = kc_arena_bytes();
  EXPECT_EQ(kc_str_slice_trim(T, 0, 3, 1), T);
  EXPECT_EQ(kc_arena_bytes(), Before);
  // Else a view of the trimmed piece: one 16-byte header, no copy.
  Before = kc_arena_bytes();
  kc_str *V = kc_str_slice_trim(S, 4, 21, 1);
  EXPECT_EQ(text(V), ":  example.org");
  EXPECT_EQ(V->data, S->data + 4);
  EXPECT_EQ(kc_arena_bytes() - Before, 16);
  // The slice's bounds are checked first, with its trap.
  static kc_str *U;
  U = str(" ab ");
  int32_t Line = 0;
  EXPECT_EQ(invoke([] { kc_str_slice_trim(U, 1, 5, 71); }, &Line),
            KC_TRAP_SLICE + 1);
  EXPECT_EQ(Line, 71);
  EXPECT_EQ(invoke([] { kc_str_slice_trim(U, 3, 2, 1); }), KC_TRAP_SLICE + 1);
  EXPECT_EQ(invoke([] { kc_str_slice_trim(U, -1, 2, 1); }), KC_TRAP_SLICE + 1);
}

TEST_F(KcrtTest, StrSliceLower) {
  kc_str *S = str("Content-Length: 12");
  auto SliceLower = [&](int64_t B, int64_t E) {
    return text(kc_str_slice_lower(S, B, E, 1));
  };
  EXPECT_EQ(SliceLower(0, 14), "content-length");
  EXPECT_EQ(SliceLower(8, 14), "length");
  EXPECT_EQ(SliceLower(16, 18), "12");
  EXPECT_EQ(SliceLower(3, 3), "");
  // Nothing to lower: the whole string is itself, a part a view of it.
  kc_str *T = str("host");
  int64_t Before = kc_arena_bytes();
  EXPECT_EQ(kc_str_slice_lower(T, 0, 4, 1), T);
  EXPECT_EQ(kc_arena_bytes(), Before);
  kc_str *V = kc_str_slice_lower(S, 9, 14, 1); // "ength"
  EXPECT_EQ(text(V), "ength");
  EXPECT_EQ(V->data, S->data + 9);
  // Upper-case letters just outside the slice change nothing in it, and
  // every length and position agrees with lowering a copy.
  std::string Mixed = "AbCdEfGhIjKlMnOpQrStUvWxYz";
  kc_str *M = str(Mixed.c_str());
  for (int64_t B = 0; B <= 26; ++B)
    for (int64_t E = B; E <= 26; ++E) {
      std::string Want = Mixed.substr(size_t(B), size_t(E - B));
      for (char &C : Want)
        C = char(std::tolower((unsigned char)C));
      ASSERT_EQ(text(kc_str_slice_lower(M, B, E, 1)), Want) << B << " " << E;
    }
  // The slice's bounds are checked first, with its trap.
  static kc_str *U;
  U = str("AB");
  int32_t Line = 0;
  EXPECT_EQ(invoke([] { kc_str_slice_lower(U, 1, 3, 72); }, &Line),
            KC_TRAP_SLICE + 1);
  EXPECT_EQ(Line, 72);
  EXPECT_EQ(invoke([] { kc_str_slice_lower(U, -1, 1, 1); }),
            KC_TRAP_SLICE + 1);
}

TEST_F(KcrtTest, StrReplace) {
  auto Replace = [](const char *S, const char *Old, const char *New) {
    return text(kc_str_replace(str(S), str(Old), str(New), 1));
  };
  EXPECT_EQ(Replace("a-b-c", "-", "+"), "a+b+c");
  EXPECT_EQ(Replace("a-b-c", "-", ""), "abc");
  EXPECT_EQ(Replace("a-b-c", "-", "<=>"), "a<=>b<=>c");
  EXPECT_EQ(Replace("-a-", "-", "--"), "--a--");
  EXPECT_EQ(Replace("abc", "abc", "x"), "x");
  EXPECT_EQ(Replace("abc", "abcd", "x"), "abc"); // longer than s
  EXPECT_EQ(Replace("", "a", "x"), "");
  EXPECT_EQ(Replace("a-b", "-", "$&$1$$"), "a$&$1$$b"); // no patterns
  // Occurrences do not overlap and are taken from the left.
  EXPECT_EQ(Replace("aaa", "aa", "b"), "ba");
  EXPECT_EQ(Replace("aaaa", "aa", "b"), "bb");
  EXPECT_EQ(Replace("abab", "ab", "ab"), "abab");
  EXPECT_EQ(Replace("ac ab", "ab", "X"), "ac X"); // first byte occurs before
  // Absent: the string itself, no allocation.
  kc_str *S = str("no dash here"), *Dash = str("-"), *Plus = str("+");
  kc_str *Longer = str("no dash here!"), *Empty = str("");
  int64_t Before = kc_arena_bytes();
  EXPECT_EQ(kc_str_replace(S, Dash, Plus, 1), S);
  EXPECT_EQ(kc_str_replace(S, Longer, Empty, 1), S);
  EXPECT_EQ(kc_arena_bytes(), Before);
  // Else one allocation, of exactly the result: 8 + 11 bytes, to 32.
  kc_str *T = str("a,b,c,d"), *Comma = str(","), *Sep = str(" | ");
  Before = kc_arena_bytes();
  EXPECT_EQ(text(kc_str_replace(T, Comma, Sep, 1)), "a | b | c | d");
  EXPECT_EQ(kc_arena_bytes() - Before, 32);
  int32_t Line = 0;
  EXPECT_EQ(invoke([] { kc_str_replace(str("abc"), str(""), str("x"), 63); },
                   &Line),
            KC_TRAP_EMPTY_PATTERN + 1);
  EXPECT_EQ(Line, 63);
  EXPECT_EQ(invoke([] { kc_str_replace(str(""), str(""), str(""), 1); }),
            KC_TRAP_EMPTY_PATTERN + 1);
  EXPECT_STREQ(kc_trap_message(KC_TRAP_EMPTY_PATTERN),
               "empty pattern in replace");
}

TEST_F(KcrtTest, StrReplaceManyAgainstModel) {
  // Past the occurrences the first pass remembers (32), pieces and
  // replacements of every short length, around copyBytes' steps.
  auto Model = [](std::string S, const std::string &Old,
                  const std::string &New) {
    std::string R;
    size_t P = 0;
    for (size_t Hit; (Hit = S.find(Old, P)) != std::string::npos;
         P = Hit + Old.size())
      R += S.substr(P, Hit - P) + New;
    return R + S.substr(P);
  };
  for (int Count : {1, 31, 32, 33, 100})
    for (const char *Old : {"/", "//", "/x/"})
      for (const char *New : {"", "#", "##", "0123456789abcdefXYZ"}) {
        std::string S;
        for (int I = 0; I < Count; ++I)
          S += std::string(size_t(I % 19), char('a' + I % 26)) + Old;
        S += "tail";
        std::string Got =
            text(kc_str_replace(str(S.c_str()), str(Old), str(New), 1));
        EXPECT_EQ(Got, Model(S, Old, New)) << Count << " " << Old << " " << New;
      }
}

TEST_F(KcrtTest, StrContains) {
  auto Has = [](const char *S, const char *Sub) {
    return kc_str_contains(str(S), str(Sub));
  };
  EXPECT_TRUE(Has("hello", "ll"));
  EXPECT_TRUE(Has("hello", "hello"));
  EXPECT_TRUE(Has("hello", "o")); // at the end
  EXPECT_TRUE(Has("hello", ""));
  EXPECT_TRUE(Has("", ""));
  EXPECT_FALSE(Has("", "a"));
  EXPECT_FALSE(Has("hello", "hello!")); // longer than s
  EXPECT_FALSE(Has("hello", "lo!"));    // runs past the end
  EXPECT_FALSE(Has("abc", "bd"));       // the first byte occurs, the rest not
  // Not NUL-terminated, and NUL is an ordinary byte: only len counts.
  kc_str *T = kc_str_from("xa\0bxyz", 5);
  EXPECT_TRUE(kc_str_contains(T, kc_str_from("\0b", 2)));
  EXPECT_FALSE(kc_str_contains(T, str("xy")));
}

//===----------------------------------------------------------------------===//
// Arrays
//===----------------------------------------------------------------------===//

TEST_F(KcrtTest, ArrayNew) {
  kc_array *A = kc_array_new(0, 8, 1);
  EXPECT_EQ(A->len, 0);
  EXPECT_EQ(A->cap, 0);
  kc_array *B = kc_array_new(100, 8, 1);
  EXPECT_EQ(B->len, 100);
  EXPECT_EQ(B->cap, 100);
  EXPECT_EQ(reinterpret_cast<uintptr_t>(B->data) % 16, 0u);
  // The elements are the caller's to fill; they must not overlap the header.
  for (int I = 0; I < 100; ++I)
    static_cast<int64_t *>(B->data)[I] = -1;
  EXPECT_EQ(B->len, 100);
  EXPECT_EQ(B->cap, 100);
  int32_t Line = 0;
  EXPECT_EQ(invoke([] { kc_array_new(-1, 8, 21); }, &Line),
            KC_TRAP_NEG_LENGTH + 1);
  EXPECT_EQ(Line, 21);
  EXPECT_EQ(invoke([] { kc_array_new(INT64_MAX / 4, 8, 1); }),
            KC_TRAP_OUT_OF_MEMORY + 1);
}

TEST_F(KcrtTest, ArrayGrowsGeometrically) {
  for (int64_t ElemSize : {1, 4, 8}) {
    kc_array *A = kc_array_new(0, ElemSize, 1);
    std::vector<int64_t> Caps;
    for (int64_t I = 0; I < 1000; ++I) {
      kc_array_reserve_one(A, ElemSize);
      ASSERT_GT(A->cap, A->len);
      if (Caps.empty() || Caps.back() != A->cap)
        Caps.push_back(A->cap);
      char *Slot = static_cast<char *>(A->data) + A->len * ElemSize;
      std::memset(Slot, int(I & 0x7f), size_t(ElemSize));
      ++A->len;
    }
    EXPECT_EQ(Caps,
              (std::vector<int64_t>{4, 8, 16, 32, 64, 128, 256, 512, 1024}));
    for (int64_t I = 0; I < 1000; ++I)
      ASSERT_EQ(static_cast<char *>(A->data)[I * ElemSize], char(I & 0x7f));
  }
  // An array made with a length grows from its length.
  kc_array *B = kc_array_new(5, 8, 1);
  static_cast<int64_t *>(B->data)[4] = 99;
  kc_array_reserve_one(B, 8);
  EXPECT_EQ(B->cap, 10);
  EXPECT_EQ(B->len, 5);
  EXPECT_EQ(static_cast<int64_t *>(B->data)[4], 99);
  // Room already there: nothing moves.
  void *Data = B->data;
  kc_array_reserve_one(B, 8);
  EXPECT_EQ(B->data, Data);
}

//===----------------------------------------------------------------------===//
// Maps
//===----------------------------------------------------------------------===//

TEST_F(KcrtTest, MapIntKeys) {
  kc_map *M = kc_map_new(KC_MAP_INT_KEYS);
  EXPECT_EQ(kc_map_len(M), 0);
  EXPECT_EQ(kc_map_find_int(M, 1), nullptr);
  *kc_map_slot_int(M, 10) = 100;
  *kc_map_slot_int(M, -5) = 50;
  *kc_map_slot_int(M, 0) = 7;
  EXPECT_EQ(kc_map_len(M), 3);
  ASSERT_NE(kc_map_find_int(M, 10), nullptr);
  EXPECT_EQ(*kc_map_find_int(M, 10), 100u);
  EXPECT_EQ(*kc_map_find_int(M, -5), 50u);
  EXPECT_EQ(*kc_map_find_int(M, 0), 7u);
  EXPECT_EQ(kc_map_find_int(M, 11), nullptr);
  // Overwrite keeps the order and the length.
  *kc_map_slot_int(M, 10) += 1;
  EXPECT_EQ(kc_map_len(M), 3);
  EXPECT_EQ(kc_map_key_int_at(M, 0), 10);
  EXPECT_EQ(kc_map_key_int_at(M, 1), -5);
  EXPECT_EQ(kc_map_key_int_at(M, 2), 0);
  EXPECT_EQ(kc_map_value_at(M, 0), 101u);
  // A new slot is zero.
  EXPECT_EQ(*kc_map_slot_int(M, 12345), 0u);
  EXPECT_EQ(kc_map_len(M), 4);
}

TEST_F(KcrtTest, MapManyIntKeysKeepOrder) {
  kc_map *M = kc_map_new(KC_MAP_INT_KEYS);
  const int64_t N = 100000;
  // Keys that share their low bits, negative keys and extremes stress the
  // hash and the probing.
  auto Key = [](int64_t I) {
    switch (I % 4) {
    case 0:
      return I << 32;
    case 1:
      return -I;
    case 2:
      return I * 1000003;
    default:
      return (I % 8 == 3) ? INT64_MIN + I : INT64_MAX - I;
    }
  };
  for (int64_t I = 0; I < N; ++I)
    *kc_map_slot_int(M, Key(I)) = uint64_t(I) * 3;
  ASSERT_EQ(kc_map_len(M), N);
  for (int64_t I = 0; I < N; ++I) {
    uint64_t *V = kc_map_find_int(M, Key(I));
    ASSERT_NE(V, nullptr) << I;
    ASSERT_EQ(*V, uint64_t(I) * 3);
    ASSERT_EQ(kc_map_key_int_at(M, I), Key(I));
    ASSERT_EQ(kc_map_value_at(M, I), uint64_t(I) * 3);
  }
  for (int64_t I = 1; I < 1000; ++I)
    ASSERT_EQ(kc_map_find_int(M, (I << 32) + 1), nullptr);
}

// kc_alloc hands out recycled memory as it was left; maps must not
// mistake old bytes for occupied slots.
TEST_F(KcrtTest, MapsWorkInRecycledMemory) {
  kc_arena_reset();
  for (int I = 0; I < 4000; ++I)
    std::memset(kc_alloc(1000), 0xff, 1000);
  kc_arena_reset();
  kc_map *M = kc_map_new(KC_MAP_INT_KEYS);
  for (int64_t I = 0; I < 20000; ++I) {
    ASSERT_EQ(kc_map_find_int(M, I), nullptr) << I;
    uint64_t *Slot = kc_map_slot_int(M, I);
    ASSERT_EQ(*Slot, 0u) << I;
    *Slot = uint64_t(I) + 1;
  }
  EXPECT_EQ(kc_map_len(M), 20000);
  for (int64_t I = 0; I < 20000; ++I)
    ASSERT_EQ(*kc_map_find_int(M, I), uint64_t(I) + 1);
  EXPECT_EQ(kc_map_find_int(M, 20000), nullptr);
}

// Short str keys are copied into the map's own blocks (16 KiB each), long
// ones kept as they are: across several blocks and on both sides of the
// 256-byte cut, every key is found and keeps its text and order.
TEST_F(KcrtTest, MapStrKeysAcrossKeyBlocks) {
  kc_map *M = kc_map_new(KC_MAP_STR_KEYS);
  std::vector<std::string> Keys;
  for (int I = 0; I < 3000; ++I)
    Keys.push_back(std::string(size_t(I % 300), 'k') + std::to_string(I));
  for (size_t I = 0; I < Keys.size(); ++I)
    *kc_map_slot_str(M, kc_str_from(Keys[I].data(), int64_t(Keys[I].size()))) =
        I;
  ASSERT_EQ(kc_map_len(M), int64_t(Keys.size()));
  for (size_t I = 0; I < Keys.size(); ++I) {
    uint64_t *V =
        kc_map_find_str(M, kc_str_from(Keys[I].data(), int64_t(Keys[I].size())));
    ASSERT_NE(V, nullptr) << I;
    ASSERT_EQ(*V, I);
    ASSERT_EQ(text(kc_map_key_str_at(M, int64_t(I))), Keys[I]);
  }
}

TEST_F(KcrtTest, MapSlotStableUntilInsertion) {
  kc_map *M = kc_map_new(KC_MAP_INT_KEYS);
  for (int64_t I = 0; I < 1000; ++I)
    *kc_map_slot_int(M, I) = uint64_t(I);
  uint64_t *Slot = kc_map_slot_int(M, 500);
  for (int64_t I = 0; I < 1000; ++I) {
    ASSERT_NE(kc_map_find_int(M, I), nullptr);
    ASSERT_NE(kc_map_slot_int(M, I), nullptr); // existing: no insertion
  }
  EXPECT_EQ(kc_map_slot_int(M, 500), Slot);
  *Slot = 4242;
  EXPECT_EQ(*kc_map_find_int(M, 500), 4242u);
  EXPECT_EQ(kc_map_value_at(M, 500), 4242u);
  // Insertions may move values; the value itself survives.
  for (int64_t I = 1000; I < 5000; ++I)
    *kc_map_slot_int(M, I) = 1;
  EXPECT_EQ(*kc_map_find_int(M, 500), 4242u);
}

TEST_F(KcrtTest, MapRemoveKeepsOrder) {
  kc_map *M = kc_map_new(KC_MAP_INT_KEYS);
  for (int64_t I = 0; I < 10; ++I)
    *kc_map_slot_int(M, I) = uint64_t(I) * 10;
  for (int64_t I = 0; I < 10; I += 2)
    EXPECT_TRUE(kc_map_remove_int(M, I)) << I;
  EXPECT_FALSE(kc_map_remove_int(M, 4)); // already gone
  EXPECT_FALSE(kc_map_remove_int(M, 42));
  EXPECT_EQ(kc_map_len(M), 5);
  for (int64_t I = 0; I < 10; ++I) {
    uint64_t *V = kc_map_find_int(M, I);
    if (I % 2) {
      ASSERT_NE(V, nullptr) << I;
      EXPECT_EQ(*V, uint64_t(I) * 10);
    } else {
      EXPECT_EQ(V, nullptr) << I;
    }
  }
  // A removed key comes back at the end of the order.
  *kc_map_slot_int(M, 4) = 44;
  kc_map_pack(M);
  ASSERT_EQ(kc_map_len(M), 6);
  const int64_t Order[] = {1, 3, 5, 7, 9, 4};
  for (int64_t I = 0; I < 6; ++I) {
    EXPECT_EQ(kc_map_key_int_at(M, I), Order[I]);
    EXPECT_EQ(kc_map_value_at(M, I), Order[I] == 4 ? 44u : uint64_t(Order[I]) * 10);
  }
  kc_array *Keys = kc_map_keys(M);
  ASSERT_EQ(Keys->len, 6);
  for (int64_t I = 0; I < 6; ++I)
    EXPECT_EQ(static_cast<int64_t *>(Keys->data)[I], Order[I]);
  // Removing everything, from the end too, leaves an empty map that works.
  for (int64_t K : {4, 9, 1, 7, 5, 3})
    EXPECT_TRUE(kc_map_remove_int(M, K));
  EXPECT_EQ(kc_map_len(M), 0);
  kc_map_pack(M);
  *kc_map_slot_int(M, 8) = 80;
  kc_map_pack(M);
  EXPECT_EQ(kc_map_len(M), 1);
  EXPECT_EQ(kc_map_key_int_at(M, 0), 8);
  EXPECT_EQ(kc_map_value_at(M, 0), 80u);
}

TEST_F(KcrtTest, MapRemoveStrKeys) {
  kc_map *M = kc_map_new(KC_MAP_STR_KEYS);
  for (const char *K : {"a", "bb", "", "ccc"})
    *kc_map_slot_str(M, str(K)) = std::strlen(K) + 1;
  // Fresh strings with the same bytes remove the same entries.
  EXPECT_TRUE(kc_map_remove_str(M, kc_str_slice(str("xbbx"), 1, 3, 1)));
  EXPECT_FALSE(kc_map_remove_str(M, str("bb")));
  EXPECT_TRUE(kc_map_remove_str(M, str("")));
  EXPECT_FALSE(kc_map_remove_str(M, str("c")));
  EXPECT_EQ(kc_map_find_str(M, str("bb")), nullptr);
  EXPECT_EQ(*kc_map_find_str(M, str("ccc")), 4u);
  kc_map_pack(M);
  ASSERT_EQ(kc_map_len(M), 2);
  EXPECT_EQ(text(kc_map_key_str_at(M, 0)), "a");
  EXPECT_EQ(text(kc_map_key_str_at(M, 1)), "ccc");
  EXPECT_EQ(kc_map_value_at(M, 1), 4u);
}

TEST_F(KcrtTest, MapRemoveMatchesAModel) {
  // Random insertions, overwrites and removals checked against an ordered
  // model. Small key sets keep the index small, so probe runs often wrap
  // around its end and removal's backward shift must move slots across it;
  // keys that share their low bits make long runs in the large one.
  for (int64_t Space : {5, 12, 40, 3000}) {
    kc_map *M = kc_map_new(KC_MAP_INT_KEYS);
    std::vector<int64_t> Order;        // keys in insertion order
    std::map<int64_t, uint64_t> Model; // key -> value
    uint64_t Seed = 12345 + uint64_t(Space);
    auto Next = [&] {
      Seed = Seed * 6364136223846793005ULL + 1442695040888963407ULL;
      return Seed >> 33;
    };
    size_t Half = size_t(Space) / 2;
    int Steps = Space < 100 ? 20000 : 200000;
    for (int Step = 0; Step < Steps; ++Step) {
      int64_t R = int64_t(Next() % uint64_t(Space));
      int64_t Key = R % 3 == 0 ? R << 32 : R % 3 == 1 ? -R : R * 977;
      bool Remove = Next() % 100 < (Model.size() > Half ? 60 : 40);
      if (Remove) {
        bool Had = Model.erase(Key);
        ASSERT_EQ(kc_map_remove_int(M, Key), Had) << Space << " " << Step;
        if (Had)
          Order.erase(std::find(Order.begin(), Order.end(), Key));
      } else {
        uint64_t V = Next();
        if (!Model.count(Key))
          Order.push_back(Key);
        Model[Key] = V;
        *kc_map_slot_int(M, Key) = V;
      }
      ASSERT_EQ(kc_map_len(M), int64_t(Model.size())) << Step;
      if (Space < 100 || Step % 5000 == 0 || Step == Steps - 1) {
        for (const auto &[K, V] : Model) {
          uint64_t *Slot = kc_map_find_int(M, K);
          ASSERT_NE(Slot, nullptr) << Space << " " << Step << " " << K;
          ASSERT_EQ(*Slot, V);
        }
        kc_map_pack(M);
        for (size_t I = 0; I < Order.size(); ++I) {
          ASSERT_EQ(kc_map_key_int_at(M, int64_t(I)), Order[I]) << Step;
          ASSERT_EQ(kc_map_value_at(M, int64_t(I)), Model[Order[I]]);
        }
      }
    }
  }
}

TEST_F(KcrtTest, MapChurnStaysSmall) {
  // A cache's pattern: as many removals as insertions. Holes are packed
  // away instead of growing the entries, so memory stays bounded.
  kc_map *M = kc_map_new(KC_MAP_INT_KEYS);
  for (int64_t I = 0; I < 1000; ++I)
    *kc_map_slot_int(M, I) = uint64_t(I);
  int64_t Before = kc_arena_bytes();
  for (int64_t I = 1000; I < 1000000; ++I) {
    ASSERT_TRUE(kc_map_remove_int(M, I - 1000));
    *kc_map_slot_int(M, I) = uint64_t(I);
  }
  EXPECT_LT(kc_arena_bytes() - Before, int64_t(1) << 20);
  kc_map_pack(M);
  ASSERT_EQ(kc_map_len(M), 1000);
  for (int64_t I = 0; I < 1000; ++I)
    ASSERT_EQ(kc_map_key_int_at(M, I), 999000 + I);
}

TEST_F(KcrtTest, MapStrKeysCompareByContent) {
  kc_map *M = kc_map_new(KC_MAP_STR_KEYS);
  *kc_map_slot_str(M, str("apple")) = 1;
  *kc_map_slot_str(M, str("")) = 2;
  std::string Long(100, 'x');
  *kc_map_slot_str(M, kc_str_from(Long.data(), 100)) = 3;
  Long[99] = 'y';
  *kc_map_slot_str(M, kc_str_from(Long.data(), 100)) = 4;
  EXPECT_EQ(kc_map_len(M), 4);
  // Fresh strings with the same bytes find the same entries.
  EXPECT_EQ(*kc_map_find_str(M, str("apple")), 1u);
  EXPECT_EQ(*kc_map_find_str(M, kc_str_slice(str("pineapple"), 4, 9, 1)), 1u);
  EXPECT_EQ(*kc_map_find_str(M, str("")), 2u);
  EXPECT_EQ(*kc_map_find_str(M, kc_str_from(Long.data(), 100)), 4u);
  Long[99] = 'x';
  EXPECT_EQ(*kc_map_find_str(M, kc_str_from(Long.data(), 100)), 3u);
  EXPECT_EQ(kc_map_find_str(M, str("appl")), nullptr);
  EXPECT_EQ(kc_map_find_str(M, str("apples")), nullptr);
  EXPECT_EQ(kc_map_find_str(M, kc_str_from("apple\0", 6)), nullptr);
  *kc_map_slot_str(M, str("apple")) += 10;
  EXPECT_EQ(kc_map_len(M), 4);
  EXPECT_EQ(text(kc_map_key_str_at(M, 0)), "apple");
  EXPECT_EQ(text(kc_map_key_str_at(M, 1)), "");
  EXPECT_EQ(kc_map_key_str_at(M, 2)->len, 100);
  EXPECT_EQ(kc_map_value_at(M, 0), 11u);
}

TEST_F(KcrtTest, MapManyStrKeysKeepOrder) {
  kc_map *M = kc_map_new(KC_MAP_STR_KEYS);
  const int64_t N = 100000;
  auto Key = [](int64_t I) {
    // Lengths 1..~40 so every hash path (short, medium, long) is taken.
    std::string S = "k" + std::to_string(I);
    S.append(size_t(I % 37), char('a' + I % 26));
    return S;
  };
  for (int64_t I = 0; I < N; ++I) {
    std::string K = Key(I);
    *kc_map_slot_str(M, kc_str_from(K.data(), int64_t(K.size()))) = uint64_t(I);
  }
  ASSERT_EQ(kc_map_len(M), N);
  for (int64_t I = 0; I < N; ++I) {
    std::string K = Key(I);
    uint64_t *V = kc_map_find_str(M, kc_str_from(K.data(), int64_t(K.size())));
    ASSERT_NE(V, nullptr) << K;
    ASSERT_EQ(*V, uint64_t(I));
    ASSERT_EQ(text(kc_map_key_str_at(M, I)), K);
  }
}

TEST_F(KcrtTest, MapWordCount) {
  // The word-count kernel's pattern, checked against std::map.
  std::string Text;
  for (int I = 0; I < 20000; ++I)
    Text += "w" + std::to_string((I * 7919) % 613) + " ";
  kc_str *S = kc_str_from(Text.data(), int64_t(Text.size()));
  kc_map *M = kc_map_new(KC_MAP_STR_KEYS);
  std::map<std::string, uint64_t> Expected;
  int64_t Start = 0;
  for (int64_t I = 0; I < S->len; ++I) {
    if (S->data[I] != ' ')
      continue;
    kc_str *Word = kc_str_slice(S, Start, I, 1);
    *kc_map_slot_str(M, Word) += 1;
    ++Expected[text(Word)];
    Start = I + 1;
  }
  ASSERT_EQ(kc_map_len(M), int64_t(Expected.size()));
  std::set<std::string> Seen;
  for (int64_t I = 0; I < kc_map_len(M); ++I) {
    std::string K = text(kc_map_key_str_at(M, I));
    EXPECT_TRUE(Seen.insert(K).second);
    EXPECT_EQ(kc_map_value_at(M, I), Expected[K]);
  }
}

//===----------------------------------------------------------------------===//
// Symbols
//===----------------------------------------------------------------------===//

TEST_F(KcrtTest, SymbolTableCoversTheHeader) {
  std::map<std::string, void *> Table;
  for (const kc_runtime_symbol *S = kc_runtime_symbols(); S->name; ++S) {
    EXPECT_NE(S->address, nullptr) << S->name;
    EXPECT_TRUE(Table.emplace(S->name, S->address).second) << S->name;
  }
  EXPECT_EQ(Table["kc_alloc"], reinterpret_cast<void *>(&kc_alloc));
  EXPECT_EQ(Table["kc_map_slot_str"],
            reinterpret_cast<void *>(&kc_map_slot_str));

  // Every function declared in kcrt.h must be in the table. (Not from
  // __FILE__: Ninja passes a relative path when the build directory is
  // inside the source tree, and the test was skipped.)
  std::string Header = std::string(KC_SOURCE_DIR) + "/runtimes/native/kcrt.h";
  std::ifstream In(Header);
  ASSERT_TRUE(In) << "kcrt.h not found at " << Header;
  std::stringstream Buf;
  Buf << In.rdbuf();
  std::string Src = Buf.str();
  std::regex Decl(R"(\b(kc_[a-z0-9_]+)\s*\()");
  std::set<std::string> Declared;
  for (auto It = std::sregex_iterator(Src.begin(), Src.end(), Decl);
       It != std::sregex_iterator(); ++It)
    Declared.insert((*It)[1]);
  Declared.erase("kc_entry_fn"); // a typedef, `(*kc_entry_fn)`
  EXPECT_GE(Declared.size(), 25u);
  for (const std::string &Name : Declared)
    EXPECT_TRUE(Table.count(Name)) << Name << " is missing from the table";
}

} // namespace
