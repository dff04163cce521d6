/*
 * ctrl.c: bringing the controller up from the VSIC service (NVMe 1.4
 * 7.6.1, "Initialization"), and the admin commands it needs.
 *
 *   1. CC.EN = 0 and wait for CSTS.RDY = 0 (SeaBIOS leaves it enabled;
 *      the kernel half stopped it too, but a previous holder may not have);
 *   2. AQA/ASQ/ACQ: a NVME_ADMIN_DEPTH-entry admin queue pair in the
 *      driver's DMA memory; interrupts masked (INTMS): completions are
 *      polled;
 *   3. CC = EN, NVM command set, 4 KiB pages, 64/16-byte entries; wait for
 *      RDY (CAP.TO), CSTS.CFS is fatal;
 *   4. Identify controller (model, serial, MDTS, write cache) and
 *      namespace 1 (size, LBA format in use);
 *   5. Set Features (Number of Queues: 1 pair), Create I/O CQ 1 then
 *      I/O SQ 1, both physically contiguous, NVME_IO_DEPTH entries.
 * Every admin completion is checked (nvme_status_err) and waited for at
 * most ADMIN_TIMEOUT_MS.
 *
 * DMA memory layout (NVME_MEM_BYTES at mem_pa): admin SQ, admin CQ,
 * identify buffer, I/O SQ, I/O CQ, a page each; then one PRP list page per
 * I/O command slot.
 */
#include <storage/nvme/user/nvme.h>
#include <libos/libos.h>
#include <libos/syscall.h>
#include <libos/tsc.h>
#include <string.h>

#define ADMIN_TIMEOUT_MS 5000
#define MEM_ASQ     0x0000
#define MEM_ACQ     0x1000
#define MEM_IDENT   0x2000
#define MEM_IOSQ    0x3000
#define MEM_IOCQ    0x4000
#define MEM_PRP     0x5000
_Static_assert(MEM_PRP + NVME_IO_DEPTH * NVME_PAGE_BYTES <= NVME_MEM_BYTES, "driver memory fits");
_Static_assert(NVME_IO_DEPTH * sizeof(struct nvme_sqe) <= NVME_PAGE_BYTES, "I/O SQ in a page");
_Static_assert(NVME_ADMIN_DEPTH * sizeof(struct nvme_sqe) <= NVME_PAGE_BYTES, "admin SQ in a page");

static uint32_t rd32(const struct nvme_ctrl *c, unsigned off)
{
    return *(volatile const uint32_t *)(c->regs + off);
}

static void wr32(struct nvme_ctrl *c, unsigned off, uint32_t v)
{
    *(volatile uint32_t *)(c->regs + off) = v;
}

static void wr64(struct nvme_ctrl *c, unsigned off, uint64_t v)
{
    wr32(c, off, (uint32_t)v);
    wr32(c, off + 4, (uint32_t)(v >> 32));
}

static uint64_t deadline(uint32_t ms)
{
    return rdtsc_now() + libos_tsc_hz() / 1000 * ms;
}

/* Wait until CSTS.RDY == want (CAP.TO); a fatal status ends it. */
static errval_t wait_ready(struct nvme_ctrl *c, bool want)
{
    uint32_t to = NVME_CAP_TO_MS(c->cap);
    uint64_t end = deadline(to ? to : 500);
    for (;;) {
        uint32_t csts = rd32(c, NVME_CSTS);
        if (csts == 0xffffffffu || (want && (csts & NVME_CSTS_CFS)))
            return NVME_ERR_FATAL;
        if (!!(csts & NVME_CSTS_RDY) == want)
            return ERR_OK;
        if (rdtsc_now() > end)
            return NVME_ERR_READY_TIMEOUT;
        sys_yield(SYS_YIELD_SLICE);
    }
}

static void queue_setup(struct nvme_ctrl *c, struct nvme_queue *q, uint16_t qid, uint16_t depth,
                        unsigned sq_off, unsigned cq_off)
{
    unsigned stride = 4u << NVME_CAP_DSTRD(c->cap);
    memset(c->mem + sq_off, 0, NVME_PAGE_BYTES);
    memset(c->mem + cq_off, 0, NVME_PAGE_BYTES);
    *q = (struct nvme_queue){
        .sq = (volatile struct nvme_sqe *)(c->mem + sq_off),
        .cq = (volatile struct nvme_cqe *)(c->mem + cq_off),
        .sq_pa = c->mem_pa + sq_off, .cq_pa = c->mem_pa + cq_off,
        .sq_db = (volatile uint32_t *)(c->regs + NVME_DOORBELLS + (2u * qid) * stride),
        .cq_db = (volatile uint32_t *)(c->regs + NVME_DOORBELLS + (2u * qid + 1) * stride),
        .qid = qid, .depth = depth, .phase = 1,
    };
}

/* One admin command, waited for; its DW0 in *result. */
static errval_t admin(struct nvme_ctrl *c, struct nvme_sqe *cmd, uint32_t *result)
{
    struct nvme_queue *q = &c->admin;
    cmd->cid = c->admin_cid++;
    q->sq[q->sq_tail] = *cmd;
    q->sq_tail = (uint16_t)((q->sq_tail + 1) % q->depth);
    __atomic_thread_fence(__ATOMIC_SEQ_CST);
    *q->sq_db = q->sq_tail;
    uint64_t end = deadline(ADMIN_TIMEOUT_MS);
    for (;;) {
        volatile struct nvme_cqe *e = &q->cq[q->cq_head];
        uint16_t status = e->status;
        if ((status & NVME_STATUS_PHASE) == q->phase) {
            __atomic_thread_fence(__ATOMIC_ACQUIRE);
            uint16_t cid = e->cid;
            uint32_t dw0 = e->result;
            if (++q->cq_head == q->depth) {
                q->cq_head = 0;
                q->phase ^= 1;
            }
            *q->cq_db = q->cq_head;
            if (cid != cmd->cid)
                continue;           /* a stale completion: not ours */
            if (result)
                *result = dw0;
            return nvme_status_err(status);
        }
        if (rdtsc_now() > end)
            return NVME_ERR_CMD_TIMEOUT;
        sys_yield(SYS_YIELD_SLICE);
    }
}

/* An ASCII identify field without its trailing spaces. */
static void ascii(char *out, const uint8_t *in, size_t n)
{
    memcpy(out, in, n);
    out[n] = '\0';
    while (n > 0 && (out[n - 1] == ' ' || out[n - 1] == '\0'))
        out[--n] = '\0';
}

static errval_t identify(struct nvme_ctrl *c)
{
    uint8_t *id = c->mem + MEM_IDENT;
    memset(id, 0, NVME_PAGE_BYTES);
    struct nvme_sqe cmd = { .opcode = NVME_ADMIN_IDENTIFY, .prp1 = c->mem_pa + MEM_IDENT,
                            .cdw10 = NVME_CNS_CONTROLLER };
    errval_t err = admin(c, &cmd, NULL);
    if (err_is_fail(err))
        return err;
    c->vid = (uint16_t)(id[NVME_IDC_VID] | id[NVME_IDC_VID + 1] << 8);
    ascii(c->serial, id + NVME_IDC_SN, 20);
    ascii(c->model, id + NVME_IDC_MN, 40);
    ascii(c->firmware, id + NVME_IDC_FR, 8);
    memcpy(&c->namespaces, id + NVME_IDC_NN, 4);
    c->volatile_cache = id[NVME_IDC_VWC] & 1;
    /* QEMU's controller (PCI vendor 1b36, Red Hat) accepts FUA and ignores
     * it: hw/nvme/ctrl.c (QEMU 10.0) nvme_do_write -> nvme_blk_write hands
     * the block layer no BDRV_REQ_FUA, so a FUA write completes while its
     * data may sit in the host's page cache. Without a volatile cache every
     * completed write is durable and FUA asks nothing more. */
    c->fua_needs_flush = c->volatile_cache && c->vid == 0x1b36;
    uint64_t page_min = 1ull << (12 + NVME_CAP_MPSMIN(c->cap));
    uint64_t mdts = id[NVME_IDC_MDTS] ? page_min << id[NVME_IDC_MDTS] : UINT64_MAX;
    /* One PRP list page describes NVME_PAGE_BYTES / 8 pages after PRP1's. */
    uint64_t prp_max = (uint64_t)(NVME_PAGE_BYTES / 8) * NVME_PAGE_BYTES;
    c->max_xfer_bytes = (uint32_t)(mdts < prp_max ? mdts : prp_max);

    memset(id, 0, NVME_PAGE_BYTES);
    cmd = (struct nvme_sqe){ .opcode = NVME_ADMIN_IDENTIFY, .nsid = 1,
                             .prp1 = c->mem_pa + MEM_IDENT, .cdw10 = NVME_CNS_NAMESPACE };
    if (c->namespaces < 1)
        return NVME_ERR_NO_NAMESPACE;
    if (err_is_fail(err = admin(c, &cmd, NULL)))
        return err;
    memcpy(&c->blocks, id + NVME_IDN_NSZE, 8);
    unsigned fmt = id[NVME_IDN_FLBAS] & 0xf;
    unsigned lbads = id[NVME_IDN_LBAF + 4 * fmt + 2];
    if (c->blocks == 0 || lbads < 9 || lbads > 12)
        return NVME_ERR_NO_NAMESPACE;
    c->block_bytes = 1u << lbads;
    return ERR_OK;
}

static errval_t io_queues(struct nvme_ctrl *c, int io_vector)
{
    uint16_t depth = NVME_IO_DEPTH;
    if (NVME_CAP_MQES(c->cap) < depth)
        depth = (uint16_t)NVME_CAP_MQES(c->cap);
    struct nvme_sqe cmd = { .opcode = NVME_ADMIN_SET_FEATURES, .cdw10 = NVME_FEAT_NUM_QUEUES,
                            .cdw11 = 0 };       /* one SQ, one CQ (0-based counts) */
    errval_t err = admin(c, &cmd, NULL);
    if (err_is_fail(err))
        return err;
    queue_setup(c, &c->io, 1, depth, MEM_IOSQ, MEM_IOCQ);
    cmd = (struct nvme_sqe){ .opcode = NVME_ADMIN_CREATE_CQ, .prp1 = c->io.cq_pa,
                             .cdw10 = 1u | (uint32_t)(depth - 1) << 16,
                             .cdw11 = io_vector < 0 ? NVME_QUEUE_PC      /* polled only */
                                    : NVME_QUEUE_PC | NVME_QUEUE_IEN | (uint32_t)io_vector << NVME_QUEUE_IV_SHIFT };
    if (err_is_fail(err = admin(c, &cmd, NULL)))
        return err;
    cmd = (struct nvme_sqe){ .opcode = NVME_ADMIN_CREATE_SQ, .prp1 = c->io.sq_pa,
                             .cdw10 = 1u | (uint32_t)(depth - 1) << 16,
                             .cdw11 = NVME_QUEUE_PC | 1u << 16 };   /* CQ 1 */
    if (err_is_fail(err = admin(c, &cmd, NULL)))
        return err;
    for (unsigned i = 0; i < NVME_IO_DEPTH; i++)
        c->slot[i] = (struct nvme_slot){ .prp = (uint64_t *)(c->mem + MEM_PRP + i * NVME_PAGE_BYTES),
                                         .prp_pa = c->mem_pa + MEM_PRP + i * NVME_PAGE_BYTES };
    c->inflight = 0;
    return ERR_OK;
}

errval_t nvme_init(struct nvme_ctrl *c, volatile void *regs, void *mem, uint64_t mem_pa,
                   int io_vector)
{
    memset(c, 0, sizeof(*c));
    c->regs = regs;
    c->mem = mem;
    c->mem_pa = mem_pa;
    c->cap = rd32(c, NVME_CAP) | (uint64_t)rd32(c, NVME_CAP + 4) << 32;
    c->version = rd32(c, NVME_VS);
    if (!NVME_CAP_CSS_NVM(c->cap) || NVME_CAP_MPSMIN(c->cap) != 0)
        return NVME_ERR_NO_NVM;
    wr32(c, NVME_CC, rd32(c, NVME_CC) & ~NVME_CC_EN);
    errval_t err = wait_ready(c, false);
    if (err_is_fail(err))
        return err;
    queue_setup(c, &c->admin, 0, NVME_ADMIN_DEPTH, MEM_ASQ, MEM_ACQ);
    if (io_vector < 0)
        wr32(c, NVME_INTMS, 0xffffffffu);   /* pin/MSI only: undefined with MSI-X (NVMe 1.4 3.1.3) */
    wr32(c, NVME_AQA, NVME_AQA_SIZES(NVME_ADMIN_DEPTH, NVME_ADMIN_DEPTH));
    wr64(c, NVME_ASQ, c->admin.sq_pa);
    wr64(c, NVME_ACQ, c->admin.cq_pa);
    wr32(c, NVME_CC, NVME_CC_EN | 0u << NVME_CC_MPS_SHIFT | NVME_CC_IOSQES(NVME_SQES_LOG2) |
                         NVME_CC_IOCQES(NVME_CQES_LOG2));
    if (err_is_fail(err = wait_ready(c, true)))
        return err;
    if (err_is_fail(err = identify(c)))
        return err;
    return io_queues(c, io_vector);
}

void nvme_stop(struct nvme_ctrl *c)
{
    wr32(c, NVME_CC, rd32(c, NVME_CC) & ~NVME_CC_EN);
    wait_ready(c, false);
}
