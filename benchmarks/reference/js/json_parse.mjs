// json_parse.mjs - hand-written JS reference of benchmarks/kernels/json_parse.k
//
// Parses a JSON array of objects {"id": I, "name": S, "email": S, "age": I,
// "score": I, "active": B, "tags": [S, ...]} (the seven keys in any order,
// each exactly once) into Person objects and returns a checksum of them, or
// -1 when the text is malformed (grammar at the top of json_parse.k:
// integers -?(0|[1-9][0-9]*) of at most 15 digits; strings with the escapes
// \" \\ \/ \b \f \n \r \t and \uXXXX below 0x80; JSON whitespace; raw
// control characters are not rejected).
// Checksum: the sum over the records of id + 7 age + 3 score + 101 [active]
// + 5 sig(name) + 11 sig(email) + 13 tags.length + sum of (k + 17)
// sig(tags[k]), with sig(s) = 1000003 len + 961 s[0] + 31 s[len >> 1]
// + s[len - 1] (0 for "").
// A recursive-descent scanner: one method per grammar rule, which takes the
// position and returns the position after what it scanned (so positions
// stay in registers, not in an object or a closure), leaving a string or
// integer value in a field; charCodeAt dispatch, no JSON.parse. A string's
// body is found with indexOf and sliced; the next backslash's position is
// cached so the text is searched for backslashes once overall. Integers
// accumulate their digits as they are scanned. Malformed input throws; the
// entry catches it.

class Person {
  constructor(id, name, email, age, score, active, tags) {
    this.id = id;
    this.name = name;
    this.email = email;
    this.age = age;
    this.score = score;
    this.active = active;
    this.tags = tags;
  }
}

class Malformed extends Error {}

function fail() {
  throw new Malformed();
}

function hexValue(c) {
  if (c >= 48 && c <= 57) return c - 48; // 0-9
  c |= 0x20; // fold A-F onto a-f
  if (c >= 97 && c <= 102) return c - 87; // a-f
  return -1;
}

// Index of the first character at or after i that is not JSON whitespace.
function skipWs(text, i) {
  const n = text.length;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c !== 32 && c !== 10 && c !== 9 && c !== 13) break;
    i++;
  }
  return i;
}

// Each scan method takes the index where its value starts and returns the
// index just past it; a string or integer value is left in str or num.
class Scanner {
  constructor(text) {
    this.text = text;
    this.backslash = -2; // next backslash at or after the scan point; -1: none left
    this.str = '';
    this.num = 0;
  }

  string(i) {
    const text = this.text;
    if (text.charCodeAt(i) !== 34) fail(); // "
    i++;
    const q = text.indexOf('"', i);
    if (q < 0) fail();
    if (this.backslash < i && this.backslash !== -1) this.backslash = text.indexOf('\\', i);
    if (this.backslash === -1 || this.backslash > q) {
      this.str = text.slice(i, q);
      return q + 1;
    }
    return this.escaped(i, q);
  }

  // The body from i holds a backslash before the quote at q.
  escaped(i, q) {
    const text = this.text;
    const parts = [];
    for (;;) {
      const b = this.backslash;
      if (b === -1 || b > q) {
        parts.push(text.slice(i, q));
        this.str = parts.join('');
        return q + 1;
      }
      parts.push(text.slice(i, b));
      const c = text.charCodeAt(b + 1);
      i = b + 2;
      switch (c) {
        case 34: case 92: case 47: parts.push(String.fromCharCode(c)); break; // " \ /
        case 110: parts.push('\n'); break;
        case 116: parts.push('\t'); break;
        case 114: parts.push('\r'); break;
        case 98: parts.push('\b'); break;
        case 102: parts.push('\f'); break;
        case 117: { // u
          if (i + 4 > text.length) fail();
          let code = 0;
          for (let k = i; k < i + 4; k++) {
            const d = hexValue(text.charCodeAt(k));
            if (d < 0) fail();
            code = code * 16 + d;
          }
          if (code >= 0x80) fail();
          parts.push(String.fromCharCode(code));
          i += 4;
          break;
        }
        default:
          fail();
      }
      this.backslash = text.indexOf('\\', i);
      if (q < i) {
        q = text.indexOf('"', i); // the quote found was an escaped one
        if (q < 0) fail();
      }
    }
  }

  int(i) {
    const text = this.text;
    const n = text.length;
    const negative = text.charCodeAt(i) === 45; // -
    if (negative) i++;
    const first = i;
    let value = 0;
    while (i < n) {
      const d = text.charCodeAt(i) - 48;
      if (d < 0 || d > 9) break;
      value = value * 10 + d;
      i++;
    }
    const digits = i - first;
    if (digits === 0 || digits > 15 || (digits > 1 && text.charCodeAt(first) === 48)) fail();
    this.num = negative ? -value : value;
    return i;
  }

  tags(i, tags) {
    const text = this.text;
    if (text.charCodeAt(i) !== 91) fail(); // [
    i = skipWs(text, i + 1);
    if (text.charCodeAt(i) === 93) return i + 1; // ]
    for (;;) {
      i = this.string(i);
      tags.push(this.str);
      i = skipWs(text, i);
      const c = text.charCodeAt(i);
      if (c === 93) return i + 1; // ]
      if (c !== 44) fail(); // ,
      i = skipWs(text, i + 1);
    }
  }

  person(i, people) {
    const text = this.text;
    if (text.charCodeAt(i) !== 123) fail(); // {
    let id = 0, name = '', email = '', age = 0, score = 0, active = false;
    const tags = [];
    let seen = 0; // one bit per key, in the order of the schema
    i = skipWs(text, i + 1);
    for (;;) {
      i = this.string(i);
      const key = this.str;
      i = skipWs(text, i);
      if (text.charCodeAt(i) !== 58) fail(); // :
      i = skipWs(text, i + 1);
      let bit;
      switch (key) {
        case 'id': bit = 1; i = this.int(i); id = this.num; break;
        case 'name': bit = 2; i = this.string(i); name = this.str; break;
        case 'email': bit = 4; i = this.string(i); email = this.str; break;
        case 'age': bit = 8; i = this.int(i); age = this.num; break;
        case 'score': bit = 16; i = this.int(i); score = this.num; break;
        case 'active':
          bit = 32;
          if (text.startsWith('true', i)) {
            active = true;
            i += 4;
          } else if (text.startsWith('false', i)) {
            active = false;
            i += 5;
          } else {
            fail();
          }
          break;
        case 'tags': bit = 64; i = this.tags(i, tags); break;
        default: fail();
      }
      if (seen & bit) fail();
      seen |= bit;
      i = skipWs(text, i);
      const c = text.charCodeAt(i);
      if (c === 125) break; // }
      if (c !== 44) fail(); // ,
      i = skipWs(text, i + 1);
    }
    if (seen !== 127) fail();
    people.push(new Person(id, name, email, age, score, active, tags));
    return i + 1;
  }
}

function parsePeople(text) {
  const sc = new Scanner(text);
  const people = [];
  let i = skipWs(text, 0);
  if (text.charCodeAt(i) !== 91) fail(); // [
  i = skipWs(text, i + 1);
  if (text.charCodeAt(i) !== 93) { // ]
    for (;;) {
      i = sc.person(i, people);
      i = skipWs(text, i);
      const c = text.charCodeAt(i);
      if (c === 93) break; // ]
      if (c !== 44) fail(); // ,
      i = skipWs(text, i + 1);
    }
  }
  if (skipWs(text, i + 1) !== text.length) fail();
  return people;
}

// A cheap signature of a string: its length and three sampled characters.
function sig(s) {
  const n = s.length;
  if (n === 0) return 0;
  return n * 1000003 + s.charCodeAt(0) * 961 + s.charCodeAt(n >> 1) * 31 + s.charCodeAt(n - 1);
}

export function json_parse(text) {
  let people;
  try {
    people = parsePeople(text);
  } catch (e) {
    if (e instanceof Malformed) return -1;
    throw e;
  }
  let sum = 0;
  for (const p of people) {
    sum += p.id + 7 * p.age + 3 * p.score + 5 * sig(p.name) + 11 * sig(p.email);
    if (p.active) sum += 101;
    const tags = p.tags;
    sum += 13 * tags.length;
    for (let k = 0; k < tags.length; k++) sum += (k + 17) * sig(tags[k]);
  }
  return sum;
}
