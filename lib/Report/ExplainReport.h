//===- ExplainReport.h - Reports of rtcompare explain -----------*- C++ -*-===//
//
// The terminal report (ladder table, findings), the JSON report (everything
// measured, for scripts), and the HTML page (panes side by side, linked by
// kernel source line; Vega-Lite charts of the ladder, of per-iteration
// times with warm-up changepoints, and of V8's tier timeline), which
// inlines its scripts so it opens with no network.
//
//===----------------------------------------------------------------------===//

#ifndef KC_REPORT_EXPLAINREPORT_H
#define KC_REPORT_EXPLAINREPORT_H

#include "Explain/Explain.h"
#include "llvm/ADT/ArrayRef.h"
#include "llvm/Support/Error.h"
#include "llvm/Support/JSON.h"

namespace llvm {
class raw_ostream;
}

namespace kc {
namespace report {

void printExplanation(const explain::Explanation &E, llvm::raw_ostream &OS);
llvm::json::Value explanationJSON(const explain::Explanation &E);
void writeExplanationJSON(llvm::ArrayRef<explain::Explanation> Es,
                          llvm::raw_ostream &OS);
/// One self-contained page; \p ScriptDir holds the charting library's
/// files (vega, vega-lite, vega-embed), inlined into the page.
llvm::Error writeExplanationHTML(const explain::Explanation &E,
                                 llvm::StringRef ScriptDir,
                                 llvm::raw_ostream &OS);

} // namespace report
} // namespace kc

#endif
