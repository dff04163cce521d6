/**
 * \file monitor_link.h
 * \brief What the CPU driver tells its core's monitor, and the per-core
 * mailbox through which another CPU driver asks for a monitor.
 */
#ifndef KERNEL_MONITOR_LINK_H
#define KERNEL_MONITOR_LINK_H
struct dcb;
/** A domain ended: tell the monitor of this core (an LMP message). */
void monitor_notify_exit(struct dcb *d);
/** Serve this core's mailbox (called on each timer tick). */
void monitor_link_poll(void);
#endif
