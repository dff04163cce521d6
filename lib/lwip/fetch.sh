#!/bin/bash
# lib/lwip/fetch.sh <download-dir> <source-dir>: lwIP 2.1.3 from Debian's
# `lwip` source package (hake/lwip.mk runs it as build/src/lwip
# build/lwip/src). The upstream tarball alone: Debian's own patches add a
# Unix port and CMake files we do not use (lib/lwip/README.md); then
# lib/lwip/patches/*.patch. hake/debsrc.sh does the work.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
exec bash "$here/../../hake/debsrc.sh" --orig LWIP lwip 2.1.3 "$here/patches" \
    "${1:?usage: lib/lwip/fetch.sh <download-dir> <source-dir>}" \
    "${2:?usage: lib/lwip/fetch.sh <download-dir> <source-dir>}"
