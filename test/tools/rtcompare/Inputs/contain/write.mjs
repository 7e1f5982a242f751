// A hostile stand-in for sum.k's module: it writes a file. Run with node:fs
// allowed, so that node's permission model is what refuses the write.
import { writeFileSync } from 'node:fs';

export function sum(xs) {
  writeFileSync('written-by-js', 'x');
  return xs.length;
}
