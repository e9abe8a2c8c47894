/* SPDX-License-Identifier: MIT */
/* GDB remote serial protocol framing: a byte-at-a-time parser that never
 * trusts the peer, the encoder, and hex helpers. */
#include "gdbstub/gdb-packet.h"

static int hex_value(uint8_t c)
{
	if (c >= '0' && c <= '9') {
		return c - '0';
	}
	if (c >= 'a' && c <= 'f') {
		return c - 'a' + 10;
	}
	if (c >= 'A' && c <= 'F') {
		return c - 'A' + 10;
	}
	return -1;
}

void gdb_packet_parser_init(struct gdb_parser *p)
{
	p->state = GDB_PARSER_IDLE;
	p->len = 0;
	p->data[0] = 0;
}

static void parser_start(struct gdb_parser *p)
{
	p->state = GDB_PARSER_DATA;
	p->overflow = false;
	p->sum = 0;
	p->len = 0;
}

static enum gdb_packet_event parser_idle(struct gdb_parser *p, uint8_t byte)
{
	switch (byte) {
	case '$':
		parser_start(p);
		return GDB_PACKET_NONE;
	case 0x03:
		return GDB_PACKET_INTERRUPT;
	case '+':
		return GDB_PACKET_ACK;
	case '-':
		return GDB_PACKET_NACK;
	default:
		return GDB_PACKET_NONE; /* noise between packets */
	}
}

static enum gdb_packet_event parser_checksum(struct gdb_parser *p, uint8_t byte)
{
	int digit = hex_value(byte);

	if (digit < 0) {
		/* Not a checksum: the packet is lost, resynchronise. */
		p->state = GDB_PARSER_IDLE;
		if (byte == '$') {
			parser_start(p);
		}
		return GDB_PACKET_BAD;
	}
	if (p->state == GDB_PARSER_CSUM1) {
		p->csum = digit << 4;
		p->state = GDB_PARSER_CSUM2;
		return GDB_PACKET_NONE;
	}
	p->csum |= digit;
	p->state = GDB_PARSER_IDLE;
	p->data[p->len] = 0;
	if (p->overflow || p->csum != p->sum) {
		p->len = 0;
		p->data[0] = 0;
		return GDB_PACKET_BAD;
	}
	return GDB_PACKET_READY;
}

enum gdb_packet_event gdb_packet_feed(struct gdb_parser *p, uint8_t byte)
{
	switch (p->state) {
	case GDB_PARSER_IDLE:
		return parser_idle(p, byte);
	case GDB_PARSER_DATA:
		if (byte == '#') {
			p->state = GDB_PARSER_CSUM1;
			return GDB_PACKET_NONE;
		}
		if (byte == '$') {
			/* A new start: the previous packet was cut off. */
			parser_start(p);
			return GDB_PACKET_NONE;
		}
		p->sum += byte;
		if (p->len < GDB_PACKET_MAX) {
			p->data[p->len++] = (char)byte;
		} else {
			p->overflow = true;
		}
		return GDB_PACKET_NONE;
	default:
		return parser_checksum(p, byte);
	}
}

size_t gdb_packet_encode(const uint8_t *data, size_t len, uint8_t *out)
{
	static const char hex[] = "0123456789abcdef";
	size_t n = 0;
	uint8_t sum = 0;

	out[n++] = '$';
	for (size_t i = 0; i < len; i++) {
		uint8_t c = data[i];

		if (c == '$' || c == '#' || c == '}' || c == '*') {
			out[n++] = '}';
			sum += '}';
			c ^= 0x20;
		}
		out[n++] = c;
		sum += c;
	}
	out[n++] = '#';
	out[n++] = hex[sum >> 4];
	out[n++] = hex[sum & 15];
	return n;
}

size_t gdb_packet_unescape(uint8_t *data, size_t len)
{
	size_t out = 0;

	for (size_t i = 0; i < len; i++) {
		if (data[i] == '}') {
			if (++i == len) {
				break;
			}
			data[out++] = data[i] ^ 0x20;
		} else {
			data[out++] = data[i];
		}
	}
	return out;
}

bool gdb_packet_parse_hex(const char **p, uint64_t *val)
{
	const char *s = *p;
	uint64_t v = 0;
	int digit;

	if (hex_value((uint8_t)*s) < 0) {
		return false;
	}
	while ((digit = hex_value((uint8_t)*s)) >= 0) {
		if (v >> 60) {
			return false;
		}
		v = (v << 4) | digit;
		s++;
	}
	*val = v;
	*p = s;
	return true;
}

bool gdb_packet_hex_to_bytes(const char *hex, uint8_t *out, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		int hi = hex_value((uint8_t)hex[2 * i]);
		int lo = hi < 0 ? -1 : hex_value((uint8_t)hex[2 * i + 1]);

		if (lo < 0) {
			return false;
		}
		out[i] = (uint8_t)(hi << 4 | lo);
	}
	return true;
}

void gdb_packet_bytes_to_hex(const uint8_t *in, size_t len, char *hex)
{
	static const char digits[] = "0123456789abcdef";

	for (size_t i = 0; i < len; i++) {
		hex[2 * i] = digits[in[i] >> 4];
		hex[2 * i + 1] = digits[in[i] & 15];
	}
	hex[2 * len] = 0;
}
