"""n-body: hand-written Python reference of benchmarks/kernels/nbody.k.

The Computer Language Benchmarks Game simulation of the Sun and the four
Jovian planets, symplectic Euler steps of dt = 0.01; returns the total energy
after `steps` steps.
Laid out as in the benchmark's Python programs: each body is a position list,
a velocity list and a mass, and the ten pairs are built once. The float
operations are the kernel's, in its order, so the result is the same to the
last bit: mag = dt / (d * d * d) with d = sqrt(dx*dx + dy*dy + dz*dz), each
velocity change is (dx * m) * mag (not dx * (m * mag), nor d ** -1.5),
velocities are updated pair by pair in (i, j > i) order, then positions.
"""

from itertools import combinations
from math import sqrt

PI = 3.141592653589793
SOLAR_MASS = 4.0 * PI * PI
DAYS_PER_YEAR = 365.24

# (x, y, z), (vx, vy, vz), mass: the Sun, Jupiter, Saturn, Uranus, Neptune.
_BODIES = (
    ((0.0, 0.0, 0.0), (0.0, 0.0, 0.0), SOLAR_MASS),
    ((4.84143144246472090, -1.16032004402742839, -1.03622044471123109e-1),
     (1.66007664274403694e-3 * DAYS_PER_YEAR,
      7.69901118419740425e-3 * DAYS_PER_YEAR,
      -6.90460016972063023e-5 * DAYS_PER_YEAR),
     9.54791938424326609e-4 * SOLAR_MASS),
    ((8.34336671824457987, 4.12479856412430479, -4.03523417114321381e-1),
     (-2.76742510726862411e-3 * DAYS_PER_YEAR,
      4.99852801234917238e-3 * DAYS_PER_YEAR,
      2.30417297573763929e-5 * DAYS_PER_YEAR),
     2.85885980666130812e-4 * SOLAR_MASS),
    ((12.8943695621391310, -15.1111514016986312, -2.23307578892655734e-1),
     (2.96460137564761618e-3 * DAYS_PER_YEAR,
      2.37847173959480950e-3 * DAYS_PER_YEAR,
      -2.96589568540237556e-5 * DAYS_PER_YEAR),
     4.36624404335156298e-5 * SOLAR_MASS),
    ((15.3796971148509165, -25.9193146099879641, 1.79258772950371181e-1),
     (2.68067772490389322e-3 * DAYS_PER_YEAR,
      1.62824170038242295e-3 * DAYS_PER_YEAR,
      -9.51592254519715870e-5 * DAYS_PER_YEAR),
     5.15138902046611451e-5 * SOLAR_MASS),
)


def _offset_momentum(bodies):
    px = py = pz = 0.0
    for _, (vx, vy, vz), m in bodies:
        px += vx * m
        py += vy * m
        pz += vz * m
    _, v, m = bodies[0]
    v[0] = -px / m
    v[1] = -py / m
    v[2] = -pz / m


def _advance(steps, dt, bodies, pairs):
    for _ in range(steps):
        for ([x1, y1, z1], v1, m1), ([x2, y2, z2], v2, m2) in pairs:
            dx = x1 - x2
            dy = y1 - y2
            dz = z1 - z2
            distance = sqrt(dx * dx + dy * dy + dz * dz)
            mag = dt / (distance * distance * distance)
            v1[0] -= dx * m2 * mag
            v1[1] -= dy * m2 * mag
            v1[2] -= dz * m2 * mag
            v2[0] += dx * m1 * mag
            v2[1] += dy * m1 * mag
            v2[2] += dz * m1 * mag
        for r, (vx, vy, vz), _ in bodies:
            r[0] += dt * vx
            r[1] += dt * vy
            r[2] += dt * vz


def _energy(bodies):
    e = 0.0
    for i, ((x1, y1, z1), (vx, vy, vz), m1) in enumerate(bodies):
        e += 0.5 * m1 * (vx * vx + vy * vy + vz * vz)
        for (x2, y2, z2), _, m2 in bodies[i + 1:]:
            dx = x1 - x2
            dy = y1 - y2
            dz = z1 - z2
            e -= (m1 * m2) / sqrt(dx * dx + dy * dy + dz * dz)
    return e


def nbody(steps):
    bodies = [(list(r), list(v), m) for r, v, m in _BODIES]
    _offset_momentum(bodies)
    _advance(steps, 0.01, bodies, list(combinations(bodies, 2)))
    return _energy(bodies)
