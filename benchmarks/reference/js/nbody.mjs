// nbody.mjs - hand-written JS reference of benchmarks/kernels/nbody.k
//
// n-body (Computer Language Benchmarks Game): the Sun and the four Jovian
// planets, symplectic Euler steps of dt = 0.01; returns the total energy
// after `steps` steps.
// The float operations are the kernel's, in its order, so the result is the
// same to the last bit: mag = dt / (d * d * d) with d = sqrt(dx*dx + dy*dy +
// dz*dz), each velocity update is (dx * m) * mag (no precomputed m * mag),
// velocities are updated pair by pair in (i, j > i) order, then positions.
// Bodies are instances of one class (one hidden class, fields unboxed
// doubles), as the benchmark's JavaScript programs do.

const PI = 3.141592653589793;
const SOLAR_MASS = 4 * PI * PI;
const DAYS_PER_YEAR = 365.24;

class Body {
  constructor(x, y, z, vx, vy, vz, mass) {
    this.x = x;
    this.y = y;
    this.z = z;
    this.vx = vx;
    this.vy = vy;
    this.vz = vz;
    this.mass = mass;
  }
}

function makeBodies() {
  return [
    new Body(0, 0, 0, 0, 0, 0, SOLAR_MASS), // Sun
    new Body( // Jupiter
      4.84143144246472090, -1.16032004402742839, -1.03622044471123109e-1,
      1.66007664274403694e-3 * DAYS_PER_YEAR,
      7.69901118419740425e-3 * DAYS_PER_YEAR,
      -6.90460016972063023e-5 * DAYS_PER_YEAR,
      9.54791938424326609e-4 * SOLAR_MASS),
    new Body( // Saturn
      8.34336671824457987, 4.12479856412430479, -4.03523417114321381e-1,
      -2.76742510726862411e-3 * DAYS_PER_YEAR,
      4.99852801234917238e-3 * DAYS_PER_YEAR,
      2.30417297573763929e-5 * DAYS_PER_YEAR,
      2.85885980666130812e-4 * SOLAR_MASS),
    new Body( // Uranus
      12.8943695621391310, -15.1111514016986312, -2.23307578892655734e-1,
      2.96460137564761618e-3 * DAYS_PER_YEAR,
      2.37847173959480950e-3 * DAYS_PER_YEAR,
      -2.96589568540237556e-5 * DAYS_PER_YEAR,
      4.36624404335156298e-5 * SOLAR_MASS),
    new Body( // Neptune
      15.3796971148509165, -25.9193146099879641, 1.79258772950371181e-1,
      2.68067772490389322e-3 * DAYS_PER_YEAR,
      1.62824170038242295e-3 * DAYS_PER_YEAR,
      -9.51592254519715870e-5 * DAYS_PER_YEAR,
      5.15138902046611451e-5 * SOLAR_MASS),
  ];
}

function offsetMomentum(bodies) {
  let px = 0;
  let py = 0;
  let pz = 0;
  for (const b of bodies) {
    px += b.vx * b.mass;
    py += b.vy * b.mass;
    pz += b.vz * b.mass;
  }
  const sun = bodies[0];
  sun.vx = -px / sun.mass;
  sun.vy = -py / sun.mass;
  sun.vz = -pz / sun.mass;
}

function advance(bodies, dt) {
  const n = bodies.length;
  for (let i = 0; i < n; i++) {
    const bi = bodies[i];
    for (let j = i + 1; j < n; j++) {
      const bj = bodies[j];
      const dx = bi.x - bj.x;
      const dy = bi.y - bj.y;
      const dz = bi.z - bj.z;
      const distance = Math.sqrt(dx * dx + dy * dy + dz * dz);
      const mag = dt / (distance * distance * distance);
      const mi = bi.mass;
      const mj = bj.mass;
      bi.vx -= dx * mj * mag;
      bi.vy -= dy * mj * mag;
      bi.vz -= dz * mj * mag;
      bj.vx += dx * mi * mag;
      bj.vy += dy * mi * mag;
      bj.vz += dz * mi * mag;
    }
  }
  for (let i = 0; i < n; i++) {
    const b = bodies[i];
    b.x += dt * b.vx;
    b.y += dt * b.vy;
    b.z += dt * b.vz;
  }
}

function energy(bodies) {
  const n = bodies.length;
  let e = 0;
  for (let i = 0; i < n; i++) {
    const b = bodies[i];
    e += 0.5 * b.mass * (b.vx * b.vx + b.vy * b.vy + b.vz * b.vz);
    for (let j = i + 1; j < n; j++) {
      const b2 = bodies[j];
      const dx = b.x - b2.x;
      const dy = b.y - b2.y;
      const dz = b.z - b2.z;
      e -= (b.mass * b2.mass) / Math.sqrt(dx * dx + dy * dy + dz * dz);
    }
  }
  return e;
}

export function nbody(steps) {
  const bodies = makeBodies();
  offsetMomentum(bodies);
  for (let s = 0; s < steps; s++) advance(bodies, 0.01);
  return energy(bodies);
}
