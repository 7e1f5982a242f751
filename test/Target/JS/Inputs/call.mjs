// call.mjs - Calls functions of an ES module emitted by kernelc and prints
// each result on its own line (the JS back-end's execution tests).
//
//   node call.mjs MODULE 'f(1, 2)' 'g(bytes("abc"))' ...
//
// Each argument is a JS expression over the module's exports and the helpers
// below. Results print as: numbers with String() (and -0 as "-0"), strings
// as JSON, Uint8Array as b"hex", typed arrays as Name[...], Arrays as [...],
// Maps as {k:v,...}, records as Name{field=value,...}. A KernelTrap prints
// as "trap: <message>", anything else thrown as "exception: <error>".

import { pathToFileURL } from 'node:url';

const [modulePath, ...calls] = process.argv.slice(2);
const m = await import(pathToFileURL(modulePath).href);

const helpers = {
  // ASCII text as bytes.
  bytes: (text) => new TextEncoder().encode(text),
  // Hex digits as bytes: hex("00ff").
  hex: (digits) => Uint8Array.from(digits.match(/../g) ?? [], (h) => parseInt(h, 16)),
};

function show(v) {
  if (typeof v === 'number')
    return Object.is(v, -0) ? '-0' : String(v);
  if (typeof v === 'string')
    return JSON.stringify(v);
  if (typeof v !== 'object' || v === null)
    return String(v);
  if (v instanceof Uint8Array)
    return 'b"' + Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString('hex') + '"';
  if (ArrayBuffer.isView(v))
    return v.constructor.name + '[' + Array.from(v, show).join(',') + ']';
  if (Array.isArray(v))
    return '[' + v.map(show).join(',') + ']';
  if (v instanceof Map)
    return '{' + [...v].map(([k, x]) => show(k) + ':' + show(x)).join(',') + '}';
  return v.constructor.name + '{' +
         Object.entries(v).map(([k, x]) => k + '=' + show(x)).join(',') + '}';
}

// Exports named with a reserved word (`export { class_ as class }`) are
// reached as m.class.
const isParameter = (name) => {
  try {
    new Function(name, '');
    return true;
  } catch {
    return false;
  }
};
const names = [...Object.keys(m).filter(isParameter), 'm'];
const scope = [...names, ...Object.keys(helpers)];
const values = [...names.map((n) => (n === 'm' ? m : m[n])), ...Object.values(helpers)];
for (const call of calls) {
  const f = new Function(...scope, `return (${call});`);
  try {
    console.log(show(f(...values)));
  } catch (e) {
    if (e instanceof m.KernelTrap)
      console.log(`trap: ${e.message}`);
    else
      console.log(`exception: ${e}`);
  }
}
