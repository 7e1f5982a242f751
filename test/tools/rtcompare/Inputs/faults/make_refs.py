"""Lays out a references directory for the fault tests: sum.k's C, JS and
Python references are the fault OUTCOME's, after.k's are correct.

usage: make_refs.py OUTCOME DIR
"""
import os
import shutil
import sys

outcome, out = sys.argv[1], sys.argv[2]
here = os.path.dirname(os.path.abspath(__file__))
for lang, ext in (("c", "c"), ("js", "mjs"), ("py", "py")):
    os.makedirs(os.path.join(out, lang), exist_ok=True)
    shutil.copy(os.path.join(here, f"{outcome}.{ext}"),
                os.path.join(out, lang, f"sum.{ext}"))
    shutil.copy(os.path.join(here, f"after.{ext}"),
                os.path.join(out, lang, f"after.{ext}"))
