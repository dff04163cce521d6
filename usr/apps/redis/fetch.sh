#!/bin/bash
# usr/apps/redis/fetch.sh <download-dir> <source-dir>: Redis 7.0.15 from
# Debian 12's `redis` source package with Debian's patches (its CVE fixes
# among them), then usr/apps/redis/patches/*.patch (hake/debsrc.sh does
# that; usr/apps/redis/rules.mk runs this as build/src/redis
# build/redis/src), then src/release.h as Redis's mkreleasehdr.sh writes
# it without git (it would otherwise take the SHA1 of whatever repository
# build/ sits in).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
src=${2:?usage: usr/apps/redis/fetch.sh <download-dir> <source-dir>}
bash "$here/../../../hake/debsrc.sh" REDIS redis 7.0.15 "$here/patches" "$1" "$src"
release='#define REDIS_GIT_SHA1 "00000000"
#define REDIS_GIT_DIRTY "0"
#define REDIS_BUILD_ID "arrakis"'
# Written only when it differs, so an idle make rebuilds nothing.
[ "$(cat "$src/src/release.h" 2>/dev/null)" = "$release" ] || echo "$release" > "$src/src/release.h"
