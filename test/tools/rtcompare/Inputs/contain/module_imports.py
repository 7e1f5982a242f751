"""What JS and Python modules import, for containment-imports.test.

usage: module_imports.py KERNELC KERNELS_DIR REFERENCE_DIR WORK_DIR

Emits every kernel of KERNELS_DIR to an ES module and a Python module with
kernelc, and prints, for those and for the hand-written references of
REFERENCE_DIR (js/, py/), the union of the modules they import: Python's
import statements from its syntax tree (plus any use of __import__ or
importlib), JS's import declarations and import() calls from its tokens
(strings, template literals and comments skipped).
"""
import ast
import glob
import os
import re
import subprocess
import sys

kernelc, kernels, refs, work = sys.argv[1:5]


def python_imports(path):
    tree = ast.parse(open(path, encoding="utf-8").read(), path)
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            found.add("." * node.level + (node.module or ""))
        elif isinstance(node, ast.Name) and node.id in ("__import__", "importlib"):
            found.add(node.id + " (dynamic)")
    return found


def js_tokens(text):
    """Identifiers and punctuation outside strings, templates and comments."""
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if text.startswith("//", i):
            i = text.find("\n", i)
            i = n if i < 0 else i
        elif text.startswith("/*", i):
            i = text.index("*/", i) + 2
        elif c in "'\"`":
            i += 1
            while text[i] != c:
                i += 2 if text[i] == "\\" else 1
            i += 1
            yield "<string>"
        elif c.isalpha() or c in "_$":
            m = re.compile(r"[\w$]+").match(text, i)
            yield m.group()
            i = m.end()
        elif c.isspace():
            i += 1
        else:
            yield c
            i += 1


def js_imports(path):
    toks = list(js_tokens(open(path, encoding="utf-8").read()))
    found = set()
    for k, t in enumerate(toks):
        nxt = toks[k + 1] if k + 1 < len(toks) else ""
        if t == "import" or (t == "from" and nxt == "<string>") or t == "require":
            found.add(f"{t} {nxt}")
    return found


def summary(label, paths, reader):
    found = set()
    for p in paths:
        found |= reader(p)
    names = ", ".join(sorted(found)) if found else "nothing"
    print(f"{label}: {len(paths)} modules import {names}")


os.makedirs(work, exist_ok=True)
emitted_py, emitted_js = [], []
for k in sorted(glob.glob(os.path.join(kernels, "*.k"))):
    stem = os.path.splitext(os.path.basename(k))[0]
    for emit, ext, out in (("py", "py", emitted_py), ("js", "mjs", emitted_js)):
        path = os.path.join(work, f"{stem}.{ext}")
        subprocess.run([kernelc, f"--emit={emit}", k, "-o", path], check=True)
        out.append(path)
summary("kernelc Python", emitted_py, python_imports)
summary("kernelc JS", emitted_js, js_imports)
summary("Python references", sorted(glob.glob(os.path.join(refs, "py", "*.py"))), python_imports)
summary("JS references", sorted(glob.glob(os.path.join(refs, "js", "*.mjs"))), js_imports)
