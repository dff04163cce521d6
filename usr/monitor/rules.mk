MODULE := monitor
MODULE_KIND := user
MODULE_SRCS := \
	usr/monitor/channels.c \
	usr/monitor/commands.c \
	usr/monitor/lend.c \
	usr/monitor/main.c
MODULE_LIBS := libos
include hake/module.mk
