/* SPDX-License-Identifier: MIT */
/* The virtio device core: feature negotiation, the status state machine,
 * reset, config space with its generation counter, interrupt reasons. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/log.h"
#include "virtio/virtio.h"
#include "virtio/virtqueue.h"

void virtio_init(struct virtio_device *vdev,
		 const struct virtio_device_ops *ops, const char *name,
		 uint32_t device_id, uint64_t host_features, uint8_t *config,
		 unsigned config_len)
{
	vdev->ops = ops;
	vdev->name = name;
	vdev->device_id = device_id;
	vdev->host_features = host_features | (1ull << VIRTIO_F_VERSION_1);
	vdev->config = config;
	vdev->config_len = config_len;
}

struct virtqueue *virtio_add_queue(struct virtio_device *vdev, uint16_t num_max)
{
	struct virtqueue *vq;

	if (vdev->nr_vqs == VIRTIO_MAX_QUEUES) {
		return NULL;
	}
	vq = virtq_new(vdev, vdev->nr_vqs, num_max);
	if (vq) {
		vdev->vqs[vdev->nr_vqs++] = vq;
	}
	return vq;
}

void virtio_free_queues(struct virtio_device *vdev)
{
	for (unsigned i = 0; i < vdev->nr_vqs; i++) {
		virtq_free(vdev->vqs[i]);
		vdev->vqs[i] = NULL;
	}
	vdev->nr_vqs = 0;
}

uint32_t virtio_host_features_word(const struct virtio_device *vdev,
				   unsigned sel)
{
	return sel < 2 ? (uint32_t)(vdev->host_features >> (32 * sel)) : 0;
}

void virtio_set_guest_features_word(struct virtio_device *vdev, unsigned sel,
				    uint32_t value)
{
	unsigned shift = 32 * sel;

	/* Features are fixed once FEATURES_OK is accepted. */
	if (sel >= 2 || (vdev->status & VIRTIO_STATUS_FEATURES_OK)) {
		return;
	}
	vdev->guest_features &= ~(0xffffffffull << shift);
	vdev->guest_features |= (uint64_t)value << shift;
}

static bool virtio_features_acceptable(struct virtio_device *vdev)
{
	if (vdev->guest_features & ~vdev->host_features) {
		log_mask_printf(LOG_GUEST_ERROR,
				"%s: driver asked for features 0x%llx we do "
				"not offer\n",
				vdev->name,
				(unsigned long long)(vdev->guest_features &
						     ~vdev->host_features));
		return false;
	}
	if (!virtio_has_feature(vdev, VIRTIO_F_VERSION_1)) {
		log_mask_printf(LOG_GUEST_ERROR,
				"%s: legacy driver (no VIRTIO_F_VERSION_1)\n",
				vdev->name);
		return false;
	}
	return true;
}

void virtio_reset(struct virtio_device *vdev)
{
	if (vdev->ops->reset) {
		vdev->ops->reset(vdev);
	}
	for (unsigned i = 0; i < vdev->nr_vqs; i++) {
		virtq_reset(vdev->vqs[i]);
	}
	vdev->status = 0;
	vdev->guest_features = 0;
	vdev->broken = false;
	vdev->isr = 0;
	if (vdev->transport) {
		vdev->transport->update_irq(vdev);
	}
}

void virtio_set_status(struct virtio_device *vdev, uint8_t status)
{
	uint8_t old = vdev->status;

	if (status == 0) {
		virtio_reset(vdev);
	} else {
		if ((status & VIRTIO_STATUS_FEATURES_OK) &&
		    !(old & VIRTIO_STATUS_FEATURES_OK) &&
		    !virtio_features_acceptable(vdev)) {
			status &= ~VIRTIO_STATUS_FEATURES_OK;
		}
		/* NEEDS_RESET belongs to the device. */
		status &= ~VIRTIO_STATUS_NEEDS_RESET;
		vdev->status = status | (old & VIRTIO_STATUS_NEEDS_RESET);
	}
	if (vdev->ops->status_changed) {
		vdev->ops->status_changed(vdev, old, vdev->status);
	}
}

uint64_t virtio_config_read(struct virtio_device *vdev, unsigned offset,
			    unsigned size)
{
	uint64_t val = 0;

	if (size > 8 || offset > vdev->config_len ||
	    size > vdev->config_len - offset) {
		return 0;
	}
	for (unsigned i = 0; i < size; i++) {
		val |= (uint64_t)vdev->config[offset + i] << (8 * i);
	}
	return val;
}

void virtio_config_write(struct virtio_device *vdev, unsigned offset,
			 unsigned size, uint64_t val)
{
	if (size > 8 || offset > vdev->config_len ||
	    size > vdev->config_len - offset) {
		return;
	}
	for (unsigned i = 0; i < size; i++) {
		vdev->config[offset + i] = val >> (8 * i);
	}
	if (vdev->ops->config_write) {
		vdev->ops->config_write(vdev, offset, size);
	}
}

void virtio_config_changed(struct virtio_device *vdev)
{
	vdev->config_generation++;
	if (vdev->status & VIRTIO_STATUS_DRIVER_OK) {
		virtio_raise_isr(vdev, VIRTIO_ISR_CONFIG);
	}
}

void virtio_raise_isr(struct virtio_device *vdev, uint32_t bits)
{
	vdev->isr |= bits;
	if (vdev->transport) {
		vdev->transport->update_irq(vdev);
	}
}

uint32_t virtio_isr_read_clear(struct virtio_device *vdev)
{
	uint32_t isr = vdev->isr;

	vdev->isr = 0;
	if (isr && vdev->transport) {
		vdev->transport->update_irq(vdev);
	}
	return isr;
}

void virtio_isr_ack(struct virtio_device *vdev, uint32_t bits)
{
	vdev->isr &= ~bits;
	if (vdev->transport) {
		vdev->transport->update_irq(vdev);
	}
}

void virtio_error(struct virtio_device *vdev, const char *fmt, ...)
{
	char msg[256];
	va_list ap;

	if (vdev->broken) {
		return;
	}
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	log_mask_printf(LOG_GUEST_ERROR, "%s: %s; device needs reset\n",
			vdev->name, msg);
	vdev->broken = true;
	vdev->status |= VIRTIO_STATUS_NEEDS_RESET;
	if (vdev->status & VIRTIO_STATUS_DRIVER_OK) {
		virtio_raise_isr(vdev, VIRTIO_ISR_CONFIG);
	}
}
