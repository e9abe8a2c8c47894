/* SPDX-License-Identifier: MIT */
/* C: every compressed instruction, by its effect. */
#include "test.S.inc"

	TEST_START
	.option push
	.option rvc

	TEST(1)
	c.li a0, 5
	c.addi a0, -2
	CHECK a0, 3
	c.li a1, -1
	c.addiw a1, 1
	CHECK a1, 0
	c.lui a2, 0xfffff
	CHECK a2, 0xfffffffffffff000
	TEST(2)
	mv s1, sp
	c.addi16sp sp, -64
	addi t0, s1, -64
	bne sp, t0, fail
	c.addi4spn a0, sp, 16
	addi t0, sp, 16
	bne a0, t0, fail
	c.addi16sp sp, 64
	TEST(3)
	li a0, 0x8000000000000010
	c.srli a0, 4
	CHECK a0, 0x0800000000000001
	li a0, 0x8000000000000010
	c.srai a0, 4
	CHECK a0, 0xf800000000000001
	c.slli a0, 4
	CHECK a0, 0x8000000000000010
	li a0, 0xff
	c.andi a0, 0x0f
	CHECK a0, 0x0f
	TEST(4)
	li a0, 12
	li a1, 10
	c.sub a0, a1
	CHECK a0, 2
	c.xor a0, a1
	CHECK a0, 8
	c.or a0, a1
	CHECK a0, 10
	li a1, 6
	c.and a0, a1
	CHECK a0, 2
	li a0, 0x7fffffff
	li a1, 1
	c.addw a0, a1
	CHECK a0, -0x80000000
	c.subw a0, a1
	CHECK a0, 0x7fffffff
	c.mv a2, a0
	CHECK a2, 0x7fffffff
	c.add a2, a1
	CHECK a2, 0x80000000
	TEST(5)
	la s0, buf
	li a0, 0x1122334455667788
	c.sd a0, 8(s0)
	c.ld a1, 8(s0)
	bne a0, a1, fail
	c.sw a0, 16(s0)
	c.lw a1, 16(s0)
	CHECK a1, 0x55667788
	addi sp, sp, -32
	c.sdsp a0, 8(sp)
	c.ldsp a2, 8(sp)
	bne a0, a2, fail
	c.swsp a0, 16(sp)
	c.lwsp a2, 16(sp)
	CHECK a2, 0x55667788
	fmv.d.x fa0, a0
	c.fsdsp fa0, 24(sp)
	c.fldsp fa1, 24(sp)
	fmv.x.d a3, fa1
	bne a3, a0, fail
	c.fsd fa0, 24(s0)
	c.fld fa2, 24(s0)
	fmv.x.d a3, fa2
	bne a3, a0, fail
	addi sp, sp, 32
	TEST(6)
	c.j 1f
	j fail
1:	li a0, 0
	c.beqz a0, 2f
	j fail
2:	c.bnez a0, fail
	li a0, 1
	c.bnez a0, 3f
	j fail
3:	la a1, 4f
	c.jr a1
	j fail
4:	la a1, 5f
	c.jalr a1
6:	j 7f
5:	la t0, 6b
	bne ra, t0, fail
	c.jr ra
7:	c.nop
	j pass
	.option pop

	TEST_END

	.data
	.balign 16
buf:	.space 64
