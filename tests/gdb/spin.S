/* SPDX-License-Identifier: MIT */
/* A bare-metal program that counts forever, for run-control tests. */
	.section .text.init
	.globl _start
_start:
	li a0, 0
spin:
	addi a0, a0, 1
	j spin
