# Hand-written kernels returning one value of each result type; the expected
# canonical texts in ../results.test are worked out by hand from
# docs/runner-protocol.md.
import struct


def truth():
    return True


def falsity():
    return 1 > 2


def negative():
    return -42


def big_u32():
    return 4294967295


def too_big_i32():
    return 2147483648


def tenth():
    return 0.1


def minus_zero():
    return -0.0


def not_a_number():
    return float("nan")


def negative_signaling_nan():
    # sign bit set, quiet bit clear: any NaN prints as the one canonical NaN
    return struct.unpack("<d", bytes.fromhex("010000000000f0ff"))[0]


def int_as_f64():
    return 3


def text():
    return 'say "hi" \\ tab\tnl\n\x01 caf\u00e9'


def blob():
    return b"\x00\xffAz"


def grown_blob():
    out = bytearray()
    out.append(16)
    out.append(1)
    return out


def nested():
    return [[1, -2], [], [3]]


def floats():
    return [0.5, -1.0]


def counts():
    d = {}
    d["b"] = 2
    d["a"] = 1
    d["c\"q"] = 3
    return d


def by_id():
    return {3: 0.5, 1: 2.0}


class Body:
    __slots__ = ("x", "mass", "name")

    def __init__(self, x, mass, name):
        self.x = x
        self.mass = mass
        self.name = name


def one_body():
    return Body(1.0, 2.5, "sun")


def bodies():
    return [Body(0.0, 1.0, "a"), Body(-2.0, 0.25, "b")]


def nothing():
    return None


def wrong_type():
    return "12"


def flag_as_int():
    return True
