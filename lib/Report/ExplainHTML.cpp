//===- ExplainHTML.cpp - The self-contained HTML page of explain ----------===//
//
// One file that opens anywhere without a network: the charting library
// (Vega, Vega-Lite, vega-embed, installed from the npm registry by
// scripts/setup.sh into web/node_modules) is inlined, and so is the whole
// explanation as JSON. The page's script builds the panes and the charts
// from that JSON, so what the page shows is exactly what the JSON report
// holds.
//
// Panes are linked by kernel source line: every line of every pane carries
// the source line it comes from (when the runtime gives one); pointing at a
// line highlights the lines of every pane that come from the same source
// line.
//
// The page reports its own health for tests: <body data-charts=N> once N
// charts have rendered, and <html data-errors> with any script error,
// console error or failed chart (tests load it in headless Chromium and
// read the DOM).
//
//===----------------------------------------------------------------------===//

#include "Report/ExplainReport.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"

using namespace llvm;
using namespace kc;
using namespace kc::explain;

static std::string htmlEscape(StringRef S) {
  std::string Out;
  Out.reserve(S.size());
  for (char C : S) {
    switch (C) {
    case '&': Out += "&amp;"; break;
    case '<': Out += "&lt;"; break;
    case '>': Out += "&gt;"; break;
    case '"': Out += "&quot;"; break;
    default: Out += C;
    }
  }
  return Out;
}

/// JSON inside a <script> element: '<' only occurs inside JSON strings, where
/// \u003c means the same character, and it can no longer close the element.
static std::string scriptSafeJSON(const json::Value &V) {
  std::string Text = formatv("{0}", V).str();
  std::string Out;
  Out.reserve(Text.size());
  for (char C : Text) {
    if (C == '<')
      Out += "\\u003c";
    else
      Out += C;
  }
  return Out;
}

static json::Value panesJSON(const Explanation &E) {
  json::Array Panes;
  // The kernel itself first: its line N comes from source line N.
  std::vector<unsigned> Identity;
  unsigned Lines = 1 + std::count(E.Ctx.Source.begin(), E.Ctx.Source.end(), '\n');
  for (unsigned L = 1; L <= Lines; ++L)
    Identity.push_back(L);
  auto AddPane = [&](const Pane &P, StringRef Runtime) {
    json::Array Map;
    for (unsigned L : P.SourceLines)
      Map.push_back(int64_t(L));
    Panes.push_back(json::Object{{"id", P.Id},
                                 {"title", P.Title},
                                 {"language", P.Language},
                                 {"runtime", Runtime},
                                 {"text", P.Text},
                                 {"lines", std::move(Map)}});
  };
  AddPane(Pane{"kernel", E.Ctx.KernelName + ".k", "kernel", E.Ctx.Source,
               Identity},
          "kernel");
  for (size_t I = 0; I < E.Parts.size(); ++I)
    for (const Pane &P : E.Parts[I].Panes)
      AddPane(P, E.PartNames[I]);
  return Panes;
}

static Expected<std::string> readScript(StringRef Dir, StringRef Rel) {
  SmallString<256> Path(Dir);
  sys::path::append(Path, Rel);
  auto Buf = MemoryBuffer::getFile(Path);
  if (!Buf)
    return createStringError(Buf.getError(),
                             "the charting library is missing ('" + Path +
                                 "': " + Buf.getError().message() +
                                 "); run scripts/setup.sh");
  return (*Buf)->getBuffer().str();
}

// The page's own script: builds panes, tables and Vega-Lite specs from the
// embedded JSON. Kept in one raw string so the page is one file.
// First in <head>, before the libraries: any script error, rejected promise
// or console.error from then on lands in <html data-errors>.
static const char *HealthScript = R"JS(
'use strict';
const kcErrors = [];
function noteError(text) {
  kcErrors.push(String(text));
  document.documentElement.dataset.errors = kcErrors.join(' | ');
}
window.addEventListener('error', e => noteError(e.message));
window.addEventListener('unhandledrejection', e => noteError(e.reason));
const kcConsoleError = console.error.bind(console);
console.error = (...args) => { noteError(args.join(' ')); kcConsoleError(...args); };
)JS";

static const char *PageScript = R"JS(
'use strict';

const data = JSON.parse(document.getElementById('explanation').textContent);

function el(tag, attrs, ...children) {
  const n = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (k === 'class') n.className = v; else n.setAttribute(k, v);
  }
  for (const c of children) n.append(c);
  return n;
}

function fmt(v) {
  if (v === undefined || v === null || !isFinite(v)) return '-';
  return Number(v).toPrecision(3);
}

function ladderTable() {
  const t = el('table', { class: 'ladder', id: 'ladder-table' });
  t.append(el('tr', {}, el('th', {}, 'rung'), el('th', {}, 'how'),
    el('th', {}, 'ns/' + data.operation_unit), el('th', {}, '95% interval'),
    el('th', {}, 'x rung above')));
  for (const r of data.ladder) {
    if (!r.ns_per_call) {
      t.append(el('tr', { class: 'missing' }, el('td', {}, r.name),
        el('td', {}, r.how), el('td', { colspan: 3 }, 'not measured: ' + r.missing)));
      continue;
    }
    const op = r.ns_per_operation, f = r.factor_to_rung_above;
    t.append(el('tr', {}, el('td', {}, r.name), el('td', {}, r.how),
      el('td', { class: 'num' }, fmt(op.estimate)),
      el('td', { class: 'num' }, '[' + fmt(op.low) + ', ' + fmt(op.high) + ']'),
      el('td', { class: 'num' }, f ? fmt(f.estimate) + 'x' : '')));
  }
  return t;
}

function ladderSpec() {
  const values = data.ladder.filter(r => r.ns_per_operation).map((r, i) => ({
    rung: r.name, runtime: r.runtime, order: i,
    ns: r.ns_per_operation.estimate, low: r.ns_per_operation.low,
    high: r.ns_per_operation.high }));
  const y = { field: 'rung', type: 'nominal', sort: { field: 'order' }, title: null };
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: 'The ladder: ns per ' + data.operation_unit + ' (log scale, 95% interval)',
    width: 560, data: { values },
    layer: [
      { mark: { type: 'rule', strokeWidth: 2 }, encoding: { y,
          x: { field: 'low', type: 'quantitative', scale: { type: 'log' },
               title: 'ns per ' + data.operation_unit },
          x2: { field: 'high' }, color: { field: 'runtime', type: 'nominal' } } },
      { mark: { type: 'point', filled: true, size: 80 }, encoding: { y,
          x: { field: 'ns', type: 'quantitative' },
          color: { field: 'runtime', type: 'nominal' },
          tooltip: [{ field: 'rung' }, { field: 'ns', format: '.3g' },
                    { field: 'low', format: '.3g' }, { field: 'high', format: '.3g' }] } }
    ]
  };
}

function iterationSpec() {
  // One data set for both layers, split by a filter: a layer with its own
  // data inside a facet would repeat every rung's changepoints in every
  // panel.
  const values = [];
  for (const r of data.ladder) {
    (r.executions || []).forEach((ex, e) => {
      ex.ns_per_call.forEach((ns, i) => values.push({ kind: 'sample', rung: r.name,
        series: r.name + ' #' + (e + 1), iteration: i, ns }));
      for (const s of ex.segment_starts || [])
        if (s > 0) values.push({ kind: 'change', rung: r.name, iteration: s - 0.5 });
    });
  }
  const layers = [
      { transform: [{ filter: "datum.kind === 'sample'" }],
        mark: { type: 'line', point: true }, encoding: {
          x: { field: 'iteration', type: 'quantitative',
               axis: { tickMinStep: 1, format: 'd' } },
          y: { field: 'ns', type: 'quantitative', title: 'ns per call',
               scale: { zero: false } },
          color: { field: 'series', type: 'nominal', legend: null } } }];
  // Without changepoints an empty rule layer only makes Vega warn.
  if (values.some(v => v.kind === 'change'))
    layers.push({ transform: [{ filter: "datum.kind === 'change'" }],
        mark: { type: 'rule', strokeDash: [4, 3], color: 'red' },
        encoding: { x: { field: 'iteration', type: 'quantitative' } } });
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: 'Time per call at each in-process iteration (dashed: warm-up changepoints)',
    data: { values },
    facet: { field: 'rung', type: 'nominal', title: null,
             sort: data.ladder.map(r => r.name) },
    columns: 3,
    resolve: { scale: { y: 'independent' } },
    spec: { width: 220, height: 120, layer: layers }
  };
}

function timelineSpec() {
  const values = data.timeline.map(t => Object.assign({}, t,
    { label: t.kind === 'deopt' ? 'deopt from ' + t.tier : t.tier }));
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: 'V8 tier-ups and deopts by timed iteration (-1: before the first sample)',
    width: 560, data: { values },
    mark: { type: 'point', filled: true, size: 90 },
    encoding: {
      x: { field: 'iteration', type: 'quantitative', title: 'iteration',
           axis: { tickMinStep: 1, format: 'd' } },
      y: { field: 'function', type: 'nominal' },
      color: { field: 'label', type: 'nominal', title: 'event' },
      shape: { field: 'kind', type: 'nominal' },
      tooltip: [{ field: 'function' }, { field: 'label' }, { field: 'reason' },
                { field: 'source_line' }, { field: 'time_ms' }]
    }
  };
}

function paneView(p) {
  const body = el('div', { class: 'pane-body' });
  const lines = p.text.replace(/\n$/, '').split('\n');
  lines.forEach((text, i) => {
    const src = p.lines[i] || 0;
    const line = el('div', { class: 'ln', 'data-src': String(src) },
      el('span', { class: 'src' }, src ? String(src) : ''), text || ' ');
    body.append(line);
  });
  return el('section', { class: 'pane', id: 'pane-' + p.id, 'data-runtime': p.runtime },
    el('h3', {}, p.title), body);
}

function linkPanes(root) {
  let lit = [];
  root.addEventListener('mouseover', e => {
    const ln = e.target.closest('.ln');
    if (!ln) return;
    for (const n of lit) n.classList.remove('hl');
    const src = ln.dataset.src;
    lit = src === '0' ? [] : Array.from(root.querySelectorAll('.ln[data-src="' + src + '"]'));
    for (const n of lit) n.classList.add('hl');
  });
}

async function main() {
  const main = document.getElementById('main');
  main.append(el('h2', {}, 'Ladder'), ladderTable(), el('div', { id: 'chart-ladder' }));
  const findings = el('ul', { id: 'findings' });
  for (const f of data.findings)
    findings.append(el('li', {}, el('b', {}, '[' + f.runtime + '] '), f.text));
  for (const e of data.errors)
    findings.append(el('li', { class: 'error' }, e));
  main.append(el('h2', {}, 'Findings'), findings);
  main.append(el('h2', {}, 'Per-iteration times'), el('div', { id: 'chart-iterations' }));
  const charts = [['#chart-ladder', ladderSpec()], ['#chart-iterations', iterationSpec()]];
  if (data.timeline.length) {
    main.append(el('h2', {}, 'V8 timeline'), el('div', { id: 'chart-timeline' }));
    charts.push(['#chart-timeline', timelineSpec()]);
  }
  const panes = el('div', { id: 'panes' });
  for (const p of data.panes) panes.append(paneView(p));
  main.append(el('h2', {}, 'Code, linked by kernel source line'), panes);
  linkPanes(panes);
  document.body.dataset.panes = String(data.panes.length);
  let rendered = 0;
  for (const [where, spec] of charts) {
    try {
      await vegaEmbed(where, spec, { renderer: 'svg', actions: false });
      rendered++;
    } catch (err) {
      noteError('chart ' + where + ': ' + err);
    }
  }
  document.body.dataset.charts = String(rendered);
}
main().catch(noteError);
)JS";

static const char *PageStyle = R"CSS(
body { font: 14px/1.4 system-ui, sans-serif; margin: 1.5em; color: #222; }
h1 { font-size: 1.4em; } h2 { font-size: 1.15em; margin-top: 1.6em; }
table.ladder { border-collapse: collapse; }
table.ladder td, table.ladder th { border: 1px solid #ccc; padding: 2px 8px; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
tr.missing td { color: #999; }
li.error { color: #b00; }
#panes { display: grid; grid-template-columns: repeat(auto-fill, minmax(420px, 1fr)); gap: 10px; }
.pane { border: 1px solid #ccc; }
.pane h3 { margin: 0; padding: 4px 8px; background: #f3f3f3; font-size: 0.95em; }
.pane-body { font: 12px/1.35 ui-monospace, monospace; max-height: 480px; overflow: auto; white-space: pre; }
.ln { padding-right: 8px; }
.ln .src { display: inline-block; width: 3.5em; color: #999; text-align: right; margin-right: 8px; user-select: none; }
.ln.hl { background: #fff2a8; }
)CSS";

Error report::writeExplanationHTML(const Explanation &E, StringRef ScriptDir,
                                   raw_ostream &OS) {
  std::string Scripts;
  for (StringRef Rel : {"vega/build/vega.min.js",
                        "vega-lite/build/vega-lite.min.js",
                        "vega-embed/build/vega-embed.min.js"}) {
    auto S = readScript(ScriptDir, Rel);
    if (!S)
      return S.takeError();
    Scripts += "<script>\n" + *S + "\n</script>\n";
  }
  json::Value Data = explanationJSON(E);
  Data.getAsObject()->insert({"panes", panesJSON(E)});
  OS << "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
     << "<title>rtcompare explain " << htmlEscape(E.Ctx.KernelName)
     << "</title>\n<style>" << PageStyle << "</style>\n"
     << "<script>" << HealthScript << "</script>\n"
     << Scripts << "</head>\n<body>\n<h1>rtcompare explain: "
     << htmlEscape(E.Ctx.KernelName) << "</h1>\n<p>"
     << htmlEscape(E.Ctx.KernelFile) << ", workload "
     << htmlEscape(E.Ctx.Base.Workload) << ", " << E.Ctx.Operations << " "
     << htmlEscape(E.Ctx.OperationUnit) << (E.Ctx.Operations == 1 ? "" : "s")
     << " per call</p>\n"
     << "<div id=\"main\"></div>\n"
     << "<script type=\"application/json\" id=\"explanation\">"
     << scriptSafeJSON(Data) << "</script>\n<script>" << PageScript
     << "</script>\n</body>\n</html>\n";
  return Error::success();
}
