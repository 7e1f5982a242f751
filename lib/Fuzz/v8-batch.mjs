// v8-batch.mjs - The V8 worker of the differential fuzzer (lib/Fuzz/Batch.h):
// `node v8-batch.mjs BATCH.jsonl FROM` runs the batch's jobs from index FROM
// on, each kernelc ES module imported once and its entry called once, and
// prints one outcome line per job as it finishes.
//
// It uses the V8 runner's own pieces (runtimes/v8): the .kin reader and its
// conversions, the type spellings, the canonical text of results, and the
// same test for a KernelTrap.

import { readFileSync, writeSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { canonical } from '../../runtimes/v8/canonical.mjs';
import { parseKin, readFileBytes, toArgument } from '../../runtimes/v8/kin.mjs';
import { makeTypeParser } from '../../runtimes/v8/types.mjs';

// Synchronous writes: a line is out before the next kernel can hang.
function emit(obj) {
  const bytes = Buffer.from(JSON.stringify(obj) + '\n', 'utf8');
  let done = 0;
  while (done < bytes.length) {
    try {
      done += writeSync(1, bytes, done, bytes.length - done);
    } catch (e) {
      if (e.code !== 'EAGAIN')
        throw e;
    }
  }
}

function isTrap(e) {
  return e !== null && typeof e === 'object' &&
         (e.name === 'KernelTrap' || e.constructor?.name === 'KernelTrap');
}

async function runOne(job) {
  let parse, args, resultType;
  try {
    parse = makeTypeParser(job.records);
    const paramTypes = job.params.map(parse);
    resultType = parse(job.result);
    const buf = readFileBytes(resolve(job.inputs));
    const values = parseKin(buf);
    if (values.length !== paramTypes.length)
      throw new Error(`the inputs hold ${values.length} values ` +
                      `for ${paramTypes.length} parameters`);
    args = values.map((v, i) => toArgument(buf, v, paramTypes[i], i).value);
  } catch (e) {
    return { kind: 'error', text: `bad-job: ${e.message}` };
  }
  let entry;
  try {
    const ns = await import(pathToFileURL(resolve(job.js)).href);
    entry = ns[job.entry];
    if (typeof entry !== 'function')
      return { kind: 'error', text: `load: no function '${job.entry}' exported` };
  } catch (e) {
    return { kind: 'error', text: `load: ${e?.name}: ${e?.message}` };
  }
  let result;
  try {
    result = entry(...args);
  } catch (e) {
    if (isTrap(e)) {
      const line = Number.isSafeInteger(e.line) ? e.line : 0;
      return { kind: 'trap', text: String(e.kind), line };
    }
    const text = e instanceof Error ? `${e.name}: ${e.message}` : `uncaught ${String(e)}`;
    return { kind: 'exception', text };
  }
  try {
    return { kind: 'ok', text: canonical(result, resultType) };
  } catch (e) {
    return { kind: 'exception', text: `${e?.name}: ${e?.message}` };
  }
}

async function main(argv) {
  if (argv.length < 1) {
    process.stderr.write('usage: node v8-batch.mjs BATCH.jsonl [FROM]\n');
    process.exit(1);
  }
  const jobs = readFileSync(argv[0], 'utf8').split('\n').filter((l) => l !== '')
    .map((l) => JSON.parse(l));
  const from = Number(argv[1] ?? 0);
  for (let i = from; i < jobs.length; ++i) {
    const out = await runOne(jobs[i]);
    emit({ i, ...out });
  }
  process.exit(0);
}

await main(process.argv.slice(2));
