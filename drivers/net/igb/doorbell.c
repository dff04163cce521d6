/*
 * doorbell.c: the Doorbell capability: a VF's MSI-X vector, routed by the
 * CPU driver to the core where the VNIC's holder runs.
 *
 * VNIC.doorbell_create(entry, dest) programs entry `entry` of the VF's
 * MSI-X table (which stays with the kernel: the holder maps only the
 * register BAR) to raise vector VEC_DOORBELL_BASE + VF on the holder's
 * core, and turns MSI-X on in the VF. The holder decides which queue
 * events ring it (the VF's IVAR and EIMS are in its register window).
 * When it rings, the kernel counts it in the holder's dispatcher page
 * (`doorbells`) and wakes the holder: if it was running, it is upcalled
 * at once; if it was blocked, it becomes runnable and runs next. Threads
 * sleep on it with libos_doorbell_wait().
 *
 * Deleting the Doorbell (or releasing the VNIC) masks the entry again.
 */
#include <net/igb/vnic.h>
#include <net/igb/pf.h>
#include <arch/apic.h>
#include <arch/paging.h>
#include <arch/trap.h>
#include <cap/cap.h>
#include <cap/mdb.h>
#include <pci/regs.h>
#include <console.h>
#include <core.h>
#include <cspace.h>
#include <dispatch.h>
#include <invoke_ops.h>

/* MSI-X table entry (PCIe 3.0, 6.8.2): address, data, vector control. */
#define MSIX_ENTRY_BYTES    16
#define MSIX_ADDR_LO        0x0
#define MSIX_ADDR_HI        0x4
#define MSIX_DATA           0x8
#define MSIX_VECTOR_CTRL    0xc
#define MSIX_VECTOR_MASKED  1u
#define MSI_ADDR_BASE       0xfee00000u     /* compatibility format (SDM 10.11.1) */
#define MSI_DEST_SHIFT      12

_Static_assert(IGB_MAX_VFS <= VEC_DOORBELLS, "one doorbell vector per VF");

struct doorbell {
    bool used;
    uint16_t gen;
    uint16_t entry;
    uint32_t domain;
    volatile uint8_t *table;        /* the VF's MSI-X table, kernel-mapped */
    uint64_t rings, spurious;
};

static struct doorbell bells[IGB_MAX_VFS];

static struct sysret ret(errval_t e, uint64_t v) { return (struct sysret){ e, v }; }

static void ring(struct trap_frame *tf)
{
    unsigned vf = (unsigned)(tf->vector - VEC_DOORBELL_BASE);
    struct doorbell *b = vf < IGB_MAX_VFS ? &bells[vf] : NULL;
    struct dcb *d = b && b->used ? dispatch_find(b->domain) : NULL;
    if (d && d->disp && d->state == DOMAIN_RUNNABLE) {
        b->rings++;
        __atomic_add_fetch(&d->disp->doorbells, 1, __ATOMIC_RELEASE);
        d->disp->haswork = 1;
        dispatch_prefer(d);
    } else if (b) {
        b->spurious++;
    }
    apic_eoi();
}

void doorbell_init(void)
{
    for (unsigned v = 0; v < VEC_DOORBELLS; v++)
        trap_register((uint8_t)(VEC_DOORBELL_BASE + v), ring);
}

static void mask(struct doorbell *b, bool masked)
{
    volatile uint8_t *e = b->table + b->entry * MSIX_ENTRY_BYTES;
    mmio_write32(e + MSIX_VECTOR_CTRL, masked ? MSIX_VECTOR_MASKED : 0);
}

struct sysret invoke_vnic_doorbell_create(struct invocation *inv)
{
    struct dcb *d = inv->d;
    unsigned vf = (unsigned)inv->slot->cap.u.raw;
    const struct pci_dev *dev = vf < igb_pf.nvfs ? vnic_vf_dev(vf) : NULL;
    if (igb_pf.owner_core != this_core()->id)
        return ret(IGB_ERR_NOT_OWNER, igb_pf.owner_core);
    if (!dev || vnic_holder(vf) != d->id)
        return ret(CAP_ERR_WRONG_TYPE, 0);
    if (!dev->caps.msix)
        return ret(DOORBELL_ERR_NO_MSIX, 0);
    uint64_t entry = inv->arg[0];
    if (entry >= dev->msix.vectors)
        return ret(SYS_ERR_ARG_RANGE, dev->msix.vectors);
    struct doorbell *b = &bells[vf];
    if (b->used)
        return ret(DOORBELL_ERR_EXISTS, 0);
    if (this_core()->apic_id > 0xff)
        return ret(DOORBELL_ERR_APIC_ID, 0);
    struct cte *dest;
    errval_t err = inv->arg[1] > UINT32_MAX ? SYS_ERR_ARG_RANGE
                                            : cspace_lookup(d, (capaddr_t)inv->arg[1], &dest);
    if (err_is_ok(err) && dest->cap.type != CAP_NULL)
        err = CAP_ERR_SLOT_NOT_EMPTY;
    const struct pci_bar *bar = &dev->bar[dev->msix.table_bir];
    if (err_is_ok(err) && !b->table) {
        volatile void *va;
        err = paging_map_device(bar->addr + dev->msix.table_off,
                                (size_t)dev->msix.vectors * MSIX_ENTRY_BYTES, &va);
        if (err_is_ok(err))
            b->table = va;
    }
    if (err_is_fail(err))
        return ret(err, 0);
    struct capability cap = { .type = CAP_DOORBELL, .rights = CAP_RIGHT_ALL };
    cap.u.raw = vf | (uint64_t)(uint16_t)(b->gen + 1) << 16;
    if (err_is_fail(err = cap_create_root(&this_core()->mdb, dest, &cap)))
        return ret(err, 0);
    b->used = true;
    b->gen++;
    b->entry = (uint16_t)entry;
    b->domain = d->id;
    volatile uint8_t *e = b->table + entry * MSIX_ENTRY_BYTES;
    mask(b, true);
    mmio_write32(e + MSIX_ADDR_LO, MSI_ADDR_BASE | this_core()->apic_id << MSI_DEST_SHIFT);
    mmio_write32(e + MSIX_ADDR_HI, 0);
    mmio_write32(e + MSIX_DATA, VEC_DOORBELL_BASE + vf);
    mask(b, false);
    const struct pci_ops *o = vnic_pci_ops();
    uint16_t ctrl = pci_rd16(o, dev->rid, dev->caps.msix + PCI_MSIX_CTRL);
    ctrl = (uint16_t)((ctrl | PCI_MSIX_CTRL_ENABLE) & ~PCI_MSIX_CTRL_MASKALL);
    pci_wr16(o, dev->rid, dev->caps.msix + PCI_MSIX_CTRL, ctrl);
    kprintf("doorbell: VF %u MSI-X entry %lu rings domain %s (%#x) on core %u (vector %u)\n", vf,
            entry, d->name, d->id, this_core()->id, VEC_DOORBELL_BASE + vf);
    return ret(ERR_OK, VEC_DOORBELL_BASE + vf);
}

static void release(unsigned vf)
{
    struct doorbell *b = &bells[vf];
    if (!b->used)
        return;
    mask(b, true);
    b->used = false;
    kprintf("doorbell: VF %u silenced after %lu rings\n", vf, b->rings);
    b->rings = 0;
}

void doorbell_removed(struct cte *slot)
{
    uint64_t vf = slot->cap.u.raw & 0xffff, gen = slot->cap.u.raw >> 16;
    if (vf < IGB_MAX_VFS && bells[vf].used && bells[vf].gen == gen && mdb_is_last_copy(slot))
        release((unsigned)vf);
}

void doorbell_vnic_released(unsigned vf)
{
    if (vf < IGB_MAX_VFS)
        release(vf);
}
