# hake/libevent.mk: libevent 2.1.12, the event library user programs link as
# the library `event` (memcached, the libevent regression tests).
#
# libevent is not committed: lib/libevent/fetch.sh downloads Debian 12's
# `libevent` source package with apt into build/src/libevent and unpacks it
# with Debian's patches applied (dpkg-source -x) into build/libevent/src.
# We build its core (event loop, buffers, bufferevents, listeners, the
# epoll/poll/select backends, signals) and the pthreads glue, no evdns,
# http, evrpc or OpenSSL; lib/libevent/include holds the event-config.h
# configure would have written (lib/libevent/README.md).
#
# A program using it:
#   MODULE_LIBC := newlib
#   MODULE_LIBS := event posix libos
#   include hake/module.mk
#   $(<module>_OBJS): | $(LIBEVENT_STAMP)
# lib/libevent/rules.mk includes this file; fragments under usr/ come later
# in hake's sorted order and see its variables without including it again.

LIBEVENT_DL    := $(BUILD)/src/libevent
LIBEVENT_SRC   := $(BUILD)/libevent/src
LIBEVENT_STAMP := $(BUILD)/libevent/src.stamp

LIBEVENT_UPSTREAM_SRCS := \
	$(LIBEVENT_SRC)/buffer.c \
	$(LIBEVENT_SRC)/bufferevent.c \
	$(LIBEVENT_SRC)/bufferevent_filter.c \
	$(LIBEVENT_SRC)/bufferevent_pair.c \
	$(LIBEVENT_SRC)/bufferevent_ratelim.c \
	$(LIBEVENT_SRC)/bufferevent_sock.c \
	$(LIBEVENT_SRC)/epoll.c \
	$(LIBEVENT_SRC)/event.c \
	$(LIBEVENT_SRC)/evmap.c \
	$(LIBEVENT_SRC)/evthread.c \
	$(LIBEVENT_SRC)/evthread_pthread.c \
	$(LIBEVENT_SRC)/evutil.c \
	$(LIBEVENT_SRC)/evutil_rand.c \
	$(LIBEVENT_SRC)/evutil_time.c \
	$(LIBEVENT_SRC)/listener.c \
	$(LIBEVENT_SRC)/log.c \
	$(LIBEVENT_SRC)/poll.c \
	$(LIBEVENT_SRC)/select.c \
	$(LIBEVENT_SRC)/signal.c \
	$(LIBEVENT_SRC)/strlcpy.c

$(LIBEVENT_STAMP): lib/libevent/fetch.sh hake/debsrc.sh $(wildcard lib/libevent/patches/*.patch)
	$(Q)bash lib/libevent/fetch.sh $(LIBEVENT_DL) $(LIBEVENT_SRC)
	@touch $@
$(LIBEVENT_UPSTREAM_SRCS): $(LIBEVENT_STAMP) ;

# Programs see libevent's public headers (event2/*.h) and our
# event-config.h; its own files also its private headers.
USER_NEWLIB_CFLAGS += -Ilib/libevent/include -I$(LIBEVENT_SRC)/include
# Upstream's files are not written for our warnings (unprototyped static
# helpers, shadowed names, signed/unsigned compares): what they trip is
# switched off for them alone, not fixed in their code.
LIBEVENT_CFLAGS := -I$(LIBEVENT_SRC) -Wno-missing-prototypes -Wno-shadow -Wno-sign-compare \
	-Wno-unused-function -Wno-unused-parameter -Wno-cast-function-type -Wno-strict-prototypes \
	-Wno-dangling-pointer -Wno-array-parameter

# libevent's own regression tests (test/regress*), built for this OS as
# usr/tests/libevent_regress: the groups that need only the core library,
# and event_tagging.c + regress.gen.c, which regress.c's evtag tests use.
LIBEVENT_REGRESS_SRCS := \
	$(LIBEVENT_SRC)/event_tagging.c \
	$(LIBEVENT_SRC)/test/regress.c \
	$(LIBEVENT_SRC)/test/regress.gen.c \
	$(LIBEVENT_SRC)/test/regress_buffer.c \
	$(LIBEVENT_SRC)/test/regress_bufferevent.c \
	$(LIBEVENT_SRC)/test/regress_et.c \
	$(LIBEVENT_SRC)/test/regress_finalize.c \
	$(LIBEVENT_SRC)/test/regress_listener.c \
	$(LIBEVENT_SRC)/test/regress_main.c \
	$(LIBEVENT_SRC)/test/regress_minheap.c \
	$(LIBEVENT_SRC)/test/regress_thread.c \
	$(LIBEVENT_SRC)/test/regress_util.c \
	$(LIBEVENT_SRC)/test/tinytest.c
$(LIBEVENT_REGRESS_SRCS): $(LIBEVENT_STAMP) ;
