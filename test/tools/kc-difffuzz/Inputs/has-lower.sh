#!/bin/sh
# An interestingness test for `kc-difffuzz reduce --predicate=script:...`:
# the candidate (a file) still lowercases a string.
grep -q '\.lower()' "$1"
