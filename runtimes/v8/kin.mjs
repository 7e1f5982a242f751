// kin.mjs - Reads a .kin input file and turns its values into JS arguments.
//
// Format (lib/Bench/Workload.h; little-endian):
//   "KCIN1\n", u32 count, then per value: u8 kind, and
//   Int: i64 | F64: f64 | Bool: u8 | Bytes/Str: u64 len, bytes |
//   IntArray: u64 n, n x i64 | F64Array: u64 n, n x f64
// Every length is checked against what remains, as the C++ reader does.
//
// Conversions (as the native runner's; anything else is an error naming the
// parameter): Int -> int (within +-2^53), i32, u32 (range-checked); F64 ->
// f64; Bool -> bool; Bytes -> bytes (a Uint8Array); Str -> str (ASCII only,
// a flat one-byte string); IntArray -> [int], [i32], [u32] (each element
// range-checked); F64Array -> [f64]. Arrays become packed JS Arrays.

import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { isAscii } from 'node:buffer';
import { typeName } from './types.mjs';

/// A malformed file or an input that does not fit its parameter.
export class InputError extends Error {}

export const KIND_NAMES = ['Int', 'F64', 'Bool', 'Bytes', 'Str', 'IntArray', 'F64Array'];
const MAGIC = 'KCIN1\n';
const TWO_32 = 4294967296;

/// The whole file in one Buffer (read in chunks: readFileSync stops at 2 GiB).
export function readFileBytes(path) {
  let fd;
  try {
    fd = openSync(path, 'r');
    const size = fstatSync(fd).size;
    const buf = Buffer.allocUnsafeSlow(size);
    let done = 0;
    while (done < size) {
      const n = readSync(fd, buf, done, Math.min(size - done, 1 << 30), done);
      if (n === 0)
        throw new InputError(`${path}: file shrank while reading`);
      done += n;
    }
    return buf;
  } catch (e) {
    if (e instanceof InputError)
      throw e;
    throw new InputError(`cannot read inputs: ${e.message}`);
  } finally {
    if (fd !== undefined)
      closeSync(fd);
  }
}

/// Splits a .kin buffer into its values: [{kind, off, n}] where off is the
/// payload's offset and n its length in bytes (Bytes/Str) or elements
/// (arrays). Nothing is copied.
export function parseKin(buf) {
  const fail = (msg) => { throw new InputError(`invalid input file: ${msg}`); };
  if (buf.length < MAGIC.length || buf.toString('latin1', 0, MAGIC.length) !== MAGIC)
    fail('not a .kin file (bad magic)');
  let pos = MAGIC.length;
  const rest = () => buf.length - pos;
  if (rest() < 4)
    fail('truncated value count');
  const count = buf.readUInt32LE(pos);
  pos += 4;
  const values = [];
  for (let i = 0; i < count; ++i) {
    if (rest() < 1)
      fail(`truncated kind of value ${i}`);
    const kind = buf[pos++];
    switch (kind) {
    case 0: // Int
    case 1: // F64
      if (rest() < 8)
        fail(`truncated ${kind === 0 ? 'int' : 'f64'} value ${i}`);
      values.push({ kind, off: pos, n: 1 });
      pos += 8;
      break;
    case 2: // Bool
      if (rest() < 1)
        fail(`truncated bool value ${i}`);
      if (buf[pos] > 1)
        fail(`bool value ${i} is neither 0 nor 1`);
      values.push({ kind, off: pos, n: 1 });
      pos += 1;
      break;
    case 3: // Bytes
    case 4: { // Str
      const len = rest() >= 8 ? buf.readBigUInt64LE(pos) : -1n;
      if (len < 0n || len > BigInt(rest() - 8))
        fail(`truncated string value ${i}`);
      pos += 8;
      values.push({ kind, off: pos, n: Number(len) });
      pos += Number(len);
      break;
    }
    case 5: // IntArray
    case 6: { // F64Array
      const n = rest() >= 8 ? buf.readBigUInt64LE(pos) : -1n;
      if (n < 0n || n > BigInt(Math.floor((rest() - 8) / 8)))
        fail(`truncated array value ${i}`);
      pos += 8;
      values.push({ kind, off: pos, n: Number(n) });
      pos += Number(n) * 8;
      break;
    }
    default:
      fail(`unknown kind ${kind} of value ${i}`);
    }
  }
  if (rest() !== 0)
    fail(`${rest()} trailing bytes after the last value`);
  return values;
}

// The i64 at off, as a Number, or undefined when it is outside +-2^53.
function readSafeInt(dv, off) {
  const lo = dv.getUint32(off, true);
  const hi = dv.getInt32(off + 4, true);
  if (hi >= -0x200000 && hi < 0x200000) {
    const v = hi * TWO_32 + lo; // |value| < 2^53: exact
    // A value that fits 31 bits is handed over as a small integer (Smi), as
    // a literal would be: `hi * 2^32 + lo` alone makes a heap number, and a
    // loop bounded by a heap-number argument is not proven an int loop.
    return (v | 0) === v ? v | 0 : v;
  }
  const big = dv.getBigInt64(off, true);
  return big >= -(2n ** 53n) && big <= 2n ** 53n ? Number(big) : undefined;
}

function inRange(v, kind) {
  if (v === undefined)
    return false;
  if (kind === 'i32')
    return v >= -0x80000000 && v <= 0x7fffffff;
  if (kind === 'u32')
    return v >= 0 && v <= 0xffffffff;
  return true; // int: readSafeInt checked +-2^53
}

// A flat (sequential) one-byte string: Buffer#toString makes an external
// string above ~1 MB, which is not what a kernel normally receives.
function asciiString(bytes) {
  const CHUNK = 8192;
  if (bytes.length <= CHUNK)
    return String.fromCharCode.apply(null, bytes);
  const parts = [];
  for (let i = 0; i < bytes.length; i += CHUNK)
    parts.push(String.fromCharCode.apply(null, bytes.subarray(i, i + CHUNK)));
  return parts.join('');
}

/// Converts value v of buf into the argument for parameter `index` of type
/// t. Returns {value, fresh}: `fresh` arguments (arrays) are templates that
/// the caller copies for every call; the others are shared by all calls.
export function toArgument(buf, v, t, index) {
  const where = `parameter ${index} (${typeName(t)})`;
  const mismatch = () => {
    throw new InputError(`${where}: cannot take a ${KIND_NAMES[v.kind]} input`);
  };
  const dv = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  switch (v.kind) {
  case 0: { // Int
    if (t.kind !== 'int' && t.kind !== 'i32' && t.kind !== 'u32')
      mismatch();
    const x = readSafeInt(dv, v.off);
    if (!inRange(x, t.kind))
      throw new InputError(`${where}: ${dv.getBigInt64(v.off, true)} is out of range`);
    return { value: x, fresh: false };
  }
  case 1: // F64
    if (t.kind !== 'f64')
      mismatch();
    return { value: dv.getFloat64(v.off, true), fresh: false };
  case 2: // Bool
    if (t.kind !== 'bool')
      mismatch();
    return { value: buf[v.off] === 1, fresh: false };
  case 3: // Bytes: a plain Uint8Array over its own ArrayBuffer
    if (t.kind !== 'bytes')
      mismatch();
    return { value: new Uint8Array(buf.subarray(v.off, v.off + v.n)), fresh: false };
  case 4: { // Str
    if (t.kind !== 'str')
      mismatch();
    const bytes = buf.subarray(v.off, v.off + v.n);
    if (!isAscii(bytes))
      throw new InputError(`${where}: the input string is not ASCII`);
    return { value: asciiString(bytes), fresh: false };
  }
  case 5: { // IntArray
    const ek = t.kind === 'array' ? t.elem.kind : '';
    if (ek !== 'int' && ek !== 'i32' && ek !== 'u32')
      mismatch();
    const a = [];
    for (let i = 0; i < v.n; ++i) {
      const x = readSafeInt(dv, v.off + 8 * i);
      if (!inRange(x, ek))
        throw new InputError(`${where}: element ${i} ` +
                             `(${dv.getBigInt64(v.off + 8 * i, true)}) is out of range`);
      a.push(x);
    }
    return { value: a, fresh: true };
  }
  case 6: { // F64Array
    if (t.kind !== 'array' || t.elem.kind !== 'f64')
      mismatch();
    const a = [];
    for (let i = 0; i < v.n; ++i)
      a.push(dv.getFloat64(v.off + 8 * i, true));
    return { value: a, fresh: true };
  }
  }
  throw new InputError(`${where}: unknown input kind ${v.kind}`);
}
