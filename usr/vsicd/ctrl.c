/*
 * ctrl.c: vsicd's controller: the NVMe capability from the monitor (it
 * arrives in the receive slot with MONITOR_MSG_CAP, tag NVME_TAG, and is
 * moved to a slot of its own), its registers mapped, the driver's DMA
 * memory registered, its Doorbell made (MSI-X entry VSICD_BELL_ENTRY, before
 * the I/O CQ is created with interrupts on that entry), and the user half
 * of the driver brought up. Without a Doorbell it only polls.
 */
#include "vsicd.h"
#include <libos/debug.h>
#include <libos/libos.h>
#include <libos/lmp.h>
#include <libos/ram.h>
#include <libos/syscall.h>
#include <libos/tsc.h>
#include <kpi/cspace.h>
#include <kpi/dispatcher.h>
#include <kpi/monitor.h>
#include <kpi/syscall.h>

#define ROOTCN      CAP_TASK(TASKCN_SLOT_ROOTCN)
#define RECV        CAP_TASK(TASKCN_SLOT_RECV)
#define NVME_TAG    0x5ca           /* usr/monitor/commands.c cmd_nvme */
#define SYNC_TIMEOUT_MS 10000

struct nvme_ctrl vsicd_nvme;
capaddr_t vsicd_nvme_cap = CAP_TASK(TASKCN_SLOT_FIRST_FREE);
const struct nvme_vsa_table *vsicd_shown;
capaddr_t vsicd_bell = CAP_TASK(TASKCN_SLOT_FIRST_FREE + 1);
bool vsicd_have_bell;
uint32_t vsicd_monitor;

errval_t vsicd_dma_frame(uint64_t va, size_t bytes, uint64_t *pa, capaddr_t *slot)
{
    struct cap_identity id;
    errval_t err = ram_map_new(va, bytes, slot);
    if (err_is_ok(err))
        err = sys_invoke(ROOTCN, CNODE_CMD_IDENTIFY, *slot, (uint64_t)(uintptr_t)&id, 0, 0).err;
    if (err_is_ok(err))
        err = sys_invoke(vsicd_nvme_cap, NVME_CMD_REGISTER_DMA, *slot, 0, 0, 0).err;
    if (err_is_ok(err))
        *pa = id.base;
    return err;
}

/* The controller arrives after the monitor started us: wait for it. */
static errval_t take(uint64_t *ident)
{
    for (;;) {
        struct lmp_msg m;
        errval_t err = lmp_recv(&m);
        if (err_is_fail(err))
            return err;
        if (m.words[0] == MONITOR_MSG_CAP && m.words[1] == NVME_TAG && m.cap_slot == RECV) {
            *ident = m.words[2];
            vsicd_monitor = m.sender;       /* the monitor that started us */
            err = sys_invoke(ROOTCN, CNODE_CMD_COPY, RECV, vsicd_nvme_cap, 0, 0).err;
            if (err_is_ok(err))
                err = sys_invoke(ROOTCN, CNODE_CMD_DELETE, RECV, 0, 0, 0).err;
            return err;
        }
    }
}

errval_t vsicd_ctrl_open(void)
{
    uint64_t ident, pa;
    capaddr_t slot;
    errval_t err = take(&ident);
    if (err_is_ok(err))
        err = sys_invoke(vsicd_nvme_cap, NVME_CMD_MAP_REGS, VSICD_REGS_VA, 0, 0, 0).err;
    if (err_is_ok(err))         /* the VSA capabilities shown to VSICs: checked per request */
        err = sys_invoke(vsicd_nvme_cap, NVME_CMD_MAP_VSAS, VSICD_SHOWN_VA, 0, 0, 0).err;
    if (err_is_ok(err))
        vsicd_shown = (const struct nvme_vsa_table *)VSICD_SHOWN_VA;
    if (err_is_ok(err))
        err = vsicd_dma_frame(VSICD_NVME_MEM_VA, NVME_MEM_BYTES, &pa, &slot);
    if (err_is_fail(err))
        return err;
    struct sysret bell = sys_invoke(vsicd_nvme_cap, NVME_CMD_DOORBELL_CREATE, VSICD_BELL_ENTRY,
                                    vsicd_bell, 0, 0);
    vsicd_have_bell = err_is_ok(bell.err);
    if (vsicd_have_bell)
        debug_printf("vsicd: doorbell on MSI-X entry %u (vector %lu): sleeps when idle\n",
                     VSICD_BELL_ENTRY, bell.value);
    else
        debug_printf("vsicd: no doorbell (%s): polls only\n", err_name(err_no(bell.err)));
    struct nvme_ctrl *c = &vsicd_nvme;
    err = nvme_init(c, (volatile void *)VSICD_REGS_VA, (void *)VSICD_NVME_MEM_VA, pa,
                    vsicd_have_bell ? VSICD_BELL_ENTRY : -1);
    if (err_is_fail(err))
        return err;
    uint32_t rid = (uint32_t)(ident >> 32);
    debug_printf("vsicd: nvme %04lx:%04lx at %02x:%02x.%x on core %u: \"%s\" serial %s fw %s, "
                 "NVMe %u.%u, namespace 1: %lu blocks of %u B (%lu MiB), max transfer %u KiB, "
                 "write cache %s%s, 1 I/O queue pair of %u\n",
                 (ident >> 16) & 0xffff, ident & 0xffff, rid >> 8, (rid >> 3) & 31, rid & 7,
                 libos_core_id(), c->model, c->serial, c->firmware, c->version >> 16,
                 (c->version >> 8) & 0xff, c->blocks, c->block_bytes,
                 c->blocks * c->block_bytes >> 20, c->max_xfer_bytes / 1024,
                 c->volatile_cache ? "yes" : "no",
                 c->fua_needs_flush ? " (FUA ignored: a FUA write gets a flush after it)" : "",
                 c->io.depth);
    return ERR_OK;
}

static volatile errval_t sync_status;
static bool sync_busy;

void vsicd_sync_done(errval_t st)
{
    sync_status = st;
    sync_busy = false;
}

errval_t vsicd_io_sync(uint8_t opcode, uint64_t lba, uint32_t blocks, uint64_t pa)
{
    errval_t err = nvme_submit(&vsicd_nvme, opcode, lba, blocks, pa, VSICD_SYNC_COOKIE);
    if (err_is_fail(err))
        return err;
    sync_busy = true;
    uint64_t end = rdtsc_now() + libos_tsc_hz() / 1000 * SYNC_TIMEOUT_MS;
    while (sync_busy) {
        if (!nvme_poll(&vsicd_nvme, vsicd_complete, NULL) && rdtsc_now() > end)
            return NVME_ERR_CMD_TIMEOUT;
    }
    return sync_status;
}
