// errors.mjs - Kernels that fail, as kernelc's ES modules do and do not.
class KernelTrap extends Error {
  constructor(kind, line) {
    super(`${kind} (line ${line})`);
    this.name = 'KernelTrap';
    this.kind = kind;
    this.line = line;
  }
}

// A trap after a few good calls, so that it happens inside a timed sample.
let calls = 0;
export function trapLater() {
  if (++calls > 3)
    throw new KernelTrap('index out of range', 7);
  return 0;
}

// A class named KernelTrap that does not set `name`.
class KernelTrapNoName extends Error {}
Object.defineProperty(KernelTrapNoName, 'name', { value: 'KernelTrap' });
export function trapByClass() {
  const e = new KernelTrapNoName('division');
  e.kind = 'integer division by zero';
  e.line = 12;
  throw e;
}

export function typeError() {
  return null.field;
}

export function throwsNumber() {
  throw 42;
}

export const notAFunction = 7;
