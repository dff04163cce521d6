MODULE := victim
MODULE_KIND := user
MODULE_SRCS := \
	usr/tests/victim/victim.c
MODULE_LIBS := libos
include hake/module.mk
