// csv_sum.mjs - hand-written JS reference of benchmarks/kernels/csv_sum.k
//
// Column sums of a CSV table of integers (lines ending in '\n', each holding
// as many comma-separated [-]digits fields as the first line; empty lines
// skipped). Returns the kernel's u32 checksum: h = 2166136261 ^ number of
// non-empty lines, then for each column sum s, in order,
// h = (h ^ low 32 bits of s) * 16777619 and
// h = (h ^ low 32 bits of trunc(s / 2^32)) * 16777619, mod 2^32.
// split('\n'), split(','), Number(): the sums stay exact doubles (below
// 2^53); `^` takes the low 32 bits of an exact integer, as the kernel's
// u32() does.

const FNV32_PRIME = 0x01000193;

export function csv_sum(text) {
  const lines = text.split('\n');
  const sums = new Array(lines[0].split(',').length).fill(0);
  let rows = 0;
  for (const line of lines) {
    if (line.length === 0) continue;
    const fields = line.split(',');
    for (let c = 0; c < fields.length; c++) sums[c] += Number(fields[c]);
    rows++;
  }
  let h = 0x811c9dc5 ^ rows;
  for (const s of sums) {
    h = Math.imul(h ^ s, FNV32_PRIME);
    h = Math.imul(h ^ Math.trunc(s / 4294967296), FNV32_PRIME);
  }
  return h >>> 0;
}
