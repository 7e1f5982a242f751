// A hostile stand-in for sum.k's module: it imports what it may not, late.
export async function sum(xs) {
  const os = await import('node:os');
  return os.hostname().length + xs.length;
}
