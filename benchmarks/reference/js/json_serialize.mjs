// json_serialize.mjs - hand-written JS reference of
// benchmarks/kernels/json_serialize.k
//
// Builds one Person per element of the input arrays (record k: id k, age
// ages[k], score scores[k], and from p = picks[k]: name NAMES[p & 31],
// email EMAILS[(p >> 5) & 15], active bit 9 of p, tags
// TAG_SETS[(p >> 10) & 7]), serializes them all to one compact JSON array
// text ([{"id":0,"name":"...",...,"tags":["..."]},...], no spaces) and
// returns text.length + the 32-bit FNV-1a hash of every 61st character of
// the text (indices 0, 61, 122, ...). Strings are escaped as JSON.stringify
// does: \" \\ \b \f \n \r \t, other characters below 0x20 as \u00xx
// (lower-case hex); nothing else ('/' and DEL as they are).
// Without JSON.stringify: each record is one template literal appended to
// the text with += (V8 builds a rope and flattens it once, at the first
// charCodeAt); a string is scanned with charCodeAt and returned as it is
// when nothing in it needs escaping.

const NAMES = [
  'Ada Lovelace', 'Alan Turing', 'Grace Hopper', 'Edsger Dijkstra',
  'Barbara Liskov', 'Donald Knuth', 'Ken Thompson', 'Dennis Ritchie',
  'Frances "Fran" Allen', 'John McCarthy', 'Niklaus Wirth', 'Tony Hoare',
  'Leslie Lamport', 'Margaret Hamilton', 'Radia Perlman', 'Bjarne Stroustrup',
  'C:\\Users\\guido', 'Anders Hejlsberg', 'Brendan Eich', 'James Gosling',
  'Yukihiro "Matz" Matsumoto', 'Rich Hickey', 'Simon Peyton Jones', 'Robin Milner',
  'first line\nsecond line', 'tab\tseparated', 'Jean Sammet', 'Kathleen Booth',
  'Brian Kernighan', 'Guy L. Steele Jr.', 'back\\slash', 'Fernando Corbato',
];
const EMAILS = [
  'ada@example.com', 'alan.turing@example.org', 'grace@navy.example.mil',
  'ewd@example.nl', 'liskov@example.edu', 'knuth@example.edu',
  '"ken"@example.com', 'dmr@example.com', 'fran/allen@example.com',
  'jmc@example.edu', 'wirth@example.ch', 'hoare@example.ac.uk',
  'lamport@example.com', 'margaret@example.gov', 'radia\\perlman@example.com',
  'bjarne@example.com',
];
const TAG_SETS = [
  [],
  ['admin'],
  ['beta', 'early-access'],
  ['ops', 'on-call', 'pager-duty'],
  ['vip'],
  ['new', 'trial', '"quoted"', 'x\\y'],
  ['staff', 'eng'],
  ['legacy', 'v1\x01'],
];

// ESCAPES[c]: the escape of character code c, for c < 32, '"' and '\\'.
const ESCAPES = [];
for (let c = 0; c < 32; c++) ESCAPES[c] = '\\u00' + c.toString(16).padStart(2, '0');
ESCAPES[8] = '\\b';
ESCAPES[12] = '\\f';
ESCAPES[10] = '\\n';
ESCAPES[13] = '\\r';
ESCAPES[9] = '\\t';
ESCAPES[34] = '\\"';
ESCAPES[92] = '\\\\';

function escape(s) {
  let out = '';
  let start = 0;
  for (let i = 0, n = s.length; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c < 32 || c === 34 || c === 92) {
      out += s.slice(start, i) + ESCAPES[c];
      start = i + 1;
    }
  }
  return start === 0 ? s : out + s.slice(start);
}

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

function serialize(people) {
  let out = '[';
  for (let k = 0; k < people.length; k++) {
    const p = people[k];
    const tags = p.tags;
    let tagText = '';
    for (let t = 0; t < tags.length; t++) tagText += (t > 0 ? ',"' : '"') + escape(tags[t]) + '"';
    if (k > 0) out += ',';
    out += `{"id":${p.id},"name":"${escape(p.name)}","email":"${escape(p.email)}",` +
      `"age":${p.age},"score":${p.score},"active":${p.active},"tags":[${tagText}]}`;
  }
  return out + ']';
}

export function json_serialize(ages, scores, picks) {
  const people = [];
  for (let k = 0; k < picks.length; k++) {
    const p = picks[k];
    people.push(new Person(k, NAMES[p & 31], EMAILS[(p >>> 5) & 15], ages[k], scores[k],
      ((p >>> 9) & 1) === 1, TAG_SETS[(p >>> 10) & 7]));
  }
  const text = serialize(people);
  let h = 0x811c9dc5 | 0; // FNV-1a offset basis
  for (let k = 0, n = text.length; k < n; k += 61) {
    h = Math.imul(h ^ text.charCodeAt(k), 0x01000193);
  }
  return text.length + (h >>> 0);
}
