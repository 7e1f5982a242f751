// utf8_validate.mjs - hand-written JS reference of
// benchmarks/kernels/utf8_validate.k
//
// Splits a Uint8Array at each '\n' byte into lines (bytes after the last
// '\n' form a last line) and validates each as UTF-8 per RFC 3629 / Unicode
// Table 3-7: no stray continuation bytes, overlong forms, surrogates, code
// points above U+10FFFF or truncated sequences. Returns
// valid_lines * 2^32 + (code points in the valid lines), a Number (exact
// below 2^53).
// A lead-byte decoder with an ASCII fast path, over the bytes themselves:
// TextDecoder('utf-8', { fatal: true }) would validate too, but it is the
// engine's C++ decoder doing the whole task (and it throws per bad line).
// After an error the rest of the line is skipped with indexOf.

// The line at i decoded up to its '\n' (or the end): its code point count,
// or -1 at the first ill-formed sequence. `lineEnd` receives where it ended.
let lineEnd = 0;

function checkLine(data, i, n) {
  let cps = 0;
  while (i < n) {
    const b = data[i];
    if (b < 0x80) {
      if (b === 10) break; // '\n'
      cps++;
      i++;
      continue;
    }
    let need;
    let lo = 0x80;
    let hi = 0xbf;
    if (b >= 0xc2 && b <= 0xdf) {
      need = 1;
    } else if (b >= 0xe0 && b <= 0xef) {
      need = 2;
      if (b === 0xe0) lo = 0xa0;
      else if (b === 0xed) hi = 0x9f;
    } else if (b >= 0xf0 && b <= 0xf4) {
      need = 3;
      if (b === 0xf0) lo = 0x90;
      else if (b === 0xf4) hi = 0x8f;
    } else {
      return -1; // a continuation byte, C0, C1 or F5..FF
    }
    if (i + need >= n) return -1;
    const b1 = data[i + 1];
    if (b1 < lo || b1 > hi) return -1;
    for (let k = i + 2; k <= i + need; k++) {
      if ((data[k] & 0xc0) !== 0x80) return -1;
    }
    cps++;
    i += need + 1;
  }
  lineEnd = i;
  return cps;
}

export function utf8_validate(data) {
  const n = data.length;
  let validLines = 0;
  let codePoints = 0;
  let i = 0;
  while (i < n) {
    const cps = checkLine(data, i, n);
    if (cps >= 0) {
      validLines++;
      codePoints += cps;
      i = lineEnd + 1;
    } else {
      const eol = data.indexOf(10, i);
      if (eol < 0) break;
      i = eol + 1;
    }
  }
  return validLines * 4294967296 + codePoints;
}
