#!/bin/bash
# lib/libevent/fetch.sh <download-dir> <source-dir>: libevent 2.1.12 from
# Debian 12's `libevent` source package with Debian's patches applied, then
# lib/libevent/patches/*.patch (hake/libevent.mk runs it as
# build/src/libevent build/libevent/src; hake/debsrc.sh does the work).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
exec bash "$here/../../hake/debsrc.sh" EVENT libevent 2.1.12-stable "$here/patches" \
    "${1:?usage: lib/libevent/fetch.sh <download-dir> <source-dir>}" \
    "${2:?usage: lib/libevent/fetch.sh <download-dir> <source-dir>}"
