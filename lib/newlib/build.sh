#!/bin/bash
# lib/newlib/build.sh: build newlib for this OS's user space, under build/.
#
#   lib/newlib/build.sh <dir>        (hake/newlib.mk runs it as build/newlib)
#
# Steps, each skipped when its stamp is current:
#   <dir>/src      the tarball of Debian's newlib-source package, unpacked,
#                  with lib/newlib/patches/*.patch applied in name order
#   <dir>/obj      configured out of tree for x86_64-elf with the host
#                  gcc/binutils (options below; lib/newlib/README.md says why)
#   <dir>/install  `make all-target-newlib install-target-newlib`: libc.a,
#                  libm.a and the headers under x86_64-elf/ (no libgloss)
# Output goes to <dir>/build.log; on failure its tail is printed.
#
# Under `make -jN` the recipe is marked `+`, so newlib's make joins the
# parent's jobserver; run by hand it uses every core.
set -euo pipefail

DIR=${1:?usage: lib/newlib/build.sh <build-dir>}
TOP=$(cd "$(dirname "$0")/../.." && pwd)
TARBALL=/usr/src/newlib/newlib-3.3.0.tar.xz
PATCHES=("$TOP"/lib/newlib/patches/*.patch)
[ -e "${PATCHES[0]}" ] || PATCHES=()

GCC_INC=$(gcc -print-file-name=include)
# -nostdinc: newlib's headers and gcc's own (stddef.h, stdarg.h...) only,
# never the host's glibc headers. No -mno-red-zone: user code keeps the red
# zone (upcalls run on the dispatcher's own stack, not the thread's).
TARGET_CFLAGS="-O2 -g -nostdinc -isystem $GCC_INC -fno-pic -fno-pie -fno-stack-protector"
TARGET_CFLAGS+=" -fno-omit-frame-pointer -fno-asynchronous-unwind-tables"
# Each thread has its own struct _reent (errno, strtok, rand...): _REENT is
# __getreent(), which the glue answers from the thread's TLS block.
TARGET_CFLAGS+=" -D__DYNAMIC_REENT__"
CONFIGURE=(--target=x86_64-elf --prefix="$(realpath -m "$DIR/install")"
    --disable-multilib --disable-nls
    --disable-newlib-supplied-syscalls
    --enable-newlib-retargetable-locking
    --enable-newlib-global-stdio-streams
    --enable-newlib-io-long-long --enable-newlib-io-c99-formats
    CC_FOR_TARGET=gcc AS_FOR_TARGET=as AR_FOR_TARGET=ar LD_FOR_TARGET=ld
    RANLIB_FOR_TARGET=ranlib NM_FOR_TARGET=nm OBJDUMP_FOR_TARGET=objdump
    READELF_FOR_TARGET=readelf STRIP_FOR_TARGET=strip
    "CFLAGS_FOR_TARGET=$TARGET_CFLAGS" MAKEINFO=true)

LOG=$DIR/build.log
say() { echo "  NEWLIB  $*"; }
fail() {
    echo "newlib: $1 failed; the last lines of $LOG:" >&2
    tail -n 25 "$LOG" >&2
    exit 1
}

[ -f "$TARBALL" ] || { echo "newlib: $TARBALL is missing: run 'make deps' (package newlib-source)" >&2; exit 1; }
mkdir -p "$DIR"
DIR=$(realpath "$DIR")
LOG=$DIR/build.log
: > "$LOG"

# What each step was made from; a step reruns (and so do the later ones)
# when this changes.
src_id=$( { echo "$TARBALL"; stat -c %s.%Y "$TARBALL"; cat ${PATCHES[@]+"${PATCHES[@]}"}; } | sha256sum)
conf_id=$( { echo "$src_id"; printf '%s\n' "${CONFIGURE[@]}"; } | sha256sum)

if [ "$(cat "$DIR/src.stamp" 2>/dev/null)" != "$src_id" ]; then
    say "unpack $(basename "$TARBALL")${PATCHES[0]+ and apply ${#PATCHES[@]} patch(es)}"
    rm -rf "$DIR/src" "$DIR/src.stamp" "$DIR/obj.stamp"
    mkdir -p "$DIR/src"
    tar -xJf "$TARBALL" -C "$DIR/src" --strip-components=1 >>"$LOG" 2>&1 || fail "unpack"
    for p in ${PATCHES[@]+"${PATCHES[@]}"}; do
        patch -d "$DIR/src" -p1 --forward --batch < "$p" >>"$LOG" 2>&1 || fail "patch $(basename "$p")"
    done
    echo "$src_id" > "$DIR/src.stamp"
fi

if [ "$(cat "$DIR/obj.stamp" 2>/dev/null)" != "$conf_id" ]; then
    say "configure --target=x86_64-elf"
    rm -rf "$DIR/obj" "$DIR/install"
    mkdir -p "$DIR/obj"
    (cd "$DIR/obj" && "$DIR/src/configure" "${CONFIGURE[@]}") >>"$LOG" 2>&1 || fail "configure"
    echo "$conf_id" > "$DIR/obj.stamp"
fi

# Join the parent make's jobserver when there is one; otherwise use -j.
jobs=()
case " ${MAKEFLAGS:-} " in
    *jobserver*) ;;
    *) jobs=(-j"$(nproc)"); unset MAKEFLAGS MFLAGS ;;
esac
say "build libc.a libm.a (log: ${LOG#$TOP/})"
make -C "$DIR/obj" "${jobs[@]}" all-target-newlib >>"$LOG" 2>&1 || fail "make all-target-newlib"
say "install into ${DIR#$TOP/}/install"
make -C "$DIR/obj" install-target-newlib >>"$LOG" 2>&1 || fail "make install-target-newlib"
