MODULE := echo
MODULE_KIND := user
MODULE_SRCS := \
	usr/tests/echo/echo.c
MODULE_LIBS := libos
include hake/module.mk
