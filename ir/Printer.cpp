//===- Printer.cpp - KIR's textual form (kernelc --emit=kir) --------------===//
//
// Statements one per line, expressions as parenthesised prefix trees. The
// form is stable: lit tests match it with FileCheck.
//
//===----------------------------------------------------------------------===//

#include "ir/IR.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/raw_ostream.h"

using namespace kc;
using namespace kc::kir;

namespace {

class Printer {
public:
  Printer(llvm::raw_ostream &OS) : OS(OS) {}

  void printModule(const Module &M) {
    OS << "; KIR module '" << M.Name << "'\n";
    for (const auto &R : M.Records) {
      OS << "record " << R->Name << " {";
      for (size_t I = 0; I < R->Fields.size(); ++I)
        OS << (I ? ", " : " ") << R->Fields[I].Name << ": "
           << R->Fields[I].Ty->str();
      OS << " }\n";
    }
    for (const auto &F : M.Functions)
      printFunction(*F, F.get() == M.getEntry());
    if (M.Bench)
      printBench(*M.Bench);
  }

private:
  llvm::raw_ostream &OS;
  llvm::DenseMap<const Local *, std::string> LocalNames;

  void nameLocals(const Function &F) {
    LocalNames.clear();
    llvm::StringMap<unsigned> Count;
    for (const auto &L : F.Locals)
      ++Count[L->Name];
    for (const auto &L : F.Locals)
      LocalNames[L.get()] =
          "%" + (Count[L->Name] == 1 ? L->Name
                                     : L->Name + "." + std::to_string(L->Id));
  }

  const std::string &name(const Local *L) { return LocalNames[L]; }

  void printFunction(const Function &F, bool IsEntry) {
    nameLocals(F);
    OS << "\nfunc " << (IsEntry ? "entry " : "") << "@" << F.Name << "(";
    for (size_t I = 0; I < F.Params.size(); ++I)
      OS << (I ? ", " : "") << name(F.Params[I]) << ": "
         << F.Params[I]->Ty->str();
    OS << ") -> " << F.RetTy->str() << " {\n";
    printBlock(*F.Body, 1);
    OS << "}\n";
  }

  void indent(unsigned Depth) { OS.indent(Depth * 2); }

  void printBlock(const Block &B, unsigned Depth) {
    for (const Node *S : B.Stmts)
      printStmt(*S, Depth);
  }

  void printRegionTail(const Node &N, unsigned Region, unsigned Depth) {
    OS << " {\n";
    printBlock(*N.Regions[Region], Depth + 1);
    indent(Depth);
    OS << "}";
  }

  void printStmt(const Node &N, unsigned Depth) {
    indent(Depth);
    switch (N.Opcode) {
    case Op::LocalDecl:
      OS << "local.decl " << (N.Var->Mutable ? "var " : "let ") << name(N.Var)
         << ": " << N.Var->Ty->str() << " = ";
      printExpr(*N.operand(0));
      break;
    case Op::LocalSet:
      OS << "local.set " << name(N.Var) << " = ";
      printExpr(*N.operand(0));
      break;
    case Op::If:
      OS << "if ";
      printExpr(*N.operand(0));
      printRegionTail(N, 0, Depth);
      if (!N.Regions[1]->Stmts.empty()) {
        OS << " else";
        printRegionTail(N, 1, Depth);
      }
      break;
    case Op::While:
      OS << "while ";
      printExpr(*N.operand(0));
      printRegionTail(N, 0, Depth);
      break;
    case Op::ForRange:
      OS << "for.range " << name(N.Var) << ": " << N.Var->Ty->str() << " in ";
      printExpr(*N.operand(0));
      OS << " .. ";
      printExpr(*N.operand(1));
      printRegionTail(N, 0, Depth);
      break;
    case Op::ForEach:
      OS << "for.each " << name(N.Var) << ": " << N.Var->Ty->str() << " in ";
      printExpr(*N.operand(0));
      printRegionTail(N, 0, Depth);
      break;
    case Op::ForMap:
      OS << "for.map " << name(N.Var) << ", " << name(N.Var2) << " in ";
      printExpr(*N.operand(0));
      printRegionTail(N, 0, Depth);
      break;
    default:
      // Every other statement prints as its op name and operands.
      OS << opName(N.Opcode);
      printAttrs(N);
      for (const Node *O : N.Operands) {
        OS << " ";
        printExpr(*O);
      }
      break;
    }
    OS << "\n";
  }

  void printAttrs(const Node &N) {
    if (N.Opcode == Op::FieldSet || N.Opcode == Op::FieldGet) {
      const RecordDecl *R = N.operand(0)->Ty->Rec;
      OS << " " << R->Name << "." << R->Fields[N.IntVal].Name;
    }
  }

  void printF64(double V) {
    char Buf[40];
    snprintf(Buf, sizeof(Buf), "%.17g", V);
    llvm::StringRef S(Buf);
    OS << S;
    if (S.find_first_of(".eninf") == llvm::StringRef::npos)
      OS << ".0";
  }

  void printExpr(const Node &N) {
    switch (N.Opcode) {
    case Op::LocalGet:
      OS << name(N.Var);
      return;
    case Op::BoolConst:
      OS << (N.IntVal ? "true" : "false");
      return;
    case Op::I32Const:
    case Op::U32Const:
    case Op::IntConst:
      OS << "(" << opName(N.Opcode) << " " << N.IntVal << ")";
      return;
    case Op::F64Const:
      OS << "(f64.const ";
      printF64(N.F64Val);
      OS << ")";
      return;
    case Op::StrConst:
      OS << "(str.const \"";
      OS.write_escaped(N.StrVal, /*UseHexEscapes=*/true);
      OS << "\")";
      return;
    default:
      break;
    }
    OS << "(" << opName(N.Opcode);
    switch (N.Opcode) {
    case Op::I32Cmp:
    case Op::U32Cmp:
    case Op::IntCmp:
    case Op::F64Cmp:
    case Op::BoolCmp:
    case Op::StrCmp:
      OS << " " << predName(N.Predicate);
      break;
    case Op::Call:
      OS << " @" << N.Callee->Name;
      break;
    case Op::ArrayNew:
    case Op::ArrayLit:
    case Op::MapNew:
    case Op::RefNull:
    case Op::RecordNew:
    case Op::NumMin:
    case Op::NumMax:
    case Op::NumAbs:
      OS << " " << N.Ty->str();
      break;
    default:
      printAttrs(N);
      break;
    }
    for (const Node *O : N.Operands) {
      OS << " ";
      printExpr(*O);
    }
    OS << ")";
  }

  void printArg(const bench::ArgExpr &E) {
    switch (E.K) {
    case bench::ArgExpr::IntLit:
      OS << E.I;
      return;
    case bench::ArgExpr::FloatLit:
      printF64(E.F);
      return;
    case bench::ArgExpr::Size:
      OS << "size";
      return;
    case bench::ArgExpr::Add:
    case bench::ArgExpr::Sub:
    case bench::ArgExpr::Mul:
    case bench::ArgExpr::Div: {
      static const char *Sym[] = {"", "", "", " + ", " - ", " * ", " / "};
      OS << "(";
      printArg(*E.L);
      OS << Sym[E.K];
      printArg(*E.R);
      OS << ")";
      return;
    }
    }
  }

  void printBench(const bench::BenchSpec &B) {
    OS << "\nbench @" << B.Entry << "\n";
    if (B.Tolerance > 0) {
      OS << "  tolerance ";
      printF64(B.Tolerance);
      OS << "\n";
    }
    for (const auto &W : B.Workloads) {
      OS << "  workload " << W.Name << "(small: " << W.Sizes[0]
         << ", default: " << W.Sizes[1] << ", large: " << W.Sizes[2] << ")";
      if (!W.OpUnit.empty()) {
        OS << " per " << W.OpUnit;
        if (W.OpCount) {
          OS << "(";
          printArg(*W.OpCount);
          OS << ")";
        }
      }
      OS << "\n";
      for (const auto &A : W.Args) {
        OS << "    " << A.Param << " = ";
        if (A.Gen == bench::GenKind::Scalar) {
          printArg(A.Args[0]);
        } else {
          OS << bench::genName(A.Gen) << "(";
          for (size_t I = 0; I < A.Args.size(); ++I) {
            if (I)
              OS << ", ";
            printArg(A.Args[I]);
          }
          OS << ")";
        }
        OS << "\n";
      }
    }
  }
};

} // namespace

void kir::print(const Module &M, llvm::raw_ostream &OS) {
  Printer(OS).printModule(M);
}
