/**
 * \file vsic.h
 * \brief The storage side of the library OS: a VSIC (virtual storage
 * interface controller) served by the VSIC service, usr/vsicd
 * (lib/arrakis/vsic.c, vsic_blk.c).
 *
 * vsic_open asks this core's monitor for a VSIC capability, registers one
 * Frame of the domain's own memory with it (the only memory the service
 * lets requests name; the device DMAs straight into it) and says hello to
 * the service, which lends back the request and response rings. From
 * then on reads, writes and flushes are ring entries and completions are
 * polled: no kernel entry on the data path; vsic_wait gives the core away
 * until the next tick when there is nothing to do.
 *
 * VSAs: vsic_vsa_create/acquire by name (the service checks the name
 * against the grants the shell made at spawn: `spawn P vsa=NAME`), then
 * I/O by handle with blocks numbered from 0 in the VSA.
 * vsic_blk_open makes a struct blk_dev (arrakis/blk.h) of one VSA.
 */
#ifndef ARRAKIS_VSIC_H
#define ARRAKIS_VSIC_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <kpi/caps.h>
#include <kpi/errors.h>
#include <arrakis/blk.h>
#include <arrakis/vsic_ring.h>

struct vsic {
    capaddr_t cap;                  /* the VSIC capability */
    uint32_t id, service;           /* VSIC id, the service's domain */
    struct vsic_ring *ring;         /* the service's Frame, mapped */
    uint8_t *buf;                   /* the registered memory */
    uint64_t buf_bytes, buf_next;   /* buf_alloc: a bump allocator with a free list */
    uint32_t head, resp_tail, inflight;
    struct { bool used; blk_done_fn done; void *cookie; errval_t st; uint64_t value; } op[VSIC_SLOTS];
    uint32_t block_size;
};

/** A VSIC from this core's monitor, `buf_bytes` (a power of two >= 64 KiB)
 *  of registered memory, served by the service domain `service`. */
errval_t vsic_open(struct vsic *v, uint32_t service, size_t buf_bytes);
/** Control requests, waited for: a VSA created or acquired under its name
 *  (handle, size in blocks), resized, deleted. */
errval_t vsic_vsa_create(struct vsic *v, const char *name, uint64_t blocks, unsigned *handle);
errval_t vsic_vsa_acquire(struct vsic *v, const char *name, unsigned rights, unsigned *handle,
                          uint64_t *blocks);
errval_t vsic_vsa_resize(struct vsic *v, unsigned handle, uint64_t blocks);
errval_t vsic_vsa_delete(struct vsic *v, unsigned handle);
/** Queue a read/write/flush (VSIC_OP_*) of `count` blocks at `block` of VSA
 *  `handle` to or from the registered memory at `buf` (buf_off = buf -
 *  v->buf; any offset is passed on: the service checks it). `done` runs
 *  from vsic_poll with `cookie`. VSIC_ERR_FULL when the rings are full. */
errval_t vsic_submit(struct vsic *v, unsigned op, unsigned handle, uint64_t block,
                     uint32_t count, uint64_t buf_off, blk_done_fn done, void *cookie);
/** Run the completions that have arrived; returns how many. */
unsigned vsic_poll(struct vsic *v);
/** Sleep until something completed or deadline (TSC ticks, 0: none). */
errval_t vsic_wait(struct vsic *v, uint64_t deadline_tsc);
/** Submit and wait: the request's status. */
errval_t vsic_io(struct vsic *v, unsigned op, unsigned handle, uint64_t block, uint32_t count,
                 uint64_t buf_off);
/** Memory from the registered Frame (block-aligned), or NULL. */
void *vsic_buf_alloc(struct vsic *v, size_t bytes);

/** A struct blk_dev over VSA `handle` of `v`. */
struct vsic_blk {
    struct blk_dev dev;
    struct vsic *v;
    unsigned handle;
};
void vsic_blk_init(struct vsic_blk *b, struct vsic *v, unsigned handle, uint64_t blocks);
#endif
