#!/bin/bash
# usr/apps/memcached/fetch.sh <download-dir> <source-dir>: memcached 1.6.18
# from Debian 12's `memcached` source package with Debian's patches (its fix
# of uninitialised variables among them), then
# usr/apps/memcached/patches/*.patch (hake/debsrc.sh does that;
# usr/apps/memcached/rules.mk runs this as build/src/memcached
# build/memcached/src). configure is not run: our include/config.h stands
# for what it would write. memcached_dtrace.d is removed: it is not built,
# and hake includes every *.d under build/ as a dependency file.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
src=${2:?usage: usr/apps/memcached/fetch.sh <download-dir> <source-dir>}
bash "$here/../../../hake/debsrc.sh" MEMCD memcached 1.6.18 "$here/patches" "$1" "$src"
rm -f "$src/memcached_dtrace.d"
