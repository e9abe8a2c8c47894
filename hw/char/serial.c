/* SPDX-License-Identifier: MIT */
/* The 16550A UART: FIFOs, divisor latch, modem control and interrupts. */
#include <stdlib.h>
#include <string.h>

#include "chardev/char.h"
#include "hw/char/serial.h"
#include "hw/core/fdt.h"
#include "util/log.h"

#define UART_RBR 0 /* read, DLAB=0 */
#define UART_THR 0 /* write, DLAB=0 */
#define UART_IER 1
#define UART_IIR 2 /* read */
#define UART_FCR 2 /* write */
#define UART_LCR 3
#define UART_MCR 4
#define UART_LSR 5
#define UART_MSR 6
#define UART_SCR 7

#define IER_RDI 0x01
#define IER_THRI 0x02
#define IER_RLSI 0x04
#define IER_MSI 0x08

#define IIR_NO_INT 0x01
#define IIR_MSI 0x00
#define IIR_THRI 0x02
#define IIR_RDI 0x04
#define IIR_RLSI 0x06
#define IIR_CTI 0x0c
#define IIR_FIFO_ON 0xc0

#define FCR_ENABLE 0x01
#define FCR_CLEAR_RX 0x02
#define FCR_CLEAR_TX 0x04

#define LCR_DLAB 0x80

#define MCR_DTR 0x01
#define MCR_RTS 0x02
#define MCR_OUT1 0x04
#define MCR_OUT2 0x08
#define MCR_LOOP 0x10

#define LSR_DR 0x01
#define LSR_OE 0x02
#define LSR_BI 0x10
#define LSR_THRE 0x20
#define LSR_TEMT 0x40

#define MSR_DCTS 0x01
#define MSR_DDSR 0x02
#define MSR_TERI 0x04
#define MSR_DDCD 0x08
#define MSR_CTS 0x10
#define MSR_DSR 0x20
#define MSR_RI 0x40
#define MSR_DCD 0x80
#define MSR_DELTAS 0x0f

#define FIFO_SIZE 16

struct serial {
	struct device dev;
	struct chardev *chr;
	uint8_t rx[FIFO_SIZE];
	unsigned rx_head, rx_count;
	uint16_t divisor;
	uint8_t ier, lcr, mcr, lsr, msr, scr, fcr;
	bool thr_ipending;
	bool rx_refused; /* told the chardev we were full */
};

static struct serial *to_serial(struct device *dev)
{
	return container_of(dev, struct serial, dev);
}

static unsigned serial_rx_trigger(const struct serial *s)
{
	static const unsigned levels[4] = { 1, 4, 8, 14 };

	if (!(s->fcr & FCR_ENABLE)) {
		return 1;
	}
	return levels[s->fcr >> 6];
}

static uint8_t serial_iir(const struct serial *s)
{
	uint8_t iir = IIR_NO_INT;

	if ((s->ier & IER_RLSI) && (s->lsr & (LSR_OE | LSR_BI))) {
		iir = IIR_RLSI;
	} else if ((s->ier & IER_RDI) && s->rx_count) {
		/* No character timer: data below the trigger level reports
		 * the timeout interrupt at once, which drivers treat alike. */
		iir = s->rx_count >= serial_rx_trigger(s) ? IIR_RDI : IIR_CTI;
	} else if ((s->ier & IER_THRI) && s->thr_ipending) {
		iir = IIR_THRI;
	} else if ((s->ier & IER_MSI) && (s->msr & MSR_DELTAS)) {
		iir = IIR_MSI;
	}
	if (s->fcr & FCR_ENABLE) {
		iir |= IIR_FIFO_ON;
	}
	return iir;
}

static void serial_update_irq(struct serial *s)
{
	irq_line_set(&s->dev.irq, !(serial_iir(s) & IIR_NO_INT));
}

static void serial_rx_push(struct serial *s, uint8_t c)
{
	unsigned cap = (s->fcr & FCR_ENABLE) ? FIFO_SIZE : 1;

	if (s->rx_count >= cap) {
		s->lsr |= LSR_OE;
		return;
	}
	s->rx[(s->rx_head + s->rx_count) % FIFO_SIZE] = c;
	s->rx_count++;
	s->lsr |= LSR_DR;
}

static uint8_t serial_rx_pop(struct serial *s)
{
	uint8_t c = 0;

	if (s->rx_count) {
		c = s->rx[s->rx_head];
		s->rx_head = (s->rx_head + 1) % FIFO_SIZE;
		s->rx_count--;
	}
	if (!s->rx_count) {
		s->lsr &= ~LSR_DR;
		if (s->rx_refused) {
			s->rx_refused = false;
			chardev_accept_input(s->chr);
		}
	}
	return c;
}

static size_t serial_can_read(void *opaque)
{
	struct serial *s = opaque;
	unsigned cap = (s->fcr & FCR_ENABLE) ? FIFO_SIZE : 1;
	size_t room = s->rx_count < cap ? cap - s->rx_count : 0;

	if (s->mcr & MCR_LOOP) {
		room = 0; /* in loopback the line is disconnected */
	}
	if (!room) {
		s->rx_refused = true;
	}
	return room;
}

static void serial_chr_read(void *opaque, const uint8_t *buf, size_t len)
{
	struct serial *s = opaque;

	for (size_t i = 0; i < len; i++) {
		serial_rx_push(s, buf[i]);
	}
	serial_update_irq(s);
}

size_t serial_receive(struct device *dev, const uint8_t *buf, size_t len)
{
	struct serial *s = to_serial(dev);
	size_t room = serial_can_read(s);

	len = len < room ? len : room;
	serial_chr_read(s, buf, len);
	return len;
}

static void serial_transmit(struct serial *s, uint8_t c)
{
	if (s->mcr & MCR_LOOP) {
		serial_rx_push(s, c);
	} else {
		chardev_write(s->chr, &c, 1);
	}
	/* Transmission is instantaneous: the holding register is empty
	 * again, which is what raises THRI. */
	s->thr_ipending = true;
}

static uint8_t serial_msr(struct serial *s)
{
	uint8_t msr = s->msr;

	if (s->mcr & MCR_LOOP) {
		msr &= MSR_DELTAS;
		msr |= (s->mcr & MCR_RTS) ? MSR_CTS : 0;
		msr |= (s->mcr & MCR_DTR) ? MSR_DSR : 0;
		msr |= (s->mcr & MCR_OUT1) ? MSR_RI : 0;
		msr |= (s->mcr & MCR_OUT2) ? MSR_DCD : 0;
	}
	return msr;
}

static uint8_t serial_read_reg(struct serial *s, unsigned reg)
{
	uint8_t v;

	switch (reg) {
	case UART_RBR:
		if (s->lcr & LCR_DLAB) {
			return s->divisor & 0xff;
		}
		v = serial_rx_pop(s);
		serial_update_irq(s);
		return v;
	case UART_IER:
		return (s->lcr & LCR_DLAB) ? s->divisor >> 8 : s->ier;
	case UART_IIR:
		v = serial_iir(s);
		if ((v & 0x0f) == IIR_THRI) {
			s->thr_ipending = false;
			serial_update_irq(s);
		}
		return v;
	case UART_LCR:
		return s->lcr;
	case UART_MCR:
		return s->mcr;
	case UART_LSR:
		v = s->lsr;
		s->lsr &= ~(LSR_OE | LSR_BI);
		serial_update_irq(s);
		return v;
	case UART_MSR:
		v = serial_msr(s);
		s->msr &= ~MSR_DELTAS;
		serial_update_irq(s);
		return v;
	default:
		return s->scr;
	}
}

static void serial_write_ier(struct serial *s, uint8_t val)
{
	uint8_t changed = (s->ier ^ val) & 0x0f;

	s->ier = val & 0x0f;
	if (changed & IER_THRI) {
		/* Enabling THRI with the holding register empty interrupts
		 * at once; Linux's 8250 start-up relies on it. */
		s->thr_ipending = (s->ier & IER_THRI) && (s->lsr & LSR_THRE);
	}
}

static void serial_write_fcr(struct serial *s, uint8_t val)
{
	if ((val ^ s->fcr) & FCR_ENABLE) {
		val |= FCR_CLEAR_RX | FCR_CLEAR_TX;
	}
	if (val & FCR_CLEAR_RX) {
		s->rx_head = s->rx_count = 0;
		s->lsr &= ~LSR_DR;
		if (s->rx_refused) {
			s->rx_refused = false;
			chardev_accept_input(s->chr);
		}
	}
	s->fcr = val & 0xc9;
}

static void serial_write_reg(struct serial *s, unsigned reg, uint8_t val)
{
	switch (reg) {
	case UART_THR:
		if (s->lcr & LCR_DLAB) {
			s->divisor = (s->divisor & 0xff00) | val;
			return;
		}
		serial_transmit(s, val);
		break;
	case UART_IER:
		if (s->lcr & LCR_DLAB) {
			s->divisor = (s->divisor & 0x00ff) | (val << 8);
			return;
		}
		serial_write_ier(s, val);
		break;
	case UART_FCR:
		serial_write_fcr(s, val);
		break;
	case UART_LCR:
		s->lcr = val;
		return;
	case UART_MCR:
		s->mcr = val & 0x1f;
		break;
	case UART_LSR:
	case UART_MSR:
		return; /* read-only */
	default:
		s->scr = val;
		return;
	}
	serial_update_irq(s);
}

static bool serial_read(struct device *dev, uint64_t offset, unsigned size,
			uint64_t *val)
{
	if (offset >= 8) {
		*val = 0;
		return true;
	}
	*val = serial_read_reg(to_serial(dev), offset);
	return true;
}

static bool serial_write(struct device *dev, uint64_t offset, unsigned size,
			 uint64_t val)
{
	if (offset < 8) {
		serial_write_reg(to_serial(dev), offset, val & 0xff);
	}
	return true;
}

static void serial_reset(struct device *dev)
{
	struct serial *s = to_serial(dev);

	s->rx_head = s->rx_count = 0;
	s->divisor = 12; /* 9600 baud at the 1.8432 MHz reference */
	s->ier = s->lcr = s->mcr = s->scr = s->fcr = 0;
	s->lsr = LSR_THRE | LSR_TEMT;
	s->msr = MSR_DCD | MSR_DSR | MSR_CTS;
	s->thr_ipending = false;
	serial_update_irq(s);
	if (s->rx_refused) {
		s->rx_refused = false;
		chardev_accept_input(s->chr);
	}
}

static bool serial_fdt_node(struct device *dev, struct fdt_ctx *ctx,
			    struct error **errp)
{
	int node = fdt_ctx_add_mmio_node(ctx, "serial", dev->base, dev->size);

	fdt_ctx_set_string(ctx, node, "compatible", "ns16550a");
	fdt_ctx_set_u32(ctx, node, "clock-frequency", SERIAL_CLOCK_HZ);
	fdt_ctx_set_plic_irq(ctx, node, dev->irq.irq);
	return !ctx->err;
}

static void serial_free(struct device *dev)
{
	free(to_serial(dev));
}

static const struct device_ops serial_ops = {
	.read = serial_read,
	.write = serial_write,
	.reset = serial_reset,
	.fdt_node = serial_fdt_node,
	.free = serial_free,
};

struct device *serial_new(gpa_t base, struct irq_line irq, struct chardev *chr,
			  struct error **errp)
{
	struct serial *s = calloc(1, sizeof(*s));
	struct chardev_frontend fe = { serial_can_read, serial_chr_read, NULL };

	if (!s) {
		error_setg(errp, "out of memory");
		return NULL;
	}
	s->dev.ops = &serial_ops;
	s->dev.name = "serial";
	s->dev.base = base;
	s->dev.size = 0x100;
	s->dev.irq = irq;
	s->chr = chr;
	serial_reset(&s->dev);
	fe.opaque = s;
	if (chr && !chardev_attach(chr, &fe, errp)) {
		free(s);
		return NULL;
	}
	return &s->dev;
}
