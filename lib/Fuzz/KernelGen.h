//===- KernelGen.h - Random well-typed, terminating kernels -----*- C++ -*-===//
//
// The generator of the differential fuzzer (in the spirit of Csmith and
// YARPGen): from a seed it builds a kernel file that the front-end accepts,
// that ends on every input, and whose result every runtime must compute the
// same way. How it keeps those promises (docs/fuzzing.md):
//
//  - Types: every expression is built for a wanted type; integer literals
//    that would take their type from context are given one explicitly where
//    no context does.
//  - Termination: calls only go to functions defined earlier, or to the
//    function itself through a depth parameter that only decreases; every
//    loop has a bounded trip count (range bounds reduced modulo a small
//    number, a counter in each while, a guard counter that breaks out of each
//    for-each and for-map); loops nest at most MaxLoopNest deep, counting the
//    loops of the functions called inside them and recursion as one.
//  - No undefined behaviour: an int stays within +-2^53 unless the kernel is
//    checked. Each int expression carries a bound on its magnitude (as
//    YARPGen tracks values); an operand whose bound would let a result leave
//    the safe range is reduced modulo a prime first, and stored ints are kept
//    below 2^30. Strings at rest stay short (fzcap).
//  - Traps are results too: most operations are built in a guarded form
//    (an index reduced modulo the length, a non-zero divisor, a field read
//    under `x != null`) and a few percent in their raw form, which may trap.
//
// The same seed and options always give the same text.
//
//===----------------------------------------------------------------------===//

#ifndef KC_FUZZ_KERNELGEN_H
#define KC_FUZZ_KERNELGEN_H

#include <cstdint>
#include <optional>
#include <string>

namespace kc {
namespace fuzz {

struct GenOptions {
  uint64_t Seed = 1;
  /// Checked mode (int.check_safe after int arithmetic). Unset: the seed
  /// chooses, about one kernel in three.
  std::optional<bool> Checked;
  unsigned MaxRecords = 3;
  unsigned MaxHelpers = 4; // functions besides the entry
  unsigned MaxParams = 4;
  unsigned MaxBlockStmts = 6;
  unsigned MaxFunctionStmts = 45;
  unsigned MaxExprDepth = 4;
  unsigned MaxLoopNest = 3;
  /// Percent of operations generated in their unguarded form (may trap).
  unsigned RawPercent = 2;
  /// Percent of identifiers taken from a list of names that are keywords,
  /// builtins or helper names in JavaScript or Python.
  unsigned TrickyNamePercent = 6;
};

struct GeneratedKernel {
  std::string Source; // the kernel file, bench section included
  bool Checked = false;
  std::string Entry;
};

/// The header line of a generated kernel: the generator's seed and whether
/// the kernel is meant for checked mode, which tools read back.
constexpr const char *CheckedMarker = "// kc-difffuzz: checked";

GeneratedKernel generateKernel(const GenOptions &Opts);

/// Whether kernel source text asks for checked mode (has CheckedMarker).
bool sourceWantsChecked(const std::string &Source);

} // namespace fuzz
} // namespace kc

#endif
