#!/bin/sh
# Installs the Debian packages Taskmaster needs to build and test, by name,
# and only those that are missing.
set -e
PKGS="gcc make pkg-config libevent-dev libreadline-dev libexpat1-dev
libcurl4-openssl-dev libcmocka-dev python3-pytest python3-pexpect supervisor
valgrind clang libclang-rt-14-dev llvm"
missing=""
for p in $PKGS; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' ||
		missing="$missing $p"
done
[ -z "$missing" ] && exit 0
echo "installing:$missing"
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO=sudo
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends $missing
