// inputs.mjs - Describes the arguments the V8 runner built from a .kin file.
function show(v) {
  if (typeof v === 'string')
    return `string(${v.length}):${v}`;
  if (v instanceof Uint8Array)
    return `${Object.getPrototypeOf(v) === Uint8Array.prototype ? 'Uint8Array' : 'other'}:` +
           `${v.byteOffset}+${v.length}/${v.buffer.byteLength}:${Array.from(v).join(' ')}`;
  if (Array.isArray(v))
    return `Array:[${v.map(show).join(' ')}]`;
  return `${typeof v}:${Object.is(v, -0) ? '-0' : String(v)}`;
}

export function describe(...args) {
  return args.map(show).join('|');
}

// For kernelc's .kin of conv.k: the long values only by their length.
export function conv(n, w, u, x, xs, fs, data, text) {
  return [show(n), show(w), show(u), show(x), show(xs), show(fs),
          `${data.constructor.name}:${data.length}`, `string(${text.length})`].join('|');
}
