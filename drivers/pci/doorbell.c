/*
 * doorbell.c: Doorbells for every device driver (doorbell.h): MSI-X entries
 * routed to the holder's core, software rings and kicks between cores, the
 * Doorbell capability (its commands and its removal).
 *
 * Invariants: bells[b] (the route) is written only on the device's core;
 * rows[core][b] (who listens, the counts) only on `core`; a vector's bell
 * is fixed at boot. A Doorbell capability names (bell, holder), so a copy
 * that outlives its route reaches nothing. Removing the last copy stops
 * the counting here and masks the entry on the device's core.
 */
#include <pci/doorbell.h>
#include <pci/regs.h>
#include <arch/apic.h>
#include <arch/paging.h>
#include <arch/trap.h>
#include <arch/vspace.h>
#include <cap/cap.h>
#include <cap/mdb.h>
#include <cap_hooks.h>
#include <console.h>
#include <core.h>
#include <cspace.h>
#include <dispatch.h>
#include <driver.h>
#include <invoke.h>
#include <mmio.h>
#include <string.h>
#include <xcall.h>

struct bell {                       /* the route: on the device's core */
    uint8_t vector;                 /* 0: a software bell */
    bool routed, oneshot;
    uint16_t entry;
    uint32_t holder, core;          /* the device's core */
    pci_rid_t rid;
    volatile uint8_t *table;        /* the function's MSI-X table, kernel-mapped */
    volatile uint32_t posted;       /* kicked since the holder's last arm (atomic) */
};

struct row {                        /* one bell on one core */
    uint32_t domain;                /* listens here; 0: nobody */
    struct doorbell_stats st;
};

static struct bell bells[PCI_BELLS];
static unsigned nbells;
static uint8_t vec_bell[256];       /* vector -> bell + 1 (0: not a bell's) */
static struct row rows[MAX_CORES][PCI_BELLS];

#define RAW(bell, holder) ((uint64_t)(bell) | (uint64_t)(holder) << 32)
static unsigned raw_bell(const struct cte *s) { return (unsigned)(s->cap.u.raw & 0xffff); }
static uint32_t raw_holder(const struct cte *s) { return (uint32_t)(s->cap.u.raw >> 32); }
static struct sysret ret(errval_t e, uint64_t v) { return (struct sysret){ e, v }; }

static void mask(const struct bell *b, bool masked)
{
    mmio_write32(b->table + b->entry * PCI_MSIX_ENTRY_BYTES + PCI_MSIX_VECTOR_CTRL,
                 masked ? PCI_MSIX_VECTOR_MASKED : 0);
}

/* Count a ring of `bell` here for `domain` (0: whoever listens) and wake it. */
static void ring_here(unsigned bell, uint32_t domain)
{
    struct row *r = &rows[this_core()->id][bell];
    struct dcb *d = r->domain && (!domain || domain == r->domain) ? dispatch_find(r->domain) : NULL;
    if (d && d->disp && d->state == DOMAIN_RUNNABLE) {
        r->st.rings++;
        __atomic_add_fetch(&d->disp->doorbells, 1, __ATOMIC_RELEASE);
        d->disp->haswork = 1;
        d->wake_pending = true;         /* rung just before it blocks: it does not sleep */
        dispatch_prefer(d);
    } else {
        r->st.spurious++;
    }
}

static void ring_vector(struct trap_frame *tf)
{
    unsigned bell = vec_bell[tf->vector & 0xff];
    if (bell--) {
        const struct bell *b = &bells[bell];
        if (b->oneshot && b->table && rows[this_core()->id][bell].domain)
            mask(b, true);              /* until the holder arms it again */
        ring_here(bell, 0);
    }
    apic_eoi();
}

errval_t pci_bells_alloc(unsigned n, bool vectors, unsigned *first)
{
    if (n > PCI_BELLS - nbells)
        return DOORBELL_ERR_NO_BELLS;
    uint8_t vec = 0;
    if (vectors) {
        errval_t err = trap_alloc_vectors(n, &vec);
        if (err_is_fail(err))
            return err;
    }
    *first = nbells;
    for (unsigned i = 0; i < n; i++) {
        bells[nbells + i].vector = vectors ? (uint8_t)(vec + i) : 0;
        if (vectors) {
            vec_bell[vec + i] = (uint8_t)(nbells + i + 1);
            trap_register((uint8_t)(vec + i), ring_vector);
        }
    }
    nbells += n;
    return ERR_OK;
}

errval_t pci_bell_route(unsigned bell, const char *what, const struct pci_ops *ops,
                        const struct pci_dev *dev, unsigned entry, uint32_t holder,
                        uint32_t apic, bool oneshot, uint64_t *vector)
{
    struct bell *b = bell < nbells ? &bells[bell] : NULL;
    if (!b || !b->vector)
        return TRAP_ERR_NO_VECTORS;
    if (!dev->caps.msix)
        return DOORBELL_ERR_NO_MSIX;
    if (entry >= dev->msix.vectors)
        return DOORBELL_ERR_MSIX_ENTRY;
    if (apic > 0xff)
        return DOORBELL_ERR_APIC_ID;
    if (b->routed)
        return DOORBELL_ERR_EXISTS;
    if (!b->table || b->rid != dev->rid) {
        const struct pci_bar *bar = &dev->bar[dev->msix.table_bir];
        volatile void *va;
        errval_t err = paging_map_device(bar->addr + dev->msix.table_off,
                                         (size_t)dev->msix.vectors * PCI_MSIX_ENTRY_BYTES, &va);
        if (err_is_fail(err))
            return err;
        b->table = va;
        b->rid = dev->rid;
    }
    b->entry = (uint16_t)entry;
    b->holder = holder;
    b->oneshot = oneshot;
    b->core = this_core()->id;
    __atomic_store_n(&b->posted, 0, __ATOMIC_RELEASE);
    volatile uint8_t *e = b->table + entry * PCI_MSIX_ENTRY_BYTES;
    mask(b, true);
    mmio_write32(e + PCI_MSIX_ADDR_LO, PCI_MSI_ADDR_BASE | apic << PCI_MSI_DEST_SHIFT);
    mmio_write32(e + PCI_MSIX_ADDR_HI, 0);
    mmio_write32(e + PCI_MSIX_DATA, b->vector);
    mask(b, false);
    uint16_t ctrl = pci_rd16(ops, dev->rid, dev->caps.msix + PCI_MSIX_CTRL);
    ctrl = (uint16_t)((ctrl | PCI_MSIX_CTRL_ENABLE) & ~PCI_MSIX_CTRL_MASKALL);
    pci_wr16(ops, dev->rid, dev->caps.msix + PCI_MSIX_CTRL, ctrl);
    b->routed = true;
    kprintf("doorbell: %s MSI-X entry %u rings domain %#x on core %u (APIC %u, vector %u%s)\n",
            what, entry, holder, holder >> 16, apic, b->vector, oneshot ? ", one-shot" : "");
    *vector = b->vector;
    return ERR_OK;
}

void pci_bell_silence(unsigned bell, uint32_t holder)
{
    struct bell *b = bell < nbells ? &bells[bell] : NULL;
    if (!b || !b->routed || (holder && b->holder != holder))
        return;
    mask(b, true);
    b->routed = false;
    b->holder = 0;
    kprintf("doorbell: bell %u (MSI-X entry %u) silenced\n", bell, b->entry);
}

uint32_t pci_bell_holder(unsigned bell)
{
    return bell < nbells && bells[bell].routed ? bells[bell].holder : 0;
}

void pci_bell_listen(unsigned bell, uint32_t domain)
{
    if (bell < nbells)
        rows[this_core()->id][bell] = (struct row){ .domain = domain };
}

void pci_bell_unlisten(unsigned bell, uint32_t domain)
{
    struct row *r = bell < nbells ? &rows[this_core()->id][bell] : NULL;
    if (!r || !r->domain || r->domain != domain)
        return;
    kprintf("doorbell: bell %u rang %lu times for domain %#x (%lu kicks, %lu coalesced, "
            "%lu arms)\n", bell, r->st.rings, domain, r->st.kicks, r->st.coalesced, r->st.arms);
    *r = (struct row){ 0 };
}

errval_t pci_bell_settle(struct dcb *d, unsigned bell, uint64_t slot)
{
    struct capability cap = { .type = CAP_DOORBELL, .rights = CAP_RIGHT_ALL };
    cap.u.raw = RAW(bell, d->id);
    errval_t err = bell < nbells ? cspace_put(d, slot, &cap) : SYS_ERR_ARG_RANGE;
    if (err_is_ok(err))
        pci_bell_listen(bell, d->id);
    return err;
}

/* ---- Between cores: rings and kicks to the listener's core, silencing on
 * the device's core (this file's cross-core service). ---- */
enum { BELL_OP_RING = 1, BELL_OP_SILENCE };
struct bell_req {
    uint32_t bell, domain;
};

static struct xcall_answer serve(const struct xcall_msg *m, uint32_t from)
{
    (void)from;
    struct bell_req r;
    memcpy(&r, m->body, sizeof(r));
    if (r.bell >= nbells)
        return (struct xcall_answer){ SYS_ERR_ARG_RANGE, { 0, 0 } };
    if (m->op == BELL_OP_RING)
        ring_here(r.bell, r.domain);
    else if (m->op == BELL_OP_SILENCE)
        pci_bell_silence(r.bell, r.domain);
    else
        return (struct xcall_answer){ SYS_ERR_ILLEGAL_INVOCATION, { 0, 0 } };
    return (struct xcall_answer){ ERR_OK, { 0, 0 } };
}

XCALL_SERVICE(bell_service, "doorbell", serve);

static errval_t send(uint32_t core, uint16_t op, unsigned bell, uint32_t domain)
{
    const struct bell_req r = { .bell = bell, .domain = domain };
    struct xcall_msg m = xcall_msg(&bell_service, op, &r, sizeof(r));
    if (core == this_core()->id)
        return serve(&m, core).err;
    return xcall_send(core, &m, NULL, NULL);
}

errval_t pci_bell_ring(unsigned bell, uint32_t domain)
{
    if (bell >= nbells || !domain)
        return SYS_ERR_ARG_RANGE;
    return send(domain >> 16, BELL_OP_RING, bell, domain);
}

errval_t pci_bell_kick(unsigned bell, uint32_t core, bool *sent)
{
    *sent = false;
    if (bell >= nbells || core >= MAX_CORES || !cores[core])
        return SYS_ERR_ARG_RANGE;
    struct bell *b = &bells[bell];
    /* Counted into the listener's row from here: statistics only. */
    struct doorbell_stats *st = &rows[core][bell].st;
    if (__atomic_exchange_n(&b->posted, 1, __ATOMIC_ACQ_REL)) {
        __atomic_add_fetch(&st->coalesced, 1, __ATOMIC_RELAXED);
        return ERR_OK;                  /* one is on its way, or it has not slept since */
    }
    errval_t err = send(core, BELL_OP_RING, bell, 0);
    if (err_is_fail(err))
        __atomic_store_n(&b->posted, 0, __ATOMIC_RELEASE);
    else
        __atomic_add_fetch(&st->kicks, 1, __ATOMIC_RELAXED);
    *sent = err_is_ok(err);
    return err;
}

/* ---- The Doorbell capability ---- */

/* The holder's own, listened to on this core: its row. */
static errval_t own_row(struct invocation *inv, struct row **r)
{
    unsigned bell = raw_bell(inv->slot);
    if (bell >= nbells || raw_holder(inv->slot) != inv->d->id)
        return DOORBELL_ERR_NOT_HOLDER;
    *r = &rows[this_core()->id][bell];
    return (*r)->domain == inv->d->id ? ERR_OK : DOORBELL_ERR_NOT_HOLDER;
}

/* About to sleep: the next kick may interrupt, and a one-shot entry is
 * unmasked (an event that came while it was masked is pending in the
 * PBA and is delivered now: none is lost). */
static struct sysret invoke_arm(struct invocation *inv)
{
    struct row *r;
    errval_t err = own_row(inv, &r);
    if (err_is_fail(err))
        return ret(err, 0);
    struct bell *b = &bells[raw_bell(inv->slot)];
    r->st.arms++;
    __atomic_store_n(&b->posted, 0, __ATOMIC_SEQ_CST);
    if (b->oneshot && b->routed && b->table)
        mask(b, false);
    return ret(ERR_OK, 0);
}

static struct sysret invoke_stats(struct invocation *inv)
{
    struct row *r;
    errval_t err = own_row(inv, &r);
    if (err_is_ok(err))
        err = vspace_copy_in(&inv->d->vspace, inv->arg[0], &r->st, sizeof(r->st));
    return ret(err, 0);
}

static void removed(struct cte *slot)
{
    unsigned bell = raw_bell(slot);
    uint32_t holder = raw_holder(slot);
    if (bell >= nbells || !mdb_is_last_copy(slot))
        return;
    pci_bell_unlisten(bell, holder);
    if (bells[bell].vector) {
        errval_t err = send(bells[bell].core, BELL_OP_SILENCE, bell, holder);
        if (err_is_fail(err))
            kprint_err("doorbell: could not silence its entry", err);
    }
}

static const struct invoke_entry doorbell_cmds[] = {
    [DOORBELL_CMD_ARM]   = { invoke_arm, "Doorbell.arm", 0 },
    [DOORBELL_CMD_STATS] = { invoke_stats, "Doorbell.stats", 0 },
};

static void doorbell_boot(const struct driver_env *env)
{
    (void)env;
    invoke_register(CAP_DOORBELL, doorbell_cmds, sizeof(doorbell_cmds) / sizeof(doorbell_cmds[0]));
    cap_removed_register(CAP_DOORBELL, removed);
}

DRIVER(doorbell_driver, DRIVER_ORDER_BUS, "doorbell", doorbell_boot);
