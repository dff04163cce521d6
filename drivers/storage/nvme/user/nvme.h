/**
 * \file nvme.h
 * \brief drivers/storage/nvme/user/: the user half of the NVMe driver
 * (library nvmeuser), linked into the VSIC service (usr/vsicd), which holds
 * the controller as an NVMe capability: its registers mapped, its DMA
 * confined by its own IOMMU domain to Frames the service registered.
 *
 * nvme_init resets the controller and brings up the admin queue and one
 * I/O queue pair; nvme_submit queues a read, write or flush whose data is
 * physically contiguous (inside one registered Frame), described with
 * PRP1, PRP2 or a PRP list as its length asks; nvme_poll reaps
 * completions, each status checked and named (errors.def NVME_ERR_SC_*).
 * Nothing here enters the kernel.
 */
#ifndef STORAGE_NVME_USER_NVME_H
#define STORAGE_NVME_USER_NVME_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <kpi/errors.h>
#include <storage/nvme/shared/regs.h>

#define NVME_ADMIN_DEPTH 16     /* entries of the admin queues */
#define NVME_IO_DEPTH    64     /* entries of the I/O queues; commands in flight <= depth - 1 */
/** The driver's own DMA memory: queues, identify buffer, a PRP list page
 *  per I/O command slot. */
#define NVME_MEM_BYTES   (512u * 1024)

struct nvme_queue {
    volatile struct nvme_sqe *sq;
    volatile struct nvme_cqe *cq;
    uint64_t sq_pa, cq_pa;
    volatile uint32_t *sq_db, *cq_db;
    uint16_t qid, depth, sq_tail, cq_head;
    uint16_t phase;             /* the phase tag that marks a new completion */
};

/** One I/O command slot: its cid is its index. */
struct nvme_slot {
    bool busy;
    uint64_t cookie;
    uint64_t *prp;              /* this slot's PRP list page */
    uint64_t prp_pa;
};

struct nvme_ctrl {
    volatile uint8_t *regs;
    uint64_t cap;
    uint8_t *mem;               /* NVME_MEM_BYTES, physically contiguous at mem_pa */
    uint64_t mem_pa;
    struct nvme_queue admin, io;
    struct nvme_slot slot[NVME_IO_DEPTH];
    unsigned inflight;
    uint16_t admin_cid;
    /* What Identify said */
    uint16_t vid;
    char model[41], serial[21], firmware[9];
    uint32_t version;           /* VS: major << 16 | minor << 8 */
    uint32_t namespaces;
    uint64_t blocks;            /* namespace 1, in logical blocks */
    uint32_t block_bytes;
    uint32_t max_xfer_bytes;    /* MDTS (capped at what one PRP list page describes) */
    bool volatile_cache;
    bool fua_needs_flush;       /* a FUA write is durable only after a Flush (QEMU: ctrl.c) */
};

/** Reset the controller (disable first: firmware leaves CC.EN = 1),
 *  admin queue, Identify controller and namespace 1, one I/O queue pair.
 *  `regs`: the mapped registers (NVME_REGS_BYTES); `mem`: NVME_MEM_BYTES
 *  of DMA memory at physical `mem_pa`, registered with the controller.
 *  `io_vector` >= 0: the I/O CQ interrupts (IEN) on that MSI-X entry,
 *  which must be routed (and MSI-X on) before: QEMU claims a CQ's vector
 *  only if MSI-X is on when the CQ is created (hw/nvme/ctrl.c
 *  nvme_init_cq, msix_vector_use); < 0: polled only. */
errval_t nvme_init(struct nvme_ctrl *c, volatile void *regs, void *mem, uint64_t mem_pa,
                   int io_vector);
/** Stop the controller (CC.EN = 0). */
void nvme_stop(struct nvme_ctrl *c);
/** Queue NVME_CMD_READ/WRITE of `blocks` blocks at `lba` to/from
 *  physically contiguous memory at `pa` (dword aligned), or NVME_CMD_FLUSH
 *  (lba, blocks, pa ignored). NVME_ERR_QUEUE_FULL, NVME_ERR_ARGS. */
errval_t nvme_submit(struct nvme_ctrl *c, uint8_t opcode, uint64_t lba, uint32_t blocks,
                     uint64_t pa, uint64_t cookie);
/** nvme_submit with CDW12 control bits for a write: 0 or NVME_RW_FUA
 *  (anything else, or FUA on another command, is NVME_ERR_ARGS). */
errval_t nvme_submit_rw(struct nvme_ctrl *c, uint8_t opcode, uint64_t lba, uint32_t blocks,
                        uint64_t pa, uint32_t control, uint64_t cookie);
typedef void (*nvme_done_fn)(void *arg, uint64_t cookie, errval_t status);
/** True if a completion waits in the I/O CQ (nothing is reaped). */
bool nvme_cq_pending(const struct nvme_ctrl *c);
/** Reap every completion that has arrived; returns how many. */
unsigned nvme_poll(struct nvme_ctrl *c, nvme_done_fn done, void *arg);
/** A completion's status as an error (ERR_OK for success); the unnamed
 *  ones are NVME_ERR_SC_OTHER. Pure. */
errval_t nvme_status_err(uint16_t status);
#endif
