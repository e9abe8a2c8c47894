/* SPDX-License-Identifier: MIT */
/* The virtio device core (virtio 1.2, modern only): features, status,
 * config space, interrupts, reset; what devices and transports share. */
#ifndef MIMIC_VIRTIO_VIRTIO_H
#define MIMIC_VIRTIO_VIRTIO_H

#include <stdbool.h>
#include <stdint.h>

#include "util/error.h"
#include "util/types.h"

/* Device status bits (2.1). */
#define VIRTIO_STATUS_ACKNOWLEDGE 1
#define VIRTIO_STATUS_DRIVER 2
#define VIRTIO_STATUS_DRIVER_OK 4
#define VIRTIO_STATUS_FEATURES_OK 8
#define VIRTIO_STATUS_NEEDS_RESET 64
#define VIRTIO_STATUS_FAILED 128

/* Reserved feature bits (6). */
#define VIRTIO_F_INDIRECT_DESC 28
#define VIRTIO_F_EVENT_IDX 29
#define VIRTIO_F_VERSION_1 32

/* Interrupt status bits (ISR, InterruptStatus). */
#define VIRTIO_ISR_QUEUE 1
#define VIRTIO_ISR_CONFIG 2

/* Device IDs (5). */
#define VIRTIO_ID_NET 1
#define VIRTIO_ID_BLOCK 2
#define VIRTIO_ID_CONSOLE 3
#define VIRTIO_ID_RNG 4

#define VIRTIO_MAX_QUEUES 8

struct virtio_device;
struct virtqueue;

/* Host pointer for guest memory [addr, addr + len), NULL if not all RAM. */
typedef void *virtio_dma_fn(void *opaque, gpa_t addr, uint64_t len);

/* What a device type does; called with the big lock held. */
struct virtio_device_ops {
	/* The driver notified queue index (the vCPU thread). */
	void (*queue_notify)(struct virtio_device *vdev, unsigned index);
	/* The driver wrote config bytes [offset, offset + len) already
	 * stored in vdev->config (optional). */
	void (*config_write)(struct virtio_device *vdev, unsigned offset,
			     unsigned len);
	/* Every status change, synchronously inside the guest's write;
	 * after a reset (status 0) the core has already reset the queues. */
	void (*status_changed)(struct virtio_device *vdev, uint8_t old_status,
			       uint8_t new_status);
	/* Device reset: drop requests in flight (optional). */
	void (*reset)(struct virtio_device *vdev);
	/* The transport is going away: stop threads, free (optional). */
	void (*free)(struct virtio_device *vdev);
};

/* What the transport does for the core. */
struct virtio_transport_ops {
	/* Set the interrupt line from vdev->isr (level: isr != 0). */
	void (*update_irq)(struct virtio_device *vdev);
};

struct virtio_device {
	const struct virtio_device_ops *ops;
	const char *name; /* "virtio-blk", for messages */
	uint32_t device_id;
	uint64_t host_features; /* offered (VERSION_1 is always added) */
	uint64_t guest_features; /* accepted by the driver */
	uint8_t status;
	uint32_t isr;
	uint32_t config_generation;
	uint8_t *config; /* device config space (device-owned) */
	unsigned config_len;
	struct virtqueue *vqs[VIRTIO_MAX_QUEUES];
	unsigned nr_vqs;
	bool broken; /* NEEDS_RESET set: no queue processing until reset */

	virtio_dma_fn *dma;
	void *dma_opaque;
	const struct virtio_transport_ops *transport;
	void *transport_opaque;
};

/* Initialise the common part (features get VERSION_1 added). */
void virtio_init(struct virtio_device *vdev,
		 const struct virtio_device_ops *ops, const char *name,
		 uint32_t device_id, uint64_t host_features, uint8_t *config,
		 unsigned config_len);
/* Add a queue of at most num_max entries (a power of 2 up to 32768);
 * returns it or NULL when out of memory or queue slots. */
struct virtqueue *virtio_add_queue(struct virtio_device *vdev,
				   uint16_t num_max);
void virtio_free_queues(struct virtio_device *vdev);

static inline bool virtio_has_feature(const struct virtio_device *vdev,
				      unsigned bit)
{
	return (vdev->guest_features >> bit) & 1;
}

/* 32-bit window of the features for the transports' select registers. */
uint32_t virtio_host_features_word(const struct virtio_device *vdev,
				   unsigned sel);
void virtio_set_guest_features_word(struct virtio_device *vdev, unsigned sel,
				    uint32_t value);

/* The driver writes the status register: reset on 0, FEATURES_OK refused
 * (left clear) when the features are not acceptable. */
void virtio_set_status(struct virtio_device *vdev, uint8_t status);
/* Back to the state after power-on (queues and features cleared). */
void virtio_reset(struct virtio_device *vdev);

/* Config space access by the transport (little endian, clipped). */
uint64_t virtio_config_read(struct virtio_device *vdev, unsigned offset,
			    unsigned size);
void virtio_config_write(struct virtio_device *vdev, unsigned offset,
			 unsigned size, uint64_t val);
/* The device changed its config: bump the generation, interrupt. */
void virtio_config_changed(struct virtio_device *vdev);

/* Raise/clear interrupt reasons. */
void virtio_raise_isr(struct virtio_device *vdev, uint32_t bits);
/* Read-and-clear (PCI ISR) or acknowledge bits (mmio InterruptACK). */
uint32_t virtio_isr_read_clear(struct virtio_device *vdev);
void virtio_isr_ack(struct virtio_device *vdev, uint32_t bits);

/*
 * The driver broke the rules (a bad descriptor chain, a bad request): set
 * DEVICE_NEEDS_RESET, send a config-change interrupt and log once per
 * device under -d guest_errors. Processing stops until the driver resets.
 */
void virtio_error(struct virtio_device *vdev, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Host pointer for a guest range, NULL if not all in RAM. */
static inline void *virtio_dma(struct virtio_device *vdev, gpa_t addr,
			       uint64_t len)
{
	return vdev->dma(vdev->dma_opaque, addr, len);
}

/* Register every virtio device type for -device (and -drive if=virtio). */
void virtio_register_devices(void);

#endif
