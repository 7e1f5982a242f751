//===- FuzzTargets.cpp - One input through one part of the toolkit --------===//

#include "FuzzCheck/FuzzTargets.h"
#include "Driver/Driver.h"
#include "FuzzCheck/EmitterProperties.h"
#include "Lang/Diagnostics.h"
#include "Lang/Parser.h"
#include "Target/JS/JSBackend.h"
#include "Target/LLVM/LLVMBackend.h"
#include "Target/Python/PyBackend.h"
#include "ir/IR.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/IR/LLVMContext.h"
#include "llvm/IR/Module.h"
#include "llvm/IR/Verifier.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/raw_ostream.h"
#include "llvm/Target/TargetMachine.h"
#include <cstdlib>

using namespace llvm;

namespace kc {
namespace fuzz {

/// The buffer name of every input: diagnostics start with "fuzz.k:".
static const char BufferName[] = "fuzz.k";

void reportBug(const Twine &What) {
  errs() << "kernelc fuzz: BUG: " << What << "\n";
  errs().flush();
  std::abort();
}

static std::unique_ptr<TargetMachine> &hostMachine() {
  static std::unique_ptr<TargetMachine> TM;
  return TM;
}

void initialize() {
  llvmgen::initializeNativeTarget();
  auto TM = llvmgen::createHostTargetMachine(2);
  if (!TM)
    reportBug("no host target machine: " + toString(TM.takeError()));
  hostMachine() = std::move(*TM);
}

/// Every diagnostic SourceMgr printed is located: "fuzz.k:L:C: error: ..."
/// (or note), then the source line and, when that line is ASCII, the caret
/// line; the one message of its own is the engine's "too many errors".
/// Returns the number of errors.
static unsigned checkDiagnostics(StringRef Printed) {
  SmallVector<StringRef, 32> Lines;
  Printed.split(Lines, '\n');
  if (!Lines.empty() && Lines.back().empty())
    Lines.pop_back();
  unsigned Errors = 0;
  for (size_t I = 0; I < Lines.size();) {
    StringRef L = Lines[I];
    if (L == "error: too many errors, stopping") {
      ++I;
      continue;
    }
    StringRef Rest = L;
    unsigned Line = 0, Col = 0;
    bool Located = Rest.consume_front(BufferName) && Rest.consume_front(":") &&
                   !Rest.consumeInteger(10, Line) && Rest.consume_front(":") &&
                   !Rest.consumeInteger(10, Col) && Line > 0 && Col > 0;
    bool IsError = Rest.starts_with(": error: ");
    if (!Located || !(IsError || Rest.starts_with(": note: ")))
      reportBug("a diagnostic without a source location: '" + L + "'");
    Errors += IsError;
    I += 2; // the message, the source line
    if (I < Lines.size() && !Lines[I].starts_with(BufferName) &&
        Lines[I] != "error: too many errors, stopping") {
      if (Lines[I].find_first_not_of(" ~^") != StringRef::npos ||
          !Lines[I].contains('^'))
        reportBug("a diagnostic's caret line is '" + Lines[I] + "'");
      ++I;
    }
  }
  return Errors;
}

static std::unique_ptr<MemoryBuffer> bufferOf(StringRef Source,
                                              StringRef Name = BufferName) {
  return MemoryBuffer::getMemBufferCopy(Source, Name);
}

void runLexerParser(StringRef Input) {
  SourceMgr SM;
  unsigned ID = SM.AddNewSourceBuffer(bufferOf(Input), SMLoc());
  StringRef Buf = SM.getMemoryBuffer(ID)->getBuffer();
  std::string Printed;
  raw_string_ostream OS(Printed);

  // The lexer alone, to the end: a parser stops early after errors.
  unsigned LexErrors = 0;
  {
    DiagnosticEngine Diags(SM, OS);
    Lexer Lex(Buf, Diags);
    const char *PrevEnd = Buf.begin();
    for (size_t N = 0;; ++N) {
      if (N > Buf.size() + 1)
        reportBug("the lexer made more tokens than the input has bytes");
      unsigned Before = Diags.numErrors();
      Token T = Lex.next();
      if (T.Text.begin() < PrevEnd || T.Text.end() > Buf.end())
        reportBug("token at offset " + Twine(T.Text.begin() - Buf.begin()) +
                  " is not after the previous one, inside the input");
      if (T.Loc.getPointer() != T.Text.begin())
        reportBug("a token's location is not its text");
      PrevEnd = T.Text.end();
      if (T.is(Tok::Error) && Diags.numErrors() == Before)
        reportBug("an invalid token without a diagnostic at offset " +
                  Twine(T.Text.begin() - Buf.begin()));
      if (T.is(Tok::Eof))
        break;
      if (T.Text.empty())
        reportBug("an empty token that is not the end of the file");
    }
    LexErrors = Diags.numErrors();
  }
  OS.flush();
  checkDiagnostics(Printed);

  Printed.clear();
  DiagnosticEngine Diags(SM, OS);
  Parser P(Buf, Diags);
  ast::File F = P.parseFile();
  (void)F;
  OS.flush();
  unsigned Printed_ = checkDiagnostics(Printed);
  if (LexErrors && !Diags.hasErrors())
    reportBug("the lexer reported errors, the parser none");
  if (Diags.hasErrors() && Printed_ == 0)
    reportBug("the parser failed without printing an error");
}

/// Compiles \p Source as kernelc does. A rejected input returns null after
/// checking its diagnostics; an internal compiler error is a bug.
static std::unique_ptr<kir::Module> compile(StringRef Source, bool Checked,
                                            StringRef Name = BufferName,
                                            bool CheckDiags = true) {
  std::string Printed;
  raw_string_ostream OS(Printed);
  SemaOptions Opts;
  Opts.Checked = Checked;
  auto M = driver::compileSource(bufferOf(Source, Name), OS, Opts);
  OS.flush();
  unsigned Errors = CheckDiags ? checkDiagnostics(Printed) : 0;
  if (M) {
    if (CheckDiags && !Printed.empty())
      reportBug("an accepted kernel printed diagnostics:\n" + Printed);
    return std::move(*M);
  }
  std::string Msg = toString(M.takeError());
  if (StringRef(Msg).contains("internal compiler error"))
    reportBug(Msg);
  if (CheckDiags && Errors == 0)
    reportBug("a rejected kernel without a diagnostic: " + Msg);
  return nullptr;
}

static std::string printKIR(const kir::Module &M) {
  std::string Text;
  raw_string_ostream OS(Text);
  kir::print(M, OS);
  OS.flush();
  return Text;
}

void runFrontEnd(StringRef Input) {
  for (bool Checked : {false, true}) {
    std::unique_ptr<kir::Module> M = compile(Input, Checked);
    if (!M)
      return;
    std::string First = printKIR(*M);
    std::unique_ptr<kir::Module> Again = compile(Input, Checked);
    if (!Again)
      reportBug("a kernel accepted once is rejected the second time");
    if (printKIR(*Again) != First)
      reportBug("compiling one kernel twice gives two KIR modules");
  }
}

void runLLVM(StringRef Input) {
  bool Checked = Input.size() % 2;
  std::unique_ptr<kir::Module> M = compile(Input, Checked);
  if (!M)
    return;
  TargetMachine &TM = *hostMachine();
  LLVMContext Ctx;
  llvmgen::CodegenOptions Opts;
  Opts.OptLevel = 2;
  Opts.Checked = Checked;
  auto Mod = llvmgen::lowerToLLVM(*M, Ctx, Opts, TM);
  if (!Mod) {
    // The back-end refuses an entry named like a C library or runtime
    // function (it cannot be renamed behind the C reference's back); any
    // other failure on verified KIR is ours.
    std::string Msg = toString(Mod.takeError());
    if (StringRef(Msg).contains("has the name of a"))
      return;
    reportBug("lowering verified KIR failed: " + Msg);
  }
  if (Error E = llvmgen::optimizeModule(**Mod, 2, &TM))
    reportBug("-O2 failed: " + toString(std::move(E)));
  std::string Problems;
  raw_string_ostream OS(Problems);
  if (verifyModule(**Mod, &OS))
    reportBug("LLVM IR does not verify after -O2:\n" + OS.str());
}

/// Splits an input into a module name and the kernel source (see runJS).
static std::pair<std::string, StringRef> splitName(StringRef Input) {
  size_t Nul = Input.find('\0');
  if (Nul == StringRef::npos)
    return {BufferName, Input};
  return {Input.take_front(Nul).str(), Input.drop_front(Nul + 1)};
}

using EmitFn = Error (*)(const kir::Module &, raw_ostream &, bool Checked);

static Expected<std::string> emitText(EmitFn Emit, const kir::Module &M,
                                      bool Checked) {
  std::string Text;
  raw_string_ostream OS(Text);
  if (Error E = Emit(M, OS, Checked))
    return E;
  OS.flush();
  return Text;
}

static void runEmitter(StringRef Input, Language L, EmitFn Emit) {
  const char *Lang = L == Language::JS ? "JS" : "Python";
  auto [Name, Source] = splitName(Input);
  bool Checked = Source.size() % 2;
  // Diagnostics name the file: they were checked by the other targets.
  std::unique_ptr<kir::Module> M = compile(Source, Checked, Name, false);
  if (!M)
    return;
  auto Text = emitText(Emit, *M, Checked);
  if (!Text) {
    // The Python back-end refuses an entry whose name the module needs for
    // itself (the runner finds the entry by its name).
    std::string Msg = toString(Text.takeError());
    if (StringRef(Msg).contains("has a name the Python module needs"))
      return;
    reportBug(Twine("the ") + Lang +
              " back-end failed on verified KIR: " + Msg);
  }
  auto Again = emitText(Emit, *M, Checked);
  if (!Again || *Again != *Text)
    reportBug(Twine("emitting one module twice gives two ") + Lang + " texts");
  if (Error E = checkStringsIntact(L, *Text, stringConstants(*M)))
    reportBug(toString(std::move(E)) + "\n--- emitted:\n" + *Text);

  std::unique_ptr<kir::Module> Plain = compile(Source, Checked, Name, false);
  if (!Plain)
    reportBug("a kernel accepted once is rejected the second time");
  NameMap Names = renameKernelNames(*Plain);
  Plain->Name = "plain.k";
  auto PlainText = emitText(Emit, *Plain, Checked);
  if (!PlainText)
    reportBug(Twine("the ") + Lang + " back-end failed on the renamed " +
              "kernel: " + toString(PlainText.takeError()));
  if (Error E = checkSameUpToRenaming(L, *Text, *PlainText, Names))
    reportBug(toString(std::move(E)) + "\n--- emitted:\n" + *Text +
              "\n--- emitted for the renamed kernel:\n" + *PlainText);
}

void runJS(StringRef Input) {
  runEmitter(Input, Language::JS,
             [](const kir::Module &M, raw_ostream &OS, bool Checked) {
               jsgen::JSOptions Opts;
               Opts.Checked = Checked;
               return jsgen::emitModule(M, OS, Opts);
             });
}

void runPython(StringRef Input) {
  runEmitter(Input, Language::Python,
             [](const kir::Module &M, raw_ostream &OS, bool Checked) {
               pygen::PyOptions Opts;
               Opts.Checked = Checked;
               return pygen::emitModule(M, OS, Opts);
             });
}

} // namespace fuzz
} // namespace kc
