//===- NativeAnalysisTest.cpp - Reading LLVM's assembly and remarks -------===//
//
// The assembly is a fragment of what LLVM 19's AsmPrinter wrote (llc -O2,
// verbose) for benchmarks/kernels/levenshtein.k with kernelc -g: the row
// loop and the column loop inside it. Expected values are counted by hand
// from the fragment.
//
//===----------------------------------------------------------------------===//

#include "Explain/NativeAnalysis.h"
#include "gtest/gtest.h"

using namespace kc;
using namespace kc::explain::native;
using kc::llvmgen::Remark;

namespace {

const char *Levenshtein = R"ASM(	.text
	.globl	levenshtein
	.p2align	4, 0x90
	.type	levenshtein,@function
levenshtein:                            # @levenshtein
.Lfunc_begin1:
	.loc	0 11 0 is_stmt 1                # levenshtein.k:11:0
	.cfi_startproc
# %bb.0:                                # %entry
	pushq	%rbp
	.cfi_def_cfa_offset 16
	pushq	%r15
	.cfi_def_cfa_offset 24
	pushq	%r14
	.cfi_def_cfa_offset 32
.LBB1_14:                               # %for.end47
                                        #   in Loop: Header=BB1_9 Depth=1
	.loc	0 20 3                          # levenshtein.k:20:3
	leaq	1(%rax), %rdi
	movq	%rdx, %r12
	movq	%rcx, %r15
	movq	8(%rsp), %r9                    # 8-byte Reload
	movq	%rsi, %r8
	cmpq	16(%rsp), %rax                  # 8-byte Folded Reload
	movq	%rdi, %rax
	je	.LBB1_15
.LBB1_9:                                # %ok33
                                        # =>This Loop Header: Depth=1
                                        #     Child Loop BB1_12 Depth 2
	.loc	0 24 12 is_stmt 1               # levenshtein.k:24:12
	movq	(%r8), %rcx
	testq	%rcx, %rcx
	je	.LBB1_21
# %bb.10:                               # %ok39
                                        #   in Loop: Header=BB1_9 Depth=1
	.loc	0 0 12 is_stmt 0                # levenshtein.k:0:12
	movq	%r9, %rsi
	movq	32(%rsp), %rdx                  # 8-byte Reload
	movzbl	7(%rdx,%rax), %edi
	.loc	0 22 20 is_stmt 1               # levenshtein.k:22:20
	movq	(%r12), %r9
	movq	%r8, 8(%rsp)                    # 8-byte Spill
	.loc	0 24 12                         # levenshtein.k:24:12
	movq	16(%r8), %rdx
	movq	%rax, (%rdx)
	testq	%r14, %r14
	.loc	0 25 5                          # levenshtein.k:25:5
	je	.LBB1_14
# %bb.11:                               # %for.body45.preheader
                                        #   in Loop: Header=BB1_9 Depth=1
	leaq	-1(%rcx), %r8
	decq	%r15
	xorl	%r10d, %r10d
	movq	%rax, %r11
	.p2align	4, 0x90
.LBB1_12:                               # %for.body45
                                        #   Parent Loop BB1_9 Depth=1
                                        # =>  This Inner Loop Header: Depth=2
	.loc	0 26 20                         # levenshtein.k:26:20
	cmpq	%r10, %r15
	je	.LBB1_13
# %bb.17:                               # %ok58
                                        #   in Loop: Header=BB1_12 Depth=2
	.loc	0 33 14                         # levenshtein.k:33:14
	cmpq	%r10, %r8
	je	.LBB1_19
# %bb.18:                               # %ok66
                                        #   in Loop: Header=BB1_12 Depth=2
	.loc	0 26 20                         # levenshtein.k:26:20
	movq	8(%r12,%r10,8), %rbp
	.loc	0 27 21                         # levenshtein.k:27:21
	cmpq	%rbp, %r11
	cmovgeq	%rbp, %r11
	.loc	0 27 35 is_stmt 0               # levenshtein.k:27:35
	incq	%r11
	.loc	0 29 19 is_stmt 1               # levenshtein.k:29:19
	xorl	%r13d, %r13d
	cmpb	%dil, 8(%rbx,%r10)
	setne	%r13b
	.loc	0 29 7 is_stmt 0                # levenshtein.k:29:7
	addq	%r13, %r9
	.loc	0 32 11 is_stmt 1               # levenshtein.k:32:11
	cmpq	%r9, %r11
	cmovgeq	%r9, %r11
	.loc	0 33 14                         # levenshtein.k:33:14
	movq	%r11, 8(%rdx,%r10,8)
	.loc	0 25 5                          # levenshtein.k:25:5
	incq	%r10
	movq	%rbp, %r9
	cmpq	%r10, %r14
	jne	.LBB1_12
	jmp	.LBB1_14
.LBB1_15:                               # %for.end23
	.loc	0 41 14                         # levenshtein.k:41:14
	cmpq	%rcx, %r14
	jb	.LBB1_16
# %bb.20:                               # %trap81
	.loc	0 41 0 is_stmt 0                # levenshtein.k:41:0
.Lfunc_end1:
	.size	levenshtein, .Lfunc_end1-levenshtein
)ASM";

TEST(NativeAsm, FunctionsBlocksAndLines) {
  std::vector<AsmFunction> Fs = parseAsm(Levenshtein);
  ASSERT_EQ(Fs.size(), 1u);
  const AsmFunction &F = Fs[0];
  EXPECT_EQ(F.Name, "levenshtein");
  // 3 pushes, then blocks 14 (8), 9 (3), 10 (9), 11 (4), 12 (2), 17 (2),
  // 18 (16), 15 (2); block 20 has none.
  EXPECT_EQ(F.Instructions, 49u);
  ASSERT_EQ(F.Lines.size(), F.SourceLines.size());
  ASSERT_EQ(F.Lines.size(), F.IsInstruction.size());
  // No directive survives.
  for (const std::string &L : F.Lines) {
    EXPECT_EQ(L.find(".loc"), std::string::npos) << L;
    EXPECT_EQ(L.find(".cfi"), std::string::npos) << L;
  }
  // The first push is at the function's line, 11 (.loc 0 11 0).
  auto First = std::find(F.IsInstruction.begin(), F.IsInstruction.end(), true);
  ASSERT_NE(First, F.IsInstruction.end());
  size_t I = First - F.IsInstruction.begin();
  EXPECT_EQ(F.Lines[I], "\tpushq\t%rbp");
  EXPECT_EQ(F.SourceLines[I], 11u);
  // "movq %r9, %rsi" follows ".loc 0 0 12": no source line.
  for (size_t J = 0; J < F.Lines.size(); ++J)
    if (F.Lines[J] == "\tmovq\t%r9, %rsi")
      EXPECT_EQ(F.SourceLines[J], 0u);
  // Labels and comments have no source line.
  for (size_t J = 0; J < F.Lines.size(); ++J)
    if (!F.IsInstruction[J])
      EXPECT_EQ(F.SourceLines[J], 0u) << F.Lines[J];
}

TEST(NativeAsm, LoopNest) {
  std::vector<AsmFunction> Fs = parseAsm(Levenshtein);
  ASSERT_EQ(Fs.size(), 1u);
  const AsmFunction &F = Fs[0];
  ASSERT_EQ(F.Loops.size(), 2u);
  const AsmLoop *Rows = F.loop(9);
  const AsmLoop *Cols = F.loop(12);
  ASSERT_TRUE(Rows && Cols);
  EXPECT_EQ(Rows->Depth, 1u);
  EXPECT_FALSE(Rows->Parent.has_value());
  EXPECT_FALSE(Rows->Innermost);
  EXPECT_EQ(Cols->Depth, 2u);
  ASSERT_TRUE(Cols->Parent.has_value());
  EXPECT_EQ(*Cols->Parent, 9u);
  EXPECT_TRUE(Cols->Innermost);
  // Blocks 12, 17, 18: 2 + 2 + 16 instructions.
  EXPECT_EQ(Cols->Instructions, 20u);
  EXPECT_EQ(Cols->SourceLines, (std::set<unsigned>{25, 26, 27, 29, 32, 33}));
  // The row loop holds blocks 14, 9, 10, 11 (8 + 3 + 9 + 4) and the
  // column loop.
  EXPECT_EQ(Rows->Instructions, 44u);
  EXPECT_EQ(Rows->SourceLines,
            (std::set<unsigned>{20, 22, 24, 25, 26, 27, 29, 32, 33}));
  // The column loop's lines are listed in order and are a subset of the
  // row loop's.
  EXPECT_TRUE(std::is_sorted(Cols->Lines.begin(), Cols->Lines.end()));
  for (unsigned L : Cols->Lines)
    EXPECT_NE(std::find(Rows->Lines.begin(), Rows->Lines.end(), L),
              Rows->Lines.end());
}

TEST(NativeAsm, MatchLoop) {
  std::vector<AsmFunction> Fs = parseAsm(Levenshtein);
  ASSERT_EQ(Fs.size(), 1u);
  // Only innermost loops are candidates.
  const AsmLoop *L = matchLoop(Fs[0], {25, 26, 27});
  ASSERT_TRUE(L);
  EXPECT_EQ(L->Header, 12u);
  // No shared line: still the innermost loop (the only one).
  L = matchLoop(Fs[0], {});
  ASSERT_TRUE(L);
  EXPECT_EQ(L->Header, 12u);
}

TEST(NativeAsm, NoFunctionsInData) {
  EXPECT_TRUE(parseAsm("\t.data\nx:\n\t.quad 1\n").empty());
  EXPECT_TRUE(parseAsm("").empty());
}

Remark make(Remark::KindTy Kind, const char *Pass, const char *Name,
            const char *Fn, unsigned Line, const char *Msg,
            std::vector<std::pair<std::string, std::string>> Args = {}) {
  Remark R;
  R.Kind = Kind;
  R.Pass = Pass;
  R.Name = Name;
  R.Function = Fn;
  R.Line = Line;
  R.Message = Msg;
  R.Args = std::move(Args);
  return R;
}

TEST(NativeRemarks, LoopStories) {
  std::vector<Remark> Rs = {
      // Vectorized 4 wide, interleaved twice.
      make(Remark::Passed, "loop-vectorize", "Vectorized", "f", 9,
           "vectorized loop (vectorization width: 4, interleaved count: 2)",
           {{"String", "vectorized loop (vectorization width: "},
            {"VectorizationFactor", "4"},
            {"String", ", interleaved count: "},
            {"InterleaveCount", "2"}}),
      // Why, at the instruction it blames, then the loop's missed remark.
      make(Remark::Analysis, "loop-vectorize", "CantIdentifyArrayBounds", "f",
           93, "loop not vectorized: cannot identify array bounds"),
      make(Remark::Missed, "loop-vectorize", "MissedDetails", "f", 81,
           "loop not vectorized"),
      // The cost model's verdict is its own missed remark.
      make(Remark::Missed, "loop-vectorize", "VectorizationNotBeneficial", "f",
           14, "the cost-model indicates that vectorization is not beneficial"),
      make(Remark::Passed, "loop-unroll", "FullyUnrolled", "f", 64,
           "completely unrolled loop with 5 iterations",
           {{"UnrollCount", "5"}}),
      make(Remark::Passed, "loop-unroll", "PartialUnrolled", "f", 9,
           "unrolled loop by a factor of 2", {{"UnrollCount", "2"}}),
      make(Remark::Missed, "regalloc", "LoopSpillReloadCopies", "f", 81,
           "2 spills 3 reloads 1 folded reloads generated in loop",
           {{"NumSpills", "2"}, {"NumReloads", "3"}, {"NumFoldedReloads", "1"}}),
      // Another function's loop on the same line is another story.
      make(Remark::Missed, "loop-vectorize", "MissedDetails", "g", 9,
           "loop not vectorized"),
  };
  std::vector<LoopStory> S = loopStories(Rs);
  ASSERT_EQ(S.size(), 5u);
  EXPECT_EQ(S[0].Function, "f");
  EXPECT_EQ(S[0].Line, 9u);
  EXPECT_TRUE(S[0].SeenByVectorizer);
  EXPECT_TRUE(S[0].Vectorized);
  EXPECT_EQ(S[0].Width, 4u);
  EXPECT_EQ(S[0].Interleave, 2u);
  EXPECT_EQ(S[0].Unrolled, "by a factor of 2");
  EXPECT_EQ(S[1].Line, 81u);
  EXPECT_FALSE(S[1].Vectorized);
  EXPECT_EQ(S[1].NotVectorizedWhy, "cannot identify array bounds (line 93)");
  EXPECT_EQ(S[1].Spills, 2u);
  EXPECT_EQ(S[1].Reloads, 4u);
  EXPECT_EQ(S[2].Line, 14u);
  EXPECT_EQ(S[2].NotVectorizedWhy,
            "the cost-model indicates that vectorization is not beneficial");
  EXPECT_EQ(S[3].Line, 64u);
  EXPECT_FALSE(S[3].SeenByVectorizer);
  EXPECT_EQ(S[3].Unrolled, "fully (5 iterations)");
  EXPECT_EQ(S[4].Function, "g");
  EXPECT_TRUE(S[4].NotVectorizedWhy.empty());
}

TEST(NativeRemarks, InlineStory) {
  std::vector<Remark> Rs = {
      make(Remark::Passed, "inline", "Inlined", "main", 3, "",
           {{"Callee", "advance"}, {"Caller", "main"}}),
      make(Remark::Passed, "inline", "Inlined", "main", 4, "",
           {{"Callee", "advance"}, {"Caller", "main"}}),
      make(Remark::Missed, "inline", "NoDefinition", "main", 5, "",
           {{"Callee", "kc_alloc"}, {"Caller", "main"}}),
      make(Remark::Missed, "inline", "TooCostly", "kc_entry", 1, "",
           {{"Callee", "main"}, {"Caller", "kc_entry"}}),
      make(Remark::Passed, "licm", "Hoisted", "main", 5, "hoisting load"),
  };
  InlineStory S = inlineStory(Rs);
  ASSERT_EQ(S.Inlined.size(), 2u);
  EXPECT_EQ(S.Inlined[0], std::make_pair(std::string("advance"),
                                         std::string("main")));
  ASSERT_EQ(S.NotInlined.size(), 2u);
  EXPECT_EQ(S.NotInlined["kc_alloc"], "NoDefinition");
  EXPECT_EQ(S.NotInlined["main"], "TooCostly");
}

} // namespace
