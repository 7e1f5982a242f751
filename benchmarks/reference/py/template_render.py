"""Template renderer: hand-written Python reference of benchmarks/kernels/template_render.k.

Replaces every "{{name}}" of the template by the value bound to name in
VALUES ("" for an unknown name; the name is everything up to the next "}}",
untrimmed) and returns len(rendered) + the 32-bit FNV-1a hash of every 61st
character of the rendered text (indices 0, 61, 122, ...); -1 when a "{{" has
no "}}" after it.
The literal runs and values are found with str.find, collected in a list
and joined once, as one renders into a buffer in Python (no re, no
string.Template, no str.format_map).
"""

VALUES = {
    "user": "Ada Lovelace",
    "email": "ada@analytical.example",
    "city": "London",
    "date": "1843-07-10",
    "order_id": "AE-1843-0042",
    "total": "1,234.50 GBP",
    "product": "Analytical Engine",
    "count": "3",
    "company": "Babbage & Lovelace Ltd",
    "plan": "Enterprise",
    "link": "https://analytical.example/orders/AE-1843-0042",
    "code": "NOTE-G",
}


def template_render(text):
    find = text.find
    get = VALUES.get
    parts = []
    append = parts.append
    pos = 0
    while True:
        open_ = find("{{", pos)
        if open_ < 0:
            break
        close = find("}}", open_ + 2)
        if close < 0:
            return -1
        append(text[pos:open_])
        append(get(text[open_ + 2:close], ""))
        pos = close + 2
    append(text[pos:])
    out = "".join(parts)

    h = 0x811C9DC5  # FNV-1a offset basis
    for c in out[::61]:
        h = ((h ^ ord(c)) * 0x01000193) & 0xFFFFFFFF
    return len(out) + h
