#!/bin/bash
# hake/deps.sh: install what the build and the tests need, from apt.
#
# Idempotent and quiet when everything is present. QEMU 10 comes from
# <codename>-backports (Debian 12's own QEMU 7.2 has no igb device) and
# deb-src lines are enabled for the source packages later issues build
# (newlib, lwip, redis, memcached). cpio packs the Linux guest's initramfs;
# its kernel and busybox-static are fetched as .debs by
# tools/linux-guest/build (`apt-get download`, never installed:
# busybox-static conflicts with the busybox a system may need).
# redis-tools is Debian's redis-cli and redis-benchmark, which the Redis
# tests run on the host against usr/apps/redis.
# The mirror is never written here: it is read from the machine's existing
# apt configuration, so whatever mirror the machine already trusts is the
# one we extend.
set -euo pipefail

PACKAGES=(grub-pc-bin grub-efi-amd64-bin grub-common xorriso mtools ovmf
          python3-pytest python3-pexpect libcmocka-dev dpkg-dev
          binutils gcc make gdb iproute2 iputils-ping newlib-source cpio
          redis-tools)
QEMU_MIN_MAJOR=10
EXTRA_SOURCES=/etc/apt/sources.list.d/arrakis-backports-src.sources

say() { echo "deps: $*"; }
die() { echo "deps: error: $*" >&2; exit 1; }

codename() { . /etc/os-release; echo "${VERSION_CODENAME:?no VERSION_CODENAME in /etc/os-release}"; }

# The URI of the first apt source that serves the release itself (deb822
# .sources files first, then one-line sources.list files).
debian_mirror() {
    local cn=$1 f
    for f in /etc/apt/sources.list.d/*.sources; do
        [ -f "$f" ] || continue
        [ "$f" = "$EXTRA_SOURCES" ] && continue
        awk -v cn="$cn" '
            BEGIN { RS=""; FS="\n" }
            {
                uri=""; ok=0; deb=0
                for (i = 1; i <= NF; i++) {
                    if ($i ~ /^URIs:/)   { split($i, a, /[ \t]+/); uri=a[2] }
                    if ($i ~ /^Suites:/) { n=split($i, s, /[ \t]+/); for (j=2;j<=n;j++) if (s[j]==cn) ok=1 }
                    if ($i ~ /^Types:/ && $i ~ /deb( |$)/) deb=1
                }
                if (ok && deb && uri != "") { print uri; exit }
            }' "$f"
    done | head -n1
    for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
        [ -f "$f" ] || continue
        awk -v cn="$cn" '$1=="deb" { for (i=2;i<=NF;i++) if ($i ~ /^[a-z]+:\/\//) { if ($(i+1)==cn) { print $i; exit } } }' "$f"
    done | head -n1
}

signed_by() {
    local f
    for f in /etc/apt/sources.list.d/*.sources; do
        [ -f "$f" ] && [ "$f" != "$EXTRA_SOURCES" ] || continue
        awk '/^Signed-By:/ { print $2; exit }' "$f"
    done | head -n1
}

ensure_sources() {
    [ -f "$EXTRA_SOURCES" ] && return 1
    local cn uri key
    cn=$(codename)
    uri=$(debian_mirror "$cn")
    [ -n "$uri" ] || die "no apt source for '$cn' found in /etc/apt; add the Debian archive first"
    key=$(signed_by)
    [ -n "$key" ] || key=/usr/share/keyrings/debian-archive-keyring.gpg
    say "adding $cn-backports and deb-src (mirror taken from the existing apt sources)"
    cat > "$EXTRA_SOURCES" <<SRC
# Added by hake/deps.sh: QEMU 10 from backports and deb-src for source builds.
Types: deb deb-src
URIs: $uri
Suites: $cn-backports
Components: main
Signed-By: $key

Types: deb-src
URIs: $uri
Suites: $cn $cn-updates
Components: main
Signed-By: $key
SRC
    return 0
}

qemu_ok() {
    command -v qemu-system-x86_64 >/dev/null || return 1
    local v
    v=$(qemu-system-x86_64 --version | sed -n 's/.*version \([0-9]*\)\..*/\1/p')
    [ "${v:-0}" -ge "$QEMU_MIN_MAJOR" ]
}

missing_packages() {
    local p
    for p in "${PACKAGES[@]}"; do
        dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || echo "$p"
    done
}

main() {
    [ "$(id -u)" = 0 ] || SUDO=sudo
    local need updated=0
    need=$(missing_packages)
    if [ -z "$need" ] && qemu_ok && [ -f "$EXTRA_SOURCES" ]; then
        return 0
    fi
    if ensure_sources || [ -n "$need" ] || ! qemu_ok; then
        say "apt-get update"
        ${SUDO:-} apt-get update -qq >/dev/null
        updated=1
    fi
    export DEBIAN_FRONTEND=noninteractive
    if [ -n "$need" ]; then
        say "installing:" $need
        ${SUDO:-} apt-get install -y -qq --no-install-recommends $need >/dev/null
    fi
    if ! qemu_ok; then
        say "installing qemu-system-x86 from $(codename)-backports"
        ${SUDO:-} apt-get install -y -qq --no-install-recommends \
            -t "$(codename)-backports" qemu-system-x86 qemu-system-data ipxe-qemu seabios >/dev/null
        qemu_ok || die "QEMU >= $QEMU_MIN_MAJOR not available from $(codename)-backports"
    fi
    : "$updated"
    say "ready: $(qemu-system-x86_64 --version | head -n1)"
}

main "$@"
