// types.mjs - Kernel-language type spellings of a job, parsed once.
//
//   type := 'bool' | 'i32' | 'u32' | 'int' | 'f64' | 'str' | 'bytes'
//         | '[' type ']' | 'map' '[' type ']' type | RecordName
//
// A parsed type is a small frozen object: {kind: 'i32'}, {kind: 'array',
// elem}, {kind: 'map', key, value}, {kind: 'record', name, fields} where
// fields is [[fieldName, type], ...] in declaration order (from the job's
// `records`). Records may refer to each other through arrays and maps, so
// record types are created first and their fields filled in afterwards.

export const SCALARS = new Set(['bool', 'i32', 'u32', 'int', 'f64', 'str', 'bytes']);

/// Thrown for a spelling that does not parse or names no record.
export class TypeSpellingError extends Error {}

/// Parses every record of `records` ({Name: [[field, type], ...]}) and
/// returns a function that parses one type spelling against them.
export function makeTypeParser(records) {
  if (records === undefined || records === null)
    records = {};
  if (typeof records !== 'object' || Array.isArray(records))
    throw new TypeSpellingError('"records" must be an object');
  const recordTypes = new Map();
  for (const name of Object.keys(records)) {
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name) || SCALARS.has(name) || name === 'map')
      throw new TypeSpellingError(`invalid record name ${JSON.stringify(name)}`);
    recordTypes.set(name, { kind: 'record', name, fields: [] });
  }
  const parse = (spelling) => parseSpelling(spelling, recordTypes);
  for (const [name, rec] of recordTypes) {
    const fields = records[name];
    if (!Array.isArray(fields))
      throw new TypeSpellingError(`record ${name}: fields must be an array of [name, type]`);
    const seen = new Set();
    for (const f of fields) {
      if (!Array.isArray(f) || f.length !== 2 || typeof f[0] !== 'string' ||
          typeof f[1] !== 'string')
        throw new TypeSpellingError(`record ${name}: a field must be [name, type]`);
      if (seen.has(f[0]))
        throw new TypeSpellingError(`record ${name}: duplicate field ${f[0]}`);
      seen.add(f[0]);
      rec.fields.push([f[0], parse(f[1])]);
    }
    Object.freeze(rec.fields);
    Object.freeze(rec);
  }
  return parse;
}

function parseSpelling(spelling, recordTypes) {
  if (typeof spelling !== 'string')
    throw new TypeSpellingError(`a type must be a string, not ${JSON.stringify(spelling)}`);
  const tokens = spelling.match(/[A-Za-z_][A-Za-z0-9_]*|\S/g) ?? [];
  let pos = 0;
  const fail = (what) => {
    throw new TypeSpellingError(`invalid type ${JSON.stringify(spelling)}: ${what}`);
  };
  const expect = (tok) => {
    if (tokens[pos] !== tok)
      fail(`expected '${tok}'`);
    ++pos;
  };
  const type = () => {
    const tok = tokens[pos++];
    if (tok === undefined)
      fail('unexpected end');
    if (SCALARS.has(tok))
      return Object.freeze({ kind: tok });
    if (tok === '[') {
      const elem = type();
      expect(']');
      return Object.freeze({ kind: 'array', elem });
    }
    if (tok === 'map' && tokens[pos] === '[') {
      ++pos;
      const key = type();
      expect(']');
      if (!['int', 'i32', 'u32', 'str'].includes(key.kind))
        fail('a map key must be int or str');
      const value = type();
      return Object.freeze({ kind: 'map', key, value });
    }
    const rec = recordTypes.get(tok);
    if (rec === undefined)
      fail(/^[A-Za-z_]/.test(tok) ? `no record named ${tok} in "records"`
                                  : `unexpected '${tok}'`);
    return rec;
  };
  const t = type();
  if (pos !== tokens.length)
    fail(`unexpected '${tokens[pos]}'`);
  return t;
}

/// The spelling of a parsed type, for messages.
export function typeName(t) {
  switch (t.kind) {
  case 'array': return `[${typeName(t.elem)}]`;
  case 'map': return `map[${typeName(t.key)}]${typeName(t.value)}`;
  case 'record': return t.name;
  default: return t.kind;
  }
}
