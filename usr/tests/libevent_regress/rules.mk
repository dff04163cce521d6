MODULE := libevent_regress
MODULE_KIND := user
MODULE_LIBC := newlib
MODULE_SRCS := \
	$(LIBEVENT_REGRESS_SRCS) \
	usr/tests/libevent_regress/skipped.c
MODULE_LIBS := event lwip posix libos
include hake/module.mk
$(libevent_regress_OBJS): | $(LIBEVENT_STAMP) $(LWIP_STAMP)
$(libevent_regress_OBJS): USER_NEWLIB_CFLAGS += $(LIBEVENT_CFLAGS) -I$(LIBEVENT_SRC)/test -DREGRESS_NO_EVDNS -DREGRESS_PLATFORM_SKIPS=regress_platform_skips -DREGRESS_PLATFORM_CHILD_ENDS=regress_platform_child_ends -Wno-unused-variable \
	-Wno-unused-but-set-variable -Wno-missing-field-initializers -Wno-format-truncation
