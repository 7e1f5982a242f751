// A hostile stand-in for an emitted module of sum.k: it reads a file.
import { readFileSync } from 'node:fs';

export function sum(xs) {
  return readFileSync('/etc/passwd').length + xs.length;
}
