// harness.mjs - The V8 runner: `node harness.mjs JOB.json` runs one job of
// docs/runner-protocol.md and prints its JSON lines on stdout.
//
// hello, then the job (bad-job), the inputs (bad-job), the module and its
// entry (load); then calibration, `iterations` samples of `batch` calls, the
// last call's result as canonical text, done. A failure prints one error
// line and exits with code 2; details for humans go to stderr.
//
// The timed code is one small function generated for the job's parameters
// (see makeSampler): a counted loop around a single call site of the entry,
// between two process.hrtime.bigint() reads. Arguments are built before the
// first read: arrays are copied for every call (a kernel may mutate them);
// numbers, booleans, strings and bytes (immutable in the language) are
// shared by all calls, but still loaded per call so that no work on them can
// be hoisted out of the timed loop.
//
// The kernel's module runs contained (containment.mjs): it may import only
// the job's `allowed_imports`, and a refused operation fails the job with a
// `refused` error even if the kernel caught it.

import { readFileSync, writeSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { canonical, ResultTypeError } from './canonical.mjs';
import { contain, isRefusal, takeRefusal } from './containment.mjs';
import { InputError, parseKin, readFileBytes, toArgument } from './kin.mjs';
import { makeTypeParser, TypeSpellingError } from './types.mjs';

const PROTOCOL = 1;
const EXIT_FAILURE = 2;
const DEFAULT_MIN_SAMPLE_NS = 5_000_000;
const MAX_BATCH = 2 ** 30;
// The most array elements the copies of one sample may hold (as
// kc-runner-cpython): calibration stops doubling before it would go past.
const MAX_BATCH_ELEMENTS = 2 ** 25;

// --- Output ----------------------------------------------------------------

// Synchronous writes: nothing is lost on process.exit, and no stream
// machinery runs between samples. Retries when a non-blocking pipe is full.
function writeAll(fd, text) {
  const bytes = Buffer.from(text, 'utf8');
  let done = 0;
  while (done < bytes.length) {
    try {
      done += writeSync(fd, bytes, done, bytes.length - done);
    } catch (e) {
      if (e.code !== 'EAGAIN')
        throw e;
    }
  }
}

function emit(event) {
  writeAll(1, JSON.stringify(event) + '\n');
}

function note(text) {
  writeAll(2, text.endsWith('\n') ? text : text + '\n');
}

/// A failure of one of the protocol's kinds: trap, exception, bad-job, load,
/// refused.
class Failure extends Error {
  constructor(kind, message, line) {
    super(message);
    this.kind = kind;
    this.line = line;
  }
}

function finish(failure) {
  const event = { event: 'error', kind: failure.kind, message: failure.message };
  if (failure.kind === 'trap')
    event.line = failure.line;
  emit(event);
  process.exit(EXIT_FAILURE);
}

// --- hello -----------------------------------------------------------------

// NODE_OPTIONS as node splits it: white space separates, double quotes
// group, a backslash inside quotes escapes the next character.
function splitNodeOptions(text) {
  const out = [];
  let cur = null;
  let quoted = false;
  for (let i = 0; i < text.length; ++i) {
    const c = text[i];
    if (quoted) {
      if (c === '\\' && i + 1 < text.length)
        cur += text[++i];
      else if (c === '"')
        quoted = false;
      else
        cur += c;
      continue;
    }
    if (c === ' ' || c === '\t' || c === '\n') {
      if (cur !== null)
        out.push(cur);
      cur = null;
      continue;
    }
    cur ??= '';
    if (c === '"')
      quoted = true;
    else
      cur += c;
  }
  if (cur !== null)
    out.push(cur);
  return out;
}

/// Flags of node's permission model: what the process may reach, not how
/// V8 runs code (and they name each job's own files).
function isContainmentFlag(flag) {
  return flag === '--permission' || flag === '--experimental-permission' ||
         flag.startsWith('--allow-');
}

/// The node flags in effect: NODE_OPTIONS (applied first) and the command
/// line's, those of containment apart.
function nodeFlags() {
  const all = [...splitNodeOptions(process.env.NODE_OPTIONS ?? ''), ...process.execArgv];
  return {
    flags: all.filter((f) => !isContainmentFlag(f)),
    containment: all.filter(isContainmentFlag),
  };
}

// --- The job ---------------------------------------------------------------

function readJob(path) {
  const bad = (msg) => new Failure('bad-job', msg);
  if (path === undefined)
    throw bad('usage: node harness.mjs JOB.json');
  let job;
  try {
    job = JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    throw bad(`cannot read job ${path}: ${e.message}`);
  }
  if (typeof job !== 'object' || job === null || Array.isArray(job))
    throw bad('the job must be a JSON object');
  if (job.protocol !== PROTOCOL)
    throw bad(`unsupported protocol ${JSON.stringify(job.protocol)} (this runner speaks ${PROTOCOL})`);
  for (const key of ['module', 'entry', 'result', 'inputs'])
    if (typeof job[key] !== 'string' || job[key] === '')
      throw bad(`"${key}" must be a non-empty string`);
  if (!Array.isArray(job.params))
    throw bad('"params" must be an array of type spellings');
  const checkOnly = job.check_only ?? false;
  if (typeof checkOnly !== 'boolean')
    throw bad('"check_only" must be true or false');
  const iterations = job.iterations ?? (checkOnly ? 0 : undefined);
  if (!Number.isSafeInteger(iterations) || iterations < (checkOnly ? 0 : 1))
    throw bad('"iterations" must be an integer >= 1');
  const batch = job.batch ?? 0;
  if (!Number.isSafeInteger(batch) || batch < 0 || batch > MAX_BATCH)
    throw bad(`"batch" must be an integer in 0..${MAX_BATCH}`);
  const timeBudgetNs = job.time_budget_ns ?? 0;
  if (typeof timeBudgetNs !== 'number' || !(timeBudgetNs >= 0) || !Number.isFinite(timeBudgetNs))
    throw bad('"time_budget_ns" must be a number >= 0');
  const allowedImports = job.allowed_imports ?? [];
  if (!Array.isArray(allowedImports) ||
      !allowedImports.every((m) => typeof m === 'string' && m !== ''))
    throw bad('"allowed_imports" must be an array of module specifiers');
  const minSampleNs = job.min_sample_ns ?? DEFAULT_MIN_SAMPLE_NS;
  if (typeof minSampleNs !== 'number' || !(minSampleNs >= 0) || !Number.isFinite(minSampleNs))
    throw bad('"min_sample_ns" must be a number >= 0');
  let paramTypes, resultType;
  try {
    const parseType = makeTypeParser(job.records);
    paramTypes = job.params.map(parseType);
    resultType = parseType(job.result);
  } catch (e) {
    if (e instanceof TypeSpellingError)
      throw bad(e.message);
    throw e;
  }
  return {
    module: resolve(job.module),
    entry: job.entry,
    inputs: resolve(job.inputs),
    paramTypes,
    resultType,
    iterations,
    batch,
    minSampleNs,
    timeBudgetNs,
    checkOnly,
    allowedImports,
  };
}

/// The arguments, converted once: [{value, fresh}] per parameter.
function readArguments(job) {
  try {
    const buf = readFileBytes(job.inputs);
    const values = parseKin(buf);
    if (values.length !== job.paramTypes.length)
      throw new InputError(`the inputs hold ${values.length} values for ` +
                           `${job.paramTypes.length} parameters`);
    return values.map((v, i) => toArgument(buf, v, job.paramTypes[i], i));
  } catch (e) {
    if (e instanceof InputError)
      throw new Failure('bad-job', `${job.inputs}: ${e.message}`);
    throw e;
  }
}

/// A refusal recorded since the last check, or `e` if it is one, as the
/// protocol's failure; null otherwise.
function refusedFailure(e) {
  const recorded = takeRefusal();
  if (recorded !== null)
    return new Failure('refused', recorded);
  if (e !== undefined && isRefusal(e)) {
    // node's permission model names what it refused.
    const what = e.permission ? `${e.permission} of ${e.resource ?? '?'}` : e.message;
    return new Failure('refused', what);
  }
  return null;
}

async function loadEntry(job) {
  const url = pathToFileURL(job.module).href;
  contain(url, job.allowedImports);
  let ns;
  try {
    ns = await import(url);
  } catch (e) {
    note(`harness: cannot load ${job.module}:\n${e?.stack ?? e}`);
    throw refusedFailure(e) ??
          new Failure('load', `cannot load ${job.module}: ${e?.message ?? e}`);
  }
  const refused = refusedFailure();
  if (refused)
    throw refused;
  const entry = ns[job.entry];
  if (entry === undefined)
    throw new Failure('load', `${job.module} has no export named '${job.entry}'`);
  if (typeof entry !== 'function')
    throw new Failure('load', `export '${job.entry}' of ${job.module} is not a function`);
  return entry;
}

// --- Calls -----------------------------------------------------------------

/// The timed function for these parameters: sample(f, n, xs, st) calls f n
/// times and returns the elapsed nanoseconds as a BigInt, leaving the last
/// result in st.last. Generated so that the loop has exactly one call site
/// (monomorphic: TurboFan may inline the entry, as it would at any hot call
/// site) and no per-parameter dispatch.
///
/// Every argument is loaded per call: xs[p][i] for an array argument (call i
/// takes copy i), xs[p][i & RING_MASK] for a shared one, a ring of identical
/// values. A shared argument read once before the loop would be loop
/// invariant, and once the entry is inlined TurboFan hoists pure work on it
/// out of the loop: a tiny scalar kernel would then be timed as ~0.3 ns per
/// call whatever it computes (mitata's "computed parameters" exist for the
/// same reason).
const RING = 8;
const RING_MASK = RING - 1;

function makeSampler(fresh) {
  const load = fresh.map((_, p) => `const x${p} = xs[${p}];`).join('\n  ');
  const actuals = fresh.map((isFresh, p) => (isFresh ? `x${p}[i]` : `x${p}[i & ${RING_MASK}]`));
  const body = `'use strict';
return function sample(f, n, xs, st) {
  ${load}
  let r;
  const t0 = now();
  for (let i = 0; i < n; ++i) r = f(${actuals.join(', ')});
  const t1 = now();
  st.last = r;
  return t1 - t0;
};`;
  return new Function('now', body)(process.hrtime.bigint);
}

/// xs for one sample of n calls: for an array argument n fresh copies, for
/// the others a ring of RING references to the one shared value.
function buildArgs(args, n) {
  const xs = [];
  for (const { value, fresh } of args) {
    const per = [];
    if (fresh) {
      for (let i = 0; i < n; ++i)
        per.push(value.slice()); // keeps the template's elements kind
    } else {
      for (let i = 0; i < RING; ++i)
        per.push(value);
    }
    xs.push(per);
  }
  return xs;
}

function isTrap(e) {
  return e !== null && typeof e === 'object' &&
         (e.name === 'KernelTrap' || e.constructor?.name === 'KernelTrap');
}

/// The protocol's view of an error thrown by the kernel.
function kernelFailure(e) {
  const refused = refusedFailure(e);
  if (refused) {
    note(`harness: the kernel was refused: ${refused.message}\n${e?.stack ?? ''}`);
    return refused;
  }
  if (isTrap(e)) {
    const line = Number.isSafeInteger(e.line) ? e.line : 0;
    note(`harness: the kernel trapped: ${e.kind} (line ${line})\n${e.stack ?? ''}`);
    return new Failure('trap', String(e.kind), line);
  }
  const message = e instanceof Error ? `${e.name}: ${e.message}` : `uncaught ${String(e)}`;
  note(`harness: the kernel threw:\n${e?.stack ?? String(e)}`);
  return new Failure('exception', message);
}

// A cheap digest of a result, folded into `sink` after each sample so that
// no result is provably unused.
let sink = 0;
function consume(r) {
  switch (typeof r) {
  case 'number': return r | 0;
  case 'boolean': return r ? 1 : 0;
  case 'string': return r.length;
  case 'object': return r === null ? 0 : (r.length ?? r.size ?? 1) | 0;
  default: return 0;
  }
}

/// The protocol's calibration: one untimed call, then batch 1, 2, 4... until
/// a sample takes at least minNs. A sample that reaches minNs is timed once
/// more and counts only if the repeat does too: a lone spike (a synchronous
/// compilation, a GC pause) must not stop the doubling far too early and
/// leave every sample short.
function calibrate(timed, minNs, elementsPerCall) {
  timed(1); // first-call costs, untimed
  let batch = 1;
  for (;;) {
    let ns = timed(batch);
    if (ns >= minNs && (ns = timed(batch)) >= minNs)
      return batch;
    if (batch >= MAX_BATCH || 2 * batch * elementsPerCall > MAX_BATCH_ELEMENTS) {
      note(`harness: warning: calibration stopped at ${batch} calls per sample ` +
           `(${ns} ns < min_sample_ns ${minNs})`);
      return batch;
    }
    batch *= 2;
  }
}

function run(job, entry, args) {
  const sample = makeSampler(args.map((a) => a.fresh));
  const st = { last: undefined };
  // One sample of n calls; only its last result stays alive afterwards.
  // Refused is refused, even if the kernel caught what was thrown.
  const timed = (n) => {
    st.last = undefined;
    const ns = Number(sample(entry, n, buildArgs(args, n), st));
    const refused = refusedFailure();
    if (refused)
      throw refused;
    return ns;
  };

  try {
    if (job.checkOnly) {
      timed(1);
    } else {
      let batch = job.batch;
      if (batch === 0)
        batch = calibrate(timed, job.minSampleNs,
                          args.reduce((n, a) => n + (a.fresh ? a.value.length + 1 : 0), 0));
      emit({ event: 'batch', calls: batch });
      // A time budget stops sampling early, but never below 3 samples.
      let spent = 0;
      for (let i = 0; i < job.iterations; ++i) {
        const ns = timed(batch);
        sink ^= consume(st.last);
        emit({ event: 'sample', i, calls: batch, ns });
        spent += ns;
        if (job.timeBudgetNs > 0 && spent >= job.timeBudgetNs && i + 1 >= 3)
          break;
      }
    }
  } catch (e) {
    if (e instanceof Failure)
      throw e;
    throw kernelFailure(e);
  }

  let text;
  try {
    text = canonical(st.last, job.resultType);
  } catch (e) {
    if (e instanceof ResultTypeError)
      throw new Failure('exception', e.message);
    throw kernelFailure(e); // a getter or a proxy of the result threw
  }
  const refused = refusedFailure();
  if (refused)
    throw refused;
  emit({ event: 'result', canonical: text });
  emit({ event: 'done' });
}

// --- Main ------------------------------------------------------------------

// The cost of one process.hrtime.bigint() read, averaged over back-to-back
// reads: what a sample pays twice for being timed. The least of a few
// rounds: the first runs cold (interpreted, inline caches empty; slower
// still under the permission model), and a preemption only adds.
function timerReadNs() {
  const reads = 1000;
  let best = Infinity;
  for (let round = 0; round < 5; ++round) {
    const start = process.hrtime.bigint();
    for (let i = 1; i < reads; i++) process.hrtime.bigint();
    best = Math.min(best, Number(process.hrtime.bigint() - start) / reads);
  }
  return best;
}

async function main(argv) {
  const { flags, containment } = nodeFlags();
  emit({
    event: 'hello',
    protocol: PROTOCOL,
    runtime: 'v8',
    version: process.versions.node,
    engine: `V8 ${process.versions.v8}`,
    flags,
    containment,
    timer_ns: timerReadNs(),
  });
  try {
    const job = readJob(argv[0]);
    const args = readArguments(job);
    const entry = await loadEntry(job);
    run(job, entry, args);
  } catch (e) {
    if (e instanceof Failure)
      finish(e);
    throw e; // a bug of the harness: node prints it and exits with 1
  }
  process.exit(0);
}

await main(process.argv.slice(2));
