/**
 * \file monitor_link.h
 * \brief What the CPU driver tells its core's monitor, and starting it.
 */
#ifndef KERNEL_MONITOR_LINK_H
#define KERNEL_MONITOR_LINK_H
struct dcb;
/** A domain ended: tell the monitor of this core (an LMP message). */
void monitor_notify_exit(struct dcb *d);
/** Start `core`'s monitor: here at once (ERR_OK or why not, *id = the new
 *  domain), or a request to that core's CPU driver (ERR_OK once queued,
 *  *id = 0; SYS_ERR_BUSY if this core has too many requests out). */
#include <stdint.h>
#include <kpi/errors.h>
errval_t monitor_link_start(uint32_t core, uint32_t *id);
#endif
