MODULE := posix_suite
MODULE_KIND := user
MODULE_LIBC := newlib
MODULE_SRCS := \
	usr/tests/ktap/ktap.c \
	usr/tests/posix_suite/suite.c \
	usr/tests/posix_suite/suite_compat.c \
	usr/tests/posix_suite/suite_fd.c \
	usr/tests/posix_suite/suite_files.c \
	usr/tests/posix_suite/suite_pipe.c \
	usr/tests/posix_suite/suite_signal.c \
	usr/tests/posix_suite/suite_sys.c \
	usr/tests/posix_suite/suite_wake.c
MODULE_LIBS := lwip posix libos
include hake/module.mk
$(posix_suite_OBJS): | $(LWIP_STAMP)
