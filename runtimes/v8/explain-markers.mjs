// explain-markers.mjs - Sample boundaries in V8's own log, for rtcompare
// explain's instrumented runs:
//   node --import explain-markers.mjs --log-code ... harness.mjs JOB.json
//
// Events in a V8 log (tier-ups, deopts) carry no notion of the harness's
// samples, and stdout cannot be interleaved with the log reliably. So at
// every sample boundary this module compiles and calls a tiny function
// whose name says which sample begins (`__kc_sample_3`): its code-creation
// event lands in the same log stream, in order with the kernel's events.
// `__kc_sample_0` precedes the first timed sample, `__kc_sample_end`
// follows the last; events before `__kc_sample_0` happened before sampling
// (calibration, first calls).
//
// The boundaries are the protocol's own lines (docs/runner-protocol.md):
// "batch" is written just before the first sample, each "sample" line just
// after its sample, "result" after the last. harness.mjs is not changed:
// this module wraps fs.writeSync, which the harness writes every protocol
// line with, and publishes the wrapper to ES module importers with
// syncBuiltinESMExports (documented by node:module). Timed runs never load
// it.

import fs from 'node:fs';
import { syncBuiltinESMExports } from 'node:module';

const indirectEval = eval;

function mark(label) {
  // A named function expression compiled from source: V8 logs its bytecode
  // (code-creation ... `__kc_sample_N`) when it is first called.
  indirectEval(`(function __kc_sample_${label}() { return 0; })`)();
}

const original = fs.writeSync;
let next = 0;

fs.writeSync = function writeSync(fd, buffer, ...rest) {
  const result = original.call(this, fd, buffer, ...rest);
  // The harness writes a line as one Buffer from offset 0, and retries the
  // rest of it from a later offset when a pipe is full: look only at the
  // line's first write.
  const offset =
    typeof buffer !== 'string' && typeof rest[0] === 'number' ? rest[0] : 0;
  if (fd === 1 && offset === 0) {
    const text = typeof buffer === 'string'
      ? buffer
      : Buffer.from(buffer).toString('utf8', 0, 40);
    if (text.startsWith('{"event":"batch"'))
      mark(next++);
    else if (text.startsWith('{"event":"sample"'))
      mark(next++);
    else if (text.startsWith('{"event":"result"'))
      mark('end');
  }
  return result;
};
syncBuiltinESMExports();
