# Writes a .kin file (the format of lib/Bench/Workload.h) from the command
# line: an independent writer, for value kinds no workload generator makes.
#   make_kin.py OUT bool:1 int:-5 f64:0.1 str:hi bytes:00ff ints:1,2 f64s:0.5
import struct
import sys

KINDS = {"int": 0, "f64": 1, "bool": 2, "bytes": 3, "str": 4, "ints": 5,
         "f64s": 6}

out = bytearray(b"KCIN1\n")
values = sys.argv[2:]
out += struct.pack("<I", len(values))
for v in values:
    kind, _, text = v.partition(":")
    out.append(KINDS[kind])
    if kind == "int":
        out += struct.pack("<q", int(text))
    elif kind == "f64":
        out += struct.pack("<d", float(text))
    elif kind == "bool":
        out.append(int(text))
    elif kind in ("bytes", "str"):
        data = bytes.fromhex(text) if kind == "bytes" else text.encode()
        out += struct.pack("<Q", len(data)) + data
    else:
        items = text.split(",") if text else []
        out += struct.pack("<Q", len(items))
        for item in items:
            out += struct.pack("<q" if kind == "ints" else "<d",
                               int(item) if kind == "ints" else float(item))
with open(sys.argv[1], "wb") as f:
    f.write(out)
