/**
 * \file xcall.h
 * \brief The one way one CPU driver asks another (kernel/xcall.c).
 *
 * A service (struct xcall_service) is defined once in the image with
 * XCALL_SERVICE(); a request names the service, an operation of the
 * service's own and a body the service lays out itself, and is answered
 * with an error and two words. The kernel's own services (span.c,
 * monitor_link.c) and drivers' services are alike: the kernel knows none
 * of them by name.
 *
 * Each core has one request slot per other core (struct xcall_slot, in
 * the target's struct core), written only by that sender (the request)
 * and by the target (the answer), so no slot is ever claimed. A sender
 * queues its requests in its own struct core and posts the next one to a
 * target once the last is answered. Posting sends the target an IPI
 * (VEC_XCALL); the target serves at once and IPIs the answer back, where
 * the request's `done` runs. The timer tick polls too, so a request that
 * arrives before a core takes requests (or an IPI while it boots) is
 * served on the next tick. Nobody waits in the kernel: a dispatcher that
 * wants the answer waits in dispatch_await_answer().
 */
#ifndef KERNEL_XCALL_H
#define KERNEL_XCALL_H
#include <stdbool.h>
#include <stdint.h>
#include <kpi/errors.h>

#define XCALL_BODY_BYTES 48         /* a service's request, laid out by it */
#define XCALL_QUEUE      16         /* requests a core may have outstanding */

struct xcall_msg {
    uint16_t service;               /* index of the XCALL_SERVICE */
    uint16_t op;                    /* the service's own operation */
    uint32_t reserved;
    uint8_t body[XCALL_BODY_BYTES];
};

struct xcall_answer {
    errval_t err;
    uint64_t value[2];
};

/** One core's request slot on another: the sender writes req then seq
 *  (release), the target writes ans then done = seq (release). */
struct xcall_slot {
    volatile uint32_t seq, done;
    struct xcall_msg req;
    struct xcall_answer ans;
} __attribute__((aligned(64)));

struct xcall;
/** Runs on the requesting core with the answer (x->msg is the request). */
typedef void (*xcall_done_fn)(const struct xcall *x, const struct xcall_answer *a);

/** A request in its sender's queue. */
struct xcall {
    bool used, posted;
    uint32_t core, seq;
    uint64_t ticket;                /* requests to one core post in order */
    struct xcall_msg msg;
    xcall_done_fn done;             /* NULL: nobody waits for the answer */
    uint64_t ctx[4];
};

/** Serves one request on the target core; `from` is the sender's id. */
typedef struct xcall_answer (*xcall_serve_fn)(const struct xcall_msg *m, uint32_t from);

struct xcall_service {
    const char *name;
    xcall_serve_fn serve;
};

/** Define service `var` in the image (its index travels in requests). */
#define XCALL_SERVICE(var, nm, fn)                                              \
    const struct xcall_service var                                              \
        __attribute__((used, section(".kxcall"), aligned(16))) = { nm, fn }

/** A request to service `s` on `core`: op and body as the service reads
 *  them (len <= XCALL_BODY_BYTES). */
struct xcall_msg xcall_msg(const struct xcall_service *s, uint16_t op, const void *body,
                           unsigned len);
/** Queue `m` for `core` (this core too); `done` (may be NULL) gets the
 *  answer with `ctx` (may be NULL). SYS_ERR_ARG_RANGE for no such core,
 *  SYS_ERR_BUSY if this core's queue is full. */
errval_t xcall_send(uint32_t core, const struct xcall_msg *m, xcall_done_fn done,
                    const uint64_t ctx[4]);
/** Route VEC_XCALL to the server (once, on the bootstrap core). */
void xcall_init(void);
/** Timer tick: serve this core's slots, post and finish its requests. */
void xcall_poll(void);
#endif
