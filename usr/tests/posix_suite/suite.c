/*
 * suite.c: the POSIX surface of the library OS as real programs (Redis,
 * memcached, libevent) use it, in KTAP, checked against what POSIX and
 * Linux's man pages say, error cases included.
 *
 * posix_suite runs each test of suite_tests[] in turn and prints
 *     KTAP version 1
 *     1..N
 *     ok 1 fd_table_1024          (or "not ok 1 ..." after "# FAIL" lines)
 * then "# posix_suite: P of N tests passed" and exits with status 0 only
 * if all passed. suite_fd.c has the fd table and the dup family,
 * suite_pipe.c pipes, socket pairs and their readiness, suite_files.c
 * files and directories, suite_sys.c name resolution and system
 * information, suite_signal.c signals and threads, suite_compat.c the
 * headers Linux programs expect and the refusals.
 * tests/system/test_posix_suite.py runs it.
 */
#include "suite.h"

static const struct ktap_test suite_tests[] = {
    { "fd_table_1024", test_fd_table_1024 },
    { "dup_dup2_dup3", test_dup_family },
    { "fcntl_dupfd_cloexec", test_fcntl_dupfd_cloexec },
    { "socket_fds_are_small", test_socket_fd_numbers },
    { "pipe_read_write", test_pipe_basics },
    { "pipe_eof_and_epipe", test_pipe_eof_epipe },
    { "pipe_nonblocking", test_pipe_nonblocking },
    { "pipe2_flags", test_pipe2_flags },
    { "socketpair_stream", test_socketpair },
    { "poll_select_pipe", test_poll_select_pipe },
    { "epoll_pipe", test_epoll_pipe },
    { "epoll_wakes_across_threads", test_epoll_wakes_across_threads },
    { "epoll_socket_and_pipe", test_epoll_socket_and_pipe },
    { "eventfd_counter", test_eventfd },
    { "cond_wakes_at_once", test_cond_wakes_at_once },
    { "sys_wake_own_domain_only", test_sys_wake_own_domain_only },
    { "mkdir_rmdir_stat", test_mkdir_rmdir },
    { "opendir_readdir", test_opendir_readdir },
    { "rename_replaces", test_rename },
    { "truncate_fsync_open_dot", test_truncate_fsync },
    { "getcwd_chdir_access", test_cwd_access },
    { "modes_umask_chmod", test_modes_umask_chmod },
    { "getaddrinfo", test_getaddrinfo },
    { "getnameinfo", test_getnameinfo },
    { "rlimits_honest", test_rlimits },
    { "sysconf_rusage_uname_ids", test_sysconf_uname_ids },
    { "getentropy", test_getentropy },
    { "if_nametoindex_ceill_llroundl", test_ifname_mathl },
    { "sigaction_raise", test_sigaction_raise },
    { "sigprocmask_pending", test_sigprocmask_pending },
    { "pthread_cancel_cleanup_name", test_pthread_cancel_cleanup_name },
    { "threads_60_at_once", test_threads_60_at_once },
    { "thread_stack_size_asked", test_thread_stack_size },
    { "refused_with_posix_errors", test_refusals },
    { "headers_and_small_calls", test_compat_calls },
    { "malloc_runs_out_enomem", test_malloc_runs_out },     /* last: it uses the heap up */
};
#define SUITE_COUNT (int)(sizeof suite_tests / sizeof suite_tests[0])

int main(void)
{
    return ktap_run("posix_suite", suite_tests, SUITE_COUNT);
}
