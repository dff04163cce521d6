/*
 * doorbell.c: the VNIC's Doorbell, for any registered NIC: a VF's MSI-X
 * vector, routed by the CPU driver to the core where the VNIC's holder
 * runs.
 *
 * When its PF comes up a NIC takes one bell with a vector of its own per
 * VF it may have (vfs_max), at most NIC_BELLS_MAX (drivers/pci/doorbell.c: the 82576's
 * 7 VFs get the first device vectors, 64-70; an 82599 with more VFs has
 * bells for the first 16, and a VF past them is refused
 * DOORBELL_ERR_NO_BELLS). VNIC.doorbell_create(entry, dest) programs entry
 * `entry` of the VF's MSI-X table (which stays with the kernel: the
 * holder maps only the register BAR) to raise VF n's bell on the holder's
 * core, and turns MSI-X on in the VF. The holder decides which queue
 * events ring it (the VF's IVAR and EIMS are in its register window; the
 * PF runs in MSI-X mode, GPIE, which both NICs' bring-up sets). The rest
 * (counting rings in the dispatcher page, waking the holder, the Doorbell
 * capability and its removal) is drivers/pci/doorbell.c's, shared with
 * the NVMe controller's. Threads sleep on it with libos_doorbell_wait().
 *
 * Deleting the Doorbell (or releasing the VNIC) masks the entry again.
 */
#include <net/nic/priv.h>
#include <pci/doorbell.h>
#include <console.h>
#include <core.h>
#include <cspace.h>
#include <dispatch.h>
#include <fmt.h>
#include <invoke.h>

static struct sysret ret(errval_t e, uint64_t v) { return (struct sysret){ e, v }; }

void nic_doorbell_init(struct nic *n)
{
    unsigned want = n->ops->vfs_max < NIC_BELLS_MAX ? n->ops->vfs_max : NIC_BELLS_MAX;
    errval_t err = want ? pci_bells_alloc(want, true, &n->bell0) : ERR_OK;
    if (err_is_fail(err))
        kprint_err("doorbell: no bells; VNICs get no doorbells", err);
    n->book.nbells = err_is_ok(err) && want < n->book.nvfs ? want
                   : err_is_ok(err) ? n->book.nvfs : 0;
}

errval_t nic_doorbell_create(struct nic *n, unsigned vf, uint32_t holder, unsigned entry,
                             uint32_t apic, uint64_t *vector)
{
    const struct pci_dev *dev = nic_vf_dev(n, vf);
    if (!dev || !nic_book_held(&n->book, vf, holder))
        return CAP_ERR_WRONG_TYPE;
    unsigned bell;
    errval_t err = nic_book_bell(&n->book, vf, &bell);
    if (err_is_fail(err))
        return n->book.nbells ? err : TRAP_ERR_NO_VECTORS;
    char what[16];
    fmt_snprintf(what, sizeof(what), "VF %u", vf);
    return pci_bell_route(n->bell0 + bell, what, &n->pci->ops, dev, entry, holder, apic, false,
                          vector);
}

void nic_doorbell_delete(struct nic *n, unsigned vf, uint32_t holder)
{
    unsigned bell;
    if (err_is_ok(nic_book_bell(&n->book, vf, &bell)))
        pci_bell_silence(n->bell0 + bell, holder);
}

/* The NIC's core routed the entry here: the capability comes to be in
 * slot ctx[0] and this core counts the rings, or the entry is masked again. */
static struct sysret doorbell_created(const struct devcall *dc, const struct xcall_answer *a)
{
    struct nic_call c = nic_call_of(dc);
    struct nic *n = nic_of(c.req.nic);
    struct dcb *d = dispatch_find(c.caller);
    unsigned bell;
    errval_t err = a->err;
    if (err_is_ok(err) && (!n || err_is_fail(nic_book_bell(&n->book, c.req.vf, &bell))))
        err = CAP_ERR_WRONG_TYPE;       /* cannot be: the NIC's core routed it */
    if (err_is_ok(err))
        err = d ? pci_bell_settle(d, n->bell0 + bell, c.ctx[0]) : SYS_ERR_NO_DOMAIN;
    if (err_is_fail(err) && err_is_ok(a->err) && n)
        nic_tell(n, NIC_OP_DOORBELL_DELETE, &c.req);
    return ret(err, err_is_ok(err) ? a->value[0] : 0);
}

struct sysret nic_invoke_doorbell_create(struct invocation *inv)
{
    struct dcb *d = inv->d;
    struct nic_req r = { 0 };
    struct nic *n = nic_of_vnic(inv->slot, &r.vf, &r.holder);
    errval_t err = n ? cspace_put(d, inv->arg[1], NULL) : CAP_ERR_WRONG_TYPE;  /* only check the slot */
    if (err_is_ok(err) && r.holder != d->id)
        err = CAP_ERR_WRONG_TYPE;       /* the doorbell wakes the holder: only it may ask */
    if (err_is_ok(err) && inv->arg[0] > UINT16_MAX)
        err = SYS_ERR_ARG_RANGE;
    if (err_is_fail(err))
        return ret(err, 0);
    r.entry = (uint32_t)inv->arg[0];
    r.apic = this_core()->apic_id;
    return nic_call(inv, n, NIC_OP_DOORBELL_CREATE, &r, doorbell_created, inv->arg[1], 0);
}
