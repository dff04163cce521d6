MODULE := libos
MODULE_KIND := userlib
MODULE_SRCS := \
	lib/libos/crt0.S \
	lib/libos/cyclestat.c \
	lib/libos/debug.c \
	lib/libos/dispatch.c \
	lib/libos/dispatch_asm.S \
	lib/libos/doorbell.c \
	lib/libos/lmp.c \
	lib/libos/ram.c \
	lib/libos/reqstage.c \
	lib/libos/stagetab.c \
	lib/libos/stats.c \
	lib/libos/sync.c \
	lib/libos/syscall.c \
	lib/libos/textmsg.c \
	lib/libos/thread.c \
	lib/libos/tls.c \
	lib/libos/ump/spawn_chan.c \
	lib/libos/ump/ump.c \
	lib/libos/vnic.c \
	lib/libos/waitq.c \
	lib/libos/words.c
include hake/module.mk
