/*
 * open.c: bringing a VF up and down from the library OS of the domain
 * that holds it, for either NIC (the NIC's own steps come from its
 * struct vf_nic; everything after vf_open is in vfring.c and never enters
 * the kernel).
 *
 * vf_open, in order:
 *   1. a VNIC from this core's monitor (libos vnic_acquire); it lands in
 *      the receive slot and is moved to a slot of its own, so the next
 *      capability sent to the domain (a Doorbell, say) has room;
 *   2. the VF's register window mapped uncached (VNIC.map_regs), which
 *      answers with the VF's PCI device id: that picks the NIC's table;
 *   3. VF control RST (queues of a previous holder stop), then the NIC's
 *      hello: the VF asks the PF, through the mailbox, for its pool and
 *      its MAC address (the one step whose protocol differs by NIC);
 *   4. two Frames from the domain's RAM, mapped and registered for DMA
 *      (VNIC.register_dma: IOVA = physical address, learnt with
 *      CNode.identify): one for the two descriptor rings, one for the
 *      VF_BUFS packet buffers;
 *   5. queue 0: SRRCTL (one VF_BUF_SIZE buffer per advanced descriptor,
 *      in the NIC's bit positions), RDBA/RDLEN/RDH/RDT, RXDCTL.EN, then
 *      the ring filled (RDT); TDBA/TDLEN/TDH/TDT and TXDCTL.EN. Order as
 *      the datasheets' Rx/Tx initialisation (82576 4.5.9-10, 82599
 *      4.6.7-8; unverified) and QEMU.
 * Every register is at the offset the NIC's regmap gives (nic.h).
 *
 * Each domain has VF_WINDOWS address windows for VFs, far above the heap
 * (USER_MAP_BASE) and posix mmap (USER_MAP_BASE + 1 TiB); window w holds
 * the registers, the rings and the buffers, and its VNIC sits in task slot
 * TASKCN_SLOT_FIRST_FREE + w.
 */
#include <net/vf/nic.h>
#include <libos/ram.h>
#include <libos/syscall.h>
#include <libos/vnic.h>
#include <libos/doorbell.h>
#include <libos/thread.h>
#include <libos/libos.h>
#include <libos/tsc.h>
#include <kpi/cspace.h>
#include <kpi/dispatcher.h>
#include <kpi/syscall.h>
#include <string.h>

#define VF_DOORBELL_ENTRY 0             /* MSI-X entry for queue 0 events */

#define ROOTCN          CAP_TASK(TASKCN_SLOT_ROOTCN)
#define RECV            CAP_TASK(TASKCN_SLOT_RECV)
#define VF_WINDOWS      4
#define VF_WINDOW_BASE  (USER_MAP_BASE + (2ull << 40))
#define VF_WINDOW_BYTES (16ull << 20)
#define WIN_REGS        0
#define WIN_RINGS       (1ull << 20)
#define WIN_BUFS        (2ull << 20)
#define ENABLE_POLLS    1000        /* reads of RXDCTL until the enable shows */

_Static_assert(WIN_BUFS + VF_BUFS_BYTES <= VF_WINDOW_BYTES, "a VF's memory fits its window");

extern const struct vf_nic igbvf_nic, ixgbevf_nic;
static const struct vf_nic *const nics[] = { &igbvf_nic, &ixgbevf_nic };

static unsigned windows_used;

static errval_t move_vnic(capaddr_t to)
{
    errval_t err = sys_invoke(ROOTCN, CNODE_CMD_COPY, RECV, to, 0, 0).err;
    if (err_is_ok(err))
        err = sys_invoke(ROOTCN, CNODE_CMD_DELETE, RECV, 0, 0, 0).err;
    return err;
}

/* A Frame of `bytes` at `va`, registered for the VF's DMA; its address. */
static errval_t dma_frame(struct vf *vf, uint64_t va, size_t bytes, uint64_t *pa)
{
    capaddr_t slot;
    struct cap_identity id;
    errval_t err = ram_map_new(va, bytes, &slot);
    if (err_is_ok(err))
        err = sys_invoke(ROOTCN, CNODE_CMD_IDENTIFY, slot, (uint64_t)(uintptr_t)&id, 0, 0).err;
    if (err_is_ok(err))
        err = sys_invoke(vf->vnic, VNIC_CMD_REGISTER_DMA, slot, 0, 0, 0).err;
    if (err_is_ok(err))
        *pa = id.base;
    return err;
}

static void queues_start(struct vf *vf)
{
    const struct vf_regmap *m = &vf->nic->map;
    uint64_t rx = vf->rings_pa, tx = vf->rings_pa + VF_RING_BYTES;
    vf_reg_wr(vf, m->rxdctl0, 0);
    vf_reg_wr(vf, m->rdbal0, (uint32_t)rx);
    vf_reg_wr(vf, m->rdbah0, (uint32_t)(rx >> 32));
    vf_reg_wr(vf, m->rdlen0, VF_RING_BYTES);
    vf_reg_wr(vf, m->srrctl0, m->srrctl);
    vf_reg_wr(vf, m->rdh0, 0);
    vf_reg_wr(vf, m->rdt0, 0);
    vf_reg_wr(vf, m->rxdctl0, VF_QUEUE_ENABLE);
    for (unsigned i = 0; i < ENABLE_POLLS && !(vf_reg_rd(vf, m->rxdctl0) & VF_QUEUE_ENABLE); i++)
        sys_yield(SYS_YIELD_SLICE);
    vf_rx_refill(vf);

    vf_reg_wr(vf, m->txdctl0, 0);
    vf_reg_wr(vf, m->tdbal0, (uint32_t)tx);
    vf_reg_wr(vf, m->tdbah0, (uint32_t)(tx >> 32));
    vf_reg_wr(vf, m->tdlen0, VF_RING_BYTES);
    vf_reg_wr(vf, m->tdh0, 0);
    vf_reg_wr(vf, m->tdt0, 0);
    vf_reg_wr(vf, m->tdwbal0, 0);       /* completions by DD in each descriptor */
    vf_reg_wr(vf, m->tdwbah0, 0);
    vf_reg_wr(vf, m->txdctl0, VF_QUEUE_ENABLE);
}

static const struct vf_nic *nic_of(uint64_t device)
{
    for (unsigned i = 0; i < sizeof(nics) / sizeof(nics[0]); i++)
        if (nics[i]->vf_device == device)
            return nics[i];
    return NULL;
}

errval_t vf_open(struct vf *vf)
{
    if (windows_used >= VF_WINDOWS)
        return VF_ERR_TOO_MANY;
    unsigned w = windows_used;
    uint64_t base = VF_WINDOW_BASE + w * VF_WINDOW_BYTES;
    memset(vf, 0, sizeof(*vf));
    vf->vnic = CAP_TASK(TASKCN_SLOT_FIRST_FREE + w);
    errval_t err = vnic_acquire(&vf->index);
    if (err_is_ok(err))
        err = move_vnic(vf->vnic);
    if (err_is_fail(err))
        return err_push(err, VF_ERR_ACQUIRE);
    windows_used++;                     /* its addresses are spent from here on */

    struct sysret r = sys_invoke(vf->vnic, VNIC_CMD_MAP_REGS, base + WIN_REGS, 0, 0, 0);
    if (err_is_fail(r.err)) {
        err = err_push(r.err, VF_ERR_MAP_REGS);
        goto fail;
    }
    vf->regs = (volatile uint8_t *)(uintptr_t)(base + WIN_REGS);
    vf->nic = nic_of(r.value);
    if (!vf->nic) {
        err = VF_ERR_UNKNOWN_NIC;
        goto fail;
    }
    vf_reg_wr(vf, vf->nic->map.ctrl, VF_CTRL_RST);
    err = vf->nic->hello(vf);
    if (err_is_fail(err)) {
        err = err_no(err) == VF_ERR_RESET ? err : err_push(err, VF_ERR_RESET);
        goto fail;
    }
    err = dma_frame(vf, base + WIN_RINGS, VF_RINGS_BYTES, &vf->rings_pa);
    if (err_is_ok(err))
        err = dma_frame(vf, base + WIN_BUFS, VF_BUFS_BYTES, &vf->bufs_pa);
    if (err_is_fail(err)) {
        err = err_push(err, VF_ERR_DMA_MEMORY);
        goto fail;
    }
    vf->rx_ring = (volatile void *)(uintptr_t)(base + WIN_RINGS);
    vf->tx_ring = (volatile void *)(uintptr_t)(base + WIN_RINGS + VF_RING_BYTES);
    vf->bufs = (uint8_t *)(uintptr_t)(base + WIN_BUFS);
    vf_rings_init(vf);
    queues_start(vf);
    vf->nic_rx0 = vf_reg_rd(vf, vf->nic->map.gprc);
    vf->nic_tx0 = vf_reg_rd(vf, vf->nic->map.gptc);
    return ERR_OK;

fail:
    sys_invoke(ROOTCN, CNODE_CMD_DELETE, vf->vnic, 0, 0, 0);   /* the VF is free again */
    vf->regs = NULL;
    return err;
}

bool vf_link_up(const struct vf *vf)
{
    return vf_reg_rd(vf, vf->nic->map.link) & vf->nic->map.link_up;
}

/* Polling: let this domain's other threads and then the core's other
 * domains run, and come straight back to look again (the core is never
 * idle: that is what polling costs). Doorbell: re-arm the interrupt, look
 * once more, then sleep until it rings; the deadline only bounds a lost
 * wake-up. Re-arming is one write: the cause bit in EICR (write-1-to-clear)
 * stays set after an interrupt, since auto-clear (EIAC) is left off, and
 * while it is set no other message goes out (one goes when a cause enabled
 * in EIMS newly sets: QEMU's igb_raise_interrupts); EIMS stays set from
 * vf_doorbell_enable. So frames that arrive while the receive thread is
 * busy cost no interrupt each: one per sleep, as with Linux's NAPI. (QEMU
 * never clears EIAC bits, even on a VF reset: a VF whose earlier holder
 * set auto-clear, as usr/tests/doorbelltest does, interrupts per frame
 * again, which costs time, not correctness.) */
#define DOORBELL_WAIT_MAX_MS 100

bool vf_wait_prepare(struct vf *vf, unsigned *max_ms)
{
    vf_tx_flush(vf);
    /* Sends in flight raise no interrupt: look again on the next tick. */
    *max_ms = vf->tx_clean != vf->tx_tail ? 1 : DOORBELL_WAIT_MAX_MS;
    if (!vf->doorbell)
        return vf_rx_pending(vf);
    vf_reg_wr(vf, vf->nic->map.eicr, 1u << VF_DOORBELL_ENTRY);
    vf->stats.irq_writes++;
    return vf_rx_pending(vf);
}

void vf_wait(struct vf *vf)
{
    if (!vf->doorbell) {
        vf_tx_flush(vf);
        thread_yield();
        sys_yield(0);
        return;
    }
    unsigned ms;
    if (vf_wait_prepare(vf, &ms))
        return;
    uint64_t deadline = rdtsc_now() + libos_tsc_hz() / 1000 * ms;
    if (err_is_ok(libos_doorbell_wait(&vf->bells_seen, deadline)))
        vf->wakeups++;
}

errval_t vf_doorbell_enable(struct vf *vf, capaddr_t slot)
{
    vf->bells_seen = libos_doorbell_count();
    errval_t err = vnic_doorbell_create(vf->vnic, VF_DOORBELL_ENTRY, slot);
    if (err_is_fail(err))
        return err;
    /* Receive events only: an interrupt for every frame sent would wake
     * (upcall) the domain in the middle of each send. A waiter for
     * transmit space looks again when its deadline or the next tick wakes it.
     * No auto-clear (EIAC): the cause stays set until vf_wait_prepare
     * clears it, so the NIC interrupts once per sleep, not per frame. */
    const struct vf_regmap *m = &vf->nic->map;
    vf_reg_wr(vf, m->ivar0, VF_IVAR_VALID | VF_DOORBELL_ENTRY);   /* queue 0 Rx, bits 7:0 */
    vf_reg_wr(vf, m->eims, 1u << VF_DOORBELL_ENTRY);
    vf->doorbell = true;
    return ERR_OK;
}

void vf_close(struct vf *vf)
{
    if (!vf->regs)
        return;
    vf_tx_flush(vf);
    vf_reg_wr(vf, vf->nic->map.rxdctl0, 0);
    vf_reg_wr(vf, vf->nic->map.txdctl0, 0);
    vf_reg_wr(vf, vf->nic->map.ctrl, VF_CTRL_RST);
    sys_invoke(ROOTCN, CNODE_CMD_DELETE, vf->vnic, 0, 0, 0);   /* registers unmapped, VF freed */
    vf->regs = NULL;
}
