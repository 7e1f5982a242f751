//===- V8Log.h - Readers of V8's logs and listings --------------*- C++ -*-===//
//
// What the V8 part of explain reads back from node, parsed here, by hand,
// field by field (the community V8 log parsers lag behind V8's formats):
//
//  - the --logfile of --log-code --log-deopt: code-creation events (one per
//    bytecode array and per Sparkplug, Maglev and TurboFan code object, with
//    its size), code-source-info (pc -> script offset tables and inlined
//    functions), code-deopt, code-move and sfi-move; plus the sample markers
//    that runtimes/v8/explain-markers.mjs writes into the same stream
//    (functions named __kc_sample_N), which put every event on the
//    iteration axis;
//  - the listings --print-bytecode and --print-opt-code print on stdout;
//  - `node --v8-options`, which says which tiers this V8 has.
//
// Every reader skips what it does not know: an unknown event, an event with
// fewer fields than expected (counted in Malformed), stray lines between
// listings. Only the fields used are read.
//
//===----------------------------------------------------------------------===//

#ifndef KC_EXPLAIN_V8LOG_H
#define KC_EXPLAIN_V8LOG_H

#include "llvm/ADT/StringRef.h"
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace kc {
namespace explain {
namespace v8log {

/// V8's execution tiers, in order.
enum class Tier { Ignition, Sparkplug, Maglev, TurboFan };
llvm::StringRef tierName(Tier T);  // "Ignition", "Sparkplug", ...
/// The tier of a code-creation marker (~ ^ + *, optionally followed by '
/// for context-specialized code); nullopt for anything else.
std::optional<Tier> tierOfMarker(llvm::StringRef Marker);
/// The tier of a listing's `kind = ...` (MAGLEV, TURBOFAN_JS, TURBOFAN).
std::optional<Tier> tierOfKind(llvm::StringRef Kind);

/// One entry of a code object's source position table: the code from
/// PcOffset on comes from ScriptOffset, in inlined function InliningId
/// (-1: the function itself).
struct SourcePosition {
  uint32_t PcOffset = 0;
  uint32_t ScriptOffset = 0;
  int InliningId = -1;
};

/// A JS function's code object (or bytecode array), from code-creation.
struct CodeObject {
  uint64_t Address = 0;  // instruction start, or the bytecode array
  uint32_t Size = 0;     // bytes of instructions, or of bytecode
  Tier Level = Tier::Ignition;
  std::string Function;  // "" for an anonymous function
  std::string Url;       // the script's URL; "" for eval'd code
  unsigned Line = 0, Column = 0;  // of the function in its script
  uint64_t Sfi = 0;      // its SharedFunctionInfo: the function's identity
  double TimeMs = 0;     // since the log started
  /// The sample it was created in: -1 before the first sample; Samples
  /// (one past the last) after sampling ended.
  int Sample = -1;
  // From code-source-info, when logged.
  int ScriptId = -1;
  std::vector<SourcePosition> Positions;
  /// Per inlining id: the SharedFunctionInfo of the inlined function.
  std::vector<uint64_t> InlinedSfis;
};

/// One deoptimization, from code-deopt.
struct Deopt {
  size_t Code = 0;  // index into Log::Codes of the code that deoptimized
  double TimeMs = 0;
  int Sample = -1;
  int InliningId = -1;
  int ScriptOffset = -1;
  std::string Bailout;  // deopt-eager, deopt-soft, deopt-lazy...
  std::string Reason;   // e.g. "wrong map"
  /// The innermost position, "<url:line:col>" as V8 prints it.
  std::string Url;
  unsigned Line = 0, Column = 0;
};

struct Log {
  std::vector<CodeObject> Codes;  // in log order, markers left out
  std::vector<Deopt> Deopts;      // in log order
  /// Samples whose beginning was marked: the harness took this many.
  int Samples = 0;
  bool SawEndMarker = false;
  std::string V8Version;  // "13.6.233.17-node.53"
  unsigned Malformed = 0;  // known events with missing or bad fields
  /// Deopts of code the log never created (logged before --log-code
  /// started, or lost).
  unsigned UnknownCodeDeopts = 0;
};

/// Reads a V8 log. Never fails: what it cannot read is skipped and counted.
Log parseLog(llvm::StringRef Text);

/// Splits "name url:line:col" (a code-creation name) into its parts; the
/// name may contain spaces ("get protocol"), the URL may be empty.
void splitFunctionName(llvm::StringRef Field, std::string &Name,
                       std::string &Url, unsigned &Line, unsigned &Column);

/// Undoes the log's escapes: \x2C for a comma, \\, \n, \uXXXX (UTF-8).
std::string unescapeField(llvm::StringRef Field);

/// One bytecode of a --print-bytecode listing.
struct BytecodeLine {
  int ScriptOffset = -1;   // its source position, -1 when it has none
  bool Statement = false;  // S> (statement) rather than E> (expression)
  unsigned Offset = 0;     // bytecode offset (@ N)
  std::string Text;        // "LdaSmi.ExtraWide [-2128831035]"
};

struct BytecodeListing {
  std::string Function;
  uint64_t Sfi = 0;  // untagged, as the log prints it
  unsigned Length = 0;
  unsigned Registers = 0, Parameters = 0;
  std::vector<BytecodeLine> Bytecodes;
  unsigned ConstantPoolSize = 0;
};

/// The listings of --print-bytecode in \p Stdout, in order; other lines
/// (protocol lines, other listings) are skipped.
std::vector<BytecodeListing> parseBytecodeListings(llvm::StringRef Stdout);

/// One line of a --print-opt-code listing's instructions.
struct InstructionLine {
  uint32_t PcOffset = 0;
  std::string Text;  // the instruction, or a ";; comment" about it
  bool IsComment = false;
};

struct CodeListing {
  std::string Function;
  std::string Kind;      // MAGLEV, TURBOFAN_JS
  std::string Compiler;  // maglev, turbofan
  uint64_t Start = 0;    // address of the first instruction
  uint32_t Size = 0;     // Instructions (size = N)
  unsigned InlinedCount = 0;
  std::vector<InstructionLine> Instructions;
};

/// The listings of --print-opt-code in \p Stdout, in order.
std::vector<CodeListing> parseCodeListings(llvm::StringRef Stdout);

/// `node --v8-options`: flag name (without --) -> its default as printed
/// after "default:" ("--maglev", "--no-maglev", "--max-opt=999").
std::map<std::string, std::string> parseV8Options(llvm::StringRef Text);

/// How a rung is pinned on a V8 with \p Options: the node flags, or why the
/// tier cannot be had there (Missing non-empty).
struct RungPin {
  std::vector<std::string> Flags;
  std::string Missing;
};
RungPin pinTier(Tier Top, const std::map<std::string, std::string> &Options);

/// Offsets of line starts in \p Text: line N (1-based) starts at
/// Starts[N - 1].
std::vector<uint32_t> lineStarts(llvm::StringRef Text);
/// The 1-based line holding \p Offset.
unsigned lineOfOffset(const std::vector<uint32_t> &Starts, uint32_t Offset);

} // namespace v8log
} // namespace explain
} // namespace kc

#endif
