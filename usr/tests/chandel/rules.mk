MODULE := chandel
MODULE_KIND := user
MODULE_SRCS := \
	usr/tests/chandel/chandel.c
MODULE_LIBS := libos
include hake/module.mk
