/**
 * \file monitor_link.h
 * \brief What the CPU driver tells its core's monitor, and starting it.
 */
#ifndef KERNEL_MONITOR_LINK_H
#define KERNEL_MONITOR_LINK_H
struct dcb;
/** A domain ended: tell the monitor of this core (an LMP message). */
void monitor_notify_exit(struct dcb *d);
/** Start this core's monitor (a mailbox request from init's core). */
void monitor_link_start(void);
#endif
