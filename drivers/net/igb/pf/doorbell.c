/*
 * doorbell.c: the VNIC's Doorbell: a VF's MSI-X vector, routed by the
 * CPU driver to the core where the VNIC's holder runs.
 *
 * VNIC.doorbell_create(entry, dest) programs entry `entry` of the VF's
 * MSI-X table (which stays with the kernel: the holder maps only the
 * register BAR) to raise VF n's bell (one of the IGB_MAX_VFS bells with
 * vectors it took from drivers/pci/doorbell.c, in order) on the holder's
 * core, and turns MSI-X on in the VF. The holder decides which queue
 * events ring it (the VF's IVAR and EIMS are in its register window).
 * The rest (counting rings in the dispatcher page, waking the holder,
 * the Doorbell capability and its removal) is drivers/pci/doorbell.c's,
 * shared with the NVMe controller's. Threads sleep on it with
 * libos_doorbell_wait().
 *
 * Deleting the Doorbell (or releasing the VNIC) masks the entry again.
 */
#include <net/igb/pf/vnic.h>
#include <net/igb/pf/pf.h>
#include <pci/doorbell.h>
#include <console.h>
#include <core.h>
#include <cspace.h>
#include <dispatch.h>
#include <fmt.h>
#include <invoke.h>
#include <net/igb/pf/forward.h>

static unsigned bell0;              /* VF n rings bell0 + n */
static bool have_bells;

static struct sysret ret(errval_t e, uint64_t v) { return (struct sysret){ e, v }; }

void igb_doorbell_init(void)
{
    errval_t err = pci_bells_alloc(IGB_MAX_VFS, true, &bell0);
    if (err_is_fail(err))
        kprint_err("doorbell: no bells; VNICs get no doorbells", err);
    have_bells = err_is_ok(err);
}

errval_t igb_doorbell_create(unsigned vf, uint32_t holder, unsigned entry, uint32_t apic,
                             uint64_t *vector)
{
    const struct pci_dev *dev = vf < igb_pf.nvfs ? igb_vf_dev(vf) : NULL;
    if (!dev || !holder || igb_vnic_holder(vf) != holder)
        return CAP_ERR_WRONG_TYPE;
    if (!have_bells)
        return TRAP_ERR_NO_VECTORS;
    char what[16];
    fmt_snprintf(what, sizeof(what), "VF %u", vf);
    return pci_bell_route(bell0 + vf, what, igb_pci_ops(), dev, entry, holder, apic, false,
                          vector);
}

void igb_doorbell_delete(unsigned vf, uint32_t holder)
{
    if (have_bells && vf < IGB_MAX_VFS)
        pci_bell_silence(bell0 + vf, holder);
}

void igb_doorbell_vnic_released(unsigned vf)
{
    igb_doorbell_delete(vf, 0);
}

/* The NIC's core routed the entry here: the capability comes to be in
 * slot ctx[0] and this core counts the rings, or the entry is masked again. */
static struct sysret doorbell_created(const struct devcall *dc, const struct xcall_answer *a)
{
    const struct igb_call call = igb_call_of(dc), *c = &call;
    struct dcb *d = dispatch_find(c->caller);
    errval_t err = a->err;
    if (err_is_ok(err))
        err = d ? pci_bell_settle(d, bell0 + c->req.vf, c->ctx[0]) : SYS_ERR_NO_DOMAIN;
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
