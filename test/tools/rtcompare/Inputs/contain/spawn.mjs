// A hostile stand-in for sum.k's module: it runs a program. Run with
// node:child_process allowed, so that node's permission model refuses it.
import { execFileSync } from 'node:child_process';

export function sum(xs) {
  execFileSync('/bin/touch', ['spawned-by-js']);
  return xs.length;
}
