#!/bin/bash
# hake/debsrc.sh: a third-party source tree from Debian's source package,
# under build/. The one fetcher of every port and library (lwIP, Redis,
# libevent, memcached); each keeps a short fetch.sh that names its package.
#
#   hake/debsrc.sh [--orig] TAG PACKAGE VERSION PATCH_DIR <download-dir> <source-dir>
#
# Steps, each skipped when already done:
#   <download-dir>  `apt-get source --download-only PACKAGE`: Debian's .dsc,
#                   the upstream tarball and Debian's packaging; the archive
#                   is whatever apt source the machine uses (hake/deps.sh
#                   enables deb-src for it). apt checks the files against
#                   the signed Sources index. VERSION must match the
#                   archive's upstream version.
#   <source-dir>    `dpkg-source -x`: the tarball with Debian's own patches
#                   applied (--orig: the upstream tarball alone, for lwIP,
#                   whose Debian patches add a Unix port we do not want),
#                   then PATCH_DIR/*.patch in name order. Its stamp is a
#                   hash of the .dsc (or tarball) and our patches, so a new
#                   or removed patch unpacks again; every file is as new as
#                   the unpacking, so every object is rebuilt.
# The unpack's output goes to <source-dir>.log; on failure its tail is
# printed (apt's output only on failure).
set -euo pipefail

orig=0
[ "${1:-}" = --orig ] && { orig=1; shift; }
usage="usage: hake/debsrc.sh [--orig] TAG PACKAGE VERSION PATCH_DIR <download-dir> <source-dir>"
TAG=${1:?$usage} PKG=${2:?$usage} VERSION=${3:?$usage} PATCH_DIR=${4:?$usage}
DL=${5:?$usage} SRC=${6:?$usage}
TOP=$(cd "$(dirname "$0")/.." && pwd)
PATCHES=("$PATCH_DIR"/*.patch)
[ -e "${PATCHES[0]}" ] || PATCHES=()

say() { printf '  %-7s %s\n' "$TAG" "$*"; }
mkdir -p "$DL" "$(dirname "$SRC")"
LOG=$(realpath -m "$SRC.log")
: > "$LOG"
fail() {
    echo "$PKG: $1 failed; the last lines of ${LOG#$TOP/}:" >&2
    tail -n 15 "$LOG" >&2
    exit 1
}

if [ $orig = 1 ]; then
    pick() { compgen -G "$DL/${PKG}_$VERSION*.orig.tar.*" | head -n1 || true; }
else
    pick() { compgen -G "$DL/${PKG}_$VERSION-*.dsc" | head -n1 || true; }
fi

if [ -z "$(pick)" ]; then
    say "apt-get source --download-only $PKG (into ${DL#$TOP/})"
    # apt's own output names the archive: shown on failure, kept nowhere.
    if ! out=$(cd "$DL" && apt-get source --download-only "$PKG" 2>&1); then
        echo "$PKG: apt-get source $PKG failed (is deb-src enabled? run 'make deps'):" >&2
        echo "$out" | tail -n 15 >&2
        exit 1
    fi
    [ -n "$(pick)" ] || {
        echo "$PKG: the archive's $PKG is not $VERSION:" $(ls "$DL") >&2
        exit 1
    }
fi
FROM=$(pick)

src_id=$( { basename "$FROM"; sha256sum < "$FROM"; cat ${PATCHES[@]+"${PATCHES[@]}"}; } | sha256sum)
if [ "$(cat "$SRC.stamp" 2>/dev/null)" != "$src_id" ]; then
    rm -rf "$SRC" "$SRC.stamp"
    if [ $orig = 1 ]; then
        say "unpack $(basename "$FROM")${PATCHES[0]+ and apply ${#PATCHES[@]} patch(es)}"
        mkdir -p "$SRC"
        tar -xmf "$FROM" -C "$SRC" --strip-components=1 >>"$LOG" 2>&1 || fail "unpack"
    else
        say "dpkg-source -x $(basename "$FROM") (Debian's patches)${PATCHES[0]+, then ${#PATCHES[@]} of ours}"
        dpkg-source --no-check -x "$FROM" "$SRC" >>"$LOG" 2>&1 || fail "dpkg-source -x"
        find "$SRC" -type f -exec touch {} +
    fi
    for p in ${PATCHES[@]+"${PATCHES[@]}"}; do
        patch -d "$SRC" -p1 --forward --batch < "$p" >>"$LOG" 2>&1 || fail "patch $(basename "$p")"
    done
    echo "$src_id" > "$SRC.stamp"
fi
