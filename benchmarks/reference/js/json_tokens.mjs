// json_tokens.mjs - hand-written JS reference of
// benchmarks/kernels/json_tokens.k
//
// Counts the JSON tokens in a string, or returns -1 when the text is not a
// sequence of JSON tokens (token rules at the top of json_tokens.k: the six
// punctuators, strings in which a backslash escapes whatever character
// follows, numbers -?D+(.D+)?([eE][+-]?D+)?, true, false, null; space, tab,
// newline and carriage return separate tokens; anything else is an error).
// It checks tokens, not grammar.
// One charCodeAt switch per token start. A string's body is skipped with
// indexOf for the next quote, re-searched past each backslash escape that
// comes before it (the same scan as the kernel's, done by the engine's
// string search); the position of the next backslash is cached so the text
// is searched for backslashes only once overall.

function skipDigits(text, j, n) {
  while (j < n) {
    const c = text.charCodeAt(j);
    if (c < 48 || c > 57) break; // not '0'..'9'
    j++;
  }
  return j;
}

// Index just past the number starting at i, or -1 when it is malformed.
function skipNumber(text, i, n) {
  let j = i;
  if (text.charCodeAt(j) === 45) j++; // '-'
  let end = skipDigits(text, j, n);
  if (end === j) return -1;
  j = end;
  if (j < n && text.charCodeAt(j) === 46) { // '.'
    end = skipDigits(text, j + 1, n);
    if (end === j + 1) return -1;
    j = end;
  }
  if (j < n && (text.charCodeAt(j) | 0x20) === 101) { // 'e' or 'E'
    j++;
    if (j < n) {
      const c = text.charCodeAt(j);
      if (c === 43 || c === 45) j++; // '+' or '-'
    }
    end = skipDigits(text, j, n);
    if (end === j) return -1;
    j = end;
  }
  return j;
}

export function json_tokens(text) {
  const n = text.length;
  let tokens = 0;
  let i = 0;
  let backslash = -2; // next backslash at or after the scan point; -1: none
  while (i < n) {
    switch (text.charCodeAt(i)) {
      case 32: case 9: case 10: case 13: // space \t \n \r
        i++;
        continue;
      case 123: case 125: case 91: case 93: case 58: case 44: // { } [ ] : ,
        i++;
        break;
      case 34: { // '"'
        let j = i + 1;
        for (;;) {
          const q = text.indexOf('"', j);
          if (q < 0) return -1;
          if (backslash !== -1 && backslash < j) backslash = text.indexOf('\\', j);
          if (backslash === -1 || backslash > q) {
            i = q + 1;
            break;
          }
          j = backslash + 2; // skip the escaped character, whatever it is
        }
        break;
      }
      case 45: case 48: case 49: case 50: case 51: case 52: // - 0..4
      case 53: case 54: case 55: case 56: case 57: //          5..9
        i = skipNumber(text, i, n);
        if (i < 0) return -1;
        break;
      case 116: // 't'
        if (!text.startsWith('true', i)) return -1;
        i += 4;
        break;
      case 102: // 'f'
        if (!text.startsWith('false', i)) return -1;
        i += 5;
        break;
      case 110: // 'n'
        if (!text.startsWith('null', i)) return -1;
        i += 4;
        break;
      default:
        return -1;
    }
    tokens++;
  }
  return tokens;
}
