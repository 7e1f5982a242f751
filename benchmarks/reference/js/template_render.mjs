// template_render.mjs - hand-written JS reference of
// benchmarks/kernels/template_render.k
//
// Replaces every "{{name}}" of the template by the value bound to name in
// VALUES ("" for an unknown name; the name is everything up to the next
// "}}", untrimmed) and returns rendered.length + the 32-bit FNV-1a hash of
// every 61st character of the rendered text (indices 0, 61, 122, ...); -1
// when a "{{" has no "}}" after it.
// The literal runs and values are found with indexOf and appended with +=
// (V8 builds a rope and flattens it once, at the first charCodeAt); no
// RegExp, no String.prototype.replace.

const VALUES = new Map([
  ['user', 'Ada Lovelace'],
  ['email', 'ada@analytical.example'],
  ['city', 'London'],
  ['date', '1843-07-10'],
  ['order_id', 'AE-1843-0042'],
  ['total', '1,234.50 GBP'],
  ['product', 'Analytical Engine'],
  ['count', '3'],
  ['company', 'Babbage & Lovelace Ltd'],
  ['plan', 'Enterprise'],
  ['link', 'https://analytical.example/orders/AE-1843-0042'],
  ['code', 'NOTE-G'],
]);

export function template_render(text) {
  let out = '';
  let pos = 0;
  for (;;) {
    const open = text.indexOf('{{', pos);
    if (open < 0) break;
    const close = text.indexOf('}}', open + 2);
    if (close < 0) return -1;
    out += text.slice(pos, open);
    out += VALUES.get(text.slice(open + 2, close)) ?? '';
    pos = close + 2;
  }
  out += text.slice(pos);

  let h = 0x811c9dc5 | 0; // FNV-1a offset basis
  for (let k = 0, n = out.length; k < n; k += 61) {
    h = Math.imul(h ^ out.charCodeAt(k), 0x01000193);
  }
  return out.length + (h >>> 0);
}
