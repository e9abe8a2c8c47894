/* SPDX-License-Identifier: MIT */
/* The decoder and disassembler against objdump's view of the same words. */
#include <ctype.h>
#include <string.h>

#include "target/riscv/decode.h"
#include "tests/unit/unit.h"

static const struct {
	uint64_t pc;
	uint32_t raw;
	const char *text; /* objdump -M no-aliases, spacing normalized */
} objdump_table[] = {
	/* Regenerate with tests/isa/gen-decode-table. */
	/* BEGIN GENERATED */
	{ 0x0, 0x01ca0033, "add zero,s4,t3" },
	{ 0x4, 0x419107b3, "sub a5,sp,s9" },
	{ 0x8, 0x007f15b3, "sll a1,t5,t2" },
	{ 0xc, 0x003e29b3, "slt s3,t3,gp" },
	{ 0x10, 0x001139b3, "sltu s3,sp,ra" },
	{ 0x14, 0x0055c933, "xor s2,a1,t0" },
	{ 0x18, 0x01b8d7b3, "srl a5,a7,s11" },
	{ 0x1c, 0x4177da33, "sra s4,a5,s7" },
	{ 0x20, 0x0148ebb3, "or s7,a7,s4" },
	{ 0x24, 0x01ca70b3, "and ra,s4,t3" },
	{ 0x28, 0x007e8cbb, "addw s9,t4,t2" },
	{ 0x2c, 0x40e48e3b, "subw t3,s1,a4" },
	{ 0x30, 0x00ce1d3b, "sllw s10,t3,a2" },
	{ 0x34, 0x00c1de3b, "srlw t3,gp,a2" },
	{ 0x38, 0x404fd9bb, "sraw s3,t6,tp" },
	{ 0x3c, 0x039383b3, "mul t2,t2,s9" },
	{ 0x40, 0x03ca15b3, "mulh a1,s4,t3" },
	{ 0x44, 0x032ea633, "mulhsu a2,t4,s2" },
	{ 0x48, 0x02b0b0b3, "mulhu ra,ra,a1" },
	{ 0x4c, 0x027a4233, "div tp,s4,t2" },
	{ 0x50, 0x031bd833, "divu a6,s7,a7" },
	{ 0x54, 0x024d6d33, "rem s10,s10,tp" },
	{ 0x58, 0x0367f7b3, "remu a5,a5,s6" },
	{ 0x5c, 0x03ee0d3b, "mulw s10,t3,t5" },
	{ 0x60, 0x0271c1bb, "divw gp,gp,t2" },
	{ 0x64, 0x03e7553b, "divuw a0,a4,t5" },
	{ 0x68, 0x026a68bb, "remw a7,s4,t1" },
	{ 0x6c, 0x02fdf03b, "remuw zero,s11,a5" },
	{ 0x70, 0x203627b3, "sh1add a5,a2,gp" },
	{ 0x74, 0x2021ca33, "sh2add s4,gp,sp" },
	{ 0x78, 0x21e060b3, "sh3add ra,zero,t5" },
	{ 0x7c, 0x08230fbb, "add.uw t6,t1,sp" },
	{ 0x80, 0x20c9a13b, "sh1add.uw sp,s3,a2" },
	{ 0x84, 0x217b48bb, "sh2add.uw a7,s6,s7" },
	{ 0x88, 0x20236abb, "sh3add.uw s5,t1,sp" },
	{ 0x8c, 0x418ef633, "andn a2,t4,s8" },
	{ 0x90, 0x4146e533, "orn a0,a3,s4" },
	{ 0x94, 0x41ac4d33, "xnor s10,s8,s10" },
	{ 0x98, 0x0bafef33, "max t5,t6,s10" },
	{ 0x9c, 0x0a0a7eb3, "maxu t4,s4,zero" },
	{ 0xa0, 0x0a7bc3b3, "min t2,s7,t2" },
	{ 0xa4, 0x0a3b50b3, "minu ra,s6,gp" },
	{ 0xa8, 0x60ae1cb3, "rol s9,t3,a0" },
	{ 0xac, 0x61855d33, "ror s10,a0,s8" },
	{ 0xb0, 0x60bb183b, "rolw a6,s6,a1" },
	{ 0xb4, 0x61f457bb, "rorw a5,s0,t6" },
	{ 0xb8, 0x0a3a1833, "clmul a6,s4,gp" },
	{ 0xbc, 0x0bf7bcb3, "clmulh s9,a5,t6" },
	{ 0xc0, 0x0b4c2e33, "clmulr t3,s8,s4" },
	{ 0xc4, 0x49469e33, "bclr t3,a3,s4" },
	{ 0xc8, 0x49da50b3, "bext ra,s4,t4" },
	{ 0xcc, 0x689390b3, "binv ra,t2,s1" },
	{ 0xd0, 0x292f1833, "bset a6,t5,s2" },
	{ 0xd4, 0x9ebc8293, "addi t0,s9,-1557" },
	{ 0xd8, 0x1db02493, "slti s1,zero,475" },
	{ 0xdc, 0x2fabbf13, "sltiu t5,s7,762" },
	{ 0xe0, 0x3942c193, "xori gp,t0,916" },
	{ 0xe4, 0x07b66a93, "ori s5,a2,123" },
	{ 0xe8, 0xe6047f93, "andi t6,s0,-416" },
	{ 0xec, 0x46520d1b, "addiw s10,tp,1125" },
	{ 0xf0, 0x03e31413, "slli s0,t1,0x3e" },
	{ 0xf4, 0x0326df13, "srli t5,a3,0x32" },
	{ 0xf8, 0x41c4d213, "srai tp,s1,0x1c" },
	{ 0xfc, 0x618ad713, "rori a4,s5,0x18" },
	{ 0x100, 0x49a29313, "bclri t1,t0,0x1a" },
	{ 0x104, 0x4a3f5a93, "bexti s5,t5,0x23" },
	{ 0x108, 0x6b499393, "binvi t2,s3,0x34" },
	{ 0x10c, 0x298b9e93, "bseti t4,s7,0x18" },
	{ 0x110, 0x0ab8929b, "slli.uw t0,a7,0x2b" },
	{ 0x114, 0x009d9b9b, "slliw s7,s11,0x9" },
	{ 0x118, 0x0032d31b, "srliw t1,t0,0x3" },
	{ 0x11c, 0x4006da9b, "sraiw s5,a3,0x0" },
	{ 0x120, 0x603bd71b, "roriw a4,s7,0x3" },
	{ 0x124, 0x60001813, "clz a6,zero" },
	{ 0x128, 0x60169993, "ctz s3,a3" },
	{ 0x12c, 0x602f9e13, "cpop t3,t6" },
	{ 0x130, 0x60001b9b, "clzw s7,zero" },
	{ 0x134, 0x6011951b, "ctzw a0,gp" },
	{ 0x138, 0x60231b1b, "cpopw s6,t1" },
	{ 0x13c, 0x60429a93, "sext.b s5,t0" },
	{ 0x140, 0x605b1113, "sext.h sp,s6" },
	{ 0x144, 0x080dc33b, "zext.h t1,s11" },
	{ 0x148, 0x287ad693, "orc.b a3,s5" },
	{ 0x14c, 0x6b855e93, "rev8 t4,a0" },
	{ 0x150, 0x46648783, "lb a5,1126(s1)" },
	{ 0x154, 0xf1219f03, "lh t5,-238(gp)" },
	{ 0x158, 0x34dbac03, "lw s8,845(s7)" },
	{ 0x15c, 0x9d0db583, "ld a1,-1584(s11)" },
	{ 0x160, 0x7918c583, "lbu a1,1937(a7)" },
	{ 0x164, 0x00d95183, "lhu gp,13(s2)" },
	{ 0x168, 0x74f7e403, "lwu s0,1871(a5)" },
	{ 0x16c, 0xd4ff8323, "sb a5,-698(t6)" },
	{ 0x170, 0x63891ca3, "sh s8,1593(s2)" },
	{ 0x174, 0x52fb28a3, "sw a5,1329(s6)" },
	{ 0x178, 0xbbe039a3, "sd t5,-1101(zero)" },
	{ 0x17c, 0x2e23a807, "flw fa6,738(t2)" },
	{ 0x180, 0x1c1f3f87, "fld ft11,449(t5)" },
	{ 0x184, 0x09302f27, "fsw fs3,158(zero)" },
	{ 0x188, 0x4979b927, "fsd fs7,1170(s3)" },
	{ 0x18c, 0x5fc43fb7, "lui t6,0x5fc43" },
	{ 0x190, 0x43524e97, "auipc t4,0x43524" },
	{ 0x194, 0x181a8663, "beq s5,ra,320" },
	{ 0x198, 0x18ac1863, "bne s8,a0,328" },
	{ 0x19c, 0xf2aacce3, "blt s5,a0,d4" },
	{ 0x1a0, 0x07a25863, "bge tp,s10,210" },
	{ 0x1a4, 0x319cee63, "bltu s9,s9,4c0" },
	{ 0x1a8, 0x15ebfa63, "bgeu s7,t5,2fc" },
	{ 0x1ac, 0x61c007ef, "jal a5,7c8" },
	{ 0x1b0, 0x18338de7, "jalr s11,387(t2)" },
	{ 0x1b4, 0x34081173, "csrrw sp,mscratch,a6" },
	{ 0x1b8, 0x3027a173, "csrrs sp,medeleg,a5" },
	{ 0x1bc, 0x303e36f3, "csrrc a3,mideleg,t3" },
	{ 0x1c0, 0x34055173, "csrrwi sp,mscratch,10" },
	{ 0x1c4, 0x3036e373, "csrrsi t1,mideleg,13" },
	{ 0x1c8, 0x344e77f3, "csrrci a5,mip,28" },
	{ 0x1cc, 0x1001abaf, "lr.w s7,(gp)" },
	{ 0x1d0, 0x1822212f, "sc.w sp,sp,(tp)" },
	{ 0x1d4, 0x1408292f, "lr.w.aq s2,(a6)" },
	{ 0x1d8, 0x1d9424af, "sc.w.aq s1,s9,(s0)" },
	{ 0x1dc, 0x1205282f, "lr.w.rl a6,(a0)" },
	{ 0x1e0, 0x1b3f262f, "sc.w.rl a2,s3,(t5)" },
	{ 0x1e4, 0x160b2c2f, "lr.w.aqrl s8,(s6)" },
	{ 0x1e8, 0x1f8ca62f, "sc.w.aqrl a2,s8,(s9)" },
	{ 0x1ec, 0x097aa0af, "amoswap.w ra,s7,(s5)" },
	{ 0x1f0, 0x00ec2b2f, "amoadd.w s6,a4,(s8)" },
	{ 0x1f4, 0x2484a02f, "amoxor.w.aq zero,s0,(s1)" },
	{ 0x1f8, 0x6611a1af, "amoand.w.aqrl gp,ra,(gp)" },
	{ 0x1fc, 0x454da5af, "amoor.w.aq a1,s4,(s11)" },
	{ 0x200, 0x83e9aeaf, "amomin.w.rl t4,t5,(s3)" },
	{ 0x204, 0xa4bd23af, "amomax.w.aq t2,a1,(s10)" },
	{ 0x208, 0xc21d25af, "amominu.w.rl a1,ra,(s10)" },
	{ 0x20c, 0xe1a0afaf, "amomaxu.w t6,s10,(ra)" },
	{ 0x210, 0x1003bd2f, "lr.d s10,(t2)" },
	{ 0x214, 0x19b138af, "sc.d a7,s11,(sp)" },
	{ 0x218, 0x140eb82f, "lr.d.aq a6,(t4)" },
	{ 0x21c, 0x1d1bbb2f, "sc.d.aq s6,a7,(s7)" },
	{ 0x220, 0x1206b62f, "lr.d.rl a2,(a3)" },
	{ 0x224, 0x1b04302f, "sc.d.rl zero,a6,(s0)" },
	{ 0x228, 0x160c30af, "lr.d.aqrl ra,(s8)" },
	{ 0x22c, 0x1e3cb1af, "sc.d.aqrl gp,gp,(s9)" },
	{ 0x230, 0x0deabfaf, "amoswap.d.aq t6,t5,(s5)" },
	{ 0x234, 0x02a83b2f, "amoadd.d.rl s6,a0,(a6)" },
	{ 0x238, 0x22143faf, "amoxor.d.rl t6,ra,(s0)" },
	{ 0x23c, 0x6368b82f, "amoand.d.rl a6,s6,(a7)" },
	{ 0x240, 0x41a632af, "amoor.d t0,s10,(a2)" },
	{ 0x244, 0x866bb82f, "amomin.d.aqrl a6,t1,(s7)" },
	{ 0x248, 0xa62738af, "amomax.d.aqrl a7,sp,(a4)" },
	{ 0x24c, 0xc43eb4af, "amominu.d.aq s1,gp,(t4)" },
	{ 0x250, 0xe6a5b1af, "amomaxu.d.aqrl gp,a0,(a1)" },
	{ 0x254, 0x0017200f, "cbo.clean (a4)" },
	{ 0x258, 0x002fa00f, "cbo.flush (t6)" },
	{ 0x25c, 0x0003a00f, "cbo.inval (t2)" },
	{ 0x260, 0x0042200f, "cbo.zero (tp)" },
	{ 0x264, 0x2e0f6013, "prefetch.i 736(t5)" },
	{ 0x268, 0x2414e013, "prefetch.r 576(s1)" },
	{ 0x26c, 0xba316013, "prefetch.w -1120(sp)" },
	{ 0x270, 0x04c0000f, "fence o,io" },
	{ 0x274, 0x8330000f, "fence.tso" },
	{ 0x278, 0x0100000f, "pause" },
	{ 0x27c, 0x0000100f, "fence.i" },
	{ 0x280, 0x00000073, "ecall" },
	{ 0x284, 0x00009002, "c.ebreak" },
	{ 0x286, 0x30200073, "mret" },
	{ 0x28a, 0x10200073, "sret" },
	{ 0x28e, 0x10500073, "wfi" },
	{ 0x292, 0x12680073, "sfence.vma a6,t1" },
	{ 0x296, 0x01907153, "fadd.s ft2,ft0,fs9" },
	{ 0x29a, 0x09043853, "fsub.s fa6,fs0,fa6,rup" },
	{ 0x29e, 0x11a79b53, "fmul.s fs6,fa5,fs10,rtz" },
	{ 0x2a2, 0x184d00d3, "fdiv.s ft1,fs10,ft4,rne" },
	{ 0x2a6, 0x580639d3, "fsqrt.s fs3,fa2,rup" },
	{ 0x2aa, 0xa1a633c3, "fmadd.s ft7,fa2,fs10,fs4,rup" },
	{ 0x2ae, 0x706948c7, "fmsub.s fa7,fs2,ft6,fa4,rmm" },
	{ 0x2b2, 0x293d45cb, "fnmsub.s fa1,fs10,fs3,ft5,rmm" },
	{ 0x2b6, 0x987c1f4f, "fnmadd.s ft10,fs8,ft7,fs3,rtz" },
	{ 0x2ba, 0x20948bd3, "fsgnj.s fs7,fs1,fs1" },
	{ 0x2be, 0x21bc9953, "fsgnjn.s fs2,fs9,fs11" },
	{ 0x2c2, 0x2081a4d3, "fsgnjx.s fs1,ft3,fs0" },
	{ 0x2c6, 0x29160dd3, "fmin.s fs11,fa2,fa7" },
	{ 0x2ca, 0x28941ad3, "fmax.s fs5,fs0,fs1" },
	{ 0x2ce, 0xa18826d3, "feq.s a3,fa6,fs8" },
	{ 0x2d2, 0xa1fa1d53, "flt.s s10,fs4,ft11" },
	{ 0x2d6, 0xa08603d3, "fle.s t2,fa2,fs0" },
	{ 0x2da, 0xe00e9e53, "fclass.s t3,ft9" },
	{ 0x2de, 0xc00a8853, "fcvt.w.s a6,fs5,rne" },
	{ 0x2e2, 0xd0014c53, "fcvt.s.w fs8,sp,rmm" },
	{ 0x2e6, 0xc0109bd3, "fcvt.wu.s s7,ft1,rtz" },
	{ 0x2ea, 0xd01581d3, "fcvt.s.wu ft3,a1,rne" },
	{ 0x2ee, 0xc0228753, "fcvt.l.s a4,ft5,rne" },
	{ 0x2f2, 0xd028b553, "fcvt.s.l fa0,a7,rup" },
	{ 0x2f6, 0xc0377fd3, "fcvt.lu.s t6,fa4" },
	{ 0x2fa, 0xd038c4d3, "fcvt.s.lu fs1,a7,rmm" },
	{ 0x2fe, 0x02d0bdd3, "fadd.d fs11,ft1,fa3,rup" },
	{ 0x302, 0x0b672253, "fsub.d ft4,fa4,fs6,rdn" },
	{ 0x306, 0x134b38d3, "fmul.d fa7,fs6,fs4,rup" },
	{ 0x30a, 0x1ba093d3, "fdiv.d ft7,ft1,fs10,rtz" },
	{ 0x30e, 0x5a0a92d3, "fsqrt.d ft5,fs5,rtz" },
	{ 0x312, 0xeb327643, "fmadd.d fa2,ft4,fs3,ft9" },
	{ 0x316, 0x8a5fa1c7, "fmsub.d ft3,ft11,ft5,fa7,rdn" },
	{ 0x31a, 0x62e4414b, "fnmsub.d ft2,fs0,fa4,fa2,rmm" },
	{ 0x31e, 0xea5a844f, "fnmadd.d fs0,fs5,ft5,ft9,rne" },
	{ 0x322, 0x222c8b53, "fsgnj.d fs6,fs9,ft2" },
	{ 0x326, 0x23eb9f53, "fsgnjn.d ft10,fs7,ft10" },
	{ 0x32a, 0x2272aed3, "fsgnjx.d ft9,ft5,ft7" },
	{ 0x32e, 0x2b9d05d3, "fmin.d fa1,fs10,fs9" },
	{ 0x332, 0x2acb1f53, "fmax.d ft10,fs6,fa2" },
	{ 0x336, 0xa3b22953, "feq.d s2,ft4,fs11" },
	{ 0x33a, 0xa3599253, "flt.d tp,fs3,fs5" },
	{ 0x33e, 0xa21b0fd3, "fle.d t6,fs6,ft1" },
	{ 0x342, 0xe2099dd3, "fclass.d s11,fs3" },
	{ 0x346, 0xc20b05d3, "fcvt.w.d a1,fs6,rne" },
	{ 0x34a, 0xd20206d3, "fcvt.d.w fa3,tp" },
	{ 0x34e, 0xc2187653, "fcvt.wu.d a2,fa6" },
	{ 0x352, 0xd21009d3, "fcvt.d.wu fs3,zero" },
	{ 0x356, 0xc2203a53, "fcvt.l.d s4,ft0,rup" },
	{ 0x35a, 0xd228f5d3, "fcvt.d.l fa1,a7" },
	{ 0x35e, 0xc23ab8d3, "fcvt.lu.d a7,fs5,rup" },
	{ 0x362, 0xd2369753, "fcvt.d.lu fa4,a3,rtz" },
	{ 0x366, 0x4014bc53, "fcvt.s.d fs8,fs1,rup" },
	{ 0x36a, 0x420600d3, "fcvt.d.s ft1,fa2" },
	{ 0x36e, 0xe0008cd3, "fmv.x.w s9,ft1" },
	{ 0x372, 0xe2030553, "fmv.x.d a0,ft6" },
	{ 0x376, 0xf00c08d3, "fmv.w.x fa7,s8" },
	{ 0x37a, 0xf2090ad3, "fmv.d.x fs5,s2" },
	{ 0x37e, 0x000001ed, "c.addi gp,27" },
	{ 0x380, 0x00003a6d, "c.addiw s4,-5" },
	{ 0x382, 0x000048e9, "c.li a7,26" },
	{ 0x384, 0x00007349, "c.lui t1,0xffff2" },
	{ 0x386, 0x00007171, "c.addi16sp sp,-176" },
	{ 0x388, 0x00000dcc, "c.addi4spn a1,sp,724" },
	{ 0x38a, 0x00000dae, "c.slli s11,0xb" },
	{ 0x38c, 0x00008125, "c.srli a0,0x9" },
	{ 0x38e, 0x000097b9, "c.srai a5,0x2e" },
	{ 0x390, 0x00008859, "c.andi s0,22" },
	{ 0x392, 0x0000885a, "c.mv a6,s6" },
	{ 0x394, 0x000099fa, "c.add s3,t5" },
	{ 0x396, 0x00004c70, "c.lw a2,92(s0)" },
	{ 0x398, 0x00007d18, "c.ld a4,56(a0)" },
	{ 0x39a, 0x0000c800, "c.sw s0,16(s0)" },
	{ 0x39c, 0x0000f1d8, "c.sd a4,160(a1)" },
	{ 0x39e, 0x00003e48, "c.fld fa0,184(a2)" },
	{ 0x3a0, 0x0000bd38, "c.fsd fa4,120(a0)" },
	{ 0x3a2, 0x00005c0a, "c.lwsp s8,160(sp)" },
	{ 0x3a4, 0x00006abe, "c.ldsp s5,456(sp)" },
	{ 0x3a6, 0x0000dbe2, "c.swsp s8,244(sp)" },
	{ 0x3a8, 0x0000f2a2, "c.sdsp s0,352(sp)" },
	{ 0x3aa, 0x00002cae, "c.fldsp fs9,200(sp)" },
	{ 0x3ac, 0x0000a95e, "c.fsdsp fs7,144(sp)" },
	{ 0x3ae, 0x0000a365, "c.j 956" },
	{ 0x3b0, 0x0000d9ed, "c.beqz a1,3a2" },
	{ 0x3b2, 0x0000ff39, "c.bnez a4,310" },
	{ 0x3b4, 0x00008d82, "c.jr s11" },
	{ 0x3b6, 0x00009382, "c.jalr t2" },
	{ 0x3b8, 0x00009002, "c.ebreak" },
	{ 0x3ba, 0x00000001, "c.addi zero,0" },
	{ 0x3bc, 0x00008c85, "c.sub s1,s1" },
	{ 0x3be, 0x00008e21, "c.xor a2,s0" },
	{ 0x3c0, 0x00008d41, "c.or a0,s0" },
	{ 0x3c2, 0x00008c61, "c.and s0,s0" },
	{ 0x3c4, 0x00009f99, "c.subw a5,a4" },
	{ 0x3c6, 0x00009db9, "c.addw a1,a4" },
	{ 0x3c8, 0x01b102b3, "add t0,sp,s11" },
	{ 0x3cc, 0x41a082b3, "sub t0,ra,s10" },
	{ 0x3d0, 0x01a117b3, "sll a5,sp,s10" },
	{ 0x3d4, 0x00962333, "slt t1,a2,s1" },
	{ 0x3d8, 0x01b1b533, "sltu a0,gp,s11" },
	{ 0x3dc, 0x01014633, "xor a2,sp,a6" },
	{ 0x3e0, 0x01fed8b3, "srl a7,t4,t6" },
	{ 0x3e4, 0x402954b3, "sra s1,s2,sp" },
	{ 0x3e8, 0x01686f33, "or t5,a6,s6" },
	{ 0x3ec, 0x00547f33, "and t5,s0,t0" },
	{ 0x3f0, 0x01c786bb, "addw a3,a5,t3" },
	{ 0x3f4, 0x41038f3b, "subw t5,t2,a6" },
	{ 0x3f8, 0x004312bb, "sllw t0,t1,tp" },
	{ 0x3fc, 0x016754bb, "srlw s1,a4,s6" },
	{ 0x400, 0x40685bbb, "sraw s7,a6,t1" },
	{ 0x404, 0x035883b3, "mul t2,a7,s5" },
	{ 0x408, 0x03ed93b3, "mulh t2,s11,t5" },
	{ 0x40c, 0x0310a433, "mulhsu s0,ra,a7" },
	{ 0x410, 0x03433533, "mulhu a0,t1,s4" },
	{ 0x414, 0x03574e33, "div t3,a4,s5" },
	{ 0x418, 0x0323db33, "divu s6,t2,s2" },
	{ 0x41c, 0x0374ec33, "rem s8,s1,s7" },
	{ 0x420, 0x03e17033, "remu zero,sp,t5" },
	{ 0x424, 0x03020a3b, "mulw s4,tp,a6" },
	{ 0x428, 0x022ec83b, "divw a6,t4,sp" },
	{ 0x42c, 0x02cad73b, "divuw a4,s5,a2" },
	{ 0x430, 0x03b16fbb, "remw t6,sp,s11" },
	{ 0x434, 0x0290f3bb, "remuw t2,ra,s1" },
	{ 0x438, 0x213ba4b3, "sh1add s1,s7,s3" },
	{ 0x43c, 0x21eac4b3, "sh2add s1,s5,t5" },
	{ 0x440, 0x2198e9b3, "sh3add s3,a7,s9" },
	{ 0x444, 0x091282bb, "add.uw t0,t0,a7" },
	{ 0x448, 0x206ea2bb, "sh1add.uw t0,t4,t1" },
	{ 0x44c, 0x20d8463b, "sh2add.uw a2,a6,a3" },
	{ 0x450, 0x211f6bbb, "sh3add.uw s7,t5,a7" },
	{ 0x454, 0x411cfeb3, "andn t4,s9,a7" },
	{ 0x458, 0x4096e733, "orn a4,a3,s1" },
	{ 0x45c, 0x40274ab3, "xnor s5,a4,sp" },
	{ 0x460, 0x0b8e6533, "max a0,t3,s8" },
	{ 0x464, 0x0ae07133, "maxu sp,zero,a4" },
	{ 0x468, 0x0b524d33, "min s10,tp,s5" },
	{ 0x46c, 0x0badd7b3, "minu a5,s11,s10" },
	{ 0x470, 0x60721e33, "rol t3,tp,t2" },
	{ 0x474, 0x61ccd633, "ror a2,s9,t3" },
	{ 0x478, 0x614f92bb, "rolw t0,t6,s4" },
	{ 0x47c, 0x60f750bb, "rorw ra,a4,a5" },
	{ 0x480, 0x0aab17b3, "clmul a5,s6,a0" },
	{ 0x484, 0x0b0eb633, "clmulh a2,t4,a6" },
	{ 0x488, 0x0b11adb3, "clmulr s11,gp,a7" },
	{ 0x48c, 0x48339833, "bclr a6,t2,gp" },
	{ 0x490, 0x49e3d633, "bext a2,t2,t5" },
	{ 0x494, 0x69349133, "binv sp,s1,s3" },
	{ 0x498, 0x28aa16b3, "bset a3,s4,a0" },
	{ 0x49c, 0xdb630413, "addi s0,t1,-586" },
	{ 0x4a0, 0xb04da393, "slti t2,s11,-1276" },
	{ 0x4a4, 0x855bb513, "sltiu a0,s7,-1963" },
	{ 0x4a8, 0x0e4ac413, "xori s0,s5,228" },
	{ 0x4ac, 0xfed3ec93, "ori s9,t2,-19" },
	{ 0x4b0, 0x10447e93, "andi t4,s0,260" },
	{ 0x4b4, 0x1d44021b, "addiw tp,s0,468" },
	{ 0x4b8, 0x01af1693, "slli a3,t5,0x1a" },
	{ 0x4bc, 0x0347d293, "srli t0,a5,0x34" },
	{ 0x4c0, 0x42f4df93, "srai t6,s1,0x2f" },
	{ 0x4c4, 0x636ede93, "rori t4,t4,0x36" },
	{ 0x4c8, 0x4b599993, "bclri s3,s3,0x35" },
	{ 0x4cc, 0x4b68d993, "bexti s3,a7,0x36" },
	{ 0x4d0, 0x698b1513, "binvi a0,s6,0x18" },
	{ 0x4d4, 0x29509f13, "bseti t5,ra,0x15" },
	{ 0x4d8, 0x0827981b, "slli.uw a6,a5,0x2" },
	{ 0x4dc, 0x01561f9b, "slliw t6,a2,0x15" },
	{ 0x4e0, 0x00c8da9b, "srliw s5,a7,0xc" },
	{ 0x4e4, 0x400f559b, "sraiw a1,t5,0x0" },
	{ 0x4e8, 0x61afde1b, "roriw t3,t6,0x1a" },
	{ 0x4ec, 0x60069513, "clz a0,a3" },
	{ 0x4f0, 0x601b9213, "ctz tp,s7" },
	{ 0x4f4, 0x602d1713, "cpop a4,s10" },
	{ 0x4f8, 0x6005191b, "clzw s2,a0" },
	{ 0x4fc, 0x6011911b, "ctzw sp,gp" },
	{ 0x500, 0x6020189b, "cpopw a7,zero" },
	{ 0x504, 0x604c9b13, "sext.b s6,s9" },
	{ 0x508, 0x60509313, "sext.h t1,ra" },
	{ 0x50c, 0x08074c3b, "zext.h s8,a4" },
	{ 0x510, 0x2872d713, "orc.b a4,t0" },
	{ 0x514, 0x6b88d293, "rev8 t0,a7" },
	{ 0x518, 0x03778783, "lb a5,55(a5)" },
	{ 0x51c, 0x64141983, "lh s3,1601(s0)" },
	{ 0x520, 0x0033a303, "lw t1,3(t2)" },
	{ 0x524, 0xccf0b703, "ld a4,-817(ra)" },
	{ 0x528, 0x498ec683, "lbu a3,1176(t4)" },
	{ 0x52c, 0x8cf1dd83, "lhu s11,-1841(gp)" },
	{ 0x530, 0xbc2be183, "lwu gp,-1086(s7)" },
	{ 0x534, 0x5ee180a3, "sb a4,1505(gp)" },
	{ 0x538, 0x24d31923, "sh a3,594(t1)" },
	{ 0x53c, 0x7e9a2da3, "sw s1,2043(s4)" },
	{ 0x540, 0xa29c3323, "sd s1,-1498(s8)" },
	{ 0x544, 0x2cf42507, "flw fa0,719(s0)" },
	{ 0x548, 0x833ab287, "fld ft5,-1997(s5)" },
	{ 0x54c, 0x9a85ad27, "fsw fs0,-1606(a1)" },
	{ 0x550, 0x9625bb27, "fsd ft2,-1674(a1)" },
	{ 0x554, 0x72b41637, "lui a2,0x72b41" },
	{ 0x558, 0xcdf75697, "auipc a3,0xcdf75" },
	{ 0x55c, 0x16098063, "beq s3,zero,6bc" },
	{ 0x560, 0x2cbe1963, "bne t3,a1,832" },
	{ 0x564, 0xdbbf47e3, "blt t5,s11,312" },
	{ 0x568, 0xcccb53e3, "bge s6,a2,22e" },
	{ 0x56c, 0x3800e863, "bltu ra,zero,8fc" },
	{ 0x570, 0xe2017de3, "bgeu sp,zero,3aa" },
	{ 0x574, 0xeffffdef, "jal s11,472" },
	{ 0x578, 0x9f800be7, "jalr s7,-1544(zero)" },
	{ 0x57c, 0x104999f3, "csrrw s3,sie,s3" },
	{ 0x580, 0x14182f73, "csrrs t5,sepc,a6" },
	{ 0x584, 0xf1123d73, "csrrc s10,mvendorid,tp" },
	{ 0x588, 0xb0255d73, "csrrwi s10,minstret,10" },
	{ 0x58c, 0xc00364f3, "csrrsi s1,cycle,6" },
	{ 0x590, 0x3a0c7773, "csrrci a4,pmpcfg0,24" },
	{ 0x594, 0x1006ab2f, "lr.w s6,(a3)" },
	{ 0x598, 0x184922af, "sc.w t0,tp,(s2)" },
	{ 0x59c, 0x1401a6af, "lr.w.aq a3,(gp)" },
	{ 0x5a0, 0x1d5aa02f, "sc.w.aq zero,s5,(s5)" },
	{ 0x5a4, 0x1206292f, "lr.w.rl s2,(a2)" },
	{ 0x5a8, 0x1a0d2baf, "sc.w.rl s7,zero,(s10)" },
	{ 0x5ac, 0x160f252f, "lr.w.aqrl a0,(t5)" },
	{ 0x5b0, 0x1ebaab2f, "sc.w.aqrl s6,a1,(s5)" },
	{ 0x5b4, 0x0c1faeaf, "amoswap.w.aq t4,ra,(t6)" },
	{ 0x5b8, 0x0085a9af, "amoadd.w s3,s0,(a1)" },
	{ 0x5bc, 0x23d1a82f, "amoxor.w.rl a6,t4,(gp)" },
	{ 0x5c0, 0x602da22f, "amoand.w tp,sp,(s11)" },
	{ 0x5c4, 0x45742baf, "amoor.w.aq s7,s7,(s0)" },
	{ 0x5c8, 0x810aa42f, "amomin.w s0,a6,(s5)" },
	{ 0x5cc, 0xa108a12f, "amomax.w sp,a6,(a7)" },
	{ 0x5d0, 0xc703a4af, "amominu.w.aqrl s1,a6,(t2)" },
	{ 0x5d4, 0xe475a5af, "amomaxu.w.aq a1,t2,(a1)" },
	{ 0x5d8, 0x1001b7af, "lr.d a5,(gp)" },
	{ 0x5dc, 0x181539af, "sc.d s3,ra,(a0)" },
	{ 0x5e0, 0x140e30af, "lr.d.aq ra,(t3)" },
	{ 0x5e4, 0x1c0fbdaf, "sc.d.aq s11,zero,(t6)" },
	{ 0x5e8, 0x1208332f, "lr.d.rl t1,(a6)" },
	{ 0x5ec, 0x1aeeb92f, "sc.d.rl s2,a4,(t4)" },
	{ 0x5f0, 0x1604b7af, "lr.d.aqrl a5,(s1)" },
	{ 0x5f4, 0x1e0e342f, "sc.d.aqrl s0,zero,(t3)" },
	{ 0x5f8, 0x0f273aaf, "amoswap.d.aqrl s5,s2,(a4)" },
	{ 0x5fc, 0x0383baaf, "amoadd.d.rl s5,s8,(t2)" },
	{ 0x600, 0x23d43caf, "amoxor.d.rl s9,t4,(s0)" },
	{ 0x604, 0x619c3e2f, "amoand.d t3,s9,(s8)" },
	{ 0x608, 0x411a3c2f, "amoor.d s8,a7,(s4)" },
	{ 0x60c, 0x8169bb2f, "amomin.d s6,s6,(s3)" },
	{ 0x610, 0xa2c0b4af, "amomax.d.rl s1,a2,(ra)" },
	{ 0x614, 0xc21e3d2f, "amominu.d.rl s10,ra,(t3)" },
	{ 0x618, 0xe7bd302f, "amomaxu.d.aqrl zero,s11,(s10)" },
	{ 0x61c, 0x0019a00f, "cbo.clean (s3)" },
	{ 0x620, 0x002ba00f, "cbo.flush (s7)" },
	{ 0x624, 0x0001a00f, "cbo.inval (gp)" },
	{ 0x628, 0x0044200f, "cbo.zero (s0)" },
	{ 0x62c, 0xee0f6013, "prefetch.i -288(t5)" },
	{ 0x630, 0xc61ae013, "prefetch.r -928(s5)" },
	{ 0x634, 0x4030e013, "prefetch.w 1024(ra)" },
	{ 0x638, 0x0830000f, "fence i,rw" },
	{ 0x63c, 0x8330000f, "fence.tso" },
	{ 0x640, 0x0100000f, "pause" },
	{ 0x644, 0x0000100f, "fence.i" },
	{ 0x648, 0x00000073, "ecall" },
	{ 0x64c, 0x00009002, "c.ebreak" },
	{ 0x64e, 0x30200073, "mret" },
	{ 0x652, 0x10200073, "sret" },
	{ 0x656, 0x10500073, "wfi" },
	{ 0x65a, 0x13aa8073, "sfence.vma s5,s10" },
	{ 0x65e, 0x00b73cd3, "fadd.s fs9,fa4,fa1,rup" },
	{ 0x662, 0x085fc4d3, "fsub.s fs1,ft11,ft5,rmm" },
	{ 0x666, 0x1108ad53, "fmul.s fs10,fa7,fa6,rdn" },
	{ 0x66a, 0x188fc2d3, "fdiv.s ft5,ft11,fs0,rmm" },
	{ 0x66e, 0x580a1253, "fsqrt.s ft4,fs4,rtz" },
	{ 0x672, 0x693a3843, "fmadd.s fa6,fs4,fs3,fa3,rup" },
	{ 0x676, 0x208b76c7, "fmsub.s fa3,fs6,fs0,ft4" },
	{ 0x67a, 0x29dc8fcb, "fnmsub.s ft11,fs9,ft9,ft5,rne" },
	{ 0x67e, 0xa9a647cf, "fnmadd.s fa5,fa2,fs10,fs5,rmm" },
	{ 0x682, 0x21ea0053, "fsgnj.s ft0,fs4,ft10" },
	{ 0x686, 0x213492d3, "fsgnjn.s ft5,fs1,fs3" },
	{ 0x68a, 0x21342053, "fsgnjx.s ft0,fs0,fs3" },
	{ 0x68e, 0x28a288d3, "fmin.s fa7,ft5,fa0" },
	{ 0x692, 0x28f49dd3, "fmax.s fs11,fs1,fa5" },
	{ 0x696, 0xa10528d3, "feq.s a7,fa0,fa6" },
	{ 0x69a, 0xa1379bd3, "flt.s s7,fa5,fs3" },
	{ 0x69e, 0xa1850a53, "fle.s s4,fa0,fs8" },
	{ 0x6a2, 0xe00f19d3, "fclass.s s3,ft10" },
	{ 0x6a6, 0xc0047d53, "fcvt.w.s s10,fs0" },
	{ 0x6aa, 0xd008a7d3, "fcvt.s.w fa5,a7,rdn" },
	{ 0x6ae, 0xc01ff0d3, "fcvt.wu.s ra,ft11" },
	{ 0x6b2, 0xd010a8d3, "fcvt.s.wu fa7,ra,rdn" },
	{ 0x6b6, 0xc02ef1d3, "fcvt.l.s gp,ft9" },
	{ 0x6ba, 0xd02b1953, "fcvt.s.l fs2,s6,rtz" },
	{ 0x6be, 0xc03f4753, "fcvt.lu.s a4,ft10,rmm" },
	{ 0x6c2, 0xd03d7553, "fcvt.s.lu fa0,s10" },
	{ 0x6c6, 0x03d775d3, "fadd.d fa1,fa4,ft9" },
	{ 0x6ca, 0x0bafc3d3, "fsub.d ft7,ft11,fs10,rmm" },
	{ 0x6ce, 0x13052dd3, "fmul.d fs11,fa0,fa6,rdn" },
	{ 0x6d2, 0x1a5645d3, "fdiv.d fa1,fa2,ft5,rmm" },
	{ 0x6d6, 0x5a032153, "fsqrt.d ft2,ft6,rdn" },
	{ 0x6da, 0x0342a243, "fmadd.d ft4,ft5,fs4,ft0,rdn" },
	{ 0x6de, 0x736001c7, "fmsub.d ft3,ft0,fs6,fa4,rne" },
	{ 0x6e2, 0xc33530cb, "fnmsub.d ft1,fa0,fs3,fs8,rup" },
	{ 0x6e6, 0x2bce0f4f, "fnmadd.d ft10,ft8,ft8,ft5,rne" },
	{ 0x6ea, 0x224380d3, "fsgnj.d ft1,ft7,ft4" },
	{ 0x6ee, 0x22e11bd3, "fsgnjn.d fs7,ft2,fa4" },
	{ 0x6f2, 0x23f3a4d3, "fsgnjx.d fs1,ft7,ft11" },
	{ 0x6f6, 0x2a6807d3, "fmin.d fa5,fa6,ft6" },
	{ 0x6fa, 0x2a2096d3, "fmax.d fa3,ft1,ft2" },
	{ 0x6fe, 0xa2cba953, "feq.d s2,fs7,fa2" },
	{ 0x702, 0xa27519d3, "flt.d s3,fa0,ft7" },
	{ 0x706, 0xa28407d3, "fle.d a5,fs0,fs0" },
	{ 0x70a, 0xe2001cd3, "fclass.d s9,ft0" },
	{ 0x70e, 0xc20c20d3, "fcvt.w.d ra,fs8,rdn" },
	{ 0x712, 0xd2048253, "fcvt.d.w ft4,s1" },
	{ 0x716, 0xc2192c53, "fcvt.wu.d s8,fs2,rdn" },
	{ 0x71a, 0xd2168353, "fcvt.d.wu ft6,a3" },
	{ 0x71e, 0xc22f8153, "fcvt.l.d sp,ft11,rne" },
	{ 0x722, 0xd2260953, "fcvt.d.l fs2,a2,rne" },
	{ 0x726, 0xc2341953, "fcvt.lu.d s2,fs0,rtz" },
	{ 0x72a, 0xd2320553, "fcvt.d.lu fa0,tp,rne" },
	{ 0x72e, 0x401a2bd3, "fcvt.s.d fs7,fs4,rdn" },
	{ 0x732, 0x42090ad3, "fcvt.d.s fs5,fs2" },
	{ 0x736, 0xe00e8a53, "fmv.x.w s4,ft9" },
	{ 0x73a, 0xe20e84d3, "fmv.x.d s1,ft9" },
	{ 0x73e, 0xf0080ad3, "fmv.w.x fs5,a6" },
	{ 0x742, 0xf2018c53, "fmv.d.x fs8,gp" },
	{ 0x746, 0x000019f9, "c.addi s3,-2" },
	{ 0x748, 0x00002fd1, "c.addiw t6,20" },
	{ 0x74a, 0x000046b1, "c.li a3,12" },
	{ 0x74c, 0x00006bd9, "c.lui s7,0x16" },
	{ 0x74e, 0x00007121, "c.addi16sp sp,-448" },
	{ 0x750, 0x00000094, "c.addi4spn a3,sp,64" },
	{ 0x752, 0x00001ce6, "c.slli s9,0x39" },
	{ 0x754, 0x00009089, "c.srli s1,0x22" },
	{ 0x756, 0x000096e1, "c.srai a3,0x38" },
	{ 0x758, 0x00009b8d, "c.andi a5,-29" },
	{ 0x75a, 0x0000869e, "c.mv a3,t2" },
	{ 0x75c, 0x00009ec2, "c.add t4,a6" },
	{ 0x75e, 0x00004ddc, "c.lw a5,28(a1)" },
	{ 0x760, 0x00006724, "c.ld s1,72(a4)" },
	{ 0x762, 0x0000dd6c, "c.sw a1,124(a0)" },
	{ 0x764, 0x0000e3dc, "c.sd a5,128(a5)" },
	{ 0x766, 0x000020a8, "c.fld fa0,64(s1)" },
	{ 0x768, 0x0000acf4, "c.fsd fa3,216(s1)" },
	{ 0x76a, 0x00004206, "c.lwsp tp,64(sp)" },
	{ 0x76c, 0x00007272, "c.ldsp tp,312(sp)" },
	{ 0x76e, 0x0000d4b2, "c.swsp a2,104(sp)" },
	{ 0x770, 0x0000f8ae, "c.sdsp a1,112(sp)" },
	{ 0x772, 0x0000223a, "c.fldsp ft4,392(sp)" },
	{ 0x774, 0x0000a3d2, "c.fsdsp fs4,448(sp)" },
	{ 0x776, 0x0000a6ed, "c.j b60" },
	{ 0x778, 0x0000dc39, "c.beqz s0,6d6" },
	{ 0x77a, 0x0000e7e9, "c.bnez a5,844" },
	{ 0x77c, 0x00008182, "c.jr gp" },
	{ 0x77e, 0x00009b02, "c.jalr s6" },
	{ 0x780, 0x00009002, "c.ebreak" },
	{ 0x782, 0x00000001, "c.addi zero,0" },
	{ 0x784, 0x00008e8d, "c.sub a3,a1" },
	{ 0x786, 0x00008db1, "c.xor a1,a2" },
	{ 0x788, 0x00008cd9, "c.or s1,a4" },
	{ 0x78a, 0x00008d61, "c.and a0,s0" },
	{ 0x78c, 0x00009d81, "c.subw a1,s0" },
	{ 0x78e, 0x00009d29, "c.addw a0,a0" },
	{ 0x790, 0x0000949e, "c.add s1,t2" },
	{ 0x792, 0x409383b3, "sub t2,t2,s1" },
	{ 0x796, 0x00231533, "sll a0,t1,sp" },
	{ 0x79a, 0x007e22b3, "slt t0,t3,t2" },
	{ 0x79e, 0x01be38b3, "sltu a7,t3,s11" },
	{ 0x7a2, 0x01d2c9b3, "xor s3,t0,t4" },
	{ 0x7a6, 0x01b159b3, "srl s3,sp,s11" },
	{ 0x7aa, 0x4071d833, "sra a6,gp,t2" },
	{ 0x7ae, 0x016fee33, "or t3,t6,s6" },
	{ 0x7b2, 0x01297a33, "and s4,s2,s2" },
	{ 0x7b6, 0x007505bb, "addw a1,a0,t2" },
	{ 0x7ba, 0x400500bb, "subw ra,a0,zero" },
	{ 0x7be, 0x00db9a3b, "sllw s4,s7,a3" },
	{ 0x7c2, 0x009c51bb, "srlw gp,s8,s1" },
	{ 0x7c6, 0x4125d7bb, "sraw a5,a1,s2" },
	{ 0x7ca, 0x020101b3, "mul gp,sp,zero" },
	{ 0x7ce, 0x02151cb3, "mulh s9,a0,ra" },
	{ 0x7d2, 0x0372a233, "mulhsu tp,t0,s7" },
	{ 0x7d6, 0x0362b633, "mulhu a2,t0,s6" },
	{ 0x7da, 0x02a4ce33, "div t3,s1,a0" },
	{ 0x7de, 0x03205d33, "divu s10,zero,s2" },
	{ 0x7e2, 0x029f6fb3, "rem t6,t5,s1" },
	{ 0x7e6, 0x022b7eb3, "remu t4,s6,sp" },
	{ 0x7ea, 0x02c109bb, "mulw s3,sp,a2" },
	{ 0x7ee, 0x0211c23b, "divw tp,gp,ra" },
	{ 0x7f2, 0x0265d43b, "divuw s0,a1,t1" },
	{ 0x7f6, 0x0278e83b, "remw a6,a7,t2" },
	{ 0x7fa, 0x02f5fe3b, "remuw t3,a1,a5" },
	{ 0x7fe, 0x2095a2b3, "sh1add t0,a1,s1" },
	{ 0x802, 0x21314d33, "sh2add s10,sp,s3" },
	{ 0x806, 0x211860b3, "sh3add ra,a6,a7" },
	{ 0x80a, 0x09c4093b, "add.uw s2,s0,t3" },
	{ 0x80e, 0x21bd20bb, "sh1add.uw ra,s10,s11" },
	{ 0x812, 0x20984d3b, "sh2add.uw s10,a6,s1" },
	{ 0x816, 0x20886e3b, "sh3add.uw t3,a6,s0" },
	{ 0x81a, 0x410bf933, "andn s2,s7,a6" },
	{ 0x81e, 0x41116933, "orn s2,sp,a7" },
	{ 0x822, 0x40d0ceb3, "xnor t4,ra,a3" },
	{ 0x826, 0x0a966a33, "max s4,a2,s1" },
	{ 0x82a, 0x0a457033, "maxu zero,a0,tp" },
	{ 0x82e, 0x0a92cab3, "min s5,t0,s1" },
	{ 0x832, 0x0a54d733, "minu a4,s1,t0" },
	{ 0x836, 0x603213b3, "rol t2,tp,gp" },
	{ 0x83a, 0x61335033, "ror zero,t1,s3" },
	{ 0x83e, 0x61501f3b, "rolw t5,zero,s5" },
	{ 0x842, 0x60a255bb, "rorw a1,tp,a0" },
	{ 0x846, 0x0a179c33, "clmul s8,a5,ra" },
	{ 0x84a, 0x0b1fbfb3, "clmulh t6,t6,a7" },
	{ 0x84e, 0x0a18a833, "clmulr a6,a7,ra" },
	{ 0x852, 0x49f31333, "bclr t1,t1,t6" },
	{ 0x856, 0x48c0d033, "bext zero,ra,a2" },
	{ 0x85a, 0x699e9fb3, "binv t6,t4,s9" },
	{ 0x85e, 0x295f9cb3, "bset s9,t6,s5" },
	{ 0x862, 0xc8520593, "addi a1,tp,-891" },
	{ 0x866, 0x244b2d93, "slti s11,s6,580" },
	{ 0x86a, 0x2af93093, "sltiu ra,s2,687" },
	{ 0x86e, 0x6d2a4793, "xori a5,s4,1746" },
	{ 0x872, 0xc3c9e413, "ori s0,s3,-964" },
	{ 0x876, 0x75887013, "andi zero,a6,1880" },
	{ 0x87a, 0xa276041b, "addiw s0,a2,-1497" },
	{ 0x87e, 0x02a79413, "slli s0,a5,0x2a" },
	{ 0x882, 0x027f5c13, "srli s8,t5,0x27" },
	{ 0x886, 0x427bde93, "srai t4,s7,0x27" },
	{ 0x88a, 0x605ddf13, "rori t5,s11,0x5" },
	{ 0x88e, 0x4a9f9f13, "bclri t5,t6,0x29" },
	{ 0x892, 0x49765593, "bexti a1,a2,0x17" },
	{ 0x896, 0x6ac49c93, "binvi s9,s1,0x2c" },
	{ 0x89a, 0x29f79a93, "bseti s5,a5,0x1f" },
	{ 0x89e, 0x0819911b, "slli.uw sp,s3,0x1" },
	{ 0x8a2, 0x00a0191b, "slliw s2,zero,0xa" },
	{ 0x8a6, 0x002a5d9b, "srliw s11,s4,0x2" },
	{ 0x8aa, 0x404bd69b, "sraiw a3,s7,0x4" },
	{ 0x8ae, 0x6198dd1b, "roriw s10,a7,0x19" },
	{ 0x8b2, 0x60021b13, "clz s6,tp" },
	{ 0x8b6, 0x601f9913, "ctz s2,t6" },
	{ 0x8ba, 0x60239c13, "cpop s8,t2" },
	{ 0x8be, 0x60001a1b, "clzw s4,zero" },
	{ 0x8c2, 0x6014979b, "ctzw a5,s1" },
	{ 0x8c6, 0x6022911b, "cpopw sp,t0" },
	{ 0x8ca, 0x60421a93, "sext.b s5,tp" },
	{ 0x8ce, 0x605c9c93, "sext.h s9,s9" },
	{ 0x8d2, 0x080f4e3b, "zext.h t3,t5" },
	{ 0x8d6, 0x287fd613, "orc.b a2,t6" },
	{ 0x8da, 0x6b86d193, "rev8 gp,a3" },
	{ 0x8de, 0x489c0083, "lb ra,1161(s8)" },
	{ 0x8e2, 0xc5899b83, "lh s7,-936(s3)" },
	{ 0x8e6, 0x242f2283, "lw t0,578(t5)" },
	{ 0x8ea, 0x2d91be83, "ld t4,729(gp)" },
	{ 0x8ee, 0x4d9bc583, "lbu a1,1241(s7)" },
	{ 0x8f2, 0x783b5103, "lhu sp,1923(s6)" },
	{ 0x8f6, 0xeaec6883, "lwu a7,-338(s8)" },
	{ 0x8fa, 0x82b70623, "sb a1,-2004(a4)" },
	{ 0x8fe, 0xe8ed1ea3, "sh a4,-355(s10)" },
	{ 0x902, 0x0a3fa3a3, "sw gp,167(t6)" },
	{ 0x906, 0x0c2ab923, "sd sp,210(s5)" },
	{ 0x90a, 0xa9e02e07, "flw ft8,-1378(zero)" },
	{ 0x90e, 0xa908bd87, "fld fs11,-1392(a7)" },
	{ 0x912, 0x62082627, "fsw ft0,1580(a6)" },
	{ 0x916, 0x7d603227, "fsd fs6,1988(zero)" },
	{ 0x91a, 0xbe709237, "lui tp,0xbe709" },
	{ 0x91e, 0x6c421017, "auipc zero,0x6c421" },
	{ 0x922, 0xfc9d09e3, "beq s10,s1,8f4" },
	{ 0x926, 0x31679863, "bne a5,s6,c36" },
	{ 0x92a, 0x3e24cd63, "blt s1,sp,d24" },
	{ 0x92e, 0x169a5863, "bge s4,s1,a9e" },
	{ 0x932, 0xd0f6e5e3, "bltu a3,a5,63c" },
	{ 0x936, 0x37027763, "bgeu tp,a6,ca4" },
	{ 0x93a, 0x4b80026f, "jal tp,df2" },
	{ 0x93e, 0xa41505e7, "jalr a1,-1471(a0)" },
	{ 0x942, 0x341a96f3, "csrrw a3,mepc,s5" },
	{ 0x946, 0x10092373, "csrrs t1,sstatus,s2" },
	{ 0x94a, 0x18043f73, "csrrc t5,satp,s0" },
	{ 0x94e, 0x180cd0f3, "csrrwi ra,satp,25" },
	{ 0x952, 0xb028edf3, "csrrsi s11,minstret,17" },
	{ 0x956, 0x300cfbf3, "csrrci s7,mstatus,25" },
	{ 0x95a, 0x1008282f, "lr.w a6,(a6)" },
	{ 0x95e, 0x18b526af, "sc.w a3,a1,(a0)" },
	{ 0x962, 0x1408a7af, "lr.w.aq a5,(a7)" },
	{ 0x966, 0x1d0e2b2f, "sc.w.aq s6,a6,(t3)" },
	{ 0x96a, 0x1202202f, "lr.w.rl zero,(tp)" },
	{ 0x96e, 0x1b33afaf, "sc.w.rl t6,s3,(t2)" },
	{ 0x972, 0x1604a42f, "lr.w.aqrl s0,(s1)" },
	{ 0x976, 0x1f79a82f, "sc.w.aqrl a6,s7,(s3)" },
	{ 0x97a, 0x0f16a7af, "amoswap.w.aqrl a5,a7,(a3)" },
	{ 0x97e, 0x061221af, "amoadd.w.aqrl gp,ra,(tp)" },
	{ 0x982, 0x27152f2f, "amoxor.w.aqrl t5,a7,(a0)" },
	{ 0x986, 0x67fea9af, "amoand.w.aqrl s3,t6,(t4)" },
	{ 0x98a, 0x45442f2f, "amoor.w.aq t5,s4,(s0)" },
	{ 0x98e, 0x82aa2f2f, "amomin.w.rl t5,a0,(s4)" },
	{ 0x992, 0xa7a02c2f, "amomax.w.aqrl s8,s10,(zero)" },
	{ 0x996, 0xc075a32f, "amominu.w t1,t2,(a1)" },
	{ 0x99a, 0xe58d2c2f, "amomaxu.w.aq s8,s8,(s10)" },
	{ 0x99e, 0x100bb0af, "lr.d ra,(s7)" },
	{ 0x9a2, 0x1885bd2f, "sc.d s10,s0,(a1)" },
	{ 0x9a6, 0x140537af, "lr.d.aq a5,(a0)" },
	{ 0x9aa, 0x1cfa3b2f, "sc.d.aq s6,a5,(s4)" },
	{ 0x9ae, 0x1200beaf, "lr.d.rl t4,(ra)" },
	{ 0x9b2, 0x1b2033af, "sc.d.rl t2,s2,(zero)" },
	{ 0x9b6, 0x1607b82f, "lr.d.aqrl a6,(a5)" },
	{ 0x9ba, 0x1e70b42f, "sc.d.aqrl s0,t2,(ra)" },
	{ 0x9be, 0x0adc3baf, "amoswap.d.rl s7,a3,(s8)" },
	{ 0x9c2, 0x040a34af, "amoadd.d.aq s1,zero,(s4)" },
	{ 0x9c6, 0x22e7bfaf, "amoxor.d.rl t6,a4,(a5)" },
	{ 0x9ca, 0x6734b2af, "amoand.d.aqrl t0,s3,(s1)" },
	{ 0x9ce, 0x44e232af, "amoor.d.aq t0,a4,(tp)" },
	{ 0x9d2, 0x864eb3af, "amomin.d.aqrl t2,tp,(t4)" },
	{ 0x9d6, 0xa372bcaf, "amomax.d.rl s9,s7,(t0)" },
	{ 0x9da, 0xc40036af, "amominu.d.aq a3,zero,(zero)" },
	{ 0x9de, 0xe628352f, "amomaxu.d.aqrl a0,sp,(a6)" },
	{ 0x9e2, 0x0017200f, "cbo.clean (a4)" },
	{ 0x9e6, 0x002fa00f, "cbo.flush (t6)" },
	{ 0x9ea, 0x0006a00f, "cbo.inval (a3)" },
	{ 0x9ee, 0x004a200f, "cbo.zero (s4)" },
	{ 0x9f2, 0x52016013, "prefetch.i 1312(sp)" },
	{ 0x9f6, 0x741c6013, "prefetch.r 1856(s8)" },
	{ 0x9fa, 0xec37e013, "prefetch.w -320(a5)" },
	{ 0x9fe, 0x0fa0000f, "fence iorw,ir" },
	{ 0xa02, 0x8330000f, "fence.tso" },
	{ 0xa06, 0x0100000f, "pause" },
	{ 0xa0a, 0x0000100f, "fence.i" },
	{ 0xa0e, 0x00000073, "ecall" },
	{ 0xa12, 0x00009002, "c.ebreak" },
	{ 0xa14, 0x30200073, "mret" },
	{ 0xa18, 0x10200073, "sret" },
	{ 0xa1c, 0x10500073, "wfi" },
	{ 0xa20, 0x13700073, "sfence.vma zero,s7" },
	{ 0xa24, 0x00ffb6d3, "fadd.s fa3,ft11,fa5,rup" },
	{ 0xa28, 0x098b9f53, "fsub.s ft10,fs7,fs8,rtz" },
	{ 0xa2c, 0x11d409d3, "fmul.s fs3,fs0,ft9,rne" },
	{ 0xa30, 0x19e87fd3, "fdiv.s ft11,fa6,ft10" },
	{ 0xa34, 0x580513d3, "fsqrt.s ft7,fa0,rtz" },
	{ 0xa38, 0x31338bc3, "fmadd.s fs7,ft7,fs3,ft6,rne" },
	{ 0xa3c, 0x99c0f7c7, "fmsub.s fa5,ft1,ft8,fs3" },
	{ 0xa40, 0x48d4164b, "fnmsub.s fa2,fs0,fa3,fs1,rtz" },
	{ 0xa44, 0xd1c712cf, "fnmadd.s ft5,fa4,ft8,fs10,rtz" },
	{ 0xa48, 0x20480253, "fsgnj.s ft4,fa6,ft4" },
	{ 0xa4c, 0x212f1d53, "fsgnjn.s fs10,ft10,fs2" },
	{ 0xa50, 0x21962c53, "fsgnjx.s fs8,fa2,fs9" },
	{ 0xa54, 0x281080d3, "fmin.s ft1,ft1,ft1" },
	{ 0xa58, 0x28f79653, "fmax.s fa2,fa5,fa5" },
	{ 0xa5c, 0xa00f2153, "feq.s sp,ft10,ft0" },
	{ 0xa60, 0xa0301ed3, "flt.s t4,ft0,ft3" },
	{ 0xa64, 0xa0ea0553, "fle.s a0,fs4,fa4" },
	{ 0xa68, 0xe00c99d3, "fclass.s s3,fs9" },
	{ 0xa6c, 0xc0051453, "fcvt.w.s s0,fa0,rtz" },
	{ 0xa70, 0xd0064753, "fcvt.s.w fa4,a2,rmm" },
	{ 0xa74, 0xc01bcd53, "fcvt.wu.s s10,fs7,rmm" },
	{ 0xa78, 0xd01489d3, "fcvt.s.wu fs3,s1,rne" },
	{ 0xa7c, 0xc02f8ed3, "fcvt.l.s t4,ft11,rne" },
	{ 0xa80, 0xd02ef8d3, "fcvt.s.l fa7,t4" },
	{ 0xa84, 0xc03e8653, "fcvt.lu.s a2,ft9,rne" },
	{ 0xa88, 0xd032f453, "fcvt.s.lu fs0,t0" },
	{ 0xa8c, 0x03229a53, "fadd.d fs4,ft5,fs2,rtz" },
	{ 0xa90, 0x0b94c453, "fsub.d fs0,fs1,fs9,rmm" },
	{ 0xa94, 0x13a74bd3, "fmul.d fs7,fa4,fs10,rmm" },
	{ 0xa98, 0x1a4245d3, "fdiv.d fa1,ft4,ft4,rmm" },
	{ 0xa9c, 0x5a05c6d3, "fsqrt.d fa3,fa1,rmm" },
	{ 0xaa0, 0x9a110143, "fmadd.d ft2,ft2,ft1,fs3,rne" },
	{ 0xaa4, 0xca118ac7, "fmsub.d fs5,ft3,ft1,fs9,rne" },
	{ 0xaa8, 0xbbc501cb, "fnmsub.d ft3,fa0,ft8,fs7,rne" },
	{ 0xaac, 0xfa141c4f, "fnmadd.d fs8,fs0,ft1,ft11,rtz" },
	{ 0xab0, 0x23a68353, "fsgnj.d ft6,fa3,fs10" },
	{ 0xab4, 0x236b9ad3, "fsgnjn.d fs5,fs7,fs6" },
	{ 0xab8, 0x22852653, "fsgnjx.d fa2,fa0,fs0" },
	{ 0xabc, 0x2b5785d3, "fmin.d fa1,fa5,fs5" },
	{ 0xac0, 0x2a4c1453, "fmax.d fs0,fs8,ft4" },
	{ 0xac4, 0xa36fa1d3, "feq.d gp,ft11,fs6" },
	{ 0xac8, 0xa21499d3, "flt.d s3,fs1,ft1" },
	{ 0xacc, 0xa2ad0253, "fle.d tp,fs10,fa0" },
	{ 0xad0, 0xe2071253, "fclass.d tp,fa4" },
	{ 0xad4, 0xc207a053, "fcvt.w.d zero,fa5,rdn" },
	{ 0xad8, 0xd20584d3, "fcvt.d.w fs1,a1" },
	{ 0xadc, 0xc219c7d3, "fcvt.wu.d a5,fs3,rmm" },
	{ 0xae0, 0xd2188bd3, "fcvt.d.wu fs7,a7" },
	{ 0xae4, 0xc22e4853, "fcvt.l.d a6,ft8,rmm" },
	{ 0xae8, 0xd224c853, "fcvt.d.l fa6,s1,rmm" },
	{ 0xaec, 0xc236cad3, "fcvt.lu.d s5,fa3,rmm" },
	{ 0xaf0, 0xd23373d3, "fcvt.d.lu ft7,t1" },
	{ 0xaf4, 0x401d96d3, "fcvt.s.d fa3,fs11,rtz" },
	{ 0xaf8, 0x42050353, "fcvt.d.s ft6,fa0" },
	{ 0xafc, 0xe0080ed3, "fmv.x.w t4,fa6" },
	{ 0xb00, 0xe2058453, "fmv.x.d s0,fa1" },
	{ 0xb04, 0xf00487d3, "fmv.w.x fa5,s1" },
	{ 0xb08, 0xf2048753, "fmv.d.x fa4,s1" },
	{ 0xb0c, 0x000018b1, "c.addi a7,-20" },
	{ 0xb0e, 0x00003bf1, "c.addiw s7,-4" },
	{ 0xb10, 0x00004525, "c.li a0,9" },
	{ 0xb12, 0x00007c39, "c.lui s8,0xfffee" },
	{ 0xb14, 0x00007159, "c.addi16sp sp,-112" },
	{ 0xb16, 0x00001004, "c.addi4spn s1,sp,32" },
	{ 0xb18, 0x000000e6, "c.slli ra,0x19" },
	{ 0xb1a, 0x000091e5, "c.srli a1,0x39" },
	{ 0xb1c, 0x000097b5, "c.srai a5,0x2d" },
	{ 0xb1e, 0x00008b09, "c.andi a4,2" },
	{ 0xb20, 0x000089a2, "c.mv s3,s0" },
	{ 0xb22, 0x00009176, "c.add sp,t4" },
	{ 0xb24, 0x000055f0, "c.lw a2,108(a1)" },
	{ 0xb26, 0x00006594, "c.ld a3,8(a1)" },
	{ 0xb28, 0x0000d31c, "c.sw a5,32(a4)" },
	{ 0xb2a, 0x0000f310, "c.sd a2,32(a4)" },
	{ 0xb2c, 0x00003c64, "c.fld fs1,248(s0)" },
	{ 0xb2e, 0x0000a894, "c.fsd fa3,16(s1)" },
	{ 0xb30, 0x000058a2, "c.lwsp a7,40(sp)" },
	{ 0xb32, 0x00007f96, "c.ldsp t6,352(sp)" },
	{ 0xb34, 0x0000d866, "c.swsp s9,48(sp)" },
	{ 0xb36, 0x0000e166, "c.sdsp s9,128(sp)" },
	{ 0xb38, 0x00003f76, "c.fldsp ft10,376(sp)" },
	{ 0xb3a, 0x0000b762, "c.fsdsp fs8,424(sp)" },
	{ 0xb3c, 0x0000b1bd, "c.j 7aa" },
	{ 0xb3e, 0x0000cc39, "c.beqz s0,b9c" },
	{ 0xb40, 0x0000e52d, "c.bnez a0,baa" },
	{ 0xb42, 0x00008c02, "c.jr s8" },
	{ 0xb44, 0x00009382, "c.jalr t2" },
	{ 0xb46, 0x00009002, "c.ebreak" },
	{ 0xb48, 0x00000001, "c.addi zero,0" },
	{ 0xb4a, 0x00008f99, "c.sub a5,a4" },
	{ 0xb4c, 0x00008f21, "c.xor a4,s0" },
	{ 0xb4e, 0x00008ed1, "c.or a3,a2" },
	{ 0xb50, 0x00008dfd, "c.and a1,a5" },
	{ 0xb52, 0x00009f8d, "c.subw a5,a1" },
	{ 0xb54, 0x00009cb5, "c.addw s1,a3" },
	{ 0xb56, 0x000097f6, "c.add a5,t4" },
	{ 0xb58, 0x40120333, "sub t1,tp,ra" },
	{ 0xb5c, 0x00269fb3, "sll t6,a3,sp" },
	{ 0xb60, 0x0176a933, "slt s2,a3,s7" },
	{ 0xb64, 0x018a36b3, "sltu a3,s4,s8" },
	{ 0xb68, 0x012f4b33, "xor s6,t5,s2" },
	{ 0xb6c, 0x000bdbb3, "srl s7,s7,zero" },
	{ 0xb70, 0x419bdb33, "sra s6,s7,s9" },
	{ 0xb74, 0x01716bb3, "or s7,sp,s7" },
	{ 0xb78, 0x01cdf2b3, "and t0,s11,t3" },
	{ 0xb7c, 0x002a8f3b, "addw t5,s5,sp" },
	{ 0xb80, 0x40b88bbb, "subw s7,a7,a1" },
	{ 0xb84, 0x01f394bb, "sllw s1,t2,t6" },
	{ 0xb88, 0x0173db3b, "srlw s6,t2,s7" },
	{ 0xb8c, 0x4141d23b, "sraw tp,gp,s4" },
	{ 0xb90, 0x03d80eb3, "mul t4,a6,t4" },
	{ 0xb94, 0x028511b3, "mulh gp,a0,s0" },
	{ 0xb98, 0x0367aa33, "mulhsu s4,a5,s6" },
	{ 0xb9c, 0x03feb533, "mulhu a0,t4,t6" },
	{ 0xba0, 0x0284cab3, "div s5,s1,s0" },
	{ 0xba4, 0x03c0dd33, "divu s10,ra,t3" },
	{ 0xba8, 0x02306833, "rem a6,zero,gp" },
	{ 0xbac, 0x02d8f1b3, "remu gp,a7,a3" },
	{ 0xbb0, 0x021d87bb, "mulw a5,s11,ra" },
	{ 0xbb4, 0x0354c7bb, "divw a5,s1,s5" },
	{ 0xbb8, 0x0247563b, "divuw a2,a4,tp" },
	{ 0xbbc, 0x0394683b, "remw a6,s0,s9" },
	{ 0xbc0, 0x021bffbb, "remuw t6,s7,ra" },
	{ 0xbc4, 0x20bc21b3, "sh1add gp,s8,a1" },
	{ 0xbc8, 0x218f4cb3, "sh2add s9,t5,s8" },
	{ 0xbcc, 0x20886a33, "sh3add s4,a6,s0" },
	{ 0xbd0, 0x08990f3b, "add.uw t5,s2,s1" },
	{ 0xbd4, 0x21daa3bb, "sh1add.uw t2,s5,t4" },
	{ 0xbd8, 0x2164c5bb, "sh2add.uw a1,s1,s6" },
	{ 0xbdc, 0x2101e13b, "sh3add.uw sp,gp,a6" },
	{ 0xbe0, 0x40677433, "andn s0,a4,t1" },
	{ 0xbe4, 0x41b8e8b3, "orn a7,a7,s11" },
	{ 0xbe8, 0x41a748b3, "xnor a7,a4,s10" },
	{ 0xbec, 0x0a9ee733, "max a4,t4,s1" },
	{ 0xbf0, 0x0a1b73b3, "maxu t2,s6,ra" },
	{ 0xbf4, 0x0a984c33, "min s8,a6,s1" },
	{ 0xbf8, 0x0bff58b3, "minu a7,t5,t6" },
	{ 0xbfc, 0x61609433, "rol s0,ra,s6" },
	{ 0xc00, 0x6043db33, "ror s6,t2,tp" },
	{ 0xc04, 0x61f994bb, "rolw s1,s3,t6" },
	{ 0xc08, 0x60b05e3b, "rorw t3,zero,a1" },
	{ 0xc0c, 0x0b9f9433, "clmul s0,t6,s9" },
	{ 0xc10, 0x0accbb33, "clmulh s6,s9,a2" },
	{ 0xc14, 0x0b7c2fb3, "clmulr t6,s8,s7" },
	{ 0xc18, 0x48af9bb3, "bclr s7,t6,a0" },
	{ 0xc1c, 0x49855433, "bext s0,a0,s8" },
	{ 0xc20, 0x691b1133, "binv sp,s6,a7" },
	{ 0xc24, 0x297f9eb3, "bset t4,t6,s7" },
	{ 0xc28, 0xe9db8393, "addi t2,s7,-355" },
	{ 0xc2c, 0xe777ab13, "slti s6,a5,-393" },
	{ 0xc30, 0x1f6d3213, "sltiu tp,s10,502" },
	{ 0xc34, 0x6426c913, "xori s2,a3,1602" },
	{ 0xc38, 0x572e6e93, "ori t4,t3,1394" },
	{ 0xc3c, 0x71ecf793, "andi a5,s9,1822" },
	{ 0xc40, 0x845a039b, "addiw t2,s4,-1979" },
	{ 0xc44, 0x012b9b13, "slli s6,s7,0x12" },
	{ 0xc48, 0x02ff5313, "srli t1,t5,0x2f" },
	{ 0xc4c, 0x428f5213, "srai tp,t5,0x28" },
	{ 0xc50, 0x62e45e93, "rori t4,s0,0x2e" },
	{ 0xc54, 0x4b999393, "bclri t2,s3,0x39" },
	{ 0xc58, 0x4ae55e13, "bexti t3,a0,0x2e" },
	{ 0xc5c, 0x6b659793, "binvi a5,a1,0x36" },
	{ 0xc60, 0x2b8c1793, "bseti a5,s8,0x38" },
	{ 0xc64, 0x0a90919b, "slli.uw gp,ra,0x29" },
	{ 0xc68, 0x0060171b, "slliw a4,zero,0x6" },
	{ 0xc6c, 0x0160d49b, "srliw s1,ra,0x16" },
	{ 0xc70, 0x4199dd9b, "sraiw s11,s3,0x19" },
	{ 0xc74, 0x611bdf9b, "roriw t6,s7,0x11" },
	{ 0xc78, 0x60079c13, "clz s8,a5" },
	{ 0xc7c, 0x60111c93, "ctz s9,sp" },
	{ 0xc80, 0x60259113, "cpop sp,a1" },
	{ 0xc84, 0x600e101b, "clzw zero,t3" },
	{ 0xc88, 0x601b171b, "ctzw a4,s6" },
	{ 0xc8c, 0x6023191b, "cpopw s2,t1" },
	{ 0xc90, 0x60491813, "sext.b a6,s2" },
	{ 0xc94, 0x605b1493, "sext.h s1,s6" },
	{ 0xc98, 0x0809ce3b, "zext.h t3,s3" },
	{ 0xc9c, 0x2877d093, "orc.b ra,a5" },
	{ 0xca0, 0x6b80d093, "rev8 ra,ra" },
	{ 0xca4, 0xb6c20083, "lb ra,-1172(tp)" },
	{ 0xca8, 0xc9c41203, "lh tp,-868(s0)" },
	{ 0xcac, 0x2678a583, "lw a1,615(a7)" },
	{ 0xcb0, 0x039dbe03, "ld t3,57(s11)" },
	{ 0xcb4, 0x9ef44d83, "lbu s11,-1553(s0)" },
	{ 0xcb8, 0x68ee5303, "lhu t1,1678(t3)" },
	{ 0xcbc, 0x3bee6c83, "lwu s9,958(t3)" },
	{ 0xcc0, 0x52020923, "sb zero,1330(tp)" },
	{ 0xcc4, 0x12a01423, "sh a0,296(zero)" },
	{ 0xcc8, 0xff24a423, "sw s2,-24(s1)" },
	{ 0xccc, 0x34a8bb23, "sd a0,854(a7)" },
	{ 0xcd0, 0x2bb02887, "flw fa7,699(zero)" },
	{ 0xcd4, 0xc3b0b607, "fld fa2,-965(ra)" },
	{ 0xcd8, 0x1c062e27, "fsw ft0,476(a2)" },
	{ 0xcdc, 0x5005b827, "fsd ft0,1296(a1)" },
	{ 0xce0, 0x74d7e3b7, "lui t2,0x74d7e" },
	{ 0xce4, 0x34195b97, "auipc s7,0x34195" },
	{ 0xce8, 0xf2a704e3, "beq a4,a0,c10" },
	{ 0xcec, 0xc06e94e3, "bne t4,t1,8f4" },
	{ 0xcf0, 0xd7b540e3, "blt a0,s11,a50" },
	{ 0xcf4, 0x3635d563, "bge a1,gp,105e" },
	{ 0xcf8, 0x0c73e463, "bltu t2,t2,dc0" },
	{ 0xcfc, 0x03eff263, "bgeu t6,t5,d20" },
	{ 0xd00, 0x110008ef, "jal a7,e10" },
	{ 0xd04, 0x59838c67, "jalr s8,1432(t2)" },
	{ 0xd08, 0x342393f3, "csrrw t2,mcause,t2" },
	{ 0xd0c, 0x3a0ea9f3, "csrrs s3,pmpcfg0,t4" },
	{ 0xd10, 0x3447b8f3, "csrrc a7,mip,a5" },
	{ 0xd14, 0xc00555f3, "csrrwi a1,cycle,10" },
	{ 0xd18, 0x0038eaf3, "csrrsi s5,fcsr,17" },
	{ 0xd1c, 0x00197af3, "csrrci s5,fflags,18" },
	{ 0xd20, 0x100427af, "lr.w a5,(s0)" },
	{ 0xd24, 0x18712faf, "sc.w t6,t2,(sp)" },
	{ 0xd28, 0x14002a2f, "lr.w.aq s4,(zero)" },
	{ 0xd2c, 0x1c8c2d2f, "sc.w.aq s10,s0,(s8)" },
	{ 0xd30, 0x120bab2f, "lr.w.rl s6,(s7)" },
	{ 0xd34, 0x1a862f2f, "sc.w.rl t5,s0,(a2)" },
	{ 0xd38, 0x160baa2f, "lr.w.aqrl s4,(s7)" },
	{ 0xd3c, 0x1f472daf, "sc.w.aqrl s11,s4,(a4)" },
	{ 0xd40, 0x097929af, "amoswap.w s3,s7,(s2)" },
	{ 0xd44, 0x07e6ab2f, "amoadd.w.aqrl s6,t5,(a3)" },
	{ 0xd48, 0x27cba9af, "amoxor.w.aqrl s3,t3,(s7)" },
	{ 0xd4c, 0x67a3a92f, "amoand.w.aqrl s2,s10,(t2)" },
	{ 0xd50, 0x45d7a22f, "amoor.w.aq tp,t4,(a5)" },
	{ 0xd54, 0x8031a9af, "amomin.w s3,gp,(gp)" },
	{ 0xd58, 0xa78f262f, "amomax.w.aqrl a2,s8,(t5)" },
	{ 0xd5c, 0xc757adaf, "amominu.w.aqrl s11,s5,(a5)" },
	{ 0xd60, 0xe3de29af, "amomaxu.w.rl s3,t4,(t3)" },
	{ 0xd64, 0x1006b32f, "lr.d t1,(a3)" },
	{ 0xd68, 0x19c2bc2f, "sc.d s8,t3,(t0)" },
	{ 0xd6c, 0x140933af, "lr.d.aq t2,(s2)" },
	{ 0xd70, 0x1d99392f, "sc.d.aq s2,s9,(s2)" },
	{ 0xd74, 0x1201ba2f, "lr.d.rl s4,(gp)" },
	{ 0xd78, 0x1a0f38af, "sc.d.rl a7,zero,(t5)" },
	{ 0xd7c, 0x160db0af, "lr.d.aqrl ra,(s11)" },
	{ 0xd80, 0x1f4abeaf, "sc.d.aqrl t4,s4,(s5)" },
	{ 0xd84, 0x0ef9382f, "amoswap.d.aqrl a6,a5,(s2)" },
	{ 0xd88, 0x0137b4af, "amoadd.d s1,s3,(a5)" },
	{ 0xd8c, 0x2414b62f, "amoxor.d.aq a2,ra,(s1)" },
	{ 0xd90, 0x634ebbaf, "amoand.d.rl s7,s4,(t4)" },
	{ 0xd94, 0x44b831af, "amoor.d.aq gp,a1,(a6)" },
	{ 0xd98, 0x85473baf, "amomin.d.aq s7,s4,(a4)" },
	{ 0xd9c, 0xa6e9352f, "amomax.d.aqrl a0,a4,(s2)" },
	{ 0xda0, 0xc4f0b8af, "amominu.d.aq a7,a5,(ra)" },
	{ 0xda4, 0xe697bd2f, "amomaxu.d.aqrl s10,s1,(a5)" },
	{ 0xda8, 0x001f200f, "cbo.clean (t5)" },
	{ 0xdac, 0x0024a00f, "cbo.flush (s1)" },
	{ 0xdb0, 0x0002200f, "cbo.inval (tp)" },
	{ 0xdb4, 0x004a200f, "cbo.zero (s4)" },
	{ 0xdb8, 0xe0096013, "prefetch.i -512(s2)" },
	{ 0xdbc, 0x8e136013, "prefetch.r -1824(t1)" },
	{ 0xdc0, 0x9435e013, "prefetch.w -1728(a1)" },
	{ 0xdc4, 0x03f0000f, "fence rw,iorw" },
	{ 0xdc8, 0x8330000f, "fence.tso" },
	{ 0xdcc, 0x0100000f, "pause" },
	{ 0xdd0, 0x0000100f, "fence.i" },
	{ 0xdd4, 0x00000073, "ecall" },
	{ 0xdd8, 0x00009002, "c.ebreak" },
	{ 0xdda, 0x30200073, "mret" },
	{ 0xdde, 0x10200073, "sret" },
	{ 0xde2, 0x10500073, "wfi" },
	{ 0xde6, 0x131d8073, "sfence.vma s11,a7" },
	{ 0xdea, 0x0192c453, "fadd.s fs0,ft5,fs9,rmm" },
	{ 0xdee, 0x09217253, "fsub.s ft4,ft2,fs2" },
	{ 0xdf2, 0x11660d53, "fmul.s fs10,fa2,fs6,rne" },
	{ 0xdf6, 0x18e6f6d3, "fdiv.s fa3,fa3,fa4" },
	{ 0xdfa, 0x5800cd53, "fsqrt.s fs10,ft1,rmm" },
	{ 0xdfe, 0x085efbc3, "fmadd.s fs7,ft9,ft5,ft1" },
	{ 0xe02, 0x91b74e47, "fmsub.s ft8,fa4,fs11,fs2,rmm" },
	{ 0xe06, 0xb8e0c2cb, "fnmsub.s ft5,ft1,fa4,fs7,rmm" },
	{ 0xe0a, 0xc09fa34f, "fnmadd.s ft6,ft11,fs1,fs8,rdn" },
	{ 0xe0e, 0x21628953, "fsgnj.s fs2,ft5,fs6" },
	{ 0xe12, 0x21c01253, "fsgnjn.s ft4,ft0,ft8" },
	{ 0xe16, 0x2013a353, "fsgnjx.s ft6,ft7,ft1" },
	{ 0xe1a, 0x287c0f53, "fmin.s ft10,fs8,ft7" },
	{ 0xe1e, 0x28431d53, "fmax.s fs10,ft6,ft4" },
	{ 0xe22, 0xa19bae53, "feq.s t3,fs7,fs9" },
	{ 0xe26, 0xa0129c53, "flt.s s8,ft5,ft1" },
	{ 0xe2a, 0xa0348f53, "fle.s t5,fs1,ft3" },
	{ 0xe2e, 0xe00a97d3, "fclass.s a5,fs5" },
	{ 0xe32, 0xc0041a53, "fcvt.w.s s4,fs0,rtz" },
	{ 0xe36, 0xd0010453, "fcvt.s.w fs0,sp,rne" },
	{ 0xe3a, 0xc01d9b53, "fcvt.wu.s s6,fs11,rtz" },
	{ 0xe3e, 0xd01b4a53, "fcvt.s.wu fs4,s6,rmm" },
	{ 0xe42, 0xc0247753, "fcvt.l.s a4,fs0" },
	{ 0xe46, 0xd02b40d3, "fcvt.s.l ft1,s6,rmm" },
	{ 0xe4a, 0xc032b553, "fcvt.lu.s a0,ft5,rup" },
	{ 0xe4e, 0xd031b8d3, "fcvt.s.lu fa7,gp,rup" },
	{ 0xe52, 0x021f2cd3, "fadd.d fs9,ft10,ft1,rdn" },
	{ 0xe56, 0x0a1b3953, "fsub.d fs2,fs6,ft1,rup" },
	{ 0xe5a, 0x12e2b153, "fmul.d ft2,ft5,fa4,rup" },
	{ 0xe5e, 0x1aaa48d3, "fdiv.d fa7,fs4,fa0,rmm" },
	{ 0xe62, 0x5a057a53, "fsqrt.d fs4,fa0" },
	{ 0xe66, 0x8afe4f43, "fmadd.d ft10,ft8,fa5,fa7,rmm" },
	{ 0xe6a, 0xe3c29247, "fmsub.d ft4,ft5,ft8,ft8,rtz" },
	{ 0xe6e, 0xd313c0cb, "fnmsub.d ft1,ft7,fa7,fs10,rmm" },
	{ 0xe72, 0x8aa2a94f, "fnmadd.d fs2,ft5,fa0,fa7,rdn" },
	{ 0xe76, 0x22988753, "fsgnj.d fa4,fa7,fs1" },
	{ 0xe7a, 0x235315d3, "fsgnjn.d fa1,ft6,fs5" },
	{ 0xe7e, 0x23832753, "fsgnjx.d fa4,ft6,fs8" },
	{ 0xe82, 0x2b4700d3, "fmin.d ft1,fa4,fs4" },
	{ 0xe86, 0x2ba89bd3, "fmax.d fs7,fa7,fs10" },
	{ 0xe8a, 0xa2dd2553, "feq.d a0,fs10,fa3" },
	{ 0xe8e, 0xa2fd9053, "flt.d zero,fs11,fa5" },
	{ 0xe92, 0xa2050053, "fle.d zero,fa0,ft0" },
	{ 0xe96, 0xe20e95d3, "fclass.d a1,ft9" },
	{ 0xe9a, 0xc201a0d3, "fcvt.w.d ra,ft3,rdn" },
	{ 0xe9e, 0xd20c8d53, "fcvt.d.w fs10,s9" },
	{ 0xea2, 0xc21773d3, "fcvt.wu.d t2,fa4" },
	{ 0xea6, 0xd2118fd3, "fcvt.d.wu ft11,gp" },
	{ 0xeaa, 0xc2252d53, "fcvt.l.d s10,fa0,rdn" },
	{ 0xeae, 0xd22ba053, "fcvt.d.l ft0,s7,rdn" },
	{ 0xeb2, 0xc23bb753, "fcvt.lu.d a4,fs7,rup" },
	{ 0xeb6, 0xd23310d3, "fcvt.d.lu ft1,t1,rtz" },
	{ 0xeba, 0x40181cd3, "fcvt.s.d fs9,fa6,rtz" },
	{ 0xebe, 0x420d0553, "fcvt.d.s fa0,fs10" },
	{ 0xec2, 0xe0090ed3, "fmv.x.w t4,fs2" },
	{ 0xec6, 0xe2000c53, "fmv.x.d s8,ft0" },
	{ 0xeca, 0xf0098853, "fmv.w.x fa6,s3" },
	{ 0xece, 0xf2080953, "fmv.d.x fs2,a6" },
	{ 0xed2, 0x00000b91, "c.addi s7,4" },
	{ 0xed4, 0x00002b21, "c.addiw s6,8" },
	{ 0xed6, 0x00005e19, "c.li t3,-26" },
	{ 0xed8, 0x00007861, "c.lui a6,0xffff8" },
	{ 0xeda, 0x00007145, "c.addi16sp sp,-464" },
	{ 0xedc, 0x00001244, "c.addi4spn s1,sp,292" },
	{ 0xede, 0x00000522, "c.slli a0,0x8" },
	{ 0xee0, 0x0000925d, "c.srli a2,0x37" },
	{ 0xee2, 0x00008769, "c.srai a4,0x1a" },
	{ 0xee4, 0x00008859, "c.andi s0,22" },
	{ 0xee6, 0x0000870e, "c.mv a4,gp" },
	{ 0xee8, 0x00009b96, "c.add s7,t0" },
	{ 0xeea, 0x00004850, "c.lw a2,20(s0)" },
	{ 0xeec, 0x00006e40, "c.ld s0,152(a2)" },
	{ 0xeee, 0x0000d79c, "c.sw a5,40(a5)" },
	{ 0xef0, 0x0000e71c, "c.sd a5,8(a4)" },
	{ 0xef2, 0x000027b4, "c.fld fa3,72(a5)" },
	{ 0xef4, 0x0000ab10, "c.fsd fa2,16(a4)" },
	{ 0xef6, 0x00005266, "c.lwsp tp,120(sp)" },
	{ 0xef8, 0x0000763a, "c.ldsp a2,424(sp)" },
	{ 0xefa, 0x0000c5e2, "c.swsp s8,200(sp)" },
	{ 0xefc, 0x0000ecae, "c.sdsp a1,88(sp)" },
	{ 0xefe, 0x0000220a, "c.fldsp ft4,128(sp)" },
	{ 0xf00, 0x0000a30a, "c.fsdsp ft2,384(sp)" },
	{ 0xf02, 0x0000bb91, "c.j c56" },
	{ 0xf04, 0x0000c931, "c.beqz a0,f58" },
	{ 0xf06, 0x0000e0ed, "c.bnez s1,fe8" },
	{ 0xf08, 0x00008282, "c.jr t0" },
	{ 0xf0a, 0x00009e82, "c.jalr t4" },
	{ 0xf0c, 0x00009002, "c.ebreak" },
	{ 0xf0e, 0x00000001, "c.addi zero,0" },
	{ 0xf10, 0x00008d0d, "c.sub a0,a1" },
	{ 0xf12, 0x00008c21, "c.xor s0,s0" },
	{ 0xf14, 0x00008c55, "c.or s0,a3" },
	{ 0xf16, 0x00008ee1, "c.and a3,s0" },
	{ 0xf18, 0x00009e11, "c.subw a2,a2" },
	{ 0xf1a, 0x00009fb9, "c.addw a5,a4" },
	{ 0xf1c, 0x0000000b, ".word 0x0000000b" },
	{ 0xf20, 0x00000000, ".word 0x00000000" },
	/* END GENERATED */
};

/* Collapse runs of white space into one blank. */
static void normalize(const char *in, char *out, size_t size)
{
	size_t n = 0;
	bool space = false;

	for (; *in && n + 1 < size; in++) {
		if (isspace((unsigned char)*in)) {
			space = n > 0;
			continue;
		}
		if (space && n + 2 < size) {
			out[n++] = ' ';
		}
		space = false;
		out[n++] = *in;
	}
	out[n] = 0;
}

TEST(decode_matches_objdump)
{
	unsigned mismatches = 0;

	CHECK((sizeof(objdump_table) / sizeof(objdump_table[0])) > 300);
	for (size_t i = 0;
	     i < (sizeof(objdump_table) / sizeof(objdump_table[0])); i++) {
		struct riscv_insn insn;
		char text[128], norm[128];

		riscv_decode(objdump_table[i].raw, &insn);
		riscv_disas(&insn, objdump_table[i].pc, text, sizeof(text));
		normalize(text, norm, sizeof(norm));
		if (insn.op == RISCV_OP_ILLEGAL) {
			/* objdump shows data words; both must call it data */
			CHECK(norm[0] == '.' &&
			      objdump_table[i].text[0] == '.');
			continue;
		}
		if (strcmp(norm, objdump_table[i].text) != 0 &&
		    mismatches++ < 20) {
			unit_fail(__FILE__, __LINE__,
				  "%08x at %" PRIx64 ": \"%s\", objdump \"%s\"",
				  objdump_table[i].raw, objdump_table[i].pc,
				  norm, objdump_table[i].text);
		}
	}
	CHECK_EQ(mismatches, 0);
}

TEST(decode_lengths_and_illegal)
{
	struct riscv_insn insn;

	riscv_decode(0x00000013, &insn); /* addi zero,zero,0 */
	CHECK_EQ(insn.op, RISCV_OP_ADDI);
	CHECK_EQ(insn.len, 4);
	riscv_decode(0x0001, &insn); /* c.nop */
	CHECK_EQ(insn.op, RISCV_OP_ADDI);
	CHECK_EQ(insn.len, 2);
	/* all-zero halfword, reserved compressed and custom-0 are illegal */
	riscv_decode(0x0000, &insn);
	CHECK_EQ(insn.op, RISCV_OP_ILLEGAL);
	riscv_decode(0x8000, &insn); /* quadrant 0 funct3 4: reserved */
	CHECK_EQ(insn.op, RISCV_OP_ILLEGAL);
	riscv_decode(0x0000000b, &insn);
	CHECK_EQ(insn.op, RISCV_OP_ILLEGAL);
	CHECK_EQ(insn.raw, 0x0000000b);
	/* c.lwsp with rd = 0 and c.addi16sp with 0 are reserved */
	riscv_decode(0x4002, &insn);
	CHECK_EQ(insn.op, RISCV_OP_ILLEGAL);
	riscv_decode(0x6101, &insn);
	CHECK_EQ(insn.op, RISCV_OP_ILLEGAL);
	/* lr with rs2 != 0, fp with fmt 2 and a bad load width */
	riscv_decode(0x1015a52f, &insn);
	CHECK_EQ(insn.op, RISCV_OP_ILLEGAL);
	riscv_decode(0x04c5f553, &insn);
	CHECK_EQ(insn.op, RISCV_OP_ILLEGAL);
	riscv_decode(0x0005f503, &insn);
	CHECK_EQ(insn.op, RISCV_OP_ILLEGAL);
}

TEST(decode_every_op_has_a_name)
{
	for (unsigned op = 0; op < RISCV_OP_COUNT; op++) {
		const char *name = riscv_op_name(op);

		CHECK(name && name[0] && name[0] != '?');
	}
	CHECK_STR(riscv_op_name(RISCV_OP_FCVT_W_S), "fcvt.w.s");
	CHECK_STR(riscv_op_name(RISCV_OP_SH1ADD_UW), "sh1add.uw");
}

/* ---- random words through the interpreter ---------------------------- */

#include <stdlib.h>

#include "target/riscv/cpu.h"

#define FUZZ_BASE 0x10000ull

struct fuzz_bus {
	uint8_t page[3][4096]; /* code, data, data */
};

static void *fuzz_ram_page(void *opaque, gpa_t page, enum riscv_access access)
{
	struct fuzz_bus *bus = opaque;

	if (page >= FUZZ_BASE && page < FUZZ_BASE + sizeof(bus->page)) {
		return bus->page[(page - FUZZ_BASE) / 4096];
	}
	return NULL;
}

static bool fuzz_io_read(void *opaque, gpa_t addr, unsigned size, uint64_t *val)
{
	return false;
}

static bool fuzz_io_write(void *opaque, gpa_t addr, unsigned size, uint64_t val)
{
	return false;
}

static uint64_t fuzz_time(void *opaque)
{
	return 0;
}

static const struct riscv_bus_ops fuzz_ops = {
	.ram_page = fuzz_ram_page,
	.io_read = fuzz_io_read,
	.io_write = fuzz_io_write,
	.time = fuzz_time,
};

/*
 * Any 32-bit word (and any 16-bit one) either executes or raises an
 * exception with precise state: the emulator never crashes, and an
 * illegal-instruction exception reports the instruction bits in tval.
 */
TEST(interp_survives_random_words)
{
	static struct fuzz_bus bus;
	struct riscv_cpu *cpu =
		riscv_cpu_new(RISCV_CPU_USER, 0, &fuzz_ops, &bus);
	uint64_t state = 0x9e3779b97f4a7c15ull;
	unsigned illegal = 0, executed = 0, bad = 0;
	uint64_t before;

	CHECK(cpu != NULL);
	for (unsigned i = 0; cpu && i < 200000; i++) {
		uint32_t word;
		struct riscv_insn insn;
		enum riscv_exit why;

		state = state * 6364136223846793005ull + 1442695040888963407ull;
		word = state >> 32;
		if (i & 1) {
			word &= 0xffff; /* a compressed word followed by 0 */
		}
		memcpy(bus.page[0], &word, 4);
		riscv_cpu_reset(cpu, FUZZ_BASE);
		for (unsigned r = 1; r < 32; r++) {
			/* point registers at the data pages, or near them */
			riscv_cpu_set_x(cpu, r,
					FUZZ_BASE + 4096 + (state >> r) % 8192);
		}
		before = riscv_cpu_get_instret(cpu);
		why = riscv_cpu_run(cpu, 1);
		riscv_decode(word, &insn);
		if (why == RISCV_EXIT_EXCEPTION &&
		    riscv_cpu_exit_cause(cpu) == RISCV_EXC_ILLEGAL_INSN) {
			illegal++;
			bad += riscv_cpu_exit_tval(cpu) != insn.raw;
			bad += riscv_cpu_get_pc(cpu) != FUZZ_BASE;
			bad += riscv_cpu_get_instret(cpu) != before;
		} else if (why == RISCV_EXIT_BUDGET) {
			executed++;
			bad += riscv_cpu_get_instret(cpu) != before + 1;
		}
		if (insn.op == RISCV_OP_ILLEGAL) {
			bad += why != RISCV_EXIT_EXCEPTION ||
			       riscv_cpu_exit_cause(cpu) !=
				       RISCV_EXC_ILLEGAL_INSN;
		}
	}
	CHECK_EQ(bad, 0);
	CHECK(illegal > 1000);
	CHECK(executed > 1000);
	riscv_cpu_free(cpu);
}

/* ---- random machine states in system mode ------------------------------ */

#define CHAOS_BASE 0x80000000ull
#define CHAOS_PAGES 16

static uint8_t chaos_ram[CHAOS_PAGES][4096];

static void *chaos_ram_page(void *opaque, gpa_t page, enum riscv_access access)
{
	if (page >= CHAOS_BASE && page < CHAOS_BASE + sizeof(chaos_ram)) {
		return chaos_ram[(page - CHAOS_BASE) / 4096];
	}
	return NULL;
}

static bool chaos_io_read(void *opaque, gpa_t addr, unsigned size,
			  uint64_t *val)
{
	*val = addr;
	return (addr & 0x10) != 0;
}

static bool chaos_io_write(void *opaque, gpa_t addr, unsigned size,
			   uint64_t val)
{
	return (addr & 0x20) != 0;
}

static uint64_t chaos_time(void *opaque)
{
	static uint64_t t;

	return t += 7;
}

static const struct riscv_bus_ops chaos_ops = {
	.ram_page = chaos_ram_page,
	.io_read = chaos_io_read,
	.io_write = chaos_io_write,
	.time = chaos_time,
};

static uint64_t chaos_next(uint64_t *state)
{
	*state = *state * 6364136223846793005ull + 1442695040888963407ull;
	return *state ^ (*state >> 29);
}

/*
 * Random code over random page tables, PMP entries, trap vectors and
 * status bits: whatever the guest does, riscv_cpu_run() returns (budget,
 * wfi) and the host survives. Guests control all of this state.
 */
TEST(interp_survives_random_machines)
{
	static const unsigned csrs[] = {
		0x300, 0x302, 0x303, 0x304, 0x305, 0x105, 0x180, 0x3a0, 0x3b0,
		0x3b1, 0x30a, 0x10a, 0x306, 0x106, 0x14d, 0x344, 0x144,
	};
	struct riscv_cpu *cpu =
		riscv_cpu_new(RISCV_CPU_SYSTEM, 0, &chaos_ops, NULL);
	uint64_t state = 42, retired = 0;

	CHECK(cpu != NULL);
	for (unsigned round = 0; cpu && round < 300; round++) {
		uint64_t *words = (uint64_t *)chaos_ram;

		for (size_t i = 0; i < sizeof(chaos_ram) / 8; i++) {
			words[i] = chaos_next(&state);
		}
		riscv_cpu_reset(cpu, CHAOS_BASE + (chaos_next(&state) &
						   (sizeof(chaos_ram) - 2)));
		for (unsigned i = 0; i < ARRAY_SIZE(csrs); i++) {
			uint64_t v = chaos_next(&state);

			if (csrs[i] == 0x180) {
				/* satp: a real mode, root inside RAM */
				v = ((8 + v % 4) << 60) |
				    ((CHAOS_BASE >> 12) + v % CHAOS_PAGES);
			} else if (csrs[i] == 0x305 || csrs[i] == 0x105) {
				v = CHAOS_BASE + (v & (sizeof(chaos_ram) - 1));
			}
			riscv_cpu_write_csr(cpu, csrs[i], v);
		}
		for (unsigned r = 1; r < 32; r++) {
			uint64_t v = chaos_next(&state);

			riscv_cpu_set_x(
				cpu, r,
				(v & 1) ? CHAOS_BASE + v % sizeof(chaos_ram) :
					  v);
		}
		for (unsigned slice = 0; slice < 20; slice++) {
			uint64_t before = riscv_cpu_get_instret(cpu);
			enum riscv_exit why = riscv_cpu_run(cpu, 500);

			CHECK(why == RISCV_EXIT_BUDGET ||
			      why == RISCV_EXIT_WFI);
			retired += riscv_cpu_get_instret(cpu) - before;
			if (why == RISCV_EXIT_WFI) {
				riscv_cpu_set_irq(cpu, RISCV_MIP_MSIP, true);
			}
		}
	}
	CHECK(retired > 0);
	riscv_cpu_free(cpu);
}
