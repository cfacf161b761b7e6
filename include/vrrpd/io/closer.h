/* closer: close(2) of packet sockets without waiting for the kernel.
 *
 * Why: the kernel releases an AF_PACKET socket with synchronize_net(), one
 * RCU grace period each (about 16 ms on a small VM), so closing the claim
 * sockets of four interfaces and the GARP socket in a row held the loop,
 * and the exit, for 80 ms.
 *
 * Promises: closer_close(FD) returns at once; FD is closed by a thread
 * that does nothing else (it touches no memory of ours), so several closes
 * overlap into about one grace period. When no thread can be started, FD
 * is closed here, as close(2) would. The caller must forget FD: the number
 * may be reused once it is closed. closer_drain() waits, at most
 * MAX_MS milliseconds, for every close handed over so far (before exit:
 * otherwise the exit would release what is left one socket at a time).
 * The only threads vrrpd ever has are these. */
#ifndef VRRPD_CLOSER_H
#define VRRPD_CLOSER_H

void closer_close(int fd);
void closer_drain(unsigned max_ms);

#endif
