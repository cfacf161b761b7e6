/* frame_tx: sends prebuilt link-layer frames (core/frame.h).
 *
 * Promises: one non-blocking AF_PACKET socket shared by all interfaces;
 * frame_tx_send() writes one whole frame on one interface, addressed to
 * the frame's own Ethernet destination, or fails (-1, errno). */
#ifndef VRRPD_FRAME_TX_H
#define VRRPD_FRAME_TX_H

#include <stddef.h>
#include <stdint.h>

int frame_tx_open(void);
int frame_tx_send(int fd, int ifindex, const uint8_t *frame, size_t len);

#endif
