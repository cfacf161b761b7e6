/* conf_model: the parts of the configuration model that only the conf
 * module needs. Private to src/conf/ and its tests.
 *
 * Promises: built-in defaults as the documentation states them, and small
 * helpers shared by the checks and the dump. Depends on nothing else in
 * conf (src/conf/model.c also implements conf.h's free, find and equal). */
#ifndef VRRPD_CONF_MODEL_H
#define VRRPD_CONF_MODEL_H

#include "conf/conf.h"

/* Built-in defaults (global_defs' router_id and mail names come from the
 * host name). */
void conf_global_defaults(struct conf_global *g);
void conf_instance_defaults(struct conf_instance *in);
/* The device a VIP goes on: its own "dev", else the instance's interface. */
const char *conf_vip_dev(const struct conf_instance *in, const struct vip *v);
/* "IPv4" / "IPv6", for messages and the dump. */
const char *conf_family_name(int family);
/* What a vrrp_script / vrrp_check owns (its command, an https check's
 * TLS settings): conf_free's share, and a script dropped at load. */
void conf_script_free(struct conf_script *sc);
/* An https check's TLS settings' share of conf_free, conf_script_equal and
 * conf_dump (kw_tls.c, beside the options' parser). */
void conf_tls_free(struct conf_tls *t);
bool conf_tls_equal(const struct conf_tls *a, const struct conf_tls *b);
void conf_tls_dump(FILE *out, const struct conf_tls *t);
/* A config loaded by a reload child (conf/arena.h): builds its https
 * checks' TLS contexts in this process (a check whose files cannot be used
 * now keeps none and fails), or, with RELEASE, frees them. */
void conf_tls_adopt(struct config *c, bool release);

#endif
