#!/bin/sh
# Installs the Debian packages vrrpd needs to build, test and demo.
# Idempotent: does nothing when everything is already installed.
set -eu
# clang and libclang-rt-dev build the fuzz harnesses (libFuzzer's runtime is
# in libclang-rt-dev, which clang only recommends); llvm brings
# llvm-symbolizer for the sanitizers' stack traces. libssl-dev: the https
# check. libmariadb-dev: the MySQL / MariaDB check (vrrp_check { mysql { } });
# mariadb-server: the private servers of tests/netns/t_mariadb.sh and
# t_check_mysql.sh.
PKGS="build-essential pkg-config libnl-3-dev libnl-route-3-dev libmnl-dev libnftables-dev libssl-dev libcmocka-dev libmariadb-dev
clang libclang-rt-dev llvm
iproute2 iputils-ping arping tcpdump openssl curl nftables keepalived frr procps psmisc mandoc python3-aiosmtpd mariadb-server"
missing=""
for p in $PKGS; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
[ -z "$missing" ] && exit 0
if [ "$(id -u)" != 0 ]; then
	echo "deps: missing packages:$missing (run as root to install them)" >&2
	exit 1
fi
echo "deps: installing$missing"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
# keepalived's and frr's packages would start a service of their own on a
# systemd host; vrrpd only uses their binaries for interop tests (FRR's zebra
# and vrrpd run inside the test namespaces), so keep them from starting.
printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d.vrrpd
chmod +x /usr/sbin/policy-rc.d.vrrpd
[ -e /usr/sbin/policy-rc.d ] || { cp /usr/sbin/policy-rc.d.vrrpd /usr/sbin/policy-rc.d; trap 'rm -f /usr/sbin/policy-rc.d' EXIT; }
rm -f /usr/sbin/policy-rc.d.vrrpd
# shellcheck disable=SC2086
apt-get install -y -qq --no-install-recommends $missing

# FRR: no service of the host's. On a fresh install, keep the unit from
# starting at boot too, and make sure that no FRR daemon runs in the host's
# network namespace (the tests' own run in namespaces of their own).
case " $missing " in
*" frr "*)
	if command -v systemctl >/dev/null 2>&1; then
		systemctl disable --quiet frr.service 2>/dev/null || true
	fi
	host_net=$(readlink /proc/$$/ns/net) # the namespace this script runs in: the host's
	frr_on_host() {
		for d in /proc/[0-9]*; do
			case $(readlink "$d/exe" 2>/dev/null) in
			/usr/lib/frr/*) [ "$(readlink "$d/ns/net" 2>/dev/null)" = "$host_net" ] && echo "${d#/proc/}" ;;
			esac
		done
	}
	pids=$(frr_on_host | tr '\n' ' ')
	if [ -n "$pids" ]; then
		echo "deps: the frr package started FRR on this host (pids $pids); stopping its service" >&2
		if [ -d /run/systemd/system ]; then
			systemctl stop frr.service || true
		else
			/usr/lib/frr/frrinit.sh stop || true
		fi
		pids=$(frr_on_host | tr '\n' ' ')
		if [ -n "$pids" ]; then
			echo "deps: FRR daemons still run on this host (pids $pids): stop the frr service" >&2
			exit 1
		fi
	fi
	;;
esac
