# SPDX-License-Identifier: MIT
# Generator for the differential test: random straight-line sequences
# (integer with M/B/Zicond, F/D with every rounding mode, compressed), each
# starting from a seeded register file and ending by writing x1-x31, f0-f31
# and fcsr to stdout, packed many to one static riscv64 Linux ELF.
import random
import struct

X = ["zero", "ra", "sp", "gp", "tp", "t0", "t1", "t2", "s0", "s1"] + \
    [f"a{i}" for i in range(8)] + [f"s{i}" for i in range(2, 12)] + \
    [f"t{i}" for i in range(3, 7)]
F = [f"f{i}" for i in range(32)]
# gp (x3) is the base pointer of the harness and tp (x4) points at the
# sequence's 64-byte scratch memory: sequences never write them.
XD = [x for x in X if x not in ("zero", "gp", "tp")]
SCRATCH = 64
XC = X[8:16]
XCD = XC
RM = ["rne", "rtz", "rdn", "rup", "rmm", "dyn"]

R3 = ("add sub sll slt sltu xor srl sra or and addw subw sllw srlw sraw "
      "mul mulh mulhsu mulhu div divu rem remu mulw divw divuw remw remuw "
      "sh1add sh2add sh3add add.uw sh1add.uw sh2add.uw sh3add.uw andn orn "
      "xnor max maxu min minu rol ror rolw rorw clmul clmulh clmulr bclr "
      "bext binv bset").split()
# Zicond (czero.eqz/nez) is left out: Debian's QEMU 7.2 lacks it; the
# tests/isa/zicond.S test covers it.
IMM = "addi slti sltiu xori ori andi addiw".split()
SH6 = "slli srli srai rori bclri bexti binvi bseti slli.uw".split()
SH5 = "slliw srliw sraiw roriw".split()
# ctzw is left out: QEMU 7.2 counts trailing zeros of all 64 bits (ctzw of
# 0x8000000000000000 gives 63, the spec says 32); tests/isa/rv64b.S has it.
UNARY = "clz ctz cpop clzw cpopw sext.b sext.h zext.h orc.b rev8".split()
MARCH = "rv64gc_zba_zbb_zbc_zbs"

INT_SPECIAL = [0, 1, 2, 0xffffffffffffffff, 0x8000000000000000,
               0x7fffffffffffffff, 0x80000000, 0x7fffffff, 0xffffffff80000000,
               0xffffffff, 0x100000000, 63, 64, 31, 32]
S_SPECIAL = [0x00000000, 0x80000000, 0x7f800000, 0xff800000, 0x7fc00000,
             0x7f800001, 0xffc00000, 0x00000001, 0x807fffff, 0x3f800000,
             0xbf800000, 0x7f7fffff, 0x4f000000, 0xcf000000, 0x5f000000,
             0x3f000000, 0x4b800000]
D_SPECIAL = [0, 0x8000000000000000, 0x7ff0000000000000, 0xfff0000000000000,
             0x7ff8000000000000, 0x7ff0000000000001, 0x0000000000000001,
             0x3ff0000000000000, 0xbff0000000000000, 0x7fefffffffffffff,
             0x41e0000000000000, 0xc1e0000000000000, 0x43e0000000000000,
             0x3fe0000000000000, 0x4330000000000000, 0x0010000000000000]


def czero(op, rd, rs1, rs2):
    f3 = 5 if op == "czero.eqz" else 7
    return f".insn r 0x33, {f3}, 7, {rd}, {rs1}, {rs2}"


def int_insn(rng):
    kind = rng.random()
    rd = rng.choice(XD)
    a, b = rng.choice(X), rng.choice(X)
    if kind < 0.45:
        op = rng.choice(R3)
        if op.startswith("czero"):
            return czero(op, rd, a, b)
        return f"{op} {rd},{a},{b}"
    if kind < 0.6:
        return f"{rng.choice(IMM)} {rd},{a},{rng.randint(-2048, 2047)}"
    if kind < 0.72:
        return f"{rng.choice(SH6)} {rd},{a},{rng.randint(0, 63)}"
    if kind < 0.78:
        return f"{rng.choice(SH5)} {rd},{a},{rng.randint(0, 31)}"
    if kind < 0.9:
        return f"{rng.choice(UNARY)} {rd},{a}"
    if kind < 0.95:
        return f"lui {rd},{rng.randint(0, 0xfffff):#x}"
    return f"auipc {rd},{rng.randint(0, 0xfffff):#x}"


XN = [x for x in XD if x != "sp"]
NZ6 = [i for i in range(-32, 32) if i]
C_FORMS = [
    lambda r: f"c.addi {r.choice(XN)},{r.choice(NZ6)}",
    lambda r: f"c.addiw {r.choice(XN)},{r.randint(-32, 31)}",
    lambda r: f"c.li {r.choice(XN)},{r.randint(-32, 31)}",
    lambda r: f"c.lui {r.choice(XN)},{r.choice([1, 2, 17, 31, 0xfffe0, 0xfffff]):#x}",
    lambda r: f"c.slli {r.choice(XN)},{r.randint(1, 63)}",
    lambda r: f"c.srli {r.choice(XCD)},{r.randint(1, 63)}",
    lambda r: f"c.srai {r.choice(XCD)},{r.randint(1, 63)}",
    lambda r: f"c.andi {r.choice(XCD)},{r.randint(-32, 31)}",
    lambda r: f"c.mv {r.choice(XN)},{r.choice(XN)}",
    lambda r: f"c.add {r.choice(XN)},{r.choice(XN)}",
] + [
    (lambda op: lambda r: f"{op} {r.choice(XCD)},{r.choice(XC)}")(op)
    for op in ("c.sub", "c.xor", "c.or", "c.and", "c.subw", "c.addw")
]


def c_insn(rng):
    return rng.choice(C_FORMS)(rng)


def fp_insn(rng):
    fmt = rng.choice("sd")
    fd, f1, f2, f3 = (rng.choice(F) for _ in range(4))
    rd, rs = rng.choice(XD), rng.choice(X)
    rm = rng.choice(RM)
    k = rng.randrange(12)
    if k == 0:
        op = rng.choice(["fadd", "fsub", "fmul", "fdiv"])
        return f"{op}.{fmt} {fd},{f1},{f2},{rm}"
    if k == 1:
        return f"fsqrt.{fmt} {fd},{f1},{rm}"
    if k == 2:
        op = rng.choice(["fmadd", "fmsub", "fnmsub", "fnmadd"])
        return f"{op}.{fmt} {fd},{f1},{f2},{f3},{rm}"
    if k == 3:
        op = rng.choice(["fsgnj", "fsgnjn", "fsgnjx", "fmin", "fmax"])
        return f"{op}.{fmt} {fd},{f1},{f2}"
    if k == 4:
        op = rng.choice(["feq", "flt", "fle"])
        return f"{op}.{fmt} {rd},{f1},{f2}"
    if k == 5:
        return f"fclass.{fmt} {rd},{f1}"
    if k == 6:
        i = rng.choice(["w", "wu", "l", "lu"])
        return f"fcvt.{i}.{fmt} {rd},{f1},{rm}"
    if k == 7:
        i = rng.choice(["w", "wu", "l", "lu"])
        if fmt == "d" and i in ("w", "wu"):
            return f"fcvt.d.{i} {fd},{rs}"
        return f"fcvt.{fmt}.{i} {fd},{rs},{rm}"
    if k == 8:
        return rng.choice([f"fcvt.s.d {fd},{f1},{rm}", f"fcvt.d.s {fd},{f1}"])
    if k == 9:
        return rng.choice([f"fmv.x.w {rd},{f1}", f"fmv.x.d {rd},{f1}"])
    if k == 10:
        return rng.choice([f"fmv.w.x {fd},{rs}", f"fmv.d.x {fd},{rs}"])
    return rng.choice([f"fcvt.s.w {fd},{rs},{rm}", f"fcvt.{fmt}.l {fd},{rs},{rm}"])


def mem_insn(rng):
    """Loads, stores and AMOs on the scratch block, misaligned ones too."""
    k = rng.random()
    if k < 0.4:
        op, size = rng.choice([("lb", 1), ("lbu", 1), ("lh", 2), ("lhu", 2),
                               ("lw", 4), ("lwu", 4), ("ld", 8)])
        return f"{op} {rng.choice(XD)},{rng.randint(0, SCRATCH - size)}(tp)"
    if k < 0.75:
        op, size = rng.choice([("sb", 1), ("sh", 2), ("sw", 4), ("sd", 8)])
        return f"{op} {rng.choice(X)},{rng.randint(0, SCRATCH - size)}(tp)"
    if k < 0.85:
        op, size = rng.choice([("flw", 4), ("fld", 8), ("fsw", 4), ("fsd", 8)])
        return f"{op} {rng.choice(F)},{rng.randint(0, SCRATCH - size)}(tp)"
    op = rng.choice(["swap", "add", "xor", "and", "or", "min", "max", "minu",
                     "maxu"])
    width = rng.choice("wd")
    return f"amo{op}.{width} {rng.choice(XD)},{rng.choice(X)},(tp)"


def random_insn(rng):
    k = rng.random()
    if k < 0.4:
        return int_insn(rng)
    if k < 0.52:
        return c_insn(rng)
    if k < 0.62:
        return mem_insn(rng)
    return fp_insn(rng)


def int_value(rng):
    k = rng.random()
    if k < 0.3:
        return rng.choice(INT_SPECIAL)
    if k < 0.5:
        return rng.randint(-100, 100) & (2**64 - 1)
    return rng.getrandbits(64)


def fp_value(rng):
    k = rng.random()
    if k < 0.3:
        return 0xffffffff00000000 | rng.choice(S_SPECIAL)
    if k < 0.5:
        return rng.choice(D_SPECIAL) ^ (rng.getrandbits(1) << 63)
    if k < 0.75:
        return 0xffffffff00000000 | rng.getrandbits(32)
    if k < 0.8:
        return rng.getrandbits(32)  # not NaN-boxed
    return rng.getrandbits(64)


# Layout of one state block: return address, x1..x31, f0..f31, fcsr.
STATE_WORDS = 1 + 31 + 32 + 1
RESULT_BYTES = (31 + 32 + 1) * 8 + SCRATCH

HARNESS = """
	.option norelax
	.text
	.globl _start
_start:
	tail seq0

/* Load the state block at gp (return address at 0), then jump back. */
load_all:
	ld t0, 8 * 64(gp)
	fscsr t0
""" + "".join(f"\tfld f{i}, {8 * (32 + i)}(gp)\n" for i in range(32)) + \
    "".join(f"\tld x{i}, {8 * i}(gp)\n" for i in range(1, 32) if i != 3) + \
    """	ld gp, 0(gp)
	jr gp

/* ra was saved at results+0 by the caller: store the rest and write. */
store_all:
""" + "".join(f"\tsd x{i}, {8 * (i - 1)}(gp)\n" for i in range(2, 32)) + \
    "".join(f"\tfsd f{i}, {8 * (31 + i)}(gp)\n" for i in range(32)) + \
    "".join(f"\tld t0, {8 * i}(tp)\n\tsd t0, {8 * (64 + i)}(gp)\n"
            for i in range(SCRATCH // 8)) + \
    f"""	frcsr t0
	sd t0, {8 * 63}(gp)
	li a0, 1
	mv a1, gp
	li a2, {RESULT_BYTES}
	li a7, 64
	ecall
	ret

finish:
	li a0, 0
	li a7, 93
	ecall
"""


def build_source(rng, count, length):
    """Assembly for `count` sequences; returns (source, list of bodies)."""
    text, data, bodies = [HARNESS], ["\t.data\n\t.balign 8\n"], []
    for n in range(count):
        body = [random_insn(rng) for _ in range(length)]
        bodies.append(body)
        scratch = ",".join(f"{rng.getrandbits(64):#x}"
                           for _ in range(SCRATCH // 8))
        data.append(f"scratch{n}:\n\t.dword {scratch}\n")
        state = [0] + [int_value(rng) for _ in range(31)] + \
            [fp_value(rng) for _ in range(32)] + [rng.randint(0, 4) << 5]
        text.append(f"seq{n}:\n\tla gp, state{n}\n\ttail load_all\n"
                    f"ret{n}:\n")
        text.extend(f"\t{i}\n" for i in body)
        text.append("\tla gp, results\n\tsd ra, 0(gp)\n\tcall store_all\n")
        text.append(f"\ttail seq{n + 1}\n")
        values = [f"{v:#x}" for v in state[1:]]
        values[3] = f"scratch{n}"  # tp
        values = ",".join(values)
        data.append(f"state{n}:\n\t.dword ret{n},{values}\n")
    text.append(f"seq{count}:\n\ttail finish\n")
    data.append(f"results:\n\t.space {RESULT_BYTES}\n")
    return "".join(text) + "".join(data), bodies


def describe(result, other, index, body):
    """Human-readable difference between two result records."""
    names = [f"x{i}" for i in range(1, 32)] + [f"f{i}" for i in range(32)] + \
        ["fcsr"] + [f"mem+{8 * i}" for i in range(SCRATCH // 8)]
    a = struct.unpack(f"<{len(names)}Q", result)
    b = struct.unpack(f"<{len(names)}Q", other)
    diffs = [f"{names[i]}: mimic {a[i]:#018x} qemu {b[i]:#018x}"
             for i in range(len(names)) if a[i] != b[i]]
    return f"sequence {index}:\n\t" + "\n\t".join(body) + "\n" + \
        "\n".join(diffs)
