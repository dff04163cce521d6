/*
 * doorbell.c: the Doorbell capability: a VF's MSI-X vector, routed by the
 * CPU driver to the core where the VNIC's holder runs.
 *
 * VNIC.doorbell_create(entry, dest) programs entry `entry` of the VF's
 * MSI-X table (which stays with the kernel: the holder maps only the
 * register BAR) to raise the driver's vector for that VF (one of the
 * IGB_MAX_VFS it took with trap_alloc_vectors, in order) on the holder's
 * core, and turns MSI-X on in the VF. The holder decides which queue
 * events ring it (the VF's IVAR and EIMS are in its register window).
 * When it rings, the kernel counts it in the holder's dispatcher page
 * (`doorbells`) and wakes the holder: if it was running, it is upcalled
 * at once; if it was blocked, it becomes runnable and runs next. Threads
 * sleep on it with libos_doorbell_wait().
 *
 * Deleting the Doorbell (or releasing the VNIC) masks the entry again.
 */
#include <net/igb/pf/vnic.h>
#include <net/igb/pf/pf.h>
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
#include <invoke.h>
#include <net/igb/pf/forward.h>

/* MSI-X table entry (PCIe 3.0, 6.8.2): address, data, vector control. */
#define MSIX_ENTRY_BYTES    16
#define MSIX_ADDR_LO        0x0
#define MSIX_ADDR_HI        0x4
#define MSIX_DATA           0x8
#define MSIX_VECTOR_CTRL    0xc
#define MSIX_VECTOR_MASKED  1u
#define MSI_ADDR_BASE       0xfee00000u     /* compatibility format (SDM 10.11.1) */
#define MSI_DEST_SHIFT      12

static uint8_t bell_vector;          /* VF n rings bell_vector + n; 0: none */

struct doorbell {                   /* on the NIC's core */
    bool used;
    uint16_t entry;
    uint32_t domain;
    volatile uint8_t *table;        /* the VF's MSI-X table, kernel-mapped */
};

struct ringer {                     /* on the core the vector goes to */
    uint32_t domain;
    uint64_t rings, spurious;
};

static struct doorbell bells[IGB_MAX_VFS];
static struct ringer ringers[MAX_CORES][IGB_MAX_VFS];   /* a row per core */

#define DOORBELL_RAW(vf, holder) ((uint64_t)(vf) | (uint64_t)(holder) << 32)

static struct sysret ret(errval_t e, uint64_t v) { return (struct sysret){ e, v }; }

static void ring(struct trap_frame *tf)
{
    unsigned vf = (unsigned)(tf->vector - bell_vector);
    struct ringer *r = vf < IGB_MAX_VFS ? &ringers[this_core()->id][vf] : NULL;
    struct dcb *d = r && r->domain ? dispatch_find(r->domain) : NULL;
    if (d && d->disp && d->state == DOMAIN_RUNNABLE) {
        r->rings++;
        __atomic_add_fetch(&d->disp->doorbells, 1, __ATOMIC_RELEASE);
        d->disp->haswork = 1;
        dispatch_prefer(d);
    } else if (r) {
        r->spurious++;
    }
    apic_eoi();
}

void igb_doorbell_init(void)
{
    errval_t err = trap_alloc_vectors(IGB_MAX_VFS, &bell_vector);
    if (err_is_fail(err)) {
        kprint_err("doorbell: no vectors; VNICs get no doorbells", err);
        bell_vector = 0;
        return;
    }
    for (unsigned v = 0; v < IGB_MAX_VFS; v++)
        trap_register((uint8_t)(bell_vector + v), ring);
}

static void mask(struct doorbell *b, bool masked)
{
    volatile uint8_t *e = b->table + b->entry * MSIX_ENTRY_BYTES;
    mmio_write32(e + MSIX_VECTOR_CTRL, masked ? MSIX_VECTOR_MASKED : 0);
}

errval_t igb_doorbell_create(unsigned vf, uint32_t holder, unsigned entry, uint32_t apic,
                             uint64_t *vector)
{
    const struct pci_dev *dev = vf < igb_pf.nvfs ? igb_vf_dev(vf) : NULL;
    if (!dev || !holder || igb_vnic_holder(vf) != holder)
        return CAP_ERR_WRONG_TYPE;
    if (!dev->caps.msix)
        return DOORBELL_ERR_NO_MSIX;
    if (entry >= dev->msix.vectors)
        return SYS_ERR_ARG_RANGE;
    if (apic > 0xff)
        return DOORBELL_ERR_APIC_ID;
    if (!bell_vector)
        return TRAP_ERR_NO_VECTORS;
    struct doorbell *b = &bells[vf];
    if (b->used)
        return DOORBELL_ERR_EXISTS;
    const struct pci_bar *bar = &dev->bar[dev->msix.table_bir];
    if (!b->table) {
        volatile void *va;
        errval_t err = paging_map_device(bar->addr + dev->msix.table_off,
                                         (size_t)dev->msix.vectors * MSIX_ENTRY_BYTES, &va);
        if (err_is_fail(err))
            return err;
        b->table = va;
    }
    b->used = true;
    b->entry = (uint16_t)entry;
    b->domain = holder;
    volatile uint8_t *e = b->table + entry * MSIX_ENTRY_BYTES;
    mask(b, true);
    mmio_write32(e + MSIX_ADDR_LO, MSI_ADDR_BASE | apic << MSI_DEST_SHIFT);
    mmio_write32(e + MSIX_ADDR_HI, 0);
    mmio_write32(e + MSIX_DATA, bell_vector + vf);
    mask(b, false);
    const struct pci_ops *o = igb_pci_ops();
    uint16_t ctrl = pci_rd16(o, dev->rid, dev->caps.msix + PCI_MSIX_CTRL);
    ctrl = (uint16_t)((ctrl | PCI_MSIX_CTRL_ENABLE) & ~PCI_MSIX_CTRL_MASKALL);
    pci_wr16(o, dev->rid, dev->caps.msix + PCI_MSIX_CTRL, ctrl);
    kprintf("doorbell: VF %u MSI-X entry %u rings domain %#x on core %u (APIC %u, vector %u)\n",
            vf, entry, holder, holder >> 16, apic, bell_vector + vf);
    *vector = bell_vector + vf;
    return ERR_OK;
}

void igb_doorbell_delete(unsigned vf, uint32_t holder)
{
    struct doorbell *b = vf < IGB_MAX_VFS ? &bells[vf] : NULL;
    if (!b || !b->used || b->domain != holder)
        return;
    mask(b, true);
    b->used = false;
    kprintf("doorbell: VF %u silenced\n", vf);
}

void igb_doorbell_vnic_released(unsigned vf)
{
    if (vf < IGB_MAX_VFS && bells[vf].used)
        igb_doorbell_delete(vf, bells[vf].domain);
}

/* The vector now comes to this core: whom it wakes, and its capability. */
static errval_t settle(struct dcb *d, unsigned vf, uint64_t slot)
{
    struct capability cap = { .type = CAP_DOORBELL, .rights = CAP_RIGHT_ALL };
    cap.u.raw = DOORBELL_RAW(vf, d->id);
    errval_t err = cspace_put(d, slot, &cap);
    if (err_is_ok(err))
        ringers[this_core()->id][vf] = (struct ringer){ .domain = d->id };
    return err;
}

/* The NIC's core routed the entry here: the capability comes to be in
 * slot ctx[0] and this core counts the rings, or the entry is masked again. */
static struct sysret doorbell_created(const struct devcall *dc, const struct xcall_answer *a)
{
    const struct igb_call call = igb_call_of(dc), *c = &call;
    struct dcb *d = dispatch_find(c->caller);
    errval_t err = a->err;
    if (err_is_ok(err))
        err = d ? settle(d, c->req.vf, c->ctx[0]) : SYS_ERR_NO_DOMAIN;
    if (err_is_fail(err) && err_is_ok(a->err))
        igb_tell(IGB_OP_DOORBELL_DELETE, &c->req);
    return ret(err, err_is_ok(err) ? a->value[0] : 0);
}

struct sysret igb_invoke_doorbell_create(struct invocation *inv)
{
    struct dcb *d = inv->d;
    unsigned vf = igb_vnic_cap_vf(inv->slot);
    uint32_t holder = igb_vnic_cap_holder(inv->slot);
    errval_t err = cspace_put(d, inv->arg[1], NULL);     /* only check the slot */
    if (err_is_ok(err) && holder != d->id)
        err = CAP_ERR_WRONG_TYPE;       /* the doorbell wakes the holder: only it may ask */
    if (err_is_ok(err) && inv->arg[0] > UINT16_MAX)
        err = SYS_ERR_ARG_RANGE;
    if (err_is_fail(err))
        return ret(err, 0);
    const struct igb_req r = { .vf = vf, .holder = holder, .entry = (uint32_t)inv->arg[0],
                               .apic = this_core()->apic_id };
    return igb_call(inv, IGB_OP_DOORBELL_CREATE, &r, doorbell_created, inv->arg[1], 0);
}

void igb_doorbell_removed(struct cte *slot)
{
    unsigned vf = (unsigned)(slot->cap.u.raw & 0xffff);
    uint32_t holder = (uint32_t)(slot->cap.u.raw >> 32);
    if (vf >= IGB_MAX_VFS || !mdb_is_last_copy(slot))
        return;
    struct ringer *r = &ringers[this_core()->id][vf];
    if (r->domain == holder) {
        kprintf("doorbell: VF %u rang %lu times for domain %#x\n", vf, r->rings, holder);
        *r = (struct ringer){ 0 };
    }
    igb_tell(IGB_OP_DOORBELL_DELETE, &(struct igb_req){ .vf = vf, .holder = holder });
}
