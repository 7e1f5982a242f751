"""JSON tokenizer: hand-written Python reference of benchmarks/kernels/json_tokens.k.

Returns the number of JSON tokens in a str, or -1 when the text is not a
sequence of JSON tokens (token rules at the top of json_tokens.k: the six
punctuators, strings in which a backslash escapes whatever character
follows, numbers -?D+(.D+)?([eE][+-]?D+)?, true, false, null; space, tab,
newline and carriage return separate tokens; anything else is an error).
It checks tokens, not grammar.
A character-dispatch loop over the str, without the re module (a regex would
move the work into the regex engine). A string's body is skipped with
str.find for the closing quote, re-searched past each backslash escape that
comes before it (the same scan as the kernel's, run by str.find); the next
backslash's position is cached, so the text is searched for backslashes
once overall. Keywords are matched with str.startswith.
"""


def json_tokens(text):
    n = len(text)
    find = text.find
    startswith = text.startswith
    tokens = 0
    i = 0
    backslash = -2  # next backslash at or after the scan point; -1: none left
    while i < n:
        c = text[i]
        if c == ' ' or c == '\n' or c == '\t' or c == '\r':
            i += 1
            continue
        if c in '{}[]:,':
            i += 1
        elif c == '"':
            j = i + 1
            while True:
                q = find('"', j)
                if q < 0:
                    return -1
                if backslash < j and backslash != -1:
                    backslash = find('\\', j)
                if backslash == -1 or backslash > q:
                    break
                j = backslash + 2  # skip the escaped character, whatever it is
            i = q + 1
        elif c in '-0123456789':
            # -? D+ (. D+)? ([eE] [+-]? D+)?
            if c == '-':
                i += 1
            j = i
            while j < n and '0' <= text[j] <= '9':
                j += 1
            if j == i:
                return -1
            if j < n and text[j] == '.':
                i = j = j + 1
                while j < n and '0' <= text[j] <= '9':
                    j += 1
                if j == i:
                    return -1
            if j < n and text[j] in 'eE':
                j += 1
                if j < n and text[j] in '+-':
                    j += 1
                i = j
                while j < n and '0' <= text[j] <= '9':
                    j += 1
                if j == i:
                    return -1
            i = j
        elif c == 't' and startswith('true', i):
            i += 4
        elif c == 'f' and startswith('false', i):
            i += 5
        elif c == 'n' and startswith('null', i):
            i += 4
        else:
            return -1
        tokens += 1
    return tokens
