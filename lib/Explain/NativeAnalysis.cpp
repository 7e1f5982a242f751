//===- NativeAnalysis.cpp - Reading LLVM's assembly and remarks -----------===//
//
// The assembly is what AsmPrinter writes with AsmVerbose on: a block starts
// at ".LBB<f>_<n>:" or at the comment "# %bb.<n>:"; the comment lines right
// after it give its loop (AsmPrinter's emitBasicBlockLoopComments):
//   "#   in Loop: Header=BB<f>_<h> Depth=<d>"        a block of loop h
//   "#   Parent Loop BB<f>_<p> Depth=<d>"            (a header's ancestors)
//   "# =>This [Inner ]Loop Header: Depth=<d>"        the header itself
//   "#     Child Loop BB<f>_<c> Depth <d>"
//
//===----------------------------------------------------------------------===//

#include "Explain/NativeAnalysis.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringExtras.h"
#include <algorithm>

using namespace llvm;

namespace kc {
namespace explain {
namespace native {

const AsmLoop *AsmFunction::loop(unsigned Header) const {
  for (const AsmLoop &L : Loops)
    if (L.Header == Header)
      return &L;
  return nullptr;
}

/// "BB1_12" (after "Header=" or "Loop ") -> 12.
static std::optional<unsigned> blockNumber(StringRef S) {
  if (!S.consume_front("BB"))
    return std::nullopt;
  S = S.split('_').second;
  unsigned N;
  if (S.take_while(isDigit).getAsInteger(10, N))
    return std::nullopt;
  return N;
}

/// The number after "Depth=" or "Depth ".
static unsigned depthIn(StringRef S) {
  size_t At = S.find("Depth");
  if (At == StringRef::npos)
    return 0;
  S = S.drop_front(At + 5).ltrim("= ");
  unsigned D = 0;
  S.take_while(isDigit).getAsInteger(10, D);
  return D;
}

namespace {
struct Block {
  unsigned Number;
  std::optional<unsigned> LoopHeader;  // innermost loop it belongs to
  unsigned Depth = 0;
  bool IsHeader = false;
  std::optional<unsigned> ParentHeader;  // for a header: the enclosing loop
  std::vector<unsigned> Lines;
};

class FunctionParser {
public:
  explicit FunctionParser(StringRef Name) { F.Name = Name.str(); }

  void line(StringRef Raw) {
    StringRef T = Raw.trim();
    if (T.empty())
      return;
    // Block starts.
    if (T.starts_with(".LBB") && T.contains(':')) {
      StringRef Label = T.split(':').first;
      if (auto N = blockNumber(Label.drop_front(2))) // ".LBB1_4" -> "BB1_4"
        startBlock(*N);
      add(Raw.rtrim(), /*Instruction=*/false);
      return;
    }
    if (T.starts_with("# %bb.")) {
      unsigned N;
      if (!T.drop_front(6).take_while(isDigit).getAsInteger(10, N))
        startBlock(N);
      add(Raw.rtrim(), false);
      return;
    }
    if (T.starts_with("#")) {
      loopComment(T);
      add(Raw.rtrim(), false);
      return;
    }
    if (T.starts_with(".loc")) {
      // .loc FILE LINE COL [flags]
      SmallVector<StringRef, 6> Parts;
      T.split(Parts, ' ', -1, false);
      SmallVector<StringRef, 6> Fields;
      for (StringRef P : Parts)
        for (StringRef Q : split(P, '\t'))
          if (!Q.empty())
            Fields.push_back(Q);
      unsigned L = 0;
      if (Fields.size() >= 3 && !Fields[2].getAsInteger(10, L))
        Loc = L;
      return;
    }
    if (T.starts_with(".") || T.ends_with(":"))
      return;  // directives, .Ltmp labels
    add(Raw.rtrim(), /*Instruction=*/true);
  }

  AsmFunction finish() {
    // Loops: one per header, holding every block whose chain of innermost
    // loops reaches it.
    std::map<unsigned, const Block *> Headers;
    for (const Block &B : Blocks)
      if (B.IsHeader)
        Headers[B.Number] = &B;
    auto ParentOf = [&](unsigned H) -> std::optional<unsigned> {
      auto It = Headers.find(H);
      return It == Headers.end() ? std::nullopt : It->second->ParentHeader;
    };
    for (const Block &B : Blocks) {
      if (!B.IsHeader)
        continue;
      AsmLoop L;
      L.Header = B.Number;
      L.Depth = B.Depth;
      L.Parent = B.ParentHeader;
      L.Innermost = true;
      F.Loops.push_back(L);
    }
    for (AsmLoop &L : F.Loops)
      for (const AsmLoop &M : F.Loops)
        if (M.Parent && *M.Parent == L.Header)
          L.Innermost = false;
    for (const Block &B : Blocks) {
      // Walk from the block's innermost loop outwards.
      std::optional<unsigned> H = B.LoopHeader;
      unsigned Guard = 0;
      while (H && Guard++ < 64) {
        for (AsmLoop &L : F.Loops)
          if (L.Header == *H)
            for (unsigned I : B.Lines) {
              L.Lines.push_back(I);
              if (F.IsInstruction[I]) {
                ++L.Instructions;
                if (F.SourceLines[I])
                  L.SourceLines.insert(F.SourceLines[I]);
              }
            }
        H = ParentOf(*H);
      }
    }
    for (AsmLoop &L : F.Loops)
      llvm::sort(L.Lines);
    return std::move(F);
  }

private:
  AsmFunction F;
  std::vector<Block> Blocks;
  unsigned Loc = 0;

  void startBlock(unsigned N) {
    Block B;
    B.Number = N;
    Blocks.push_back(B);
  }

  void loopComment(StringRef T) {
    if (Blocks.empty())
      return;
    Block &B = Blocks.back();
    if (T.contains("in Loop: Header=")) {
      StringRef After = T.split("Header=").second;
      B.LoopHeader = blockNumber(After);
      B.Depth = depthIn(After);
    } else if (T.contains("Parent Loop ")) {
      // Printed outermost first: the last one is the immediate parent.
      B.ParentHeader = blockNumber(T.split("Parent Loop ").second);
    } else if (T.contains("Loop Header: Depth=")) {
      B.IsHeader = true;
      B.LoopHeader = B.Number;
      B.Depth = depthIn(T);
    }
  }

  void add(StringRef Text, bool Instruction) {
    unsigned I = F.Lines.size();
    F.Lines.push_back(Text.str());
    F.SourceLines.push_back(Instruction ? Loc : 0);
    F.IsInstruction.push_back(Instruction);
    if (Instruction)
      ++F.Instructions;
    if (!Blocks.empty())
      Blocks.back().Lines.push_back(I);
  }
};
} // namespace

std::vector<AsmFunction> parseAsm(StringRef Asm) {
  std::vector<AsmFunction> Out;
  std::set<std::string> Functions;  // names declared with .type NAME,@function
  std::optional<FunctionParser> Cur;
  SmallVector<StringRef, 0> Lines;
  Asm.split(Lines, '\n');
  for (StringRef Raw : Lines) {
    StringRef T = Raw.trim();
    if (T.starts_with(".type") && T.ends_with("@function")) {
      StringRef Name = T.drop_front(5).trim().split(',').first.trim();
      Functions.insert(Name.str());
      continue;
    }
    if (!Cur) {
      // A function starts at its label, in column 0: "fnv1a:  # @fnv1a".
      StringRef Label = T.split('#').first.trim();
      if (!Raw.empty() && !isSpace(Raw[0]) && Label.ends_with(":") &&
          Functions.count(Label.drop_back().str()))
        Cur.emplace(Label.drop_back());
      continue;
    }
    if (T.starts_with(".Lfunc_end") || T.starts_with(".size")) {
      Out.push_back(Cur->finish());
      Cur.reset();
      continue;
    }
    Cur->line(Raw);
  }
  if (Cur)
    Out.push_back(Cur->finish());
  return Out;
}

const AsmLoop *matchLoop(const AsmFunction &F,
                         const std::set<unsigned> &IRLines) {
  const AsmLoop *Best = nullptr;
  size_t BestShared = 0;
  for (const AsmLoop &L : F.Loops) {
    if (!L.Innermost)
      continue;
    size_t Shared = 0;
    for (unsigned Line : L.SourceLines)
      Shared += IRLines.count(Line);
    auto Key = std::make_tuple(Shared, L.Depth, L.Instructions);
    if (!Best ||
        Key > std::make_tuple(BestShared, Best->Depth, Best->Instructions)) {
      Best = &L;
      BestShared = Shared;
    }
  }
  return Best;
}

/// The reason in "loop not vectorized: <reason>", or the whole message.
static std::string reasonOf(StringRef Message) {
  StringRef M = Message.trim();
  if (M.consume_front("loop not vectorized:"))
    return M.trim().str();
  return M.str();
}

std::vector<LoopStory> loopStories(ArrayRef<llvmgen::Remark> Remarks) {
  std::vector<LoopStory> Out;
  auto Find = [&](const llvmgen::Remark &R) -> LoopStory & {
    for (LoopStory &S : Out)
      if (S.Function == R.Function && S.Line == R.Line)
        return S;
    LoopStory S;
    S.Function = R.Function;
    S.Line = R.Line;
    S.Col = R.Col;
    Out.push_back(std::move(S));
    return Out.back();
  };
  // The vectorizer's analysis remark (why) comes first, located at the
  // instruction it blames; the missed remark that follows is at the loop.
  std::map<std::string, const llvmgen::Remark *> Why;
  for (const llvmgen::Remark &R : Remarks) {
    unsigned N = 0;
    if (R.Pass == "loop-vectorize") {
      if (R.Kind == llvmgen::Remark::Analysis) {
        Why[R.Function] = &R;
        continue;
      }
      LoopStory &S = Find(R);
      S.SeenByVectorizer = true;
      if (R.Kind == llvmgen::Remark::Passed) {
        if (R.Name == "Vectorized") {
          S.Vectorized = true;
          to_integer(R.arg("VectorizationFactor"), S.Width);
        }
        to_integer(R.arg("InterleaveCount"), S.Interleave);
        S.NotVectorizedWhy.clear();
        continue;
      }
      if (S.Vectorized || !S.NotVectorizedWhy.empty())
        continue;
      const llvmgen::Remark *A = Why[R.Function];
      Why.erase(R.Function);
      if (A) {
        S.NotVectorizedWhy = reasonOf(A->Message);
        if (A->Line && A->Line != R.Line)
          S.NotVectorizedWhy += " (line " + std::to_string(A->Line) + ")";
      } else if (reasonOf(R.Message) != "loop not vectorized") {
        // The cost model's verdict is a missed remark of its own.
        S.NotVectorizedWhy = reasonOf(R.Message);
      }
      continue;
    }
    if (R.Pass == "loop-unroll" && R.Kind == llvmgen::Remark::Passed) {
      LoopStory &S = Find(R);
      if (R.Name == "FullyUnrolled")
        S.Unrolled = "fully (" + R.arg("UnrollCount").str() + " iterations)";
      else if (!R.arg("UnrollCount").empty())
        S.Unrolled = "by a factor of " + R.arg("UnrollCount").str();
      else
        S.Unrolled = R.Message;
      continue;
    }
    if (R.Pass == "regalloc" && R.Name == "LoopSpillReloadCopies") {
      LoopStory &S = Find(R);
      if (to_integer(R.arg("NumSpills"), N))
        S.Spills += N;
      if (to_integer(R.arg("NumFoldedSpills"), N))
        S.Spills += N;
      if (to_integer(R.arg("NumReloads"), N))
        S.Reloads += N;
      if (to_integer(R.arg("NumFoldedReloads"), N))
        S.Reloads += N;
    }
  }
  return Out;
}

InlineStory inlineStory(ArrayRef<llvmgen::Remark> Remarks) {
  InlineStory S;
  for (const llvmgen::Remark &R : Remarks) {
    if (R.Pass != "inline")
      continue;
    std::string Callee = R.arg("Callee").str();
    if (Callee.empty())
      continue;
    if (R.Kind == llvmgen::Remark::Passed && R.Name == "Inlined")
      S.Inlined.emplace_back(Callee, R.arg("Caller").str());
    else if (R.Kind == llvmgen::Remark::Missed)
      S.NotInlined.emplace(Callee, R.Name);
  }
  // A callee inlined at one call site and not at another is both.
  return S;
}

} // namespace native
} // namespace explain
} // namespace kc
