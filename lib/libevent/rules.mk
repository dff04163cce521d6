include hake/libevent.mk
MODULE := event
MODULE_KIND := userlib
MODULE_LIBC := newlib
MODULE_SRCS := \
	$(LIBEVENT_UPSTREAM_SRCS)
include hake/module.mk
$(event_OBJS): | $(LIBEVENT_STAMP)
$(event_OBJS): USER_NEWLIB_CFLAGS += $(LIBEVENT_CFLAGS)
