//===- CPythonBytecodeTest.cpp - Parsing and reading CPython's bytecode ---===//
//
// The recorded fragment is kc-runner-cpython's count_opcodes output for
// kernelc's fnv1a module on a 10000-byte input after 50 warm-up calls
// (families and KernelTrap.__init__'s listing shortened). Every expected
// value is derived by hand from its listing, as the comments show.
//
//===----------------------------------------------------------------------===//

#include "Explain/CPythonBytecode.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/Error.h"
#include "gtest/gtest.h"

using namespace kc::explain::py;
using llvm::StringRef;

namespace {

const char *const Families =
    R"({"event":"specializations","families":{"BINARY_OP":["BINARY_OP_ADAPTIVE","BINARY_OP_ADD_FLOAT","BINARY_OP_ADD_INT","BINARY_OP_ADD_UNICODE","BINARY_OP_INPLACE_ADD_UNICODE","BINARY_OP_MULTIPLY_FLOAT","BINARY_OP_MULTIPLY_INT","BINARY_OP_SUBTRACT_FLOAT","BINARY_OP_SUBTRACT_INT"],"COMPARE_OP":["COMPARE_OP_ADAPTIVE","COMPARE_OP_FLOAT_JUMP","COMPARE_OP_INT_JUMP","COMPARE_OP_STR_JUMP"],"CALL":["CALL_ADAPTIVE","CALL_PY_EXACT_ARGS","CALL_PY_WITH_DEFAULTS"],"PRECALL":["PRECALL_ADAPTIVE","PRECALL_BUILTIN_CLASS","PRECALL_NO_KW_LEN","PRECALL_PYFUNC"],"JUMP_BACKWARD":["JUMP_BACKWARD_QUICK"],"LOAD_CONST":["LOAD_CONST__LOAD_FAST"],"LOAD_FAST":["LOAD_FAST__LOAD_CONST","LOAD_FAST__LOAD_FAST"],"RESUME":["RESUME_QUICK"],"STORE_FAST":["STORE_FAST__LOAD_FAST","STORE_FAST__STORE_FAST"]}})"
    "\n";

const char *const Fnv1a =
    R"({"event":"hello","protocol":1,"runtime":"cpython","version":"3.11.2","engine":"CPython 3.11.2 (main, Oct  7 2026, 12:35:07) [GCC 12.2.0]","flags":["optimize=0","specialization=on"],"library":"/usr/lib/x86_64-linux-gnu/libpython3.11.so.1.0","timer_ns":17.98}
{"event":"bytecode","code":0,"name":"KernelTrap.__init__","first_line":7,"instructions":[[0,0,"COPY_FREE_VARS","COPY_FREE_VARS","",false],[2,7,"RESUME","RESUME","",false],[108,10,"LOAD_CONST","LOAD_CONST","None",false],[110,10,"RETURN_VALUE","RETURN_VALUE","",false]]}
{"event":"bytecode","code":1,"name":"fnv1a","first_line":13,"instructions":[[0,13,"RESUME","RESUME_QUICK","",false],[2,14,"LOAD_CONST","LOAD_CONST","2166136261",false],[4,14,"STORE_FAST","STORE_FAST__LOAD_FAST","h",false],[6,15,"LOAD_FAST","LOAD_FAST","data",false],[8,15,"GET_ITER","GET_ITER","",false],[10,15,"FOR_ITER","FOR_ITER","to 38",true],[12,15,"STORE_FAST","STORE_FAST__LOAD_FAST","b",false],[14,16,"LOAD_FAST","LOAD_FAST__LOAD_FAST","h",false],[16,16,"LOAD_FAST","LOAD_FAST","b",false],[18,16,"BINARY_OP","BINARY_OP","^",false],[22,16,"LOAD_CONST","LOAD_CONST","16777619",false],[24,16,"BINARY_OP","BINARY_OP_MULTIPLY_INT","*",false],[28,16,"LOAD_CONST","LOAD_CONST","4294967295",false],[30,16,"BINARY_OP","BINARY_OP","&",false],[34,16,"STORE_FAST","STORE_FAST","h",false],[36,16,"JUMP_BACKWARD","JUMP_BACKWARD_QUICK","to 10",false],[38,17,"LOAD_FAST","LOAD_FAST","h",true],[40,17,"RETURN_VALUE","RETURN_VALUE","",false]]}
{"event":"opcodes","calls":1,"ns":2526261,"total":110007,"base":[["BINARY_OP",30000],["LOAD_FAST",20002],["LOAD_CONST",20001],["STORE_FAST",20001],["FOR_ITER",10001],["JUMP_BACKWARD",10000],["GET_ITER",1],["RETURN_VALUE",1]],"adaptive":[["LOAD_CONST",20001],["BINARY_OP",20000],["LOAD_FAST",10002],["FOR_ITER",10001],["STORE_FAST__LOAD_FAST",10001],["BINARY_OP_MULTIPLY_INT",10000],["JUMP_BACKWARD_QUICK",10000],["LOAD_FAST__LOAD_FAST",10000],["STORE_FAST",10000],["GET_ITER",1],["RETURN_VALUE",1]],"codes":[{"code":1,"name":"fnv1a","first_line":13,"executed":[[2,1],[4,1],[6,1],[8,1],[10,10001],[12,10000],[14,10000],[16,10000],[18,10000],[22,10000],[24,10000],[28,10000],[30,10000],[34,10000],[36,10000],[38,1],[40,1]]}]}
{"event":"result","canonical":"3328372168"}
{"event":"done"}
)";

InstrumentedRun parse(const std::string &Text) {
  auto R = parseInstrumentedOutput(Text);
  EXPECT_TRUE(bool(R)) << (R ? "" : llvm::toString(R.takeError()));
  return R ? std::move(*R) : InstrumentedRun();
}

std::string parseError(const std::string &Text) {
  auto R = parseInstrumentedOutput(Text);
  if (R)
    return "";
  return llvm::toString(R.takeError());
}

TEST(CPythonBytecode, Classify) {
  EXPECT_EQ(classify("FOR_ITER", "FOR_ITER"), Form::Base);
  EXPECT_EQ(classify("BINARY_OP", "BINARY_OP"), Form::Base);
  EXPECT_EQ(classify("BINARY_OP", "BINARY_OP_ADD_INT"), Form::Specialized);
  EXPECT_EQ(classify("LOAD_ATTR", "LOAD_ATTR_INSTANCE_VALUE"),
            Form::Specialized);
  EXPECT_EQ(classify("LOAD_FAST", "LOAD_FAST__LOAD_FAST"),
            Form::Superinstruction);
  EXPECT_EQ(classify("STORE_FAST", "STORE_FAST__LOAD_FAST"),
            Form::Superinstruction);
  EXPECT_EQ(classify("JUMP_BACKWARD", "JUMP_BACKWARD_QUICK"), Form::Quickened);
  EXPECT_EQ(classify("RESUME", "RESUME_QUICK"), Form::Quickened);
  EXPECT_EQ(classify("CALL", "CALL_ADAPTIVE"), Form::Adaptive);
  EXPECT_EQ(formName(Form::Superinstruction), "superinstruction");
}

TEST(CPythonBytecode, ParsesTheRecordedRun) {
  InstrumentedRun R = parse(std::string(Families) + Fnv1a);
  EXPECT_EQ(R.Version, "3.11.2");
  EXPECT_EQ(R.Calls, 1u);
  EXPECT_EQ(R.Total, 110007u);
  EXPECT_EQ(R.TracedNs, 2526261u);
  ASSERT_TRUE(R.Canonical);
  EXPECT_EQ(*R.Canonical, "3328372168");
  EXPECT_TRUE(R.Done);
  ASSERT_EQ(R.Codes.size(), 2u);
  EXPECT_EQ(R.Codes[0].Name, "KernelTrap.__init__");
  EXPECT_EQ(R.Codes[0].executed(), 0u);
  const CodeListing &F = R.Codes[1];
  EXPECT_EQ(F.Name, "fnv1a");
  EXPECT_EQ(F.FirstLine, 13u);
  ASSERT_EQ(F.Insts.size(), 18u);
  const Instruction *Xor = F.at(18);
  ASSERT_TRUE(Xor);
  EXPECT_EQ(Xor->Base, "BINARY_OP");
  EXPECT_EQ(Xor->Adaptive, "BINARY_OP");
  EXPECT_EQ(Xor->Arg, "^");
  EXPECT_EQ(Xor->PyLine, 16u);
  EXPECT_EQ(Xor->Executed, 10000u);
  EXPECT_FALSE(F.at(20)); // a cache entry, not an instruction
  EXPECT_TRUE(F.at(10)->JumpTarget);
  EXPECT_EQ(F.at(10)->Executed, 10001u); // one more than the loop body
  // 6 instructions once, FOR_ITER 10001 times, 10 body instructions 10000.
  EXPECT_EQ(F.executed(), 6u + 10001u + 100000u);
  ASSERT_EQ(R.BaseHistogram.size(), 8u);
  EXPECT_EQ(R.BaseHistogram[0],
            std::make_pair(std::string("BINARY_OP"), uint64_t(30000)));
  EXPECT_EQ(R.AdaptiveHistogram[5].first, "BINARY_OP_MULTIPLY_INT");
}

TEST(CPythonBytecode, Specializable) {
  InstrumentedRun R = parse(std::string(Families) + Fnv1a);
  EXPECT_TRUE(R.specializable("BINARY_OP"));
  EXPECT_TRUE(R.specializable("CALL"));
  // Only superinstruction or quickened forms: nothing specialized by type.
  EXPECT_FALSE(R.specializable("LOAD_FAST"));
  EXPECT_FALSE(R.specializable("STORE_FAST"));
  EXPECT_FALSE(R.specializable("JUMP_BACKWARD"));
  // No family at all.
  EXPECT_FALSE(R.specializable("FOR_ITER"));
}

TEST(CPythonBytecode, FormsOfTheExecutedBytecodes) {
  InstrumentedRun R = parse(std::string(Families) + Fnv1a);
  FormCounts F = countForms(R);
  EXPECT_EQ(F.Total, 110007u);
  EXPECT_EQ(F.Specialized, 10000u);               // BINARY_OP_MULTIPLY_INT
  EXPECT_EQ(F.Superinstruction, 1u + 2 * 10000u); // offsets 4, 12, 14
  EXPECT_EQ(F.Quickened, 10000u);                 // JUMP_BACKWARD_QUICK
  EXPECT_EQ(F.Adaptive, 0u);
  EXPECT_EQ(F.Missed, 2 * 10000u); // BINARY_OP ^ and &
  // LOAD_CONST 2, LOAD_FAST 6 and 38, GET_ITER, RETURN_VALUE once; FOR_ITER;
  // LOAD_FAST 16, LOAD_CONST 22 and 28, STORE_FAST 34 in the body.
  EXPECT_EQ(F.Unspecializable, 5u + 10001u + 4 * 10000u);
  EXPECT_EQ(F.Base, F.Missed + F.Unspecializable);

  // The listing itself: 18 instructions, RESUME_QUICK and
  // JUMP_BACKWARD_QUICK quickened, three superinstructions, one specialized.
  FormCounts S = countForms(R, R.Codes[1], /*Static=*/true);
  EXPECT_EQ(S.Total, 18u);
  EXPECT_EQ(S.Specialized, 1u);
  EXPECT_EQ(S.Superinstruction, 3u);
  EXPECT_EQ(S.Quickened, 2u);
  EXPECT_EQ(S.Missed, 2u);
  EXPECT_EQ(S.Base, 12u);
}

TEST(CPythonBytecode, TheHotLoop) {
  InstrumentedRun R = parse(std::string(Families) + Fnv1a);
  std::vector<Loop> Loops = findLoops(R);
  ASSERT_EQ(Loops.size(), 1u);
  std::optional<Loop> L = hotLoop(R);
  ASSERT_TRUE(L);
  EXPECT_EQ(L->Code, 1u);
  EXPECT_EQ(L->Begin, 10u); // FOR_ITER, the JUMP_BACKWARD's target
  EXPECT_EQ(L->End, 36u);
  EXPECT_EQ(L->Iterations, 10000u);
  EXPECT_EQ(L->Executed, 10001u + 10 * 10000u);
  EXPECT_EQ(L->HeaderPyLine, 15u); // the for statement
  EXPECT_EQ(L->FirstPyLine, 15u);
  EXPECT_EQ(L->LastPyLine, 16u);
  EXPECT_EQ(L->Forms.Specialized, 10000u);
}

TEST(CPythonBytecode, UnspecializedWithReasons) {
  InstrumentedRun R = parse(std::string(Families) + Fnv1a);
  std::vector<Unspecialized> U = unspecialized(R);
  ASSERT_EQ(U.size(), 2u);
  EXPECT_EQ(U[0].Inst->Offset, 18u);
  EXPECT_EQ(U[0].Reason, "3.11 has no specialized form of ^ (only +, - and *)");
  EXPECT_EQ(U[1].Inst->Offset, 30u);
  EXPECT_EQ(U[1].Reason, "3.11 has no specialized form of & (only +, - and *)");
}

TEST(CPythonBytecode, Listing) {
  InstrumentedRun R = parse(std::string(Families) + Fnv1a);
  std::vector<unsigned> PyLines;
  std::string Text = listing(R, R.Codes[1], /*Adaptive=*/true, PyLines);
  llvm::SmallVector<StringRef, 24> Lines;
  StringRef(Text).rtrim('\n').split(Lines, '\n');
  ASSERT_EQ(Lines.size(), 19u); // a header and 18 instructions
  // The header, then lines 13 (RESUME), 14 x2, 15 x4, 16 x9, 17 x2.
  std::vector<unsigned> Expected = {13, 13, 14, 14, 15, 15, 15, 15, 16, 16,
                                    16, 16, 16, 16, 16, 16, 16, 17, 17};
  EXPECT_EQ(PyLines, Expected);
  StringRef Xor = Lines[10];
  EXPECT_TRUE(Xor.contains(" 18 ")) << Xor.str();
  EXPECT_TRUE(Xor.contains("BINARY_OP ")) << Xor.str();
  EXPECT_TRUE(Xor.ends_with("10000  unspecialized")) << Xor.str();
  EXPECT_TRUE(Lines[6].contains(">> FOR_ITER")) << Lines[6].str();
  EXPECT_TRUE(Lines[6].ends_with("10001")) << Lines[6].str();
  EXPECT_TRUE(Lines[11].contains("LOAD_CONST")) << Lines[11].str();
  EXPECT_TRUE(Lines[12].ends_with("specialized")) << Lines[12].str();
  EXPECT_TRUE(Lines[12].contains("BINARY_OP_MULTIPLY_INT"));
  // The base listing shows base opnames and no forms.
  std::string Base = listing(R, R.Codes[1], /*Adaptive=*/false, PyLines);
  EXPECT_FALSE(StringRef(Base).contains("MULTIPLY_INT"));
  EXPECT_FALSE(StringRef(Base).contains("specialized"));
}

/// One code object from (offset, line, base, adaptive, arg, executed).
std::string
codeLines(std::vector<std::tuple<unsigned, unsigned, const char *, const char *,
                                 const char *, uint64_t>>
              Insts) {
  std::string B =
      R"({"event":"bytecode","code":0,"name":"k","first_line":1,"instructions":[)";
  std::string E =
      R"({"event":"opcodes","calls":1,"ns":1,"total":TOTAL,"base":[],"adaptive":[],"codes":[{"code":0,"executed":[)";
  uint64_t Total = 0;
  bool First = true, FirstCount = true;
  for (auto &[Off, Line, Base, Adaptive, Arg, N] : Insts) {
    B += (First ? "" : ",") +
         ("[" + std::to_string(Off) + "," + std::to_string(Line) + ",\"" +
          Base + "\",\"" + Adaptive + "\",\"" + Arg + "\",false]");
    First = false;
    if (N) {
      E += (FirstCount ? "" : ",") +
           ("[" + std::to_string(Off) + "," + std::to_string(N) + "]");
      FirstCount = false;
      Total += N;
    }
  }
  B += "]}\n";
  E += "]}]}\n";
  E.replace(E.find("TOTAL"), 5, std::to_string(Total));
  return std::string(Families) + B + E;
}

TEST(CPythonBytecode, WhileLoopsAndNesting) {
  // while i < n: (j loop inside), as 3.11 compiles it: the condition again
  // at the bottom, jumping back to the body's first instruction.
  InstrumentedRun R = parse(codeLines({
      {2, 2, "LOAD_FAST", "LOAD_FAST", "i", 1},
      {4, 2, "POP_JUMP_FORWARD_IF_FALSE", "POP_JUMP_FORWARD_IF_FALSE", "to 40",
       1},
      {6, 3, "LOAD_FAST", "LOAD_FAST", "j", 10}, // outer body
      {8, 4, "NOP", "NOP", "", 100},             // inner body
      {10, 4, "LOAD_FAST", "LOAD_FAST", "j", 100},
      {12, 4, "POP_JUMP_BACKWARD_IF_TRUE", "POP_JUMP_BACKWARD_IF_TRUE", "to 8",
       100},
      {14, 2, "LOAD_FAST", "LOAD_FAST", "i", 10},
      {16, 2, "POP_JUMP_BACKWARD_IF_TRUE", "POP_JUMP_BACKWARD_IF_TRUE", "to 6",
       10},
      // A loop whose backward jump never ran: not a loop at run time.
      {18, 7, "NOP", "NOP", "", 1},
      {20, 7, "JUMP_BACKWARD", "JUMP_BACKWARD", "to 18", 0},
      {40, 8, "RETURN_VALUE", "RETURN_VALUE", "", 1},
  }));
  std::vector<Loop> Loops = findLoops(R);
  ASSERT_EQ(Loops.size(), 3u);
  EXPECT_EQ(Loops[0].Begin, 6u); // outermost first
  EXPECT_EQ(Loops[0].End, 16u);
  EXPECT_EQ(Loops[0].Iterations, 10u);
  EXPECT_EQ(Loops[0].Executed, 10u + 300u + 20u);
  EXPECT_EQ(Loops[0].HeaderPyLine, 2u); // the while condition
  EXPECT_EQ(Loops[1].Begin, 8u);
  EXPECT_EQ(Loops[1].Iterations, 100u);
  EXPECT_EQ(Loops[2].Iterations, 0u);
  // The inner loop runs 300 of the outer loop's 330: the hot loop.
  std::optional<Loop> Hot = hotLoop(R);
  ASSERT_TRUE(Hot);
  EXPECT_EQ(Hot->Begin, 8u);
  EXPECT_EQ(Hot->HeaderPyLine, 4u);
}

TEST(CPythonBytecode, CompareAndCallReasons) {
  InstrumentedRun R = parse(codeLines({
      // A comparison whose value is stored: never compare-and-branch.
      {2, 2, "COMPARE_OP", "COMPARE_OP", "<", 5},
      {8, 2, "STORE_FAST", "STORE_FAST", "t", 5},
      // One that branches, on operands 3.11 did not specialize for.
      {10, 3, "COMPARE_OP", "COMPARE_OP_ADAPTIVE", "<", 4},
      {16, 3, "POP_JUMP_FORWARD_IF_FALSE", "POP_JUMP_FORWARD_IF_FALSE", "to 30",
       4},
      // len(x): the call of a builtin is specialized at PRECALL only.
      {18, 4, "PRECALL", "PRECALL_NO_KW_LEN", "", 3},
      {22, 4, "CALL", "CALL_ADAPTIVE", "", 3},
      // A Python function's call that did not specialize.
      {32, 5, "PRECALL", "PRECALL_PYFUNC", "", 2},
      {36, 5, "CALL", "CALL_ADAPTIVE", "", 2},
  }));
  const CodeListing &C = R.Codes[0];
  EXPECT_FALSE(canSpecialize(R, C, *C.at(22)));
  EXPECT_TRUE(canSpecialize(R, C, *C.at(36)));
  EXPECT_FALSE(canSpecialize(R, C, *C.at(8)));
  std::vector<Unspecialized> U = unspecialized(R);
  ASSERT_EQ(U.size(), 3u); // most executed first
  EXPECT_EQ(U[0].Inst->Offset, 2u);
  EXPECT_EQ(U[0].Reason, "no conditional jump follows it: 3.11 specializes "
                         "only compare-and-branch");
  EXPECT_EQ(U[1].Inst->Offset, 10u);
  EXPECT_TRUE(
      StringRef(U[1].Reason)
          .starts_with(
              "3.11 specializes compare-and-branch only on two floats"));
  EXPECT_EQ(U[2].Inst->Offset, 36u);
  FormCounts F = countForms(R);
  EXPECT_EQ(F.Total, 5u + 5u + 4u + 4u + 3u + 3u + 2u + 2u);
  EXPECT_EQ(F.Specialized, 3u + 2u);   // the two PRECALLs
  EXPECT_EQ(F.Adaptive, 4u + 3u + 2u); // COMPARE_OP at 10, both CALLs
  EXPECT_EQ(F.Missed, 5u + 4u + 2u);
  EXPECT_EQ(F.Unspecializable,
            5u + 4u + 3u); // STORE_FAST, POP_JUMP, len's CALL
}

TEST(CPythonBytecode, BadOutput) {
  std::string Good = std::string(Families) + Fnv1a;
  EXPECT_EQ(parseError(Good), "");
  EXPECT_NE(
      parseError(std::string(Families) + "{\"event\":\"hello\"}\nnot json\n")
          .find("line 3: not JSON"),
      std::string::npos);
  EXPECT_NE(
      parseError("{\"event\":\"sample\",\"i\":0}\n").find("unknown event"),
      std::string::npos);
  // No counts at all (and no error line).
  EXPECT_NE(parseError(std::string(Families)).find("printed no opcode counts"),
            std::string::npos);
  // A count where no instruction starts (20 is BINARY_OP's cache entry).
  std::string AtCache = Good;
  AtCache.replace(AtCache.find("[18,10000]"), 10, "[20,10000]");
  EXPECT_NE(parseError(AtCache).find("offset 20 of fnv1a"), std::string::npos);
  // Counts that do not add up to the total.
  std::string Short = Good;
  Short.replace(Short.find("\"total\":110007"), 14, "\"total\":110008");
  EXPECT_NE(parseError(Short).find("add up to 110007, not total 110008"),
            std::string::npos);
  // Counts for a code object without a listing.
  std::string NoCode = Good;
  NoCode.replace(
      NoCode.find(
          "{\"code\":1,\"name\":\"fnv1a\",\"first_line\":13,\"executed\""),
      9, "{\"code\":7");
  EXPECT_NE(parseError(NoCode).find("counts for code 7"), std::string::npos);
  // A bad instruction.
  EXPECT_NE(
      parseError(
          std::string(Families) +
          R"({"event":"bytecode","code":0,"name":"k","first_line":1,"instructions":[[0,1,"RESUME"]]})"
          "\n")
          .find("an instruction is not"),
      std::string::npos);
  // An error line is a result, not a parse failure.
  auto R = parseInstrumentedOutput(
      R"J({"event":"error","kind":"bad-job","message":"count_opcodes needs an entry that is a Python function (it is a builtin_function_or_method)"})J");
  ASSERT_TRUE(bool(R));
  EXPECT_EQ(*R->ErrorKind, "bad-job");
}

} // namespace
