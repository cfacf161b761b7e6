#!/bin/sh
# Installs the Debian packages vrrpd needs to build, test and demo.
# Idempotent: does nothing when everything is already installed.
set -eu
PKGS="build-essential pkg-config libnl-3-dev libnl-route-3-dev libmnl-dev libnftables-dev libcmocka-dev
iproute2 iputils-ping arping tcpdump nftables keepalived procps psmisc mandoc python3-aiosmtpd mariadb-server"
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
# keepalived's package would start a service of its own on a systemd host;
# vrrpd only uses its binary for interop tests, so keep it from starting.
printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d.vrrpd
chmod +x /usr/sbin/policy-rc.d.vrrpd
[ -e /usr/sbin/policy-rc.d ] || { cp /usr/sbin/policy-rc.d.vrrpd /usr/sbin/policy-rc.d; trap 'rm -f /usr/sbin/policy-rc.d' EXIT; }
rm -f /usr/sbin/policy-rc.d.vrrpd
# shellcheck disable=SC2086
apt-get install -y -qq --no-install-recommends $missing
