/* vmac: an instance's virtual MAC interface (use_vmac). Made when the
 * instance is created, so that VIPs, gratuitous ARP and NA, and adverts
 * (unless vmac_xmit_base) use it; removed when the instance goes. The
 * parent's ARP settings are changed with the first on an interface and
 * restored with the last (io/vmac.h). */
#include <errno.h>
#include <stdio.h>
#include <unistd.h>

#include "core/frame.h"
#include "daemon/internal.h"
#include "io/log.h"
#include "io/sock.h"

int vr_vmac_open(struct vr *v)
{
	const struct conf_instance *ci = v->ci;
	struct daemon *d = v->d;
	uint8_t mac[6];
	char err[160];

	if (!ci->use_vmac || !v->ifp || v->vmac_ifindex)
		return 0;
	if (!d->vmac_sk && !(d->vmac_sk = vmac_open())) {
		log_err("%s: cannot open a netlink socket for %s", ci->name, ci->vmac_name);
		return -1;
	}
	frame_vmac(ci->family, ci->vrid, mac);
	if (vmac_create(d->vmac_sk, ci->vmac_name, v->ifp->name, v->ifp->ifindex, mac,
			&v->vmac_ifindex, &v->ifp->vmac_saved, err, sizeof(err)) < 0) {
		log_errx("%s: virtual MAC interface %s: %s", ci->name, ci->vmac_name, err);
		v->vmac_ifindex = 0;
		return -1;
	}
	v->ifp->n_vmacs++;
	log_info("%s: virtual MAC interface %s (%02x:%02x:%02x:%02x:%02x:%02x) on %s", ci->name,
		 ci->vmac_name, mac[0], mac[1], mac[2], mac[3], mac[4], mac[5], v->ifp->name);
	if (!ci->vmac_xmit_base) {
		v->vmac_fd = sock_open_tx(ci->family, ci->vmac_name, v->vmac_ifindex);
		if (v->vmac_fd < 0)
			log_err("%s: cannot open a socket on %s; adverts go out of %s", ci->name,
				ci->vmac_name, v->ifp->name);
	}
	return 0;
}

void vr_vmac_close(struct vr *v)
{
	vr_txq_flush(v->d); /* nothing queued on the fd that goes */
	if (v->vmac_fd >= 0)
		close(v->vmac_fd);
	v->vmac_fd = -1;
	if (!v->vmac_ifindex)
		return;
	if (vmac_delete(v->d->vmac_sk, v->ci->vmac_name) < 0)
		log_warnx("%s: cannot remove %s", v->ci->name, v->ci->vmac_name);
	v->vmac_ifindex = 0;
	if (v->ifp && v->ifp->n_vmacs && !--v->ifp->n_vmacs)
		vmac_restore_parent(v->d->vmac_sk, v->ifp->name, &v->ifp->vmac_saved);
	if (v->ifp && !v->ifp->n_vmacs)
		v->ifp->vmac_saved.saved = false;
}
