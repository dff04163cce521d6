/**
 * \file dispatch.h
 * \brief The dispatcher's `disabled` flag, for code that must not be
 * preempted by another thread of this dispatcher.
 *
 * While the dispatcher is disabled the kernel never upcalls it: a timer
 * interrupt resumes it where it was, so no other thread of this dispatcher
 * runs until it is enabled again. Keep such sections short, never block in
 * them (thread_block() is the one exception: it is entered disabled), and
 * pair them the way thread_wake_one() does:
 *
 *     bool was = disp_disable();
 *     ...
 *     if (!was)
 *         disp_enable();
 */
#ifndef LIBOS_DISPATCH_H
#define LIBOS_DISPATCH_H
#include <stdbool.h>

/** Disables the dispatcher; returns whether it already was disabled. */
bool disp_disable(void);
/** Enables it: other threads may run from the next preemption on. */
void disp_enable(void);
bool disp_is_disabled(void);
#endif
