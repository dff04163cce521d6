/*
 * vf.c: bringing an 82576 VF up and down from the library OS of the
 * domain that holds it (the control-plane calls it needs are VNIC
 * invocations; everything after vf_open is in vfring.c and never enters
 * the kernel).
 *
 * vf_open, in order:
 *   1. a VNIC from this core's monitor (libos vnic_acquire); it lands in
 *      the receive slot and is moved to a slot of its own, so the next
 *      capability sent to the domain (a Doorbell, say) has room;
 *   2. the VF's 16 KiB register window mapped uncached (VNIC.map_regs);
 *   3. CTRL.RST (queues of a previous holder stop), then VF_RESET through
 *      the mailbox: the PF turns the VF's pool on and answers ACK with the
 *      MAC address it assigned;
 *   4. two Frames from the domain's RAM, mapped and registered for DMA
 *      (VNIC.register_dma: IOVA = physical address, learnt with
 *      CNode.identify): one for the two descriptor rings, one for the
 *      VF_BUFS packet buffers;
 *   5. queue 0: SRRCTL (one 2 KiB buffer per advanced descriptor),
 *      RDBA/RDLEN/RDH/RDT, RXDCTL.EN, then the ring filled (RDT); TDBA/
 *      TDLEN/TDH/TDT and TXDCTL.EN. Order as the
 *      82576 datasheet's Rx/Tx initialisation (4.5.9, 4.5.10; unverified)
 *      and QEMU.
 *
 * Each domain has VF_WINDOWS address windows for VFs, far above the heap
 * (USER_MAP_BASE) and posix mmap (USER_MAP_BASE + 1 TiB); window w holds
 * the registers, the rings and the buffers, and its VNIC sits in task slot
 * TASKCN_SLOT_FIRST_FREE + w.
 */
#include <net/igb/vf/vf.h>
#include <net/igb/shared/mbx.h>
#include <net/igb/vf/mbx.h>
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

_Static_assert(WIN_BUFS + IGBVF_BUFS_BYTES <= VF_WINDOW_BYTES, "a VF's memory fits its window");

static unsigned windows_used;

static void wr(struct vf *vf, unsigned off, uint32_t v)
{
    *(volatile uint32_t *)(vf->regs + off) = v;
}

static uint32_t rd(const struct vf *vf, unsigned off)
{
    return *(volatile const uint32_t *)(vf->regs + off);
}

static errval_t move_vnic(capaddr_t to)
{
    errval_t err = sys_invoke(ROOTCN, CNODE_CMD_COPY, RECV, to, 0, 0).err;
    if (err_is_ok(err))
        err = sys_invoke(ROOTCN, CNODE_CMD_DELETE, RECV, 0, 0, 0).err;
    return err;
}

/* CTRL.RST, then VF_RESET; the reply carries the MAC in words 1-2. */
static errval_t reset(struct vf *vf)
{
    wr(vf, IGBVF_CTRL, IGBVF_CTRL_RST);
    uint32_t msg = IGB_VF_RESET, reply[4];
    errval_t err = igbvf_mbx_call(vf->regs, &msg, 1, reply);
    if (err_is_fail(err))
        return err;
    if ((reply[0] & IGB_VT_MSG_TYPE_MASK) != IGB_VF_RESET || !(reply[0] & IGB_VT_MSGTYPE_ACK))
        return VF_ERR_RESET;
    igb_words_to_mac(&reply[1], vf->mac);
    static const uint8_t zero[VF_MAC_LEN];
    return memcmp(vf->mac, zero, VF_MAC_LEN) ? ERR_OK : VF_ERR_RESET;
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
    uint64_t rx = vf->rings_pa, tx = vf->rings_pa + IGBVF_RING_BYTES;
    wr(vf, IGBVF_RXDCTL(0), 0);
    wr(vf, IGBVF_RDBAL(0), (uint32_t)rx);
    wr(vf, IGBVF_RDBAH(0), (uint32_t)(rx >> 32));
    wr(vf, IGBVF_RDLEN(0), IGBVF_RING_BYTES);
    wr(vf, IGBVF_SRRCTL(0), (VF_BUF_SIZE / IGB_SRRCTL_BSIZEPKT_UNIT) << IGB_SRRCTL_BSIZEPKT_SHIFT |
                            IGB_SRRCTL_DESCTYPE_ADV_ONEBUF | IGB_SRRCTL_DROP_EN);
    wr(vf, IGBVF_RDH(0), 0);
    wr(vf, IGBVF_RDT(0), 0);
    wr(vf, IGBVF_RXDCTL(0), IGBVF_RXDCTL_ENABLE);
    for (unsigned i = 0; i < ENABLE_POLLS && !(rd(vf, IGBVF_RXDCTL(0)) & IGBVF_RXDCTL_ENABLE); i++)
        sys_yield(SYS_YIELD_SLICE);
    igbvf_rx_refill(vf);

    wr(vf, IGBVF_TXDCTL(0), 0);
    wr(vf, IGBVF_TDBAL(0), (uint32_t)tx);
    wr(vf, IGBVF_TDBAH(0), (uint32_t)(tx >> 32));
    wr(vf, IGBVF_TDLEN(0), IGBVF_RING_BYTES);
    wr(vf, IGBVF_TDH(0), 0);
    wr(vf, IGBVF_TDT(0), 0);
    wr(vf, IGBVF_TDWBAL(0), 0);         /* completions by DD in each descriptor */
    wr(vf, IGBVF_TDWBAH(0), 0);
    wr(vf, IGBVF_TXDCTL(0), IGBVF_TXDCTL_ENABLE);
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

    err = sys_invoke(vf->vnic, VNIC_CMD_MAP_REGS, base + WIN_REGS, 0, 0, 0).err;
    if (err_is_fail(err)) {
        err = err_push(err, VF_ERR_MAP_REGS);
        goto fail;
    }
    vf->regs = (volatile uint8_t *)(uintptr_t)(base + WIN_REGS);
    err = reset(vf);
    if (err_is_fail(err)) {
        err = err_no(err) == VF_ERR_RESET ? err : err_push(err, VF_ERR_RESET);
        goto fail;
    }
    err = dma_frame(vf, base + WIN_RINGS, IGBVF_RINGS_BYTES, &vf->rings_pa);
    if (err_is_ok(err))
        err = dma_frame(vf, base + WIN_BUFS, IGBVF_BUFS_BYTES, &vf->bufs_pa);
    if (err_is_fail(err)) {
        err = err_push(err, VF_ERR_DMA_MEMORY);
        goto fail;
    }
    vf->rx_ring = (volatile void *)(uintptr_t)(base + WIN_RINGS);
    vf->tx_ring = (volatile void *)(uintptr_t)(base + WIN_RINGS + IGBVF_RING_BYTES);
    vf->bufs = (uint8_t *)(uintptr_t)(base + WIN_BUFS);
    igbvf_rings_init(vf);
    queues_start(vf);
    vf->nic_rx0 = rd(vf, IGBVF_VFGPRC);
    vf->nic_tx0 = rd(vf, IGBVF_VFGPTC);
    return ERR_OK;

fail:
    sys_invoke(ROOTCN, CNODE_CMD_DELETE, vf->vnic, 0, 0, 0);   /* the VF is free again */
    vf->regs = NULL;
    return err;
}

bool vf_link_up(const struct vf *vf)
{
    return rd(vf, IGBVF_STATUS) & IGBVF_STATUS_LU;
}

/* Polling: let this domain's other threads and then the core's other
 * domains run, and come straight back to look again (the core is never
 * idle: that is what polling costs). Doorbell: re-arm the interrupt (EICR is write-1-to-clear; the next event
 * raises it anew), look once more, then sleep until it rings; the deadline
 * only bounds a lost wake-up. */
#define DOORBELL_WAIT_MAX_MS 100

void vf_wait(struct vf *vf)
{
    vf_tx_flush(vf);
    if (!vf->doorbell) {
        thread_yield();
        sys_yield(0);
        return;
    }
    wr(vf, IGBVF_EICR, 1u << VF_DOORBELL_ENTRY);
    wr(vf, IGBVF_EIMS, 1u << VF_DOORBELL_ENTRY);
    if (vf_rx_pending(vf))
        return;
    /* Sends in flight raise no interrupt: look again on the next tick. */
    unsigned ms = vf->tx_clean != vf->tx_tail ? 1 : DOORBELL_WAIT_MAX_MS;
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
    uint32_t e = IGBVF_IVAR_VALID | VF_DOORBELL_ENTRY;
    /* Receive events only: an interrupt for every frame sent would wake
     * (upcall) the domain in the middle of each send. A waiter for
     * transmit space looks again when its deadline or the next tick wakes it. */
    wr(vf, IGBVF_IVAR0, e << IGBVF_IVAR_RX0_SHIFT);
    wr(vf, IGBVF_EIAC, 1u << VF_DOORBELL_ENTRY);
    wr(vf, IGBVF_EIMS, 1u << VF_DOORBELL_ENTRY);
    vf->doorbell = true;
    return ERR_OK;
}

void vf_close(struct vf *vf)
{
    if (!vf->regs)
        return;
    vf_tx_flush(vf);
    wr(vf, IGBVF_RXDCTL(0), 0);
    wr(vf, IGBVF_TXDCTL(0), 0);
    wr(vf, IGBVF_CTRL, IGBVF_CTRL_RST);
    sys_invoke(ROOTCN, CNODE_CMD_DELETE, vf->vnic, 0, 0, 0);   /* registers unmapped, VF freed */
    vf->regs = NULL;
}
