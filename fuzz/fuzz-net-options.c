/* SPDX-License-Identifier: MIT */
/* Fuzz target: the network option parsers of outside input: hostfwd rules
 * (command line and hostfwd_add), MAC addresses, -nic splitting. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "net/hostfwd.h"
#include "net/net.h"
#include "util/error.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = malloc(size + 1), *nd = NULL, *dev = NULL;
	struct error *err = NULL;
	struct hostfwd fwd;
	uint8_t mac[6];

	if (!text) {
		return 0;
	}
	memcpy(text, data, size);
	text[size] = '\0';
	hostfwd_parse(text, &fwd, &err);
	error_free(err);
	err = NULL;
	hostfwd_parse_host(text, &fwd, &err);
	error_free(err);
	err = NULL;
	netdev_parse_mac(text, mac, &err);
	error_free(err);
	err = NULL;
	netdev_nic_split(text, (unsigned)size, &nd, &dev, &err);
	error_free(err);
	free(nd);
	free(dev);
	free(text);
	return 0;
}
