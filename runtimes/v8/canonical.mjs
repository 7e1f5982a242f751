// canonical.mjs - The canonical text of a result (docs/runner-protocol.md).
//
//   bool      true, false
//   i32 u32   decimal, '-' for negatives (a Number, or a BigInt in range)
//   int       the same, within +-2^53
//   f64       'f64:' + the 16 lowercase hex digits of its IEEE-754 bits;
//             every NaN is f64:7ff8000000000000
//   str       '"' + text + '"' with '"' and '\' escaped by a backslash and
//             code units below 0x20 as \u00xx (lowercase hex); the rest as is
//   bytes     'b"' + lowercase hex + '"'            (a Uint8Array)
//   [T]       '[' elements joined by ',' ']'        (an Array or a typed array)
//   map[K]V   '{' key:value joined by ',' '}'       (a Map, insertion order)
//   record    'Name{' field=value joined by ',' '}' (fields in the job's order)
//
// No white space anywhere. A value that does not have the declared type is a
// ResultTypeError naming where it is (`result[3].mass`) and what it was.

import { typeName } from './types.mjs';

export class ResultTypeError extends Error {}

const f64View = new DataView(new ArrayBuffer(8));
const NEEDS_ESCAPE = /["\\\u0000-\u001f]/;
const ESCAPES = /["\\\u0000-\u001f]/g;
const HEX = '0123456789abcdef';

function escapeChar(c) {
  const k = c.charCodeAt(0);
  return k < 0x20 ? '\\u00' + HEX[k >> 4] + HEX[k & 15] : '\\' + c;
}

/// A JSON string literal as the canonical text spells it.
export function quote(s) {
  return NEEDS_ESCAPE.test(s) ? '"' + s.replace(ESCAPES, escapeChar) + '"'
                              : '"' + s + '"';
}

/// The canonical spelling of a double.
export function f64Text(x) {
  if (x !== x)
    return 'f64:7ff8000000000000';
  f64View.setFloat64(0, x);
  return 'f64:' + f64View.getUint32(0).toString(16).padStart(8, '0') +
         f64View.getUint32(4).toString(16).padStart(8, '0');
}

function describe(v) {
  if (v === null)
    return 'null';
  switch (typeof v) {
  case 'number': return `the number ${v}`;
  case 'bigint': return `the bigint ${v}`;
  case 'string': return `a string of length ${v.length}`;
  case 'boolean': return `${v}`;
  case 'object': return `an object of class ${v.constructor?.name ?? '(none)'}`;
  default: return `a value of type ${typeof v}`;
  }
}

function mismatch(v, t, extra = '') {
  const e = new ResultTypeError();
  e.path = '';
  e.detail = `expected ${typeName(t)}, got ${describe(v)}${extra}`;
  throw e;
}

const LIMITS = {
  i32: [-0x80000000, 0x7fffffff],
  u32: [0, 0xffffffff],
  int: [-(2 ** 53), 2 ** 53],
};

function integerText(v, t) {
  const [lo, hi] = LIMITS[t.kind];
  if (typeof v === 'number') {
    if (!Number.isInteger(v) || v < lo || v > hi)
      mismatch(v, t, v === Math.trunc(v) ? ' (out of range)' : '');
    return String(v); // -0 prints as 0; no exponent below 1e21
  }
  if (typeof v === 'bigint') {
    if (v < BigInt(lo) || v > BigInt(hi))
      mismatch(v, t, ' (out of range)');
    return String(v);
  }
  return mismatch(v, t);
}

function isTypedArray(v) {
  return ArrayBuffer.isView(v) && !(v instanceof DataView);
}

// Appends the text of v (of type t) to out. `active` holds the containers
// being printed, so a cyclic result is an error instead of a hang.
function put(v, t, out, active) {
  switch (t.kind) {
  case 'bool':
    if (typeof v !== 'boolean')
      mismatch(v, t);
    out.push(v ? 'true' : 'false');
    return;
  case 'i32':
  case 'u32':
  case 'int':
    out.push(integerText(v, t));
    return;
  case 'f64':
    if (typeof v !== 'number')
      mismatch(v, t);
    out.push(f64Text(v));
    return;
  case 'str':
    if (typeof v !== 'string')
      mismatch(v, t);
    out.push(quote(v));
    return;
  case 'bytes':
    if (!(v instanceof Uint8Array))
      mismatch(v, t);
    out.push('b"', Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString('hex'), '"');
    return;
  case 'array': {
    const typed = isTypedArray(v);
    if (!typed && !Array.isArray(v))
      mismatch(v, t);
    enter(v, t, active);
    out.push('[');
    const elem = t.elem;
    // A typed array may hold a [bool] as 0 and 1.
    const bits = typed && elem.kind === 'bool';
    for (let i = 0; i < v.length; ++i) {
      if (i !== 0)
        out.push(',');
      try {
        const x = v[i];
        if (bits && (x === 0 || x === 1))
          out.push(x === 1 ? 'true' : 'false');
        else
          put(x, elem, out, active);
      } catch (e) {
        throw within(e, `[${i}]`);
      }
    }
    out.push(']');
    active.delete(v);
    return;
  }
  case 'map': {
    if (!(v instanceof Map))
      mismatch(v, t);
    enter(v, t, active);
    out.push('{');
    let first = true;
    for (const [k, x] of v) {
      if (!first)
        out.push(',');
      first = false;
      try {
        put(k, t.key, out, active);
      } catch (e) {
        throw within(e, '.<key>');
      }
      out.push(':');
      try {
        put(x, t.value, out, active);
      } catch (e) {
        throw within(e, `.get(${typeof k === 'string' ? quote(k) : String(k)})`);
      }
    }
    out.push('}');
    active.delete(v);
    return;
  }
  case 'record': {
    if (typeof v !== 'object' || v === null || Array.isArray(v) || v instanceof Map ||
        isTypedArray(v))
      mismatch(v, t);
    enter(v, t, active);
    out.push(t.name, '{');
    const fields = t.fields;
    for (let i = 0; i < fields.length; ++i) {
      const [name, ft] = fields[i];
      if (i !== 0)
        out.push(',');
      out.push(name, '=');
      try {
        if (!(name in v))
          mismatch(v, t, ` without a field "${name}"`);
        put(v[name], ft, out, active);
      } catch (e) {
        throw within(e, `.${name}`);
      }
    }
    out.push('}');
    active.delete(v);
    return;
  }
  }
  throw new Error(`canonical: unknown type kind ${t.kind}`);
}

function enter(v, t, active) {
  if (active.has(v))
    mismatch(v, t, ' that contains itself');
  active.add(v);
}

function within(e, step) {
  if (e instanceof ResultTypeError)
    e.path = step + e.path;
  return e;
}

/// The canonical text of `value`, a result of type `type` (a parsed type).
/// Throws ResultTypeError when the value does not have that type.
export function canonical(value, type) {
  const out = [];
  try {
    put(value, type, out, new Set());
  } catch (e) {
    if (e instanceof ResultTypeError)
      e.message = `result${e.path}: ${e.detail}`;
    throw e;
  }
  return out.join('');
}
