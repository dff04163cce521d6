/* suite.h: what the test files of posix_suite share (see suite.c). */
#ifndef POSIX_SUITE_H
#define POSIX_SUITE_H
#include <stdbool.h>
#include "../ktap/ktap.h"

/* suite_fd.c */
void test_fd_table_1024(void);
void test_dup_family(void);
void test_fcntl_dupfd_cloexec(void);
void test_socket_fd_numbers(void);
/* suite_pipe.c */
void test_pipe_basics(void);
void test_pipe_eof_epipe(void);
void test_pipe_nonblocking(void);
void test_pipe2_flags(void);
void test_socketpair(void);
void test_poll_select_pipe(void);
void test_epoll_pipe(void);
void test_epoll_wakes_across_threads(void);
void test_epoll_socket_and_pipe(void);
void test_eventfd(void);
/* suite_files.c */
void test_mkdir_rmdir(void);
void test_opendir_readdir(void);
void test_rename(void);
void test_truncate_fsync(void);
void test_cwd_access(void);
void test_modes_umask_chmod(void);
/* suite_signal.c */
void test_sigaction_raise(void);
void test_sigprocmask_pending(void);
void test_pthread_cancel_cleanup_name(void);
void test_threads_60_at_once(void);
void test_thread_stack_size(void);
/* suite_compat.c */
void test_refusals(void);
void test_compat_calls(void);
/* suite_wake.c */
void test_cond_wakes_at_once(void);
void test_sys_wake_own_domain_only(void);
/* suite_sys.c */
void test_getaddrinfo(void);
void test_getnameinfo(void);
void test_rlimits(void);
void test_sysconf_uname_ids(void);
void test_getentropy(void);
void test_ifname_mathl(void);
void test_malloc_runs_out(void);
#endif
