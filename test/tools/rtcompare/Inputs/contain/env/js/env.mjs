// A JS reference of env.k that returns its environment, in order, as
// NAME=value;... with HOME's value left out (a path of the test's).
export function env(n) {
  return Object.entries(process.env)
    .map(([k, v]) => (k === 'HOME' ? k : `${k}=${v}`))
    .join(';');
}
