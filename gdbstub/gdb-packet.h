/* SPDX-License-Identifier: MIT */
/* GDB remote serial protocol framing: $data#cs packets, acks, Ctrl-C. */
#ifndef MIMIC_GDBSTUB_GDB_PACKET_H
#define MIMIC_GDBSTUB_GDB_PACKET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The largest packet we take (announced as PacketSize in hex). */
#define GDB_PACKET_MAX 16384

enum gdb_packet_event {
	GDB_PACKET_NONE, /* byte consumed, nothing complete yet */
	GDB_PACKET_READY, /* a packet with a good checksum: data, len */
	GDB_PACKET_BAD, /* bad checksum or too long: answer '-' */
	GDB_PACKET_INTERRUPT, /* 0x03 between packets */
	GDB_PACKET_ACK, /* '+' */
	GDB_PACKET_NACK, /* '-': send the last packet again */
};

enum gdb_parser_state {
	GDB_PARSER_IDLE,
	GDB_PARSER_DATA,
	GDB_PARSER_CSUM1,
	GDB_PARSER_CSUM2,
};

struct gdb_parser {
	enum gdb_parser_state state;
	bool overflow;
	uint8_t sum; /* of the data bytes seen */
	uint8_t csum; /* the checksum received */
	size_t len;
	/* The packet's data, NUL-terminated (binary data may hold NULs). */
	char data[GDB_PACKET_MAX + 1];
};

void gdb_packet_parser_init(struct gdb_parser *p);
/* Feed one byte from the peer. */
enum gdb_packet_event gdb_packet_feed(struct gdb_parser *p, uint8_t byte);

/*
 * Frame data as "$...#cs" into out (room for 2 * len + 4 bytes), escaping
 * '$', '#', '}' and '*' as the protocol's binary encoding does. Returns the
 * framed length.
 */
size_t gdb_packet_encode(const uint8_t *data, size_t len, uint8_t *out);
/* Undo the binary escapes ('}' x ^ 0x20) in place; returns the new length
 * (a trailing lone '}' is dropped). */
size_t gdb_packet_unescape(uint8_t *data, size_t len);

/* Hex helpers: parse a hex number at *p, advancing it; false if there is
 * no hex digit or it overflows 64 bits. */
bool gdb_packet_parse_hex(const char **p, uint64_t *val);
/* Decode 2 * len hex digits into bytes; false on a non-hex digit. */
bool gdb_packet_hex_to_bytes(const char *hex, uint8_t *out, size_t len);
/* Encode len bytes as 2 * len hex digits plus NUL. */
void gdb_packet_bytes_to_hex(const uint8_t *in, size_t len, char *hex);

#endif
