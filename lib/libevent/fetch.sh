#!/bin/bash
# lib/libevent/fetch.sh: libevent's sources for this OS, under build/.
#
#   lib/libevent/fetch.sh <download-dir> <source-dir>
#   (hake/libevent.mk runs it as build/src/libevent build/libevent/src)
#
# Steps, each skipped when already done:
#   <download-dir>  `apt-get source --download-only libevent`: Debian 12's
#                   .dsc, the upstream tarball and Debian's packaging (deb-src
#                   is enabled by hake/deps.sh); apt checks the files against
#                   the signed Sources index.
#   <source-dir>    `dpkg-source -x`: the tarball unpacked with Debian's own
#                   patches applied (debian/patches/series), then
#                   lib/libevent/patches/*.patch in name order, if any. Its
#                   stamp is a hash of the .dsc and our patches.
set -euo pipefail

DL=${1:?usage: lib/libevent/fetch.sh <download-dir> <source-dir>}
SRC=${2:?usage: lib/libevent/fetch.sh <download-dir> <source-dir>}
VERSION=2.1.12-stable
TOP=$(cd "$(dirname "$0")/../.." && pwd)
PATCHES=("$TOP"/lib/libevent/patches/*.patch)
[ -e "${PATCHES[0]}" ] || PATCHES=()

say() { echo "  EVENT   $*"; }
mkdir -p "$DL" "$(dirname "$SRC")"
LOG=$(realpath -m "$SRC.log")
: > "$LOG"
fail() {
    echo "libevent: $1 failed; the last lines of ${LOG#$TOP/}:" >&2
    tail -n 15 "$LOG" >&2
    exit 1
}

dsc() { compgen -G "$DL/libevent_$VERSION-*.dsc" | head -n1 || true; }

if [ -z "$(dsc)" ]; then
    say "apt-get source --download-only libevent (into ${DL#$TOP/})"
    if ! out=$(cd "$DL" && apt-get source --download-only libevent 2>&1); then
        echo "libevent: apt-get source libevent failed (is deb-src enabled? run 'make deps'):" >&2
        echo "$out" | tail -n 15 >&2
        exit 1
    fi
    [ -n "$(dsc)" ] || {
        echo "libevent: the archive's libevent is not $VERSION:" $(ls "$DL") >&2
        exit 1
    }
fi
DSC=$(dsc)

src_id=$( { basename "$DSC"; sha256sum < "$DSC"; cat ${PATCHES[@]+"${PATCHES[@]}"}; } | sha256sum)
if [ "$(cat "$SRC.stamp" 2>/dev/null)" != "$src_id" ]; then
    say "dpkg-source -x $(basename "$DSC") (Debian's patches)${PATCHES[0]+, then ${#PATCHES[@]} of ours}"
    rm -rf "$SRC" "$SRC.stamp"
    dpkg-source --no-check -x "$DSC" "$SRC" >>"$LOG" 2>&1 || fail "dpkg-source -x"
    find "$SRC" -type f -exec touch {} +     # every object is rebuilt after a change
    for p in ${PATCHES[@]+"${PATCHES[@]}"}; do
        patch -d "$SRC" -p1 --forward --batch < "$p" >>"$LOG" 2>&1 || fail "patch $(basename "$p")"
    done
    echo "$src_id" > "$SRC.stamp"
fi
