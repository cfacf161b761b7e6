/* addrlist: does an advert list the addresses we do (conformance 24)?
 * Pure.
 *
 * Promises: true when the advert's address count equals ours and every
 * address it lists is one of ours (order does not matter: peers may list
 * them in another order). vrrpd only counts and logs a mismatch, never
 * drops for it (docs/conformance.md, rule 24). */
#ifndef VRRPD_ADDRLIST_H
#define VRRPD_ADDRLIST_H

#include <stdbool.h>
#include <stddef.h>

#include "core/addr.h"
#include "core/pkt.h"

bool addrlist_same(const struct pkt_advert *adv, const struct vaddr *ours, size_t n);
/* Is A one of the N addresses of LIST (check_unicast_src: is an advert's
 * source one of the instance's unicast peers)? */
bool addrlist_has(const struct vaddr *list, size_t n, const struct vaddr *a);

#endif
