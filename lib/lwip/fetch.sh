#!/bin/bash
# lib/lwip/fetch.sh: lwIP's sources for this OS, under build/.
#
#   lib/lwip/fetch.sh <download-dir> <source-dir>
#   (hake/lwip.mk runs it as build/src/lwip build/lwip/src)
#
# Steps, each skipped when already done:
#   <download-dir>  `apt-get source --download-only lwip`: Debian's .dsc,
#                   the upstream tarball (lwip_2.1.3+dfsg1.orig.tar.xz) and
#                   Debian's packaging; the archive is whatever apt source
#                   the machine uses (hake/deps.sh enables deb-src for it).
#                   apt checks the files against the signed Sources index.
#   <source-dir>    the upstream tarball unpacked (Debian's own patches are
#                   not applied: they add a Unix port and CMake files, see
#                   lib/lwip/README.md), then lib/lwip/patches/*.patch in
#                   name order. Its stamp is a hash of the tarball and the
#                   patches, so a new patch re-unpacks.
# The unpack's output goes to <source-dir>.log; on failure its tail is
# printed (apt's output only on failure).
set -euo pipefail

DL=${1:?usage: lib/lwip/fetch.sh <download-dir> <source-dir>}
SRC=${2:?usage: lib/lwip/fetch.sh <download-dir> <source-dir>}
VERSION=2.1.3
TOP=$(cd "$(dirname "$0")/../.." && pwd)
PATCHES=("$TOP"/lib/lwip/patches/*.patch)
[ -e "${PATCHES[0]}" ] || PATCHES=()

say() { echo "  LWIP    $*"; }
mkdir -p "$DL" "$(dirname "$SRC")"
LOG=$(realpath -m "$SRC.log")
: > "$LOG"
fail() {
    echo "lwip: $1 failed; the last lines of ${LOG#$TOP/}:" >&2
    tail -n 15 "$LOG" >&2
    exit 1
}

tarball() { compgen -G "$DL/lwip_$VERSION*.orig.tar.*" | head -n1 || true; }

if [ -z "$(tarball)" ]; then
    say "apt-get source --download-only lwip (into ${DL#$TOP/})"
    # apt's own output names the archive: shown on failure, kept nowhere.
    if ! out=$(cd "$DL" && apt-get source --download-only lwip 2>&1); then
        echo "lwip: apt-get source lwip failed (is deb-src enabled? run 'make deps'):" >&2
        echo "$out" | tail -n 15 >&2
        exit 1
    fi
    [ -n "$(tarball)" ] || {
        echo "lwip: the archive's lwip is not $VERSION:" $(ls "$DL") >&2
        exit 1
    }
fi
TARBALL=$(tarball)

src_id=$( { basename "$TARBALL"; sha256sum < "$TARBALL"; cat ${PATCHES[@]+"${PATCHES[@]}"}; } | sha256sum)
if [ "$(cat "$SRC.stamp" 2>/dev/null)" != "$src_id" ]; then
    say "unpack $(basename "$TARBALL")${PATCHES[0]+ and apply ${#PATCHES[@]} patch(es)}"
    rm -rf "$SRC" "$SRC.stamp"
    mkdir -p "$SRC"
    # -m: the files are as new as the unpacking, so every object is rebuilt
    # (an old mtime would leave objects of a since-removed patch in place).
    tar -xmf "$TARBALL" -C "$SRC" --strip-components=1 >>"$LOG" 2>&1 || fail "unpack"
    for p in ${PATCHES[@]+"${PATCHES[@]}"}; do
        patch -d "$SRC" -p1 --forward --batch < "$p" >>"$LOG" 2>&1 || fail "patch $(basename "$p")"
    done
    echo "$src_id" > "$SRC.stamp"
fi
