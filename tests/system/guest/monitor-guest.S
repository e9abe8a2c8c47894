/* SPDX-License-Identifier: MIT */
/* Bare-metal guest for the monitor tests: prints "boot", then "tick N"
 * every 50 ms of guest time, and powers off through the test finisher when
 * mimic's power button (0x102000) reads pressed. a0 holds 0x1234abcd and
 * the word at `magic` (0x80001000) is 0x6d696d63 for HMP's p and xp.
 * Built with -DREBOOT_ON_BUTTON it reboots (0x7777) instead; with
 * -DNO_BUTTON it ignores the button (QEMU's virt has none: the read faults). */
	.section .text.init
	.globl _start
_start:
	li	a0, 0x1234abcd
	la	a1, banner
	call	puts
	li	s0, 0			/* tick counter */
loop:
#ifndef NO_BUTTON
	li	t0, 0x102000		/* power button status */
	lw	t1, 0(t0)
	bnez	t1, powerdown
#endif
	rdtime	t2
	li	t3, 500000		/* 50 ms at 10 MHz */
	add	t3, t2, t3
wait:
	rdtime	t2
	bltu	t2, t3, wait
	la	a1, tick
	call	puts
	mv	a2, s0
	call	puthex
	li	a2, '\n'
	call	putc
	addi	s0, s0, 1
	j	loop

powerdown:
	li	t1, 1
	sw	t1, 0(t0)		/* acknowledge */
	la	a1, bye
	call	puts
	li	t0, 0x100000
#ifdef REBOOT_ON_BUTTON
	li	t1, 0x7777
#else
	li	t1, 0x5555
#endif
	sw	t1, 0(t0)
1:	j	1b

/* putc(a2): write one byte to the 16550 (ra preserved, t4-t6 clobbered) */
putc:
	li	t4, 0x10000000
1:	lbu	t5, 5(t4)
	andi	t5, t5, 0x20
	beqz	t5, 1b
	sb	a2, 0(t4)
	ret

/* puts(a1): a NUL-terminated string */
puts:
	mv	s1, ra
1:	lbu	a2, 0(a1)
	beqz	a2, 2f
	call	putc
	addi	a1, a1, 1
	j	1b
2:	mv	ra, s1
	ret

/* puthex(a2): 8 hex digits of the low 32 bits */
puthex:
	mv	s1, ra
	mv	s2, a2
	li	s3, 28
1:	srl	a2, s2, s3
	andi	a2, a2, 0xf
	li	t6, 10
	bltu	a2, t6, 2f
	addi	a2, a2, 'a' - '0' - 10
2:	addi	a2, a2, '0'
	call	putc
	addi	s3, s3, -4
	bgez	s3, 1b
	mv	ra, s1
	ret

	.section .data
	.balign 8
magic:
	.word	0x6d696d63
banner:
	.asciz	"boot\n"
tick:
	.asciz	"tick "
bye:
	.asciz	"powering down\n"
