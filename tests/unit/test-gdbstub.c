/* SPDX-License-Identifier: MIT */
/* The gdb stub: packet framing, the commands against a fake target, and
 * the riscv register file and debug hooks. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gdbstub/gdb-packet.h"
#include "gdbstub/gdbstub-fake.h"
#include "target/riscv/cpu.h"
#include "target/riscv/gdb.h"
#include "tests/unit/unit.h"

static enum gdb_packet_event feed(struct gdb_parser *p, const char *s)
{
	enum gdb_packet_event ev = GDB_PACKET_NONE;

	while (*s) {
		ev = gdb_packet_feed(p, (uint8_t)*s++);
	}
	return ev;
}

TEST(gdb_packet_checksums)
{
	static struct gdb_parser p;

	gdb_packet_parser_init(&p);
	CHECK_EQ(feed(&p, "$?#3f"), GDB_PACKET_READY);
	CHECK(!strcmp(p.data, "?"));
	CHECK_EQ(feed(&p, "$?#3e"), GDB_PACKET_BAD);
	CHECK_EQ(feed(&p, "$?#z"), GDB_PACKET_BAD);
	/* A '$' inside a packet starts again; noise between packets is
	 * dropped. */
	CHECK_EQ(feed(&p, "junk$abc$g#67"), GDB_PACKET_READY);
	CHECK(!strcmp(p.data, "g"));
	CHECK_EQ(feed(&p, "\x03"), GDB_PACKET_INTERRUPT);
	CHECK_EQ(feed(&p, "+"), GDB_PACKET_ACK);
	CHECK_EQ(feed(&p, "-"), GDB_PACKET_NACK);
}

TEST(gdb_packet_too_long_is_refused)
{
	static struct gdb_parser p;
	enum gdb_packet_event ev = GDB_PACKET_NONE;
	uint8_t sum = 0;
	char tail[4];

	gdb_packet_parser_init(&p);
	gdb_packet_feed(&p, '$');
	for (unsigned i = 0; i < GDB_PACKET_MAX + 10; i++) {
		ev = gdb_packet_feed(&p, 'a');
		sum += 'a';
	}
	CHECK_EQ(ev, GDB_PACKET_NONE);
	snprintf(tail, sizeof(tail), "#%02x", sum);
	CHECK_EQ(feed(&p, tail), GDB_PACKET_BAD);
	CHECK_EQ(feed(&p, "$?#3f"), GDB_PACKET_READY);
}

TEST(gdb_packet_escapes_round_trip)
{
	const uint8_t data[] = { 'a', '$', '#', '}', '*', 0, 0xff };
	uint8_t framed[2 * sizeof(data) + 4];
	size_t n = gdb_packet_encode(data, sizeof(data), framed);
	static struct gdb_parser p;
	enum gdb_packet_event ev = GDB_PACKET_NONE;

	CHECK_EQ(n, sizeof(data) + 4 + 4);
	gdb_packet_parser_init(&p);
	for (size_t i = 0; i < n; i++) {
		ev = gdb_packet_feed(&p, framed[i]);
	}
	CHECK_EQ(ev, GDB_PACKET_READY);
	CHECK_EQ(gdb_packet_unescape((uint8_t *)p.data, p.len), sizeof(data));
	CHECK(!memcmp(p.data, data, sizeof(data)));
}

/* Send one command framed as gdb does (binary data already escaped);
 * return what the stub answered. */
static const char *ask(struct gdbstub *stub, struct gdbstub_fake *fake,
		       const char *cmd)
{
	char framed[2048];
	uint8_t sum = 0;
	int n;

	for (const char *c = cmd; *c; c++) {
		sum += (uint8_t)*c;
	}
	n = snprintf(framed, sizeof(framed), "$%s#%02x", cmd, sum);
	fake->out_len = 0;
	fake->out[0] = 0;
	gdbstub_input(stub, (const uint8_t *)framed, n);
	return fake->out;
}

/* The data of the reply "+$DATA#cs". */
static const char *reply_of(const char *out)
{
	static char data[GDBSTUB_FAKE_OUT_MAX];
	const char *dollar = strchr(out, '$');
	const char *hash = dollar ? strrchr(dollar, '#') : NULL;

	if (!hash) {
		return "<none>";
	}
	memcpy(data, dollar + 1, hash - dollar - 1);
	data[hash - dollar - 1] = 0;
	return data;
}

TEST(gdbstub_registers_and_memory)
{
	static struct gdbstub_fake fake;
	struct gdbstub *stub = gdbstub_fake_new(&fake);

	CHECK_EQ(fake.stops, 1); /* connecting stops the target */
	fake.regs[0][32] = 0x80000000;
	CHECK(!strcmp(reply_of(ask(stub, &fake, "?")), "T05thread:1;"));
	CHECK(!strcmp(reply_of(ask(stub, &fake, "p20")), "0000008000000000"));
	CHECK_EQ(strlen(reply_of(ask(stub, &fake, "g"))), 33 * 16);
	CHECK(!strcmp(reply_of(ask(stub, &fake, "P1=0102030405060708")), "OK"));
	CHECK_EQ(fake.regs[0][1], 0x0807060504030201ull);
	CHECK(!strcmp(reply_of(ask(stub, &fake, "Hg2")), "OK"));
	CHECK(!strcmp(reply_of(ask(stub, &fake, "p1")), "0000000000000000"));
	CHECK(!strcmp(reply_of(ask(stub, &fake, "Hg7")), "E22"));
	CHECK(!strcmp(reply_of(ask(stub, &fake, "M1000,3:a1b2c3")), "OK"));
	CHECK(!strcmp(reply_of(ask(stub, &fake, "m1000,4")), "a1b2c300"));
	CHECK(!strcmp(reply_of(ask(stub, &fake, "m0,4")), "E14"));
	CHECK(!strcmp(reply_of(ask(stub, &fake, "m1000")), "E22"));
	/* X: binary, with '}' escapes: "}\x03" is '#' */
	CHECK(!strcmp(reply_of(ask(stub, &fake, "X1004,2:}\x03z")), "OK"));
	CHECK(!memcmp(fake.mem + 4, "#z", 2));
	CHECK(!strcmp(reply_of(ask(stub, &fake, "X1004,3:ab")), "E22"));
	gdbstub_free(stub);
}

TEST(gdbstub_queries)
{
	static struct gdbstub_fake fake;
	struct gdbstub *stub = gdbstub_fake_new(&fake);

	CHECK(strstr(reply_of(ask(stub, &fake, "qSupported:swbreak+")),
		     "PacketSize=4000"));
	CHECK(!strcmp(reply_of(ask(stub, &fake, "qfThreadInfo")), "m1,2"));
	CHECK(!strcmp(reply_of(ask(stub, &fake, "qsThreadInfo")), "l"));
	CHECK(!strcmp(reply_of(ask(stub, &fake, "qC")), "QC1"));
	CHECK(!strcmp(reply_of(ask(stub, &fake, "qAttached")), "1"));
	/* The XML's special characters travel escaped and come back. */
	CHECK(strstr(ask(stub, &fake, "qXfer:features:read:target.xml:0,fff"),
		     "$l<target>}\x04}\x03}]}\x0a</target>#"));
	CHECK(!strcmp(reply_of(ask(stub, &fake,
				   "qXfer:features:read:target.xml:4,3")),
		      "mget"));
	CHECK(!strcmp(reply_of(ask(stub, &fake,
				   "qXfer:features:read:target.xml:99,3")),
		      "l"));
	CHECK(!strcmp(
		reply_of(ask(stub, &fake, "qXfer:features:read:other.xml:0,3")),
		"E00"));
	CHECK(!strcmp(reply_of(ask(stub, &fake, "qNoSuchThing")), ""));
	/* monitor hi: the output as an O packet, then OK */
	CHECK(!strcmp(ask(stub, &fake, "qRcmd,6869"), "+$O6869#2c$OK#9a"));
	CHECK(!strcmp(reply_of(ask(stub, &fake, "qRcmd,6661696c")), "E01"));
	CHECK(!strcmp(reply_of(ask(stub, &fake, "qRcmd,6")), "E22"));
	CHECK(!strcmp(reply_of(ask(stub, &fake, "T2")), "OK"));
	CHECK(!strcmp(reply_of(ask(stub, &fake, "T3")), "E22"));
	gdbstub_free(stub);
}

TEST(gdbstub_run_control)
{
	static struct gdbstub_fake fake;
	struct gdbstub *stub = gdbstub_fake_new(&fake);
	struct gdb_stop stop = { .kind = GDB_STOP_WATCH,
				 .tid = 2,
				 .addr = 0x1008 };

	CHECK(!strcmp(reply_of(ask(stub, &fake, "Z0,1000,4")), "OK"));
	CHECK(!strcmp(reply_of(ask(stub, &fake, "Z3,1000,4")), ""));
	CHECK(!strcmp(reply_of(ask(stub, &fake, "vCont?")), "vCont;c;C;s;S;t"));
	/* A resume answers nothing until the target stops. */
	CHECK(!strcmp(ask(stub, &fake, "vCont;s:2;c"), "+"));
	CHECK(gdbstub_running(stub));
	CHECK_EQ(fake.resumes, 1);
	CHECK_EQ(gdbstub_resume_action(&fake.last_resume, 2), GDB_ACTION_STEP);
	CHECK_EQ(gdbstub_resume_action(&fake.last_resume, 1),
		 GDB_ACTION_CONTINUE);
	fake.out_len = 0;
	gdbstub_stopped(stub, &stop);
	CHECK(!strcmp(reply_of(fake.out), "T05watch:1008;thread:2;"));
	CHECK(!gdbstub_running(stub));
	/* Ctrl-C while running stops the target and says SIGINT. */
	ask(stub, &fake, "c");
	fake.out_len = 0;
	gdbstub_input(stub, (const uint8_t *)"\x03", 1);
	CHECK(!strcmp(reply_of(fake.out), "T02thread:2;"));
	/* ... and is ignored while stopped. */
	fake.out_len = 0;
	fake.out[0] = 0;
	gdbstub_input(stub, (const uint8_t *)"\x03", 1);
	CHECK_EQ(fake.out_len, 0);
	CHECK(!strcmp(reply_of(ask(stub, &fake, "vCont;x")), "E22"));
	/* Signals to pass on: per thread, by default, and the old C. */
	ask(stub, &fake, "vCont;C0b:2;s:1;C05");
	CHECK_EQ(gdbstub_resume_signal(&fake.last_resume, 2), 0x0b);
	CHECK_EQ(gdbstub_resume_signal(&fake.last_resume, 1), 0);
	CHECK_EQ(gdbstub_resume_action(&fake.last_resume, 1), GDB_ACTION_STEP);
	CHECK_EQ(gdbstub_resume_signal(&fake.last_resume, 7), 5);
	gdbstub_stopped(stub, &stop);
	ask(stub, &fake, "C0b");
	CHECK_EQ(gdbstub_resume_signal(&fake.last_resume, 2), 0x0b);
	CHECK_EQ(gdbstub_resume_action(&fake.last_resume, 1),
		 GDB_ACTION_CONTINUE);
	gdbstub_free(stub);
}

TEST(gdbstub_acks_and_detach)
{
	static struct gdbstub_fake fake;
	struct gdbstub *stub = gdbstub_fake_new(&fake);

	fake.out_len = 0;
	gdbstub_input(stub, (const uint8_t *)"$?#00", 5);
	CHECK(!strcmp(fake.out, "-"));
	CHECK(!strcmp(ask(stub, &fake, "QStartNoAckMode"), "+$OK#9a"));
	CHECK(!strcmp(ask(stub, &fake, "?"), "$T05thread:1;#d7"));
	CHECK(!strcmp(reply_of(ask(stub, &fake, "D")), "OK"));
	CHECK_EQ(fake.resumes, 1);
	CHECK_EQ(fake.last_resume.default_action, GDB_ACTION_CONTINUE);
	/* Nothing more is read after a detach. */
	CHECK(!strcmp(ask(stub, &fake, "?"), ""));
	gdbstub_free(stub);
}

/* ---- the riscv side ------------------------------------------------- */

static uint8_t test_ram[0x2000] __attribute__((aligned(4096)));

static void *test_ram_page(void *opaque, gpa_t page, enum riscv_access a)
{
	return page < sizeof(test_ram) ? test_ram + page : NULL;
}

static const struct riscv_bus_ops test_bus = { .ram_page = test_ram_page };

static void put32(unsigned off, uint32_t insn)
{
	memcpy(test_ram + off, &insn, 4);
}

TEST(riscv_debug_breakpoint_step_and_watch)
{
	struct riscv_cpu *cpu =
		riscv_cpu_new(RISCV_CPU_SYSTEM, 0, &test_bus, NULL);
	gva_t addr;
	uint8_t buf[8];

	memset(test_ram, 0, sizeof(test_ram));
	put32(0x0, 0x00100093); /* addi x1, x0, 1 */
	put32(0x4, 0x00108093); /* addi x1, x1, 1 */
	put32(0x8, 0x40102023); /* sw x1, 0x400(x0) */
	put32(0xc, 0x00108093); /* addi x1, x1, 1 */
	put32(0x10, 0x0000006f); /* j . */
	riscv_cpu_reset(cpu, 0);
	CHECK(riscv_debug_insert(RISCV_DEBUG_BREAKPOINT, 0x8, 2));
	CHECK_EQ(riscv_cpu_run(cpu, 100), RISCV_EXIT_DEBUG);
	CHECK_EQ(riscv_cpu_get_pc(cpu), 0x8);
	CHECK_EQ(riscv_cpu_debug_stop_reason(cpu, &addr),
		 RISCV_DEBUG_STOP_BREAKPOINT);
	/* A step runs the instruction under the breakpoint. */
	riscv_cpu_debug_step(cpu, true);
	CHECK_EQ(riscv_cpu_run(cpu, 100), RISCV_EXIT_DEBUG);
	CHECK_EQ(riscv_cpu_get_pc(cpu), 0xc);
	CHECK_EQ(riscv_cpu_debug_stop_reason(cpu, &addr),
		 RISCV_DEBUG_STOP_STEP);
	riscv_cpu_debug_step(cpu, false);
	riscv_debug_remove_all();
	/* The write watchpoint fires after the store that changed it. */
	riscv_cpu_reset(cpu, 0);
	memset(test_ram + 0x400, 0, 4);
	CHECK(riscv_debug_insert(RISCV_DEBUG_WATCH_WRITE, 0x400, 4));
	riscv_debug_rearm();
	CHECK_EQ(riscv_cpu_run(cpu, 100), RISCV_EXIT_DEBUG);
	CHECK_EQ(riscv_cpu_get_pc(cpu), 0xc);
	CHECK_EQ(riscv_cpu_debug_stop_reason(cpu, &addr),
		 RISCV_DEBUG_STOP_WATCH);
	CHECK_EQ(addr, 0x400);
	CHECK(riscv_debug_remove(RISCV_DEBUG_WATCH_WRITE, 0x400, 4));
	CHECK(!riscv_debug_remove(RISCV_DEBUG_WATCH_WRITE, 0x400, 4));
	CHECK_EQ(riscv_cpu_run(cpu, 50), RISCV_EXIT_BUDGET);
	/* Debugger memory access and registers. */
	CHECK(riscv_cpu_debug_rw(cpu, 0x400, buf, 4, false));
	CHECK_EQ(buf[0], 2);
	CHECK(!riscv_cpu_debug_rw(cpu, 0x1ffe, buf, 4, false));
	CHECK_EQ(riscv_gdb_read_register(cpu, 1, buf), 8);
	CHECK_EQ(buf[0], 3);
	CHECK_EQ(riscv_gdb_read_register(cpu, 65 + 0x300, buf), 8);
	CHECK_EQ(riscv_gdb_read_register(cpu, 65 + 3, buf), 4);
	CHECK_EQ(riscv_gdb_read_register(cpu, 999999, buf), 0);
	CHECK(strstr(riscv_gdb_target_xml("target.xml", true),
		     "org.gnu.gdb.riscv.csr"));
	CHECK(!strstr(riscv_gdb_target_xml("target.xml", false),
		      "org.gnu.gdb.riscv.csr"));
	riscv_cpu_free(cpu);
}
