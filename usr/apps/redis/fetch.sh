#!/bin/bash
# usr/apps/redis/fetch.sh: Redis 7.0.15's sources for this OS, under build/.
#
#   usr/apps/redis/fetch.sh <download-dir> <source-dir>
#   (usr/apps/redis/rules.mk runs it as build/src/redis build/redis/src)
#
# Steps, each skipped when already done:
#   <download-dir>  `apt-get source --download-only redis`: Debian 12's .dsc,
#                   the upstream tarball and Debian's packaging (patches);
#                   the archive is whatever apt source the machine uses
#                   (hake/deps.sh enables deb-src for it). apt checks the
#                   files against the signed Sources index.
#   <source-dir>    `dpkg-source -x` of the .dsc: the upstream tree with
#                   Debian's patches applied (its CVE fixes among them),
#                   then usr/apps/redis/patches/*.patch in name order, then
#                   src/release.h as Redis's mkreleasehdr.sh writes it
#                   without git (SHA1 00000000). Its stamp is a hash of the .dsc
#                   and our patches, so a new patch re-unpacks.
# The unpack's output goes to <source-dir>.log; on failure its tail is
# printed (apt's output only on failure).
set -euo pipefail

DL=${1:?usage: usr/apps/redis/fetch.sh <download-dir> <source-dir>}
SRC=${2:?usage: usr/apps/redis/fetch.sh <download-dir> <source-dir>}
VERSION=7.0.15
TOP=$(cd "$(dirname "$0")/../../.." && pwd)
PATCHES=("$TOP"/usr/apps/redis/patches/*.patch)
[ -e "${PATCHES[0]}" ] || PATCHES=()

say() { echo "  REDIS   $*"; }
mkdir -p "$DL" "$(dirname "$SRC")"
LOG=$(realpath -m "$SRC.log")
: > "$LOG"
fail() {
    echo "redis: $1 failed; the last lines of ${LOG#$TOP/}:" >&2
    tail -n 15 "$LOG" >&2
    exit 1
}

dsc() { compgen -G "$DL/redis_$VERSION-*.dsc" | head -n1 || true; }

if [ -z "$(dsc)" ]; then
    say "apt-get source --download-only redis (into ${DL#$TOP/})"
    if ! out=$(cd "$DL" && apt-get source --download-only redis 2>&1); then
        echo "redis: apt-get source redis failed (is deb-src enabled? run 'make deps'):" >&2
        echo "$out" | tail -n 15 >&2
        exit 1
    fi
    [ -n "$(dsc)" ] || {
        echo "redis: the archive's redis is not $VERSION:" $(ls "$DL") >&2
        exit 1
    }
fi
DSC=$(dsc)

src_id=$( { basename "$DSC"; sha256sum < "$DSC"; cat ${PATCHES[@]+"${PATCHES[@]}"}; } | sha256sum)
if [ "$(cat "$SRC.stamp" 2>/dev/null)" != "$src_id" ]; then
    say "dpkg-source -x $(basename "$DSC")${PATCHES[0]+ and apply ${#PATCHES[@]} patch(es)}"
    rm -rf "$SRC" "$SRC.stamp"
    # --no-check: apt checked the files against the signed index already
    # (dpkg-source would look for the uploader's key, which we do not keep).
    dpkg-source --no-check -x "$DSC" "$SRC" >>"$LOG" 2>&1 || fail "dpkg-source -x"
    # Every file as new as the unpacking, so every object is rebuilt (an old
    # mtime would leave objects of a since-removed patch in place).
    find "$SRC" -type f -exec touch {} + >>"$LOG" 2>&1
    for p in ${PATCHES[@]+"${PATCHES[@]}"}; do
        patch -d "$SRC" -p1 --forward --batch < "$p" >>"$LOG" 2>&1 || fail "patch $(basename "$p")"
    done
    # What Redis's mkreleasehdr.sh writes when there is no git (it would
    # otherwise take the SHA1 of whatever repository build/ sits in).
    printf '#define REDIS_GIT_SHA1 "00000000"\n#define REDIS_GIT_DIRTY "0"\n#define REDIS_BUILD_ID "arrakis"\n' \
        > "$SRC/src/release.h"
    echo "$src_id" > "$SRC.stamp"
fi
