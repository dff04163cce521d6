/*
 * io.c: read, write and flush on I/O queue pair 1, and reaping their
 * completions (NVMe 1.4 6.9 Read, 6.15 Write, 6.8 Flush; 4.3 PRPs).
 * A write may carry FUA (6.15: durable before its completion); whether
 * the controller keeps that promise is the caller's to know (QEMU's does
 * not: usr/vsicd/README.md).
 *
 * Data is physically contiguous at `pa` (the VSIC service only passes
 * memory inside one registered Frame). PRP1 is `pa` itself (any dword
 * offset in its page); if the transfer ends in the next page PRP2 is that
 * page, and if it spans more pages PRP2 points to the slot's PRP list page
 * naming every page after the first (MDTS keeps it within one list page).
 * The command id is the slot index; a completion naming a slot that is not
 * busy is counted as bogus and dropped, never believed.
 */
#include <storage/nvme/user/nvme.h>
#include <libos/debug.h>

errval_t nvme_submit(struct nvme_ctrl *c, uint8_t opcode, uint64_t lba, uint32_t blocks,
                     uint64_t pa, uint64_t cookie)
{
    return nvme_submit_rw(c, opcode, lba, blocks, pa, 0, cookie);
}

errval_t nvme_submit_rw(struct nvme_ctrl *c, uint8_t opcode, uint64_t lba, uint32_t blocks,
                        uint64_t pa, uint32_t control, uint64_t cookie)
{
    if (control & ~NVME_RW_FUA || (control && opcode != NVME_CMD_WRITE))
        return NVME_ERR_ARGS;
    struct nvme_queue *q = &c->io;
    if (c->inflight + 1 >= q->depth)
        return NVME_ERR_QUEUE_FULL;
    unsigned cid = 0;
    while (cid < NVME_IO_DEPTH && c->slot[cid].busy)
        cid++;
    if (cid == NVME_IO_DEPTH)
        return NVME_ERR_QUEUE_FULL;
    struct nvme_slot *s = &c->slot[cid];
    struct nvme_sqe cmd = { .opcode = opcode, .cid = (uint16_t)cid, .nsid = 1 };
    if (opcode != NVME_CMD_FLUSH) {
        /* Only what the PRPs need is checked here; blocks outside the
         * namespace are the controller's to refuse (LBA out of range), and
         * the VSIC service never asks for them (it checks VSAs). */
        uint64_t bytes = (uint64_t)blocks * c->block_bytes;
        if (blocks == 0 || blocks > 0x10000 || bytes > c->max_xfer_bytes || (pa & 3))
            return NVME_ERR_ARGS;
        uint64_t first = NVME_PAGE_BYTES - (pa % NVME_PAGE_BYTES);   /* bytes in PRP1's page */
        uint64_t next = pa - pa % NVME_PAGE_BYTES + NVME_PAGE_BYTES;
        cmd.prp1 = pa;
        if (bytes > first) {
            uint64_t rest = (bytes - first + NVME_PAGE_BYTES - 1) / NVME_PAGE_BYTES;
            if (rest > NVME_PAGE_BYTES / 8)
                return NVME_ERR_ARGS;
            if (rest == 1) {
                cmd.prp2 = next;
            } else {
                for (uint64_t i = 0; i < rest; i++)
                    s->prp[i] = next + i * NVME_PAGE_BYTES;
                cmd.prp2 = s->prp_pa;
            }
        }
        cmd.cdw10 = (uint32_t)lba;
        cmd.cdw11 = (uint32_t)(lba >> 32);
        cmd.cdw12 = (blocks - 1) | control; /* NLB, 0-based; FUA */
    }
    s->busy = true;
    s->cookie = cookie;
    c->inflight++;
    q->sq[q->sq_tail] = cmd;
    q->sq_tail = (uint16_t)((q->sq_tail + 1) % q->depth);
    __atomic_thread_fence(__ATOMIC_SEQ_CST);
    *q->sq_db = q->sq_tail;
    return ERR_OK;
}

bool nvme_cq_pending(const struct nvme_ctrl *c)
{
    const struct nvme_queue *q = &c->io;
    return q->cq && (q->cq[q->cq_head].status & NVME_STATUS_PHASE) == q->phase;
}

unsigned nvme_poll(struct nvme_ctrl *c, nvme_done_fn done, void *arg)
{
    struct nvme_queue *q = &c->io;
    unsigned n = 0, seen = 0;
    for (;;) {
        volatile struct nvme_cqe *e = &q->cq[q->cq_head];
        uint16_t status = e->status;
        if ((status & NVME_STATUS_PHASE) != q->phase)
            break;
        __atomic_thread_fence(__ATOMIC_ACQUIRE);
        uint16_t cid = e->cid;
        seen++;
        if (++q->cq_head == q->depth) {
            q->cq_head = 0;
            q->phase ^= 1;
        }
        if (cid >= NVME_IO_DEPTH || !c->slot[cid].busy) {
            debug_printf("nvme: completion for command %u that is not in flight: dropped\n", cid);
            continue;
        }
        struct nvme_slot *s = &c->slot[cid];
        s->busy = false;
        c->inflight--;
        errval_t st = nvme_status_err(status);
        if (err_no(st) == NVME_ERR_SC_OTHER)
            debug_printf("nvme: command %u: status SCT %u SC %#x\n", cid, NVME_STATUS_SCT(status),
                         NVME_STATUS_SC(status));
        done(arg, s->cookie, st);
        n++;
    }
    if (seen)
        *q->cq_db = q->cq_head;
    return n;
}
