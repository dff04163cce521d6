/**
 * \file rpc.h
 * \brief A request one CPU driver makes of another, and its answer
 * (kernel/rpc.c). Used to forward control-plane calls to the core that
 * owns a device.
 *
 * Each core has one request slot (struct core_rpc) that other cores post
 * into; a requester holds the slot's claim from posting until it has read
 * the answer, so an answer is never overwritten unread. Requests wait in
 * the requester's own queue until the slot is free. Both sides make
 * progress on their timer tick: nobody waits in the kernel.
 */
#ifndef KERNEL_RPC_H
#define KERNEL_RPC_H
#include <stdbool.h>
#include <stdint.h>
#include <kpi/errors.h>

#define RPC_CALLS 16                /* queued requests per core */

struct rpc_msg {
    uint32_t op, holder, vf, arg;
    uint64_t a, b, c;
    uint8_t blob[24];
};

struct rpc_answer {
    errval_t err;
    uint64_t value, value2;
};

/** The slot other cores post requests into (in each struct core). */
struct core_rpc {
    volatile uint32_t claim, seq, done, from;
    struct rpc_msg req;
    struct rpc_answer ans;
} __attribute__((aligned(64)));

struct rpc_call;
/** Runs on the requesting core with the answer. */
typedef void (*rpc_done_fn)(struct rpc_call *c, const struct rpc_answer *a);
/** Runs on the serving core for each request. */
typedef struct rpc_answer (*rpc_serve_fn)(const struct rpc_msg *m, uint32_t from_core);

struct rpc_call {
    bool used, posted;
    uint32_t core, seq;
    struct rpc_msg msg;
    rpc_done_fn done;               /* NULL: nobody waits for the answer */
    uint64_t ctx[4];
};

/** Queue `m` for `core`; `done` (may be NULL) gets the answer. SYS_ERR_BUSY
 *  if this core's queue is full. */
errval_t rpc_call(uint32_t core, const struct rpc_msg *m, rpc_done_fn done, const uint64_t ctx[4]);
/** Who serves requests (the same code on every core; set once at boot). */
void rpc_set_server(rpc_serve_fn fn);
/** Timer tick: answer this core's slot, post queued requests, finish
 *  answered ones. */
void rpc_poll(void);
#endif
