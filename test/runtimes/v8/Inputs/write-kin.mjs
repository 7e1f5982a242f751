// write-kin.mjs - Writes a .kin file from the command line, for the V8
// runner's tests; written from the format in lib/Bench/Workload.h, not from
// the harness's reader.
//
//   node write-kin.mjs OUT.kin VALUE...
//     int:-5   f64:0.1   bool:1   str:text   strhex:c3a9   bytes:00ff
//     ints:1,-2,3   f64s:0.5,-0   raw:HEX (bytes as is, for broken files)
//   --count=N writes N as the value count instead of the number of values;
//   --magic=TEXT replaces "KCIN1\n".
import { writeFileSync } from 'node:fs';

const [out, ...specs] = process.argv.slice(2);
const parts = [];
let magic = Buffer.from('KCIN1\n', 'latin1');
let count;
let values = 0;
const i64 = (s) => { const b = Buffer.alloc(8); b.writeBigInt64LE(BigInt(s)); return b; };
const u64 = (n) => { const b = Buffer.alloc(8); b.writeBigUInt64LE(BigInt(n)); return b; };
const f64 = (s) => { const b = Buffer.alloc(8); b.writeDoubleLE(Number(s)); return b; };
const kind = (k) => Buffer.from([k]);
for (const spec of specs) {
  const colon = spec.indexOf(':');
  const [tag, text] = spec.startsWith('--') ? spec.slice(2).split('=')
                                            : [spec.slice(0, colon), spec.slice(colon + 1)];
  const list = text === '' ? [] : text.split(',');
  switch (tag) {
  case 'count': count = Number(text); continue;
  case 'magic': magic = Buffer.from(text, 'latin1'); continue;
  case 'raw': parts.push(Buffer.from(text, 'hex')); continue;
  case 'int': parts.push(kind(0), i64(text)); break;
  case 'f64': parts.push(kind(1), f64(text)); break;
  case 'bool': parts.push(kind(2), Buffer.from([Number(text)])); break;
  case 'bytes': { const b = Buffer.from(text, 'hex'); parts.push(kind(3), u64(b.length), b); break; }
  case 'str': { const b = Buffer.from(text, 'latin1'); parts.push(kind(4), u64(b.length), b); break; }
  case 'strhex': { const b = Buffer.from(text, 'hex'); parts.push(kind(4), u64(b.length), b); break; }
  case 'ints': parts.push(kind(5), u64(list.length), ...list.map(i64)); break;
  case 'f64s': parts.push(kind(6), u64(list.length), ...list.map(f64)); break;
  default: throw new Error(`write-kin: unknown value ${spec}`);
  }
  ++values;
}
const head = Buffer.alloc(4);
head.writeUInt32LE(count ?? values);
writeFileSync(out, Buffer.concat([magic, head, ...parts]));
