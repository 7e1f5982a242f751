// crc32.mjs - hand-written JS reference of benchmarks/kernels/crc32.k
//
// CRC-32 (IEEE 802.3, as in zlib): reflected polynomial 0xEDB88320, register
// preset to all ones and inverted at the end, one table lookup per byte.
// Returns a non-negative Number (u32).
// Like the kernel (and the C reference), every call builds its own 256-entry
// table; it is an Int32Array, so the register stays an int32 in the loop and
// `>>> 8` gives the logical shift; `>>> 0` makes the result unsigned.

const POLY = 0xedb88320 | 0;

function makeTable() {
  const table = new Int32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) {
      c = c & 1 ? POLY ^ (c >>> 1) : c >>> 1;
    }
    table[n] = c;
  }
  return table;
}

export function crc32(data) {
  const table = makeTable();
  let crc = -1;
  for (let i = 0, n = data.length; i < n; i++) {
    crc = table[(crc ^ data[i]) & 0xff] ^ (crc >>> 8);
  }
  return ~crc >>> 0;
}
