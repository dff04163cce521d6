#!/bin/bash
# usr/apps/memcached/fetch.sh: memcached 1.6.18's sources for this OS, under build/.
#
#   usr/apps/memcached/fetch.sh <download-dir> <source-dir>
#   (usr/apps/memcached/rules.mk runs it as build/src/memcached build/memcached/src)
#
# Steps, each skipped when already done:
#   <download-dir>  `apt-get source --download-only memcached`: Debian 12's .dsc,
#                   the upstream tarball and Debian's packaging (patches);
#                   the archive is whatever apt source the machine uses
#                   (hake/deps.sh enables deb-src for it). apt checks the
#                   files against the signed Sources index.
#   <source-dir>    `dpkg-source -x` of the .dsc: the upstream tree with
#                   Debian's patches applied (its fix of uninitialised variables among them),
#                   then usr/apps/memcached/patches/*.patch in name order.
#                   Its stamp is a hash of the .dsc and our patches, so a
#                   new patch re-unpacks. configure is not run: our
#                   include/config.h stands for what it would write.
# The unpack's output goes to <source-dir>.log; on failure its tail is
# printed (apt's output only on failure).
set -euo pipefail

DL=${1:?usage: usr/apps/memcached/fetch.sh <download-dir> <source-dir>}
SRC=${2:?usage: usr/apps/memcached/fetch.sh <download-dir> <source-dir>}
VERSION=1.6.18
TOP=$(cd "$(dirname "$0")/../../.." && pwd)
PATCHES=("$TOP"/usr/apps/memcached/patches/*.patch)
[ -e "${PATCHES[0]}" ] || PATCHES=()

say() { echo "  MEMCD   $*"; }
mkdir -p "$DL" "$(dirname "$SRC")"
LOG=$(realpath -m "$SRC.log")
: > "$LOG"
fail() {
    echo "memcached: $1 failed; the last lines of ${LOG#$TOP/}:" >&2
    tail -n 15 "$LOG" >&2
    exit 1
}

dsc() { compgen -G "$DL/memcached_$VERSION-*.dsc" | head -n1 || true; }

if [ -z "$(dsc)" ]; then
    say "apt-get source --download-only memcached (into ${DL#$TOP/})"
    if ! out=$(cd "$DL" && apt-get source --download-only memcached 2>&1); then
        echo "memcached: apt-get source memcached failed (is deb-src enabled? run 'make deps'):" >&2
        echo "$out" | tail -n 15 >&2
        exit 1
    fi
    [ -n "$(dsc)" ] || {
        echo "memcached: the archive's memcached is not $VERSION:" $(ls "$DL") >&2
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
    # memcached's DTrace probe file is not built (no DTrace here), and its
    # name ends in .d: hake/main.mk includes every *.d under build/ as a
    # dependency file, and make stops at the first line of this one.
    rm -f "$SRC/memcached_dtrace.d"
    echo "$src_id" > "$SRC.stamp"
fi
