// results.mjs - One function per result shape, for the canonical-text tests
// of the V8 runner (runtimes/v8/harness.mjs). No parameters.

export const yes = () => true;
export const no = () => false;
export const negI32 = () => -42;
export const maxU32 = () => 4294967295;
export const minInt = () => -9007199254740992;
export const negZeroInt = () => -0;
export const bigI32 = () => -7n;
export const tenth = () => 0.1;
export const negZero = () => -0;
export const minusTwoAndHalf = () => -2.5;
export const inf = () => -Infinity;
export const nan = () => 0 / 0;
// A negative NaN with a payload: bits fff8000000000001.
export const oddNan = () => new Float64Array(new BigUint64Array([0xfff8000000000001n]).buffer)[0];
export const escapes = () => 'a"b\\c\n\t\x01\x1f~z';
export const emptyStr = () => '';
export const someBytes = () => new Uint8Array([0, 1, 0xab, 0xff]);
export const bufferSlice = () => Buffer.from([9, 0x10, 0x20]).subarray(1);
export const noBytes = () => new Uint8Array(0);
export const nested = () => [[1, 2], [], [-3]];
export const typedF64 = () => new Float64Array([0.5, -0]);
export const typedBools = () => new Uint8Array([1, 0, 1]);
export const strMap = () => new Map([['b', 1], ['a', -2], ['"', 0]]);
export const intMap = () => new Map([[3, [true]], [1, []]]);

class Point {
  constructor(x, label) {
    this.label = label; // not the declaration order
    this.extra = 'ignored';
    this.x = x;
  }
}
export const point = () => new Point(1.5, 'p');
export const plainPoint = () => ({ x: 2, label: 'q' });
export const tree = () => ({ id: 1, kids: [{ id: 2, kids: [] }, { id: 3, kids: [] }] });
export const pointsByName = () => new Map([['o', [new Point(0, 'o')]]]);

// Results that do not have their declared type.
export const fraction = () => 1.5;
export const deepString = () => [[1], [2, 'x']];
export const missingField = () => ({ x: 1 });
export const plainObjectMap = () => ({ a: 1 });
export const cyclic = () => { const n = { id: 1, kids: [] }; n.kids.push(n); return n; };
