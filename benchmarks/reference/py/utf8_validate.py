"""UTF-8 validation of lines: hand-written Python reference of benchmarks/kernels/utf8_validate.k.

Splits the bytes at each b'\\n' into lines (bytes after the last b'\\n' form
a last line) and validates each as UTF-8 per RFC 3629 / Unicode Table 3-7:
no stray continuation bytes, overlong forms, surrogates, code points above
U+10FFFF or truncated sequences. Returns
valid_lines * 2**32 + (code points in the valid lines).
The idiomatic Python check is `len(line.decode('utf-8'))` inside
try/except UnicodeDecodeError, which gives the same result but runs the
whole task in CPython's C decoder; this reference is the byte state machine
instead, one `for b in line` step per byte: `need` continuation bytes are
still expected, the next one within lo..hi (narrowed after E0, ED, F0, F4).
bytes.split does the line splitting.
"""


def utf8_validate(data):
    lines = data.split(b'\n')
    if not lines[-1]:
        lines.pop()  # data ends with '\n' (or is empty): no last line
    valid_lines = 0
    code_points = 0
    for line in lines:
        cps = 0
        need = 0
        for b in line:
            if need:
                if b < lo or b > hi:
                    break
                need -= 1
                lo = 0x80
                hi = 0xBF
            elif b < 0x80:
                cps += 1
            else:
                cps += 1
                lo = 0x80
                hi = 0xBF
                if 0xC2 <= b <= 0xDF:
                    need = 1
                elif 0xE0 <= b <= 0xEF:
                    need = 2
                    if b == 0xE0:
                        lo = 0xA0
                    elif b == 0xED:
                        hi = 0x9F
                elif 0xF0 <= b <= 0xF4:
                    need = 3
                    if b == 0xF0:
                        lo = 0x90
                    elif b == 0xF4:
                        hi = 0x8F
                else:
                    break  # a continuation byte, C0, C1 or F5..FF
        else:
            if not need:  # a sequence cut short by the end of the line
                valid_lines += 1
                code_points += cps
    return valid_lines * 4294967296 + code_points
