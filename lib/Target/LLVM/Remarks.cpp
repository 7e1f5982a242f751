//===- Remarks.cpp - LLVM's optimization remarks as structured data -------===//

#include "Remarks.h"
#include "llvm/IR/DiagnosticHandler.h"
#include "llvm/IR/DiagnosticInfo.h"
#include "llvm/IR/Function.h"
#include "llvm/IR/LLVMContext.h"
#include "llvm/Support/raw_ostream.h"

using namespace llvm;

namespace kc {
namespace llvmgen {

StringRef Remark::arg(StringRef Key) const {
  for (const auto &A : Args)
    if (A.first == Key)
      return A.second;
  return "";
}

StringRef remarkKindName(Remark::KindTy K) {
  switch (K) {
  case Remark::Passed:
    return "passed";
  case Remark::Missed:
    return "missed";
  case Remark::Analysis:
    return "analysis";
  }
  llvm_unreachable("bad remark kind");
}

void printRemark(const Remark &R, StringRef File, raw_ostream &OS) {
  OS << File << ":" << R.Line << ":" << R.Col << ": " << remarkKindName(R.Kind)
     << " " << R.Pass << "/" << R.Name << " in " << R.Function << ": "
     << R.Message << "\n";
}

namespace {
class Handler : public DiagnosticHandler {
public:
  explicit Handler(std::vector<Remark> &Out) : Out(Out) {}
  // Every pass, every kind, the explanation picks what it reports; except
  // the pass manager's instruction counts after every pass ("size-info",
  // which cost a walk of the module each) and the stack frame dump.
  bool isAnalysisRemarkEnabled(StringRef Pass) const override {
    return Pass != "size-info" && Pass != "stack-frame-layout";
  }
  bool isMissedOptRemarkEnabled(StringRef) const override { return true; }
  bool isPassedOptRemarkEnabled(StringRef) const override { return true; }
  bool isAnyRemarkEnabled() const override { return true; }

  bool handleDiagnostics(const DiagnosticInfo &DI) override {
    const auto *O = dyn_cast<DiagnosticInfoOptimizationBase>(&DI);
    if (!O)
      return false;
    // The opcode histogram of every block: long, and not about the kernel.
    if (O->getPassName() == "asm-printer" &&
        O->getRemarkName() == "InstructionMix")
      return true;
    Remark R;
    R.Kind = O->isPassed()   ? Remark::Passed
             : O->isMissed() ? Remark::Missed
                             : Remark::Analysis;
    R.Pass = O->getPassName().str();
    R.Name = O->getRemarkName().str();
    R.Function = O->getFunction().getName().str();
    if (O->isLocationAvailable()) {
      DiagnosticLocation L = O->getLocation();
      R.Line = L.getLine();
      R.Col = L.getColumn();
    }
    R.Message = O->getMsg();
    for (const DiagnosticInfoOptimizationBase::Argument &A : O->getArgs())
      R.Args.emplace_back(A.Key, A.Val);
    Out.push_back(std::move(R));
    return true;
  }

private:
  std::vector<Remark> &Out;
};
} // namespace

RemarkCollector::RemarkCollector(LLVMContext &Ctx)
    : Ctx(Ctx), Previous(Ctx.getDiagnosticHandler()) {
  Ctx.setDiagnosticHandler(std::make_unique<Handler>(Remarks));
}

RemarkCollector::~RemarkCollector() {
  Ctx.setDiagnosticHandler(std::move(Previous));
}

} // namespace llvmgen
} // namespace kc
