/* addrlist: advert address list vs ours. Pure: see addrlist.h. */
#include "core/addrlist.h"

#include <string.h>
#include <sys/socket.h>

bool addrlist_same(const struct pkt_advert *adv, const struct vaddr *ours, size_t n)
{
	size_t alen = adv->family == AF_INET ? 4 : 16;

	if (adv->naddr != n)
		return false;
	for (size_t i = 0; i < adv->naddr; i++) {
		bool found = false;
		for (size_t j = 0; j < n && !found; j++)
			found = ours[j].family == adv->family &&
				!memcmp(adv->addrs + i * alen, ours[j].u.b, alen);
		if (!found)
			return false;
	}
	return true;
}

bool addrlist_has(const struct vaddr *list, size_t n, const struct vaddr *a)
{
	for (size_t i = 0; i < n; i++)
		if (addr_eq(&list[i], a))
			return true;
	return false;
}
