//===- V8LogTest.cpp - Unit tests of the V8 log and listing readers -------===//
//
// Fragments recorded from node 24.21 (V8 13.6.233.17), trimmed and with a
// few hand-made lines for the cases a short run rarely shows (a code-move,
// an inlined deopt, a reason with a comma, a truncated event). Expected
// values are read off the fragments by hand.
//
//===----------------------------------------------------------------------===//

#include "Explain/V8Log.h"
#include "gtest/gtest.h"

using namespace kc::explain::v8log;

namespace {

const char *const LogFragment =
    "v8-version,13,6,233,17,-node.53,0\n"
    "code-creation,Builtin,2,28566,0x7ffa97dc2100,100,CallBoundFunction\n"
    "script-source,88,file:///w/fnv1a.mjs,export function fnv1a(data) {\\n}\n"
    "code-creation,Script,9,64423,0x14a8ee1986a8,79, "
    "file:///w/fnv1a.mjs:1:1,0x36828d110620,~\n"
    "code-source-info,0x14a8ee1986a8,88,0,340,C0O0,,\n"
    "code-creation,JS,9,64865,0x14a8ee199660,71,fnv1a "
    "file:///w/fnv1a.mjs:12:22,0x36828d1107c0,~\n"
    "code-source-info,0x14a8ee199660,88,252,430,C0O37C7O65,,\n"
    "code-creation,JS,11,65196,0x7fd0dc04df00,1272,fnv1a "
    "file:///w/fnv1a.mjs:12:22,0x36828d1107c0,+\n"
    "code-deopt,65491,1408,0x7fd0dc04df00,-1,410,deopt-eager,"
    "<file:///w/fnv1a.mjs:18:12>,Insufficient type feedback for binary "
    "operation\n"
    "code-creation,JS,9,89770,0x14a8ee19a3b8,2,__kc_sample_0 "
    ":1:24,0x36828d113ab0,~\n"
    "code-creation,JS,12,90000,0x7fd0dc006480,1044,fnv1a "
    "file:///w/fnv1a.mjs:12:22,0x36828d1107c0,*'\n"
    "code-source-info,0x7fd0dc006480,88,252,430,C8O252C29O324C53O354I0,"
    "F0O164,S0x36828d1107c0\n"
    "some-future-event,1,2,3\n"
    "code-creation,JS,9,106802,0x14a8ee19a5a0,2,__kc_sample_1 "
    ":1:24,0x36828d1141d8,~\n"
    "code-move,0x7fd0dc006480,0x7fd0dc009000\n"
    "code-deopt,107000,1044,0x7fd0dc009000,0,354,deopt-soft,"
    "<file:///w/fnv1a.mjs:14:5> inlined at <file:///w/fnv1a.mjs:20:3>,"
    "wrong map\\x2C or not\n"
    "code-deopt,107001,1044,0x7fd0dc999999,-1,84,deopt-soft,"
    "<file:///w/fnv1a.mjs:14:5>,gone\n"
    "code-creation,JS,9,122963,0x14a8ee19a678,2,__kc_sample_2 "
    ":1:24,0x36828d114470,~\n"
    "code-creation,JS,11,123000,0x7fd0dc00a000,3136,sample "
    ":4:23,0x36828d111970,+'\n"
    "code-creation,JS,9,124000,0x14a8ee19a9d8,2,__kc_sample_end "
    ":1:26,0x36828d11b3c8,~\n"
    "code-creation,JS,10,125000,0x7fd0dc00b000,480,get protocol "
    "node:internal/url:1048:15,0x6da0ddae70,^\n"
    "sfi-move,0x36828d1107c0,0x36828d200000\n"
    "code-creation,JS\n";

TEST(V8Log, CodeObjectsAndTiers) {
  Log L = parseLog(LogFragment);
  EXPECT_EQ(L.V8Version, "13.6.233.17-node.53");
  // Script, fnv1a ~ + *', sample +', get protocol ^: markers left out.
  ASSERT_EQ(L.Codes.size(), 6u);
  EXPECT_EQ(L.Codes[0].Function, "");
  EXPECT_EQ(L.Codes[0].Url, "file:///w/fnv1a.mjs");
  EXPECT_EQ(L.Codes[0].ScriptId, 88);

  const CodeObject &Bytecode = L.Codes[1];
  EXPECT_EQ(Bytecode.Function, "fnv1a");
  EXPECT_EQ(Bytecode.Level, Tier::Ignition);
  EXPECT_EQ(Bytecode.Size, 71u);
  EXPECT_EQ(Bytecode.Line, 12u);
  EXPECT_EQ(Bytecode.Column, 22u);
  EXPECT_EQ(Bytecode.Sample, -1);
  EXPECT_DOUBLE_EQ(Bytecode.TimeMs, 64.865);

  EXPECT_EQ(L.Codes[2].Level, Tier::Maglev);
  EXPECT_EQ(L.Codes[2].Size, 1272u);
  EXPECT_EQ(L.Codes[2].Sample, -1);

  const CodeObject &Opt = L.Codes[3];
  EXPECT_EQ(Opt.Level, Tier::TurboFan);  // *' is TurboFan too
  EXPECT_EQ(Opt.Sample, 0);
  EXPECT_EQ(Opt.Address, 0x7fd0dc009000u);  // after the code-move
  ASSERT_EQ(Opt.Positions.size(), 3u);
  EXPECT_EQ(Opt.Positions[1].PcOffset, 29u);
  EXPECT_EQ(Opt.Positions[1].ScriptOffset, 324u);
  EXPECT_EQ(Opt.Positions[1].InliningId, -1);
  EXPECT_EQ(Opt.Positions[2].InliningId, 0);
  ASSERT_EQ(Opt.InlinedSfis.size(), 1u);
  // The sfi-move at the end renames fnv1a everywhere.
  EXPECT_EQ(Opt.Sfi, 0x36828d200000u);
  EXPECT_EQ(Opt.InlinedSfis[0], 0x36828d200000u);

  // Markers 0, 1, 2: two samples; what follows marker 2 (the harness
  // loop's code) or the end marker came after sampling.
  EXPECT_EQ(L.Samples, 2);
  EXPECT_TRUE(L.SawEndMarker);
  EXPECT_EQ(L.Codes[4].Function, "sample");
  EXPECT_EQ(L.Codes[4].Url, "");
  EXPECT_EQ(L.Codes[4].Sample, 2);
  EXPECT_EQ(L.Codes[5].Function, "get protocol");
  EXPECT_EQ(L.Codes[5].Url, "node:internal/url");
  EXPECT_EQ(L.Codes[5].Line, 1048u);
  EXPECT_EQ(L.Codes[5].Level, Tier::Sparkplug);
  EXPECT_EQ(L.Codes[5].Sample, 2);
}

TEST(V8Log, Deopts) {
  Log L = parseLog(LogFragment);
  ASSERT_EQ(L.Deopts.size(), 2u);
  const Deopt &A = L.Deopts[0];
  EXPECT_EQ(A.Code, 2u);  // the Maglev code
  EXPECT_EQ(A.Sample, -1);
  EXPECT_EQ(A.InliningId, -1);
  EXPECT_EQ(A.ScriptOffset, 410);
  EXPECT_EQ(A.Bailout, "deopt-eager");
  EXPECT_EQ(A.Url, "file:///w/fnv1a.mjs");
  EXPECT_EQ(A.Line, 18u);
  EXPECT_EQ(A.Column, 12u);
  EXPECT_EQ(A.Reason, "Insufficient type feedback for binary operation");

  const Deopt &B = L.Deopts[1];
  EXPECT_EQ(B.Code, 3u);  // found at its moved address
  EXPECT_EQ(B.Sample, 1);
  EXPECT_EQ(B.InliningId, 0);
  EXPECT_EQ(B.Line, 14u);  // the innermost position, not "inlined at"
  EXPECT_EQ(B.Column, 5u);
  EXPECT_EQ(B.Reason, "wrong map, or not");

  EXPECT_EQ(L.UnknownCodeDeopts, 1u);
  EXPECT_EQ(L.Malformed, 1u);  // the truncated code-creation
}

TEST(V8Log, EmptyAndGarbage) {
  Log L = parseLog("");
  EXPECT_TRUE(L.Codes.empty());
  EXPECT_EQ(L.Samples, 0);
  L = parseLog("code-creation,JS,9,x,0xzz,71,f a:1:1,0x10,~\n"
               "code-deopt,1\ncode-move,0x1\n\n\n");
  EXPECT_TRUE(L.Codes.empty());
  EXPECT_EQ(L.Malformed, 3u);
}

TEST(V8Log, FunctionNames) {
  std::string Name, Url;
  unsigned Line, Col;
  splitFunctionName(" :1:1", Name, Url, Line, Col);
  EXPECT_EQ(Name, "");
  EXPECT_EQ(Url, "");
  EXPECT_EQ(Line, 1u);
  EXPECT_EQ(Col, 1u);
  splitFunctionName("#ensure x file:///a%20b/m.mjs:960:29", Name, Url, Line,
                    Col);
  EXPECT_EQ(Name, "#ensure x");
  EXPECT_EQ(Url, "file:///a%20b/m.mjs");
  EXPECT_EQ(Line, 960u);
  EXPECT_EQ(Col, 29u);
  splitFunctionName("CallBoundFunction", Name, Url, Line, Col);
  EXPECT_EQ(Name, "CallBoundFunction");
  EXPECT_EQ(Line, 0u);
}

TEST(V8Log, Unescape) {
  EXPECT_EQ(unescapeField("a\\x2Cb\\\\c\\u00e9\\n"), "a,b\\c\xc3\xa9\n");
  EXPECT_EQ(unescapeField("trailing\\"), "trailing\\");
}

TEST(V8Log, Markers) {
  EXPECT_EQ(tierOfMarker("~"), Tier::Ignition);
  EXPECT_EQ(tierOfMarker("^"), Tier::Sparkplug);
  EXPECT_EQ(tierOfMarker("+'"), Tier::Maglev);
  EXPECT_EQ(tierOfMarker("*"), Tier::TurboFan);
  EXPECT_EQ(tierOfMarker(""), std::nullopt);
  EXPECT_EQ(tierOfKind("TURBOFAN_JS"), Tier::TurboFan);
  EXPECT_EQ(tierOfKind("MAGLEV"), Tier::Maglev);
}

// --print-bytecode of `export function fnv1a(b)` (t.mjs in the commit
// message's session), between a protocol line and another listing.
const char *const BytecodeFragment =
    "{\"event\":\"batch\",\"calls\":64}\n"
    "[generated bytecode for function: fnv1a (0x3cb9c2b285f1 "
    "<SharedFunctionInfo fnv1a>)]\n"
    "Bytecode length: 68\n"
    "Parameter count 2\n"
    "Register count 7\n"
    "Frame size 56\n"
    "   37 S> 0x29d874741bb0 @    0 : 01 0d c5 9d 1c 81 LdaSmi.ExtraWide "
    "[-2128831035]\n"
    "         0x29d874741bb6 @    6 : ce                Star0\n"
    "   84 E> 0x29d874741bc0 @   16 : 75 f8 02          TestLessThan r1, "
    "[2]\n"
    "         0x29d874741bc3 @   19 : a3 2b             JumpIfFalse [43] "
    "(0x29d874741bee @ 62)\n"
    "  100 S> 0x29d874741bc5 @   21 : 23 01 03          LdaGlobal [1], [3]\n"
    "  156 S> 0x29d874741bf3 @   67 : b3                Return\n"
    "Constant pool (size = 3)\n"
    "0x29d874741b49: [TrustedFixedArray]\n"
    "           0: 0x07aa772894c9 <String[6]: #length>\n"
    "Handler Table (size = 0)\n"
    "Source Position Table (size = 34)\n"
    "0x29d874741bf9 <Other heap object (TRUSTED_BYTE_ARRAY_TYPE)>\n"
    "[generated bytecode for function:  (0x2553935e2361 "
    "<SharedFunctionInfo>)]\n"
    "Bytecode length: 3\n"
    "         0x2553935e3000 @    0 : 0e                LdaUndefined\n"
    "         0x2553935e3001 @    1 : b3                Return\n";

TEST(V8Log, BytecodeListings) {
  std::vector<BytecodeListing> B = parseBytecodeListings(BytecodeFragment);
  ASSERT_EQ(B.size(), 2u);
  const BytecodeListing &F = B[0];
  EXPECT_EQ(F.Function, "fnv1a");
  EXPECT_EQ(F.Sfi, 0x3cb9c2b285f0u);  // untagged, as in the log
  EXPECT_EQ(F.Length, 68u);
  EXPECT_EQ(F.Parameters, 2u);
  EXPECT_EQ(F.Registers, 7u);
  EXPECT_EQ(F.ConstantPoolSize, 3u);
  ASSERT_EQ(F.Bytecodes.size(), 6u);  // the constant pool is not bytecode
  EXPECT_EQ(F.Bytecodes[0].ScriptOffset, 37);
  EXPECT_TRUE(F.Bytecodes[0].Statement);
  EXPECT_EQ(F.Bytecodes[0].Offset, 0u);
  EXPECT_EQ(F.Bytecodes[0].Text, "LdaSmi.ExtraWide [-2128831035]");
  EXPECT_EQ(F.Bytecodes[1].ScriptOffset, -1);
  EXPECT_EQ(F.Bytecodes[1].Offset, 6u);
  EXPECT_EQ(F.Bytecodes[1].Text, "Star0");
  EXPECT_FALSE(F.Bytecodes[2].Statement);
  EXPECT_EQ(F.Bytecodes[2].ScriptOffset, 84);
  EXPECT_EQ(F.Bytecodes[3].Text, "JumpIfFalse [43] (@ 62)");
  EXPECT_EQ(F.Bytecodes[5].Offset, 67u);
  EXPECT_EQ(B[1].Function, "");
  EXPECT_EQ(B[1].Bytecodes.size(), 2u);
}

// --print-opt-code (TurboFan) and --print-maglev-code (Maglev) blocks,
// trimmed to a few instructions each.
const char *const CodeFragment =
    "--- Raw source ---\n"
    "(data) {\n"
    "--- Optimized code ---\n"
    "optimization_id = 5\n"
    "source_position = 252\n"
    "kind = TURBOFAN_JS\n"
    "name = fnv1a\n"
    "compiler = turbofan\n"
    "address = 0x35ccfe9d9c99\n"
    "\n"
    "Instructions (size = 832)\n"
    "0x7ff63e007cc0     0  55                   push rbp\n"
    "0x7ff63e007cc1     1  4889e5               REX.W movq rbp,rsp\n"
    "0x7ff63e007d23    63  49b8b15e9808a7230000 REX.W movq "
    "r8,0x23a708985eb1    ;; object: 0x23a708985eb1 "
    "<Map[104](UINT8ELEMENTS)>\n"
    "0x7ff63e007ffa   33a  41ff55e0             call [r13-0x20]\n"
    "                                                             ;; debug: "
    "deopt index 12\n"
    "0x7ff63e007ffe   33e  6690                 nop\n"
    "\n"
    "Source positions:\n"
    " pc offset  position\n"
    "        17       252\n"
    "\n"
    "Inlined functions (count = 1)\n"
    "Safepoints (stack slots = 21, entries = 4, byte size = 40)\n"
    "0x7f063c0036d4    294  slots (sp->fp): 000001000011100000000  deopt   "
    "  16 trampoline:    3f9\n"
    "--- End code ---\n"
    "{\"event\":\"sample\",\"i\":0,\"calls\":64,\"ns\":5120332}\n"
    "Compiling 0x397c2c029969 <JSFunction (sfi = 0x1bed5d3a87c9)> with "
    "Maglev\n"
    "--- Disassembly: ---\n"
    "kind = MAGLEV\n"
    "compiler = maglev\n"
    "address = 0x2cf2afc81c01\n"
    "\n"
    "Instructions (size = 272)\n"
    "0x7f2fac002d00     0  55                   push rbp\n"
    "0x7f2fac002d01     1  4889e5               REX.W movq rbp,rsp\n"
    "\n"
    "Source positions:\n";

TEST(V8Log, CodeListings) {
  std::vector<CodeListing> C = parseCodeListings(CodeFragment);
  ASSERT_EQ(C.size(), 2u);
  const CodeListing &T = C[0];
  EXPECT_EQ(T.Function, "fnv1a");
  EXPECT_EQ(T.Kind, "TURBOFAN_JS");
  EXPECT_EQ(T.Compiler, "turbofan");
  EXPECT_EQ(T.Size, 832u);
  EXPECT_EQ(T.Start, 0x7ff63e007cc0u);
  EXPECT_EQ(T.InlinedCount, 1u);
  // Five instructions and one comment line; the safepoint table is not code.
  ASSERT_EQ(T.Instructions.size(), 6u);
  EXPECT_EQ(T.Instructions[1].Text, "REX.W movq rbp,rsp");
  EXPECT_EQ(T.Instructions[2].PcOffset, 0x63u);
  EXPECT_TRUE(T.Instructions[4].IsComment);
  EXPECT_EQ(T.Instructions[4].PcOffset, 0x33au);
  EXPECT_EQ(T.Instructions[4].Text, ";; debug: deopt index 12");
  EXPECT_EQ(T.Instructions[5].PcOffset, 0x33eu);

  const CodeListing &M = C[1];
  EXPECT_EQ(M.Function, "");
  EXPECT_EQ(M.Kind, "MAGLEV");
  EXPECT_EQ(M.Start, 0x7f2fac002d00u);
  EXPECT_EQ(M.Instructions.size(), 2u);
}

// `node --v8-options` excerpts: node 24.21 (V8 13.6) and node 20.20
// (V8 11.3, Maglev present but off).
const char *const Node24Options =
    "Options:\n"
    "  --maglev (enable the maglev optimizing compiler)\n"
    "        type: bool  default: --maglev\n"
    "  --max-opt (Set the maximal optimisation tier: > 3 == any, 0 == "
    "ignition/interpreter, 1 == sparkplug/baseline, 2 == maglev, 3 == "
    "turbofan)\n"
    "        type: uint  default: --max-opt=999\n"
    "  --jitless (Disable runtime allocation of executable memory.)\n"
    "        type: bool  default: --no-jitless\n"
    "  --sparkplug (enable Sparkplug baseline compiler)\n"
    "        type: bool  default: --sparkplug\n"
    "  --turbofan (use the Turbofan optimizing compiler)\n"
    "        type: bool  default: --turbofan\n";

TEST(V8Log, Options) {
  auto O = parseV8Options(Node24Options);
  EXPECT_EQ(O.size(), 5u);
  EXPECT_EQ(O["maglev"], "--maglev");
  EXPECT_EQ(O["max-opt"], "--max-opt=999");
  EXPECT_EQ(O["jitless"], "--no-jitless");
}

TEST(V8Log, PinsOnNode24) {
  auto O = parseV8Options(Node24Options);
  EXPECT_TRUE(pinTier(Tier::TurboFan, O).Flags.empty());
  EXPECT_TRUE(pinTier(Tier::TurboFan, O).Missing.empty());
  EXPECT_EQ(pinTier(Tier::Maglev, O).Flags,
            std::vector<std::string>{"--max-opt=2"});
  EXPECT_EQ(pinTier(Tier::Sparkplug, O).Flags,
            std::vector<std::string>{"--max-opt=1"});
  EXPECT_EQ(pinTier(Tier::Ignition, O).Flags,
            std::vector<std::string>{"--max-opt=0"});
}

TEST(V8Log, PinsWhereMaglevIsOffOrAbsent) {
  std::string Node20 = Node24Options;
  Node20.replace(Node20.find("default: --maglev"), 17, "default: --no-maglev");
  auto O = parseV8Options(Node20);
  RungPin P = pinTier(Tier::Maglev, O);
  EXPECT_TRUE(P.Flags.empty());
  EXPECT_NE(P.Missing.find("off by default"), std::string::npos);
  EXPECT_EQ(pinTier(Tier::Sparkplug, O).Flags,
            std::vector<std::string>{"--max-opt=1"});

  O.erase("maglev");
  EXPECT_NE(pinTier(Tier::Maglev, O).Missing.find("has no Maglev"),
            std::string::npos);
  // Without --max-opt the lower tiers are pinned by turning the upper off.
  O.erase("max-opt");
  EXPECT_EQ(pinTier(Tier::Sparkplug, O).Flags,
            std::vector<std::string>{"--no-turbofan"});
  EXPECT_EQ(pinTier(Tier::Ignition, O).Flags,
            (std::vector<std::string>{"--no-sparkplug", "--no-turbofan"}));

  O["jitless"] = "--jitless";
  EXPECT_FALSE(pinTier(Tier::TurboFan, O).Missing.empty());
}

TEST(V8Log, Lines) {
  std::vector<uint32_t> S = lineStarts("ab\ncd\n\nef");
  ASSERT_EQ(S.size(), 4u);
  EXPECT_EQ(lineOfOffset(S, 0), 1u);
  EXPECT_EQ(lineOfOffset(S, 2), 1u);  // the newline ends line 1
  EXPECT_EQ(lineOfOffset(S, 3), 2u);
  EXPECT_EQ(lineOfOffset(S, 6), 3u);
  EXPECT_EQ(lineOfOffset(S, 7), 4u);
}

} // namespace
