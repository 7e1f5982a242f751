//===- Reduce.cpp - Shrink a kernel while it stays interesting ------------===//
//
// Every edit is made on a copy of the current tree: the places an edit can
// apply to (blocks, statements, expression slots) are enumerated in a fixed
// order, so the N-th place of a copy is the N-th place of the original.
//
// Loops must keep ending, or each candidate costs a timeout: in a loop body
// the statements that bound it (`w += 1` on a name of the condition or of
// a guard, `if ... { break; }`) are never deleted, and a while condition and
// the conditions of those guards are never replaced.
//
//===----------------------------------------------------------------------===//

#include "Fuzz/Reduce.h"
#include "Driver/Driver.h"
#include "Fuzz/AstBuild.h"
#include "Fuzz/AstPrinter.h"
#include "Fuzz/Coverage.h"
#include "Lang/Diagnostics.h"
#include "Lang/Parser.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Program.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/raw_ostream.h"
#include <set>

using namespace kc;
using namespace kc::fuzz;
namespace B = kc::fuzz::build;
using ast::Expr;
using ast::ExprPtr;
using ast::Stmt;
using ast::StmtPtr;

static llvm::Error makeError(const llvm::Twine &Msg) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(), Msg);
}

static std::unique_ptr<kir::Module> compile(const std::string &Text,
                                            bool Checked) {
  SemaOptions SO;
  SO.Checked = Checked;
  std::string Diags;
  llvm::raw_string_ostream DS(Diags);
  auto M = driver::compileSource(
      llvm::MemoryBuffer::getMemBufferCopy(Text, "candidate.k"), DS, SO);
  if (!M) {
    llvm::consumeError(M.takeError());
    return nullptr;
  }
  return std::move(*M);
}

namespace {

// --- Places in the tree
// ----------------------------------------------------------

void namesIn(const Expr &E, std::set<std::string> &Out) {
  if (E.K == Expr::NameRef)
    Out.insert(E.Name);
  for (const ExprPtr &A : E.Args)
    namesIn(*A, Out);
}

bool isBreakGuard(const Stmt &S) {
  return S.K == Stmt::If && S.Then && S.Then->Stmts.size() == 1 &&
         S.Then->Stmts[0]->K == Stmt::Break;
}

/// The statements of a loop body that keep the loop bounded.
std::set<const Stmt *> boundingStmts(const Stmt &Loop) {
  std::set<const Stmt *> Out;
  std::set<std::string> Names;
  if (Loop.K == Stmt::While)
    namesIn(*Loop.Cond, Names);
  for (const StmtPtr &S : Loop.Body->Stmts)
    if (isBreakGuard(*S)) {
      Out.insert(S.get());
      namesIn(*S->Cond, Names);
    }
  for (const StmtPtr &S : Loop.Body->Stmts)
    if (S->K == Stmt::Assign && S->Target->K == Expr::NameRef &&
        Names.count(S->Target->Name))
      Out.insert(S.get());
  return Out;
}

bool isLoop(const Stmt &S) {
  return S.K == Stmt::While || S.K == Stmt::ForRange || S.K == Stmt::ForEach ||
         S.K == Stmt::ForMap;
}

/// Every block and expression slot, in one fixed order.
struct Places {
  std::vector<std::vector<StmtPtr> *> Blocks;
  /// Per block, which of its statements may not be deleted.
  std::vector<std::set<const Stmt *>> Kept;
  std::vector<ExprPtr *> Exprs;
  std::vector<bool> ExprFixed; // may not be replaced

  explicit Places(ast::File &F) {
    for (ast::FunctionDecl &Fn : F.Functions)
      block(Fn.Body->Stmts, {});
  }

  void block(std::vector<StmtPtr> &Stmts, std::set<const Stmt *> KeptHere) {
    Blocks.push_back(&Stmts);
    Kept.push_back(KeptHere);
    for (StmtPtr &S : Stmts)
      stmt(*S, KeptHere.count(S.get()) > 0);
  }

  void stmt(Stmt &S, bool Bounding) {
    std::set<const Stmt *> Inner;
    if (isLoop(S))
      Inner = boundingStmts(S);
    if (S.Target)
      for (ExprPtr &A : S.Target->Args)
        expr(A, false);
    // A while condition and what bounds a loop stay whole: replacing a
    // part could make the loop endless.
    bool Whole = S.K == Stmt::While || Bounding;
    if (S.Cond)
      expr(S.Cond, Whole, Whole);
    if (S.Value)
      expr(S.Value, Bounding, Bounding);
    if (S.Then)
      block(S.Then->Stmts, {});
    if (S.Else)
      block(S.Else->Stmts, {});
    if (S.Body)
      block(S.Body->Stmts, Inner);
  }

  void expr(ExprPtr &E, bool Fixed, bool SubtreeFixed = false) {
    Exprs.push_back(&E);
    ExprFixed.push_back(Fixed);
    for (ExprPtr &A : E->Args)
      expr(A, SubtreeFixed, SubtreeFixed);
  }
};

/// (block, index) of every statement.
std::vector<std::pair<std::vector<StmtPtr> *, size_t>> statements(Places &P) {
  std::vector<std::pair<std::vector<StmtPtr> *, size_t>> Out;
  for (std::vector<StmtPtr> *B : P.Blocks)
    for (size_t I = 0; I < B->size(); ++I)
      Out.emplace_back(B, I);
  return Out;
}

void forEachExpr(Expr &E, const std::function<void(Expr &)> &Fn) {
  Fn(E);
  for (ExprPtr &A : E.Args)
    forEachExpr(*A, Fn);
}

void forEachExpr(std::vector<StmtPtr> &Stmts,
                 const std::function<void(Expr &)> &Fn) {
  for (StmtPtr &S : Stmts) {
    for (ExprPtr *E : {&S->Target, &S->Cond, &S->Value})
      if (*E)
        forEachExpr(**E, Fn);
    for (auto *Blk : {S->Then.get(), S->Else.get(), S->Body.get()})
      if (Blk)
        forEachExpr(Blk->Stmts, Fn);
  }
}

void forEachExpr(ast::File &F, const std::function<void(Expr &)> &Fn) {
  for (ast::FunctionDecl &Fn2 : F.Functions)
    forEachExpr(Fn2.Body->Stmts, Fn);
}

/// Small literals an expression may be replaced by (the front-end keeps the
/// ones of the right type).
std::vector<ExprPtr> literalsFor(const Expr &E) {
  std::vector<ExprPtr> Out;
  if (E.K == Expr::IntLit && E.IntValue <= 1)
    return Out;
  if (E.K == Expr::FloatLit && E.FloatValue == 0)
    return Out;
  if ((E.K == Expr::StrLit && E.Str.empty()) || E.K == Expr::BoolLit ||
      E.K == Expr::NullLit || E.K == Expr::MapLit ||
      (E.K == Expr::ArrayLit && E.Args.empty()))
    return Out;
  Out.push_back(B::intLit(0));
  Out.push_back(B::intLit(1));
  Out.push_back(B::floatLit(0.0));
  Out.push_back(B::strLit(""));
  Out.push_back(B::boolLit(false));
  Out.push_back(B::boolLit(true));
  Out.push_back(B::nullLit());
  Out.push_back(B::arrayLit({}));
  Out.push_back(B::mapLit());
  return Out;
}

// --- The reducer
// -----------------------------------------------------------------

class Reducer {
public:
  Reducer(const InterestingFn &Interesting, const ReduceOptions &Opts)
      : Interesting(Interesting), Opts(Opts) {}

  llvm::Expected<std::string> run(const std::string &Source) {
    llvm::SourceMgr SM;
    unsigned ID = SM.AddNewSourceBuffer(
        llvm::MemoryBuffer::getMemBufferCopy(Source, "input.k"), llvm::SMLoc());
    std::string Diags;
    llvm::raw_string_ostream DS(Diags);
    DiagnosticEngine DE(SM, DS);
    Parser P(SM.getMemoryBuffer(ID)->getBuffer(), DE);
    Cur = P.parseFile();
    if (DE.hasErrors())
      return makeError("the kernel to reduce does not parse:\n" + DS.str());
    CurText = render(Cur);
    if (!compile(CurText, Opts.Checked))
      return makeError("the kernel to reduce does not pass the front-end");
    ++Tests;
    if (!Interesting(CurText))
      return makeError("the kernel to reduce is not interesting to begin "
                       "with (it does not diverge, or the predicate fails)");
    log("start: " + std::to_string(lines()) + " lines");
    bool Changed = true;
    while (Changed && !Stop) {
      Changed = false;
      Changed |= deleteFunctions();
      Changed |= deleteRecords();
      Changed |= deleteStatements();
      Changed |= flattenStatements();
      Changed |= deleteElses();
      Changed |= deleteFields();
      Changed |= deleteParams();
      Changed |= simplifyExprs();
      Changed |= simplifyWorkload();
    }
    log("done: " + std::to_string(lines()) + " lines after " +
        std::to_string(Tests) + " tests");
    return CurText;
  }

private:
  const InterestingFn &Interesting;
  ReduceOptions Opts;
  ast::File Cur;
  std::string CurText;
  std::set<std::string> Tried;
  unsigned Tests = 0;
  bool Stop = false;

  size_t lines() const { return size_t(llvm::count(CurText, '\n')); }

  void log(const std::string &Msg) {
    if (Opts.Log)
      *Opts.Log << "kc-difffuzz reduce: " << Msg << "\n";
  }

  std::string render(const ast::File &F) const {
    std::string Text = "// Reduced by kc-difffuzz.\n";
    if (Opts.Checked)
      Text += std::string(CheckedMarker) + "\n";
    return Text + "\n" + printFile(F);
  }

  /// Keeps \p Cand when it is well-typed and interesting.
  bool attempt(ast::File Cand, llvm::StringRef What) {
    if (Stop)
      return false;
    std::string Text = render(Cand);
    if (!Tried.insert(Text).second)
      return false;
    if (!compile(Text, Opts.Checked))
      return false;
    if (Tests >= Opts.MaxTests) {
      Stop = true;
      return false;
    }
    ++Tests;
    if (!Interesting(Text))
      return false;
    Cur = std::move(Cand);
    CurText = std::move(Text);
    log(What.str() + ": " + std::to_string(lines()) + " lines");
    return true;
  }

  bool deleteFunctions() {
    bool Any = false;
    for (size_t I = 0; I < Cur.Functions.size();) {
      ast::File C = B::clone(Cur);
      std::string Name = C.Functions[I].Name;
      C.Functions.erase(C.Functions.begin() + I);
      if (attempt(std::move(C), "deleted function " + Name))
        Any = true;
      else
        ++I;
    }
    return Any;
  }

  bool deleteRecords() {
    bool Any = false;
    for (size_t I = 0; I < Cur.Records.size();) {
      ast::File C = B::clone(Cur);
      std::string Name = C.Records[I].Name;
      C.Records.erase(C.Records.begin() + I);
      if (attempt(std::move(C), "deleted record " + Name))
        Any = true;
      else
        ++I;
    }
    return Any;
  }

  /// Chunks of a block's statements, halving (ddmin's complement steps).
  bool deleteStatements() {
    bool Any = false;
    for (size_t Bk = 0;; ++Bk) {
      // Deletions remove the blocks nested in what they delete.
      if (Bk >= Places(Cur).Blocks.size())
        return Any;
      for (size_t Chunk =
               std::max<size_t>(1, Places(Cur).Blocks[Bk]->size() / 2);
           Chunk >= 1; Chunk /= 2) {
        for (size_t Start = 0;;) {
          Places P(Cur);
          if (Bk >= P.Blocks.size())
            return Any;
          std::vector<StmtPtr> &Blk = *P.Blocks[Bk];
          if (Start >= Blk.size())
            break;
          size_t End = std::min(Blk.size(), Start + Chunk);
          bool Kept = false;
          for (size_t I = Start; I < End; ++I)
            Kept |= P.Kept[Bk].count(Blk[I].get()) > 0;
          if (Kept) {
            Start += Chunk;
            continue;
          }
          ast::File C = B::clone(Cur);
          Places PC(C);
          std::vector<StmtPtr> &CB = *PC.Blocks[Bk];
          CB.erase(CB.begin() + Start, CB.begin() + End);
          if (attempt(std::move(C), "deleted " + std::to_string(End - Start) +
                                        " statement(s)"))
            Any = true;
          else
            Start += Chunk;
        }
        if (Chunk == 1)
          break;
      }
    }
    return Any;
  }

  /// A compound statement replaced by one of its blocks.
  bool flattenStatements() {
    bool Any = false;
    for (size_t I = 0;; ++I) {
      Places P(Cur);
      auto Stmts = statements(P);
      if (I >= Stmts.size())
        break;
      auto [Blk, Idx] = Stmts[I];
      const Stmt &S = *(*Blk)[Idx];
      std::vector<int> Which; // 0: then/body, 1: else
      if (S.K == Stmt::If) {
        Which.push_back(0);
        if (S.Else)
          Which.push_back(1);
      } else if (S.Body) {
        Which.push_back(0);
      }
      for (int W : Which) {
        ast::File C = B::clone(Cur);
        Places PC(C);
        auto CS = statements(PC);
        auto [CBlk, CIdx] = CS[I];
        StmtPtr Old = std::move((*CBlk)[CIdx]);
        ast::BlockStmt *From = Old->K == Stmt::If
                                   ? (W ? Old->Else.get() : Old->Then.get())
                                   : Old->Body.get();
        std::vector<StmtPtr> Inner = std::move(From->Stmts);
        CBlk->erase(CBlk->begin() + CIdx);
        CBlk->insert(CBlk->begin() + CIdx,
                     std::make_move_iterator(Inner.begin()),
                     std::make_move_iterator(Inner.end()));
        if (attempt(std::move(C), "flattened a statement")) {
          Any = true;
          break;
        }
      }
    }
    return Any;
  }

  bool deleteElses() {
    bool Any = false;
    for (size_t I = 0;; ++I) {
      Places P(Cur);
      auto Stmts = statements(P);
      if (I >= Stmts.size())
        break;
      if ((*Stmts[I].first)[Stmts[I].second]->K != Stmt::If ||
          !(*Stmts[I].first)[Stmts[I].second]->Else)
        continue;
      ast::File C = B::clone(Cur);
      Places PC(C);
      auto CS = statements(PC);
      (*CS[I].first)[CS[I].second]->Else.reset();
      Any |= attempt(std::move(C), "deleted an else");
    }
    return Any;
  }

  bool deleteFields() {
    bool Any = false;
    for (size_t R = 0; R < Cur.Records.size(); ++R)
      for (size_t F = 0; F < Cur.Records[R].Fields.size();) {
        ast::File C = B::clone(Cur);
        std::string Rec = C.Records[R].Name;
        std::string Field = C.Records[R].Fields[F].Name;
        C.Records[R].Fields.erase(C.Records[R].Fields.begin() + F);
        forEachExpr(C, [&](Expr &E) {
          if (E.K != Expr::RecordLit || E.Name != Rec)
            return;
          for (size_t I = 0; I < E.FieldNames.size(); ++I)
            if (E.FieldNames[I] == Field) {
              E.FieldNames.erase(E.FieldNames.begin() + I);
              E.FieldLocs.erase(E.FieldLocs.begin() + I);
              E.Args.erase(E.Args.begin() + I);
              break;
            }
        });
        if (attempt(std::move(C), "deleted field " + Rec + "." + Field))
          Any = true;
        else
          ++F;
      }
    return Any;
  }

  bool deleteParams() {
    bool Any = false;
    for (size_t Fn = 0; Fn < Cur.Functions.size(); ++Fn)
      for (size_t I = 0; I < Cur.Functions[Fn].Params.size();) {
        ast::File C = B::clone(Cur);
        std::string Name = C.Functions[Fn].Name;
        std::string Param = C.Functions[Fn].Params[I].Name;
        C.Functions[Fn].Params.erase(C.Functions[Fn].Params.begin() + I);
        forEachExpr(C, [&](Expr &E) {
          if (E.K == Expr::Call && E.Name == Name && I < E.Args.size())
            E.Args.erase(E.Args.begin() + I);
        });
        for (ast::BenchDecl &Bd : C.Benches)
          if (Bd.Spec.Entry == Name)
            for (bench::WorkloadSpec &W : Bd.Spec.Workloads)
              llvm::erase_if(W.Args, [&](const bench::ArgSpec &A) {
                return A.Param == Param;
              });
        if (attempt(std::move(C), "deleted parameter " + Name + "." + Param))
          Any = true;
        else
          ++I;
      }
    return Any;
  }

  /// Each expression replaced by a small literal or by one of its operands.
  bool simplifyExprs() {
    bool Any = false;
    for (size_t I = 0;; ++I) {
      Places P(Cur);
      if (I >= P.Exprs.size())
        break;
      if (P.ExprFixed[I])
        continue;
      const Expr &E = **P.Exprs[I];
      std::vector<ExprPtr> Repl = literalsFor(E);
      for (const ExprPtr &A : E.Args)
        Repl.push_back(B::clone(*A));
      for (ExprPtr &R : Repl) {
        ast::File C = B::clone(Cur);
        Places PC(C);
        *PC.Exprs[I] = std::move(R);
        if (attempt(std::move(C), "simplified an expression")) {
          Any = true;
          break;
        }
      }
    }
    return Any;
  }

  bool simplifyWorkload() {
    bool Any = false;
    for (size_t Bd = 0; Bd < Cur.Benches.size(); ++Bd)
      for (size_t W = 0; W < Cur.Benches[Bd].Spec.Workloads.size(); ++W)
        for (int64_t Size : {0, 1, 2, 3}) {
          const auto &Sizes = Cur.Benches[Bd].Spec.Workloads[W].Sizes;
          if (Sizes[0] <= Size && Sizes[1] <= Size && Sizes[2] <= Size)
            break;
          ast::File C = B::clone(Cur);
          C.Benches[Bd].Spec.Workloads[W].Sizes = {Size, Size, Size};
          if (attempt(std::move(C), "workload size " + std::to_string(Size))) {
            Any = true;
            break;
          }
        }
    return Any;
  }
};

} // namespace

llvm::Expected<std::string> fuzz::reduceKernel(const std::string &Source,
                                               const InterestingFn &Interesting,
                                               const ReduceOptions &Opts) {
  return Reducer(Interesting, Opts).run(Source);
}

llvm::Expected<InterestingFn>
fuzz::divergencePredicate(const std::string &Source, bool Checked,
                          const RunConfig &Cfg, llvm::StringRef WorkDir) {
  auto R = checkSource(Source, "original", Cfg, WorkDir, Checked);
  if (!R)
    return R.takeError();
  if (R->V.K != Verdict::Diverged)
    return makeError("the kernel does not diverge: nothing to reduce");
  std::string Signature = R->V.Signature;
  std::string Dir = WorkDir.str();
  return InterestingFn([=](const std::string &Cand) {
    auto C = checkSource(Cand, "candidate", Cfg, Dir, Checked);
    if (!C) {
      llvm::consumeError(C.takeError());
      return false;
    }
    if (C->V.K != Verdict::Diverged || C->V.Signature != Signature)
      return false;
    if (Checked)
      return true;
    // Unchecked: an int that leaves the safe range is undefined, and the
    // runtimes may then disagree for that reason alone.
    RunConfig Native = Cfg;
    Native.Runtimes = {Runtime::Native};
    auto U = checkSource(Cand, "candidate-checked", Native, Dir,
                         /*ForceChecked=*/true);
    if (!U) {
      llvm::consumeError(U.takeError());
      return false;
    }
    const Outcome &O = U->Outcomes[0];
    return !(O.K == Outcome::Trap &&
             O.Text == "int outside the safe range +-2^53");
  });
}

llvm::Expected<InterestingFn> fuzz::testPredicate(llvm::StringRef Spec,
                                                  bool Checked) {
  if (Spec.consume_front("script:")) {
    // As C-Reduce's interestingness tests: the script gets the candidate's
    // path and says yes with exit status 0.
    std::string Script = Spec.str();
    if (!llvm::sys::fs::can_execute(Script))
      return makeError("cannot execute '" + Script + "'");
    llvm::SmallString<128> Path;
    if (std::error_code EC = llvm::sys::fs::createTemporaryFile(
            "kc-difffuzz-candidate", "k", Path))
      return makeError("cannot create a temporary file: " + EC.message());
    std::string Candidate = std::string(Path);
    return InterestingFn([=](const std::string &Cand) {
      {
        std::error_code EC;
        llvm::raw_fd_ostream OS(Candidate, EC);
        if (EC)
          return false;
        OS << Cand;
      }
      llvm::StringRef Args[] = {Script, Candidate};
      std::optional<llvm::StringRef> Redirects[] = {
          llvm::StringRef(""), llvm::StringRef(""), llvm::StringRef("")};
      return llvm::sys::ExecuteAndWait(Script, Args, std::nullopt, Redirects,
                                       /*SecondsToWait=*/60) == 0;
    });
  }
  if (!Spec.consume_front("op:"))
    return makeError("unknown test predicate '" + Spec +
                     "' (expected op:NAME or script:PATH)");
  std::optional<kir::Op> Want;
  for (unsigned O = 0; O < kir::numOps(); ++O)
    if (kir::opName(kir::Op(O)) == Spec)
      Want = kir::Op(O);
  if (!Want)
    return makeError("no KIR op named '" + Spec + "'");
  kir::Op Op = *Want;
  return InterestingFn([=](const std::string &Cand) {
    std::unique_ptr<kir::Module> M = compile(Cand, Checked);
    if (!M)
      return false;
    Coverage C;
    C.add(*M);
    return C.kernelsWith(Op) > 0;
  });
}
