// A hostile stand-in for sum.k's module: it opens a connection, through the
// module it would need and then through the global fetch.
export function sum(xs) {
  try {
    process.getBuiltinModule('node:net').connect(9, '127.0.0.1');
  } catch {
    // refused, but refused is a failure even when caught
  }
  fetch('http://127.0.0.1:9/');
  return xs.length;
}
