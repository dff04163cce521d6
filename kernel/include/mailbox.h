/**
 * \file mailbox.h
 * \brief Requests between CPU drivers: one cache-line mailbox per core,
 * polled by its owner on every timer tick (kernel/mailbox.c).
 */
#ifndef KERNEL_MAILBOX_H
#define KERNEL_MAILBOX_H
#include <stdint.h>
#include <stdbool.h>
#include <kpi/errors.h>

enum mailbox_op {
    MAILBOX_OP_SPAWN_MONITOR = 1,   /* start this core's monitor */
    MAILBOX_OP_SPAN,                /* a = vspace root, b = dispatcher page,
                                       arg = origin domain id, name */
    MAILBOX_OP_KILL_SPAN,           /* arg = origin domain id */
};

/** Post a request to `core`; SYS_ERR_BUSY if one is still pending there.
 *  *seq tells mailbox_done() which request to ask about. */
errval_t mailbox_post(uint32_t core, enum mailbox_op op, uint32_t arg, uint64_t a, uint64_t b,
                      const char *name, uint32_t *seq);
/** True once `core` has served request `seq`. */
bool mailbox_done(uint32_t core, uint32_t seq);
/** Serve this core's mailbox (timer tick). */
void mailbox_poll(void);
#endif
