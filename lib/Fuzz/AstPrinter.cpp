//===- AstPrinter.cpp - Kernel source text of a syntax tree ---------------===//

#include "Fuzz/AstPrinter.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/raw_ostream.h"
#include <cmath>
#include <cstdio>
#include <cstdlib>

using namespace kc;
using namespace kc::fuzz;
using ast::Expr;
using ast::Stmt;

std::string fuzz::quoteString(llvm::StringRef S) {
  std::string Out = "\"";
  for (char C : S) {
    switch (C) {
    case '"':
      Out += "\\\"";
      break;
    case '\\':
      Out += "\\\\";
      break;
    case '\n':
      Out += "\\n";
      break;
    case '\t':
      Out += "\\t";
      break;
    case '\r':
      Out += "\\r";
      break;
    case '\0':
      Out += "\\0";
      break;
    default:
      if (static_cast<unsigned char>(C) < 0x20 ||
          static_cast<unsigned char>(C) >= 0x7f)
        Out += "\\x" + llvm::utohexstr(static_cast<unsigned char>(C),
                                       /*LowerCase=*/true, 2);
      else
        Out += C;
    }
  }
  return Out + "\"";
}

std::string fuzz::floatLiteral(double V) {
  char Buf[64];
  // The shortest %.Ng that reads back exactly.
  for (int Digits = 1; Digits <= 17; ++Digits) {
    std::snprintf(Buf, sizeof Buf, "%.*g", Digits, V);
    if (std::strtod(Buf, nullptr) == V)
      break;
  }
  std::string S = Buf;
  if (S.find_first_of(".e") == std::string::npos)
    S += ".0";
  return S;
}

namespace {

// Binding powers, loosest first, as in Parser.cpp's table.
enum Prec : unsigned {
  PrecOr = 1,
  PrecAnd,
  PrecCmp,
  PrecBitOr,
  PrecBitXor,
  PrecBitAnd,
  PrecShift,
  PrecAdd,
  PrecMul,
  PrecUnary,
  PrecPostfix
};

unsigned binaryPrec(Tok K) {
  switch (K) {
  case Tok::PipePipe:
    return PrecOr;
  case Tok::AmpAmp:
    return PrecAnd;
  case Tok::EqEq:
  case Tok::NotEq:
  case Tok::Less:
  case Tok::LessEq:
  case Tok::Greater:
  case Tok::GreaterEq:
    return PrecCmp;
  case Tok::Pipe:
    return PrecBitOr;
  case Tok::Caret:
    return PrecBitXor;
  case Tok::Amp:
    return PrecBitAnd;
  case Tok::Shl:
  case Tok::Shr:
    return PrecShift;
  case Tok::Plus:
  case Tok::Minus:
    return PrecAdd;
  default:
    return PrecMul;
  }
}

/// "'+'" -> "+".
std::string spell(Tok K) {
  std::string D = tokDescription(K);
  if (D.size() >= 2 && D.front() == '\'' && D.back() == '\'')
    return D.substr(1, D.size() - 2);
  return D;
}

class Printer {
public:
  explicit Printer(llvm::raw_ostream &OS) : OS(OS) {}

  void file(const ast::File &F) {
    bool First = true;
    auto Sep = [&] {
      if (!First)
        OS << "\n";
      First = false;
    };
    for (const ast::RecordDecl &R : F.Records) {
      Sep();
      OS << "record " << R.Name << " {";
      for (size_t I = 0; I < R.Fields.size(); ++I) {
        OS << (I ? ", " : " ") << R.Fields[I].Name << ": ";
        printType(*R.Fields[I].Ty, OS);
      }
      OS << (R.Fields.empty() ? "}\n" : " }\n");
    }
    for (const ast::FunctionDecl &Fn : F.Functions) {
      Sep();
      OS << "fn " << Fn.Name << "(";
      for (size_t I = 0; I < Fn.Params.size(); ++I) {
        OS << (I ? ", " : "") << Fn.Params[I].Name << ": ";
        printType(*Fn.Params[I].Ty, OS);
      }
      OS << ")";
      if (Fn.RetTy) {
        OS << " -> ";
        printType(*Fn.RetTy, OS);
      }
      OS << " ";
      block(*Fn.Body, 0);
      OS << "\n";
    }
    for (const ast::BenchDecl &B : F.Benches) {
      Sep();
      bench(B);
    }
  }

  void expr(const Expr &E, unsigned Min, bool NoRecord) {
    switch (E.K) {
    case Expr::IntLit:
      OS << E.IntValue;
      return;
    case Expr::FloatLit:
      OS << floatLiteral(E.FloatValue);
      return;
    case Expr::StrLit:
      OS << quoteString(E.Str);
      return;
    case Expr::BoolLit:
      OS << (E.IntValue ? "true" : "false");
      return;
    case Expr::NullLit:
      OS << "null";
      return;
    case Expr::NameRef:
      OS << E.Name;
      return;
    case Expr::Paren:
      OS << "(";
      expr(*E.Args[0], 0, false);
      OS << ")";
      return;
    case Expr::Unary: {
      bool Wrap = Min > PrecUnary;
      if (Wrap)
        OS << "(";
      OS << spell(E.Op);
      // `- -x` must not lex as `--x`; `-5` stays a negative literal.
      const Expr &A = *E.Args[0];
      if (A.K == Expr::Unary && A.Op == E.Op && E.Op == Tok::Minus)
        OS << " ";
      expr(A, PrecUnary, NoRecord);
      if (Wrap)
        OS << ")";
      return;
    }
    case Expr::Binary: {
      unsigned P = binaryPrec(E.Op);
      bool Wrap = Min > P;
      if (Wrap)
        OS << "(";
      // Left-associative; comparisons do not chain, so both sides bind
      // tighter than the comparison itself.
      expr(*E.Args[0], P == PrecCmp ? P + 1 : P, NoRecord && !Wrap);
      OS << " " << spell(E.Op) << " ";
      expr(*E.Args[1], P + 1, NoRecord && !Wrap);
      if (Wrap)
        OS << ")";
      return;
    }
    case Expr::Call:
      OS << E.Name << "(";
      args(E.Args, 0);
      OS << ")";
      return;
    case Expr::Method:
      expr(*E.Args[0], PrecPostfix, NoRecord);
      OS << "." << E.Name << "(";
      args(E.Args, 1);
      OS << ")";
      return;
    case Expr::Index:
      expr(*E.Args[0], PrecPostfix, NoRecord);
      OS << "[";
      expr(*E.Args[1], 0, false);
      OS << "]";
      return;
    case Expr::Field:
      expr(*E.Args[0], PrecPostfix, NoRecord);
      OS << "." << E.Name;
      return;
    case Expr::RecordLit: {
      if (NoRecord)
        OS << "(";
      OS << E.Name << " {";
      for (size_t I = 0; I < E.Args.size(); ++I) {
        OS << (I ? ", " : " ") << E.FieldNames[I] << ": ";
        expr(*E.Args[I], 0, false);
      }
      OS << (E.Args.empty() ? "}" : " }");
      if (NoRecord)
        OS << ")";
      return;
    }
    case Expr::ArrayLit:
      OS << "[";
      args(E.Args, 0);
      OS << "]";
      return;
    case Expr::MapLit:
      OS << "{}";
      return;
    }
  }

private:
  llvm::raw_ostream &OS;

  void args(const std::vector<ast::ExprPtr> &Args, size_t From) {
    for (size_t I = From; I < Args.size(); ++I) {
      if (I > From)
        OS << ", ";
      expr(*Args[I], 0, false);
    }
  }

  void indent(unsigned Level) { OS.indent(2 * Level); }

  void block(const ast::BlockStmt &B, unsigned Level) {
    OS << "{\n";
    for (const ast::StmtPtr &S : B.Stmts)
      stmt(*S, Level + 1);
    indent(Level);
    OS << "}";
  }

  void cond(const Expr &E) { expr(E, 0, /*NoRecord=*/true); }

  void stmt(const Stmt &S, unsigned Level) {
    indent(Level);
    switch (S.K) {
    case Stmt::Let:
      OS << (S.Mutable ? "var " : "let ") << S.Name;
      if (S.Ty) {
        OS << ": ";
        printType(*S.Ty, OS);
      }
      OS << " = ";
      expr(*S.Value, 0, false);
      OS << ";\n";
      return;
    case Stmt::Assign:
      expr(*S.Target, 0, false);
      OS << " " << spell(S.Op) << " ";
      expr(*S.Value, 0, false);
      OS << ";\n";
      return;
    case Stmt::If:
      ifChain(S, Level);
      OS << "\n";
      return;
    case Stmt::While:
      OS << "while ";
      cond(*S.Cond);
      OS << " ";
      block(*S.Body, Level);
      OS << "\n";
      return;
    case Stmt::ForRange:
      OS << "for " << S.Name << " in ";
      expr(*S.Cond, PrecOr, true);
      OS << "..";
      expr(*S.Value, PrecOr, true);
      OS << " ";
      block(*S.Body, Level);
      OS << "\n";
      return;
    case Stmt::ForEach:
      OS << "for " << S.Name << " in ";
      cond(*S.Cond);
      OS << " ";
      block(*S.Body, Level);
      OS << "\n";
      return;
    case Stmt::ForMap:
      OS << "for " << S.Name << ", " << S.Name2 << " in ";
      cond(*S.Cond);
      OS << " ";
      block(*S.Body, Level);
      OS << "\n";
      return;
    case Stmt::Break:
      OS << "break;\n";
      return;
    case Stmt::Continue:
      OS << "continue;\n";
      return;
    case Stmt::Return:
      OS << "return";
      if (S.Value) {
        OS << " ";
        expr(*S.Value, 0, false);
      }
      OS << ";\n";
      return;
    case Stmt::ExprStmt:
      expr(*S.Value, 0, false);
      OS << ";\n";
      return;
    case Stmt::Block:
      block(*S.Body, Level);
      OS << "\n";
      return;
    }
  }

  /// `if c { } else if d { } else { }`: an else block holding one if is the
  /// parser's else-if.
  void ifChain(const Stmt &S, unsigned Level) {
    OS << "if ";
    cond(*S.Cond);
    OS << " ";
    block(*S.Then, Level);
    if (!S.Else)
      return;
    OS << " else ";
    if (S.Else->Stmts.size() == 1 && S.Else->Stmts[0]->K == Stmt::If) {
      ifChain(*S.Else->Stmts[0], Level);
      return;
    }
    block(*S.Else, Level);
  }

  void genExpr(const bench::ArgExpr &E, bool Atom) {
    switch (E.K) {
    case bench::ArgExpr::IntLit:
      if (E.I < 0 && Atom)
        OS << "(" << E.I << ")";
      else
        OS << E.I;
      return;
    case bench::ArgExpr::FloatLit:
      if (E.F < 0 || std::signbit(E.F))
        OS << (Atom ? "(-" : "-") << floatLiteral(-E.F) << (Atom ? ")" : "");
      else
        OS << floatLiteral(E.F);
      return;
    case bench::ArgExpr::Size:
      OS << "size";
      return;
    case bench::ArgExpr::Add:
    case bench::ArgExpr::Sub:
    case bench::ArgExpr::Mul:
    case bench::ArgExpr::Div: {
      // Parenthesized whole: the grammar's own precedence need not be
      // reproduced, and `0 - x` from a parsed `-x` reads back the same.
      const char *Op = E.K == bench::ArgExpr::Add   ? " + "
                       : E.K == bench::ArgExpr::Sub ? " - "
                       : E.K == bench::ArgExpr::Mul ? " * "
                                                    : " / ";
      if (Atom)
        OS << "(";
      genExpr(*E.L, true);
      OS << Op;
      genExpr(*E.R, true);
      if (Atom)
        OS << ")";
      return;
    }
    }
  }

  void bench(const ast::BenchDecl &B) {
    const bench::BenchSpec &S = B.Spec;
    OS << "bench " << S.Entry << " {\n";
    for (const bench::WorkloadSpec &W : S.Workloads) {
      OS << "  workload " << W.Name << "(small: " << W.Sizes[0]
         << ", default: " << W.Sizes[1] << ", large: " << W.Sizes[2] << ")";
      if (!W.OpUnit.empty()) {
        OS << " per " << W.OpUnit;
        if (W.OpCount) {
          OS << "(";
          genExpr(*W.OpCount, false);
          OS << ")";
        }
      }
      OS << " {\n";
      for (const bench::ArgSpec &A : W.Args) {
        OS << "    " << A.Param << " = ";
        if (A.Gen == bench::GenKind::Scalar) {
          genExpr(A.Args[0], false);
        } else {
          OS << bench::genName(A.Gen) << "(";
          for (size_t I = 0; I < A.Args.size(); ++I) {
            if (I)
              OS << ", ";
            genExpr(A.Args[I], false);
          }
          OS << ")";
        }
        OS << ";\n";
      }
      OS << "  }\n";
    }
    if (S.Tolerance > 0)
      OS << "  tolerance " << floatLiteral(S.Tolerance) << ";\n";
    OS << "}\n";
  }
};

} // namespace

void fuzz::printType(const ast::TypeExpr &T, llvm::raw_ostream &OS) {
  switch (T.K) {
  case ast::TypeExpr::Named:
    OS << T.Name;
    return;
  case ast::TypeExpr::Array:
    OS << "[";
    printType(*T.Elem, OS);
    OS << "]";
    return;
  case ast::TypeExpr::Map:
    OS << "map[";
    printType(*T.Key, OS);
    OS << "]";
    printType(*T.Elem, OS);
    return;
  case ast::TypeExpr::Nullable:
    OS << "?";
    printType(*T.Elem, OS);
    return;
  }
}

void fuzz::printExpr(const ast::Expr &E, llvm::raw_ostream &OS) {
  Printer(OS).expr(E, 0, false);
}

void fuzz::printFile(const ast::File &F, llvm::raw_ostream &OS) {
  Printer(OS).file(F);
}

std::string fuzz::printFile(const ast::File &F) {
  std::string S;
  llvm::raw_string_ostream OS(S);
  printFile(F, OS);
  return S;
}
