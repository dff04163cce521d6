/*
 * ready.h: one wake-up for every waiter on the library OS's own objects
 * (pipes, socket pairs): ready.c.
 *
 * A waiter reads the generation, looks at its objects, and if none is
 * ready sleeps in posix_ready_wait until the generation moves; anything
 * that may make an object ready (a write, a read that frees room, a close,
 * an epoll_ctl) calls posix_ready_notify after changing it. So no wake-up
 * is lost between the look and the sleep.
 */
#ifndef POSIX_READY_H
#define POSIX_READY_H
#include <stdint.h>
#include <time.h>

uint64_t posix_ready_gen(void);
void posix_ready_notify(void);
/** A wait that also sleeps in lwIP (poll/epoll on sockets and native
 *  objects at once) brackets its lwIP wait with these: while one is in,
 *  posix_ready_notify also ends every lwIP wait (the caller passes
 *  sk_wake_pollers: handed in, not named here, so that a program with
 *  pipes and no sockets links no lwIP). */
void posix_ready_mixed_enter(void (*wake_pollers)(void));
void posix_ready_mixed_leave(void);
/** Sleeps until the generation is no longer `seen` or CLOCK_MONOTONIC
 *  reaches *deadline (NULL: no deadline). */
void posix_ready_wait(uint64_t seen, const struct timespec *deadline);
/** CLOCK_MONOTONIC `ms` from now into *deadline; NULL for ms < 0. */
const struct timespec *posix_deadline(int ms, struct timespec *deadline);
/** Milliseconds left until *deadline (0 once past); -1 for NULL. */
int posix_ms_left(const struct timespec *deadline);
#endif
