/* SPDX-License-Identifier: MIT */
/* vhost-user device types for -device (vhost-user-fs-pci/-device, vhost-user-blk-pci). */
#ifndef MIMIC_VHOST_USER_VHOST_USER_FS_H
#define MIMIC_VHOST_USER_VHOST_USER_FS_H

void vhost_user_register_devices(void);

#endif
