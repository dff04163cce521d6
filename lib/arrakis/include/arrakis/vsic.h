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
 * VSAs: vsic_vsa_create/acquire by name, then I/O by handle with blocks
 * numbered from 0 in the VSA. The authority for a name is a VSA
 * capability (kpi/caps.h CAP_VSA) that the kernel gave the domain at
 * spawn (`spawn P vsa=NAME[:r]` or `fs=NAME`, in TASKCN_SLOT_VSA0 on):
 * create and acquire first find the spawn's one for that name with the
 * most rights and show it to the VSIC (VSIC.present_vsa; a capability kept
 * elsewhere is shown with vsic_vsa_present); the service asks the kernel
 * what the VSIC was shown. Deleting that
 * capability takes the VSA back from the VSIC (its handles are then
 * refused, VSA_ERR_REVOKED).
 * vsic_blk_init makes a struct blk_dev (arrakis/blk.h) of one VSA;
 * vsic_blk_open does all of it for a program that wants one VSA by name.
 *
 * Finding the service: the shell passes `vsicd=ID` with every spawn that
 * names a VSA (vsa=NAME or fs=NAME), as the first argument, so a newlib
 * program finds it in its environment (lib/newlib/env.c) and a minic one in
 * argv; vsic_service() looks in both. The id is no authority: the service
 * serves a VSIC only if the kernel says we hold it, names only under the
 * VSA capabilities shown to it, and vsic_open takes rings only from the
 * domain named (the monitors say who lent them).
 */
#ifndef ARRAKIS_VSIC_H
#define ARRAKIS_VSIC_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <kpi/caps.h>
#include <kpi/cspace.h>
#include <kpi/errors.h>
#include <arrakis/blk.h>
#include <arrakis/vsic_ring.h>

#define VSIC_BUF_RUNS 48
/* Where vsic_open keeps the service's ring Frame (moved out of the
 * receive slot with CNode.move, then mapped). */
#define VSIC_RING_SLOT CAP_TASK(TASKCN_SLOT_FIRST_FREE + 9)                /* buf_alloc's allocations (live or freed) */

struct vsic {
    capaddr_t cap;                  /* the VSIC capability */
    uint32_t id, service;           /* VSIC id, the service's domain */
    struct vsic_ring *ring;         /* the service's Frame, mapped */
    uint8_t *buf;                   /* the registered memory */
    uint64_t buf_bytes, buf_next;   /* buf_alloc: runs handed out below buf_next */
    struct { uint64_t off, bytes; bool used; } run[VSIC_BUF_RUNS];  /* bytes 0: no run */
    uint32_t head, resp_tail, inflight;
    struct { bool used, io; blk_done_fn done; void *cookie; errval_t st; uint64_t value; } op[VSIC_SLOTS];
    uint32_t block_size;
    uint32_t core;                  /* where it was opened: its bell rings there */
    uint64_t kicks, kicks_sent;     /* VSIC.kick calls; those that woke the service */
    uint64_t sleeps, woken;         /* sleeps in vsic_wait; ended by a doorbell */
};

/** A VSIC from this core's monitor, `buf_bytes` (a power of two >= 64 KiB)
 *  of registered memory, served by the service domain `service`. */
errval_t vsic_open(struct vsic *v, uint32_t service, size_t buf_bytes);
/** Control requests, waited for: a VSA created or acquired under its name
 *  (handle, size in blocks), resized, deleted. A name is 1 to
 *  VSIC_NAME_MAX characters: a longer one is VSA_ERR_BAD_NAME, never cut
 *  short to another VSA's name. */
errval_t vsic_vsa_create(struct vsic *v, const char *name, uint64_t blocks, unsigned *handle);
errval_t vsic_vsa_acquire(struct vsic *v, const char *name, unsigned rights, unsigned *handle,
                          uint64_t *blocks);
errval_t vsic_vsa_resize(struct vsic *v, unsigned handle, uint64_t blocks);
/** Show the VSIC the VSA capability in `slot` (VSIC.present_vsa): create
 *  and acquire show the spawn's by themselves; a program that keeps a
 *  copy or a mint elsewhere shows it with this. The VSIC keeps it while
 *  that slot's capability lives. */
errval_t vsic_vsa_present(struct vsic *v, capaddr_t slot);
errval_t vsic_vsa_delete(struct vsic *v, unsigned handle);
/** Queue a read/write/flush (VSIC_OP_*) of `count` blocks at `block` of VSA
 *  `handle` to or from the registered memory at `buf` (buf_off = buf -
 *  v->buf; any offset is passed on: the service checks it). `done` runs
 *  from vsic_poll with `cookie`. `flags`: 0, or VSIC_REQ_FUA on a write
 *  (vsic_ring.h; the service refuses anything else). VSIC_ERR_FULL when the
 *  rings are full. */
errval_t vsic_submit(struct vsic *v, unsigned op, uint32_t flags, unsigned handle, uint64_t block,
                     uint32_t count, uint64_t buf_off, blk_done_fn done, void *cookie);
/** Run the completions that have arrived; returns how many. */
unsigned vsic_poll(struct vsic *v);
/** Kick the service whether or not it sleeps (tests: the kernel coalesces). */
errval_t vsic_kick(struct vsic *v);
/** Sleep until something completed or deadline (TSC ticks, 0: none). */
errval_t vsic_wait(struct vsic *v, uint64_t deadline_tsc);
/** Submit and wait: the request's status. */
errval_t vsic_io(struct vsic *v, unsigned op, uint32_t flags, unsigned handle, uint64_t block,
                 uint32_t count, uint64_t buf_off);
/** Memory from the registered Frame (page-aligned, zeroed), or NULL;
 *  vsic_buf_free gives it back (best fit reuses freed runs). */
void *vsic_buf_alloc(struct vsic *v, size_t bytes);
void vsic_buf_free(struct vsic *v, void *p);
/** The VSIC service's domain as the shell passed it (vsicd=ID in the
 *  environment or argv; taken out of argv), or 0. */
uint32_t vsic_service(void);

/** A struct blk_dev over VSA `handle` of `v`. */
struct vsic_blk {
    struct blk_dev dev;
    struct vsic *v;
    unsigned handle;
};
void vsic_blk_init(struct vsic_blk *b, struct vsic *v, unsigned handle, uint64_t blocks);

/** VSA `name` as a block device: this domain's VSIC (opened on first use,
 *  VSIC_BLK_BUF_BYTES registered, the service from vsic_service()), the
 *  VSA acquired read-write, or created VSIC_BLK_DEFAULT_BLOCKS long if the
 *  disk has none of that name. At most VSIC_BLK_MAX VSAs a domain.
 *  Fits vsafs_blk_open_fn (the fs=NAME hook of lib/vsafs). */
#define VSIC_BLK_BUF_BYTES      (1u << 20)
#define VSIC_BLK_DEFAULT_BLOCKS (16384u)        /* 8 MiB of 512-byte blocks */
#define VSIC_BLK_MAX            4
errval_t vsic_blk_open(const char *name, struct blk_dev **dev);
#endif
