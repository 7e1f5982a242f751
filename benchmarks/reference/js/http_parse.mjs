// http_parse.mjs - hand-written JS reference of benchmarks/kernels/http_parse.k
//
// Parses request heads laid back to back (request line, header lines, empty
// line; every line ends in CRLF) and returns the checksum of http_parse.k,
// or -1 for a malformed head (rules at the top of http_parse.k: the request
// line splits on single spaces into METHOD (one of the seven, numbered
// 1..7), a target starting with '/' and "HTTP/1.1"; a header is name ':'
// value with a non-empty name that neither starts nor ends with a space or
// tab, matched lower-cased, and the value without leading and trailing
// spaces and tabs; exactly one Host; Content-Length 1..15 digits).
// Checksum: the sum over heads of 1000003 method + 1009 target.length
// + 101 (target.indexOf('?') + 1) + 17 headers + 3 host length + the
// lengths of all header values, plus the sum of the Content-Length values.
// Lines are found with indexOf, as a streaming parser walks its buffer; the
// value is trimmed by index (String.prototype.trim would also strip other
// whitespace) and only the name and the Content-Length are sliced.

const METHODS = new Map([
  ['GET', 1], ['POST', 2], ['PUT', 3], ['DELETE', 4], ['PATCH', 5], ['HEAD', 6], ['OPTIONS', 7],
]);

function isOws(c) {
  return c === 32 || c === 9; // space, tab
}

export function http_parse(text) {
  const n = text.length;
  let total = 0;
  let pos = 0;
  while (pos < n) {
    let eol = text.indexOf('\r\n', pos);
    if (eol < 0) return -1;
    const parts = text.slice(pos, eol).split(' ');
    if (parts.length !== 3) return -1;
    const method = METHODS.get(parts[0]) ?? 0;
    const target = parts[1];
    if (method === 0 || target.charCodeAt(0) !== 47 || parts[2] !== 'HTTP/1.1') return -1; // '/'
    pos = eol + 2;

    let headers = 0, hosts = 0, hostLen = 0, valuesLen = 0;
    for (;;) {
      eol = text.indexOf('\r\n', pos);
      if (eol < 0) return -1;
      if (eol === pos) break;
      const colon = text.indexOf(':', pos);
      // No whitespace before the colon, no obsolete line folding.
      if (colon <= pos || colon > eol || isOws(text.charCodeAt(pos)) || isOws(text.charCodeAt(colon - 1))) return -1;
      const name = text.slice(pos, colon).toLowerCase();
      let a = colon + 1;
      while (a < eol && isOws(text.charCodeAt(a))) a++;
      let b = eol;
      while (b > a && isOws(text.charCodeAt(b - 1))) b--;
      valuesLen += b - a;
      if (name === 'host') {
        hosts++;
        hostLen = b - a;
      } else if (name === 'content-length') {
        if (a === b || b - a > 15) return -1;
        let value = 0;
        for (let k = a; k < b; k++) {
          const d = text.charCodeAt(k) - 48;
          if (d < 0 || d > 9) return -1;
          value = value * 10 + d;
        }
        total += value;
      }
      headers++;
      pos = eol + 2;
    }
    pos += 2;
    if (hosts !== 1) return -1;
    total += 1000003 * method + 1009 * target.length + 101 * (target.indexOf('?') + 1) +
      17 * headers + 3 * hostLen + valuesLen;
  }
  return total;
}
