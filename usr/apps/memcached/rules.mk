# usr/apps/memcached/rules.mk: memcached 1.6.18 (Debian 12's source package,
# Debian's patches and usr/apps/memcached/patches/ applied by fetch.sh into
# build/memcached/src), linked against libevent (`event`), newlib,
# lib/posix, lwIP and libos. usr/apps/memcached/README.md says what is
# patched and what is refused.
#
# What we compile of upstream is Makefile.am's memcached_SOURCES as
# configure --disable-extstore --disable-sasl --disable-tls
# --disable-unix-socket leaves them (no proxy, no seccomp privileges);
# include/config.h stands for what configure would write.

MEMCACHED_DL    := $(BUILD)/src/memcached
MEMCACHED_SRC   := $(BUILD)/memcached/src
MEMCACHED_STAMP := $(BUILD)/memcached/src.stamp

MEMCACHED_UPSTREAM_SRCS := $(addprefix $(MEMCACHED_SRC)/,$(addsuffix .c,\
	assoc authfile base64 bipbuffer cache crawler daemon hash items \
	itoa_ljust jenkins_hash logger memcached murmur3_hash proto_bin \
	proto_text restart slab_automove slabs stats_prefix thread util))

# fetch.sh runs on every make (quick when there is nothing to do): it alone
# decides, by a hash of the .dsc and the patches, whether to unpack again.
$(MEMCACHED_STAMP): memcached-fetch ;
.PHONY: memcached-fetch
memcached-fetch:
	$(Q)bash usr/apps/memcached/fetch.sh $(MEMCACHED_DL) $(MEMCACHED_SRC)
$(MEMCACHED_UPSTREAM_SRCS): $(MEMCACHED_STAMP) ;

MODULE := memcached
MODULE_KIND := user
MODULE_LIBC := newlib
MODULE_SRCS := \
	$(MEMCACHED_UPSTREAM_SRCS) \
	usr/apps/memcached/main.c
MODULE_LIBS := event lwip_stacks lwip_stack1 lwip_stack2 lwip_stack3 lwip arrakis nicvf igbvf ixgbevf posix libos
include hake/module.mk
$(memcached_OBJS): | $(LWIP_STAMP) $(LIBEVENT_STAMP) $(MEMCACHED_STAMP)

# Upstream's code compiles with upstream's flags (Makefile.am: -DNDEBUG;
# configure adds -std=gnu99 and -DHAVE_CONFIG_H), its warnings not our
# -Werror, except implicit declarations, which stay errors (a missing libc
# function must fail the build, not link by accident).
MEMCACHED_UPSTREAM_OBJS := $(filter $(BUILD)/user-newlib/$(MEMCACHED_SRC)/%,$(memcached_OBJS))
$(MEMCACHED_UPSTREAM_OBJS): USER_NEWLIB_CFLAGS += -std=gnu99 -DHAVE_CONFIG_H -DNDEBUG \
	-Iusr/apps/memcached/include -I$(MEMCACHED_SRC) \
	-Wno-error -Wno-extra -Wno-shadow -Wno-missing-prototypes -Wno-strict-prototypes \
	-Wno-sign-compare -Wno-unused -Wno-implicit-fallthrough -Wno-missing-field-initializers \
	-Werror=implicit-function-declaration
# memcached's main() becomes memcached_main(), called by
# usr/apps/memcached/main.c once the network is up.
$(BUILD)/user-newlib/$(MEMCACHED_SRC)/memcached.c.o: USER_NEWLIB_CFLAGS += -Dmain=memcached_main
# Worker i's thread attributes come from main.c (patches/0001): cores=N.
# A new connection's worker is the one on the core its packets arrive on
# (patches/0002; "stats" then shows each worker's load).
$(BUILD)/user-newlib/$(MEMCACHED_SRC)/thread.c.o: USER_NEWLIB_CFLAGS += -DMEMCACHED_WORKER_ATTR=memcached_worker_attr \
	-DMEMCACHED_WORKER_FOR_CONN=memcached_worker_for_conn
$(BUILD)/user-newlib/$(MEMCACHED_SRC)/memcached.c.o: USER_NEWLIB_CFLAGS += -DMEMCACHED_WORKER_FOR_CONN=memcached_worker_for_conn
