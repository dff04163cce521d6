# hake/lwip.mk: lwIP 2.1.3, the TCP/IP stack user programs link as a library.
#
# lwIP is not committed: lib/lwip/fetch.sh downloads Debian's `lwip` source
# package with apt (`apt-get source --download-only lwip`, deb-src enabled
# by hake/deps.sh) into build/src/lwip and unpacks the upstream tarball,
# with lib/lwip/patches/ applied, into build/lwip/src. The stamp makes that
# one step for make, rerun only when the script or a patch changes. The
# library itself (lib/lwip/rules.mk, module `lwip`) is the upstream files
# below plus our port (lib/lwip: lwipopts.h, arch/, sys_arch.c, init.c);
# lib/lwip/README.md says what is configured and why.
#
# A program using lwIP (see usr/tests/lwip_suite/rules.mk):
#   MODULE_LIBC := newlib
#   MODULE_LIBS := lwip posix libos
#   include hake/module.mk
#   $(<module>_OBJS): | $(LWIP_STAMP)    (its objects need lwIP's headers)

LWIP_DL    := $(BUILD)/src/lwip
LWIP_SRC   := $(BUILD)/lwip/src
LWIP_STAMP := $(BUILD)/lwip/src.stamp

# What we compile of upstream: the core with IPv4, the sequential APIs
# (netconn, sockets, tcpip thread) and Ethernet framing. Files whose
# feature lwipopts.h leaves off compile to nothing.
LWIP_UPSTREAM_SRCS := \
	$(LWIP_SRC)/src/api/api_lib.c \
	$(LWIP_SRC)/src/api/api_msg.c \
	$(LWIP_SRC)/src/api/err.c \
	$(LWIP_SRC)/src/api/if_api.c \
	$(LWIP_SRC)/src/api/netbuf.c \
	$(LWIP_SRC)/src/api/netdb.c \
	$(LWIP_SRC)/src/api/netifapi.c \
	$(LWIP_SRC)/src/api/sockets.c \
	$(LWIP_SRC)/src/api/tcpip.c \
	$(LWIP_SRC)/src/core/altcp.c \
	$(LWIP_SRC)/src/core/altcp_alloc.c \
	$(LWIP_SRC)/src/core/altcp_tcp.c \
	$(LWIP_SRC)/src/core/def.c \
	$(LWIP_SRC)/src/core/dns.c \
	$(LWIP_SRC)/src/core/inet_chksum.c \
	$(LWIP_SRC)/src/core/init.c \
	$(LWIP_SRC)/src/core/ip.c \
	$(LWIP_SRC)/src/core/ipv4/autoip.c \
	$(LWIP_SRC)/src/core/ipv4/dhcp.c \
	$(LWIP_SRC)/src/core/ipv4/etharp.c \
	$(LWIP_SRC)/src/core/ipv4/icmp.c \
	$(LWIP_SRC)/src/core/ipv4/igmp.c \
	$(LWIP_SRC)/src/core/ipv4/ip4.c \
	$(LWIP_SRC)/src/core/ipv4/ip4_addr.c \
	$(LWIP_SRC)/src/core/ipv4/ip4_frag.c \
	$(LWIP_SRC)/src/core/mem.c \
	$(LWIP_SRC)/src/core/memp.c \
	$(LWIP_SRC)/src/core/netif.c \
	$(LWIP_SRC)/src/core/pbuf.c \
	$(LWIP_SRC)/src/core/raw.c \
	$(LWIP_SRC)/src/core/stats.c \
	$(LWIP_SRC)/src/core/sys.c \
	$(LWIP_SRC)/src/core/tcp.c \
	$(LWIP_SRC)/src/core/tcp_in.c \
	$(LWIP_SRC)/src/core/tcp_out.c \
	$(LWIP_SRC)/src/core/timeouts.c \
	$(LWIP_SRC)/src/core/udp.c \
	$(LWIP_SRC)/src/netif/ethernet.c

$(LWIP_STAMP): lib/lwip/fetch.sh hake/debsrc.sh $(wildcard lib/lwip/patches/*.patch)
	$(Q)bash lib/lwip/fetch.sh $(LWIP_DL) $(LWIP_SRC)
	@touch $@
# The sources come with the stamp (the empty recipe says so; make then
# compiles them with the newlib world's pattern rule).
$(LWIP_UPSTREAM_SRCS): $(LWIP_STAMP) ;

# Every newlib-world object may include lwIP's headers: ours first
# (lwipopts.h, arch/), then upstream's. One fd_set size for all of them,
# large enough for every fd of the table (GLUE_FD_MAX in posix/libc.h,
# checked by lib/posix/select.c) and for lwIP's socket numbers
# (lwipopts.h: LWIP_SOCKET_OFFSET + MEMP_NUM_NETCONN <= FD_SETSIZE,
# checked by lwip/sockets.h): newlib's default of 64 would be too small,
# and every object must agree on it.
# Upstream's files compile with our flags and warnings as they are.
USER_NEWLIB_CFLAGS += -Ilib/lwip/include -I$(LWIP_SRC)/src/include -DFD_SETSIZE=1024
