/*
 * vnic.c: the VNIC capability: one SR-IOV VF owned by one domain.
 *
 * Kernel.vnic_create (a monitor's call, on the NIC's core) takes a free
 * VF, gives it its own VT-d protection domain with nothing mapped, lets it
 * decode memory and master DMA, and hands the domain a VNIC capability.
 * With it the domain maps the VF's register BAR (VNIC.map_regs; the MSI-X
 * BAR stays with the kernel) and registers the Frames the VF may DMA to
 * (VNIC.register_dma): only those are reachable through the IOMMU. When a
 * registered Frame's capability goes, its IOMMU mapping goes; when the
 * VNIC capability goes (or its domain ends), the VF stops mastering, is
 * detached from its IOMMU domain, and is free again.
 */
#include <net/igb/vnic.h>
#include <net/igb/pf.h>
#include <iommu/vtd/vtd.h>
#include <pci/pci.h>
#include <pci/regs.h>
#include <cspace.h>
#include <cap/mdb.h>
#include <dispatch.h>
#include <invoke_ops.h>
#include <mapping.h>
#include <console.h>
#include <core.h>
#include <kpi/monitor.h>
#include <memlayout.h>
#include <net/igb/forward.h>

#define VNIC_REGS_BYTES (16 * 1024)
#define VNIC_DMA_MAX 16

struct vnic {
    uint32_t holder;                /* domain id, 0: free */
    struct vtd_domain *dom;
    struct { struct cte *frame; uint64_t base, bytes; } dma[VNIC_DMA_MAX]; /* frame: NULL if
                                       registered through another core */
};

static struct pci_table *vnic_pci;
static struct vnic vnics[IGB_MAX_VFS];

/* A page of kernel memory with a known pattern, checked after every DMA
 * fault of a VF: the IOMMU must have kept the device out of it. */
#define CANARY_WORD 0xca11ab1ec0ffee00ull
static uint64_t canary_pa;

void vnic_init(struct pci_table *t)
{
    vnic_pci = t;
    if (err_is_ok(pmm_alloc(&this_core()->pmm, 1, 1, &canary_pa))) {
        uint64_t *c = phys_to_virt(canary_pa);
        for (unsigned i = 0; i < PAGE_SIZE / 8; i++)
            c[i] = CANARY_WORD + i;
        kprintf("vnic: kernel DMA canary page at %#lx\n", canary_pa);
    }
    vtd_set_fault_hook(vnic_dma_fault);
    doorbell_init();
    nic_forward_init();
}

static bool canary_intact(void)
{
    const uint64_t *c = phys_to_virt(canary_pa);
    for (unsigned i = 0; i < PAGE_SIZE / 8; i++)
        if (c[i] != CANARY_WORD + i)
            return false;
    return true;
}

/* The IOMMU stopped a VF: tell the domain holding it (its error upcall, an
 * LMP message) and check the kernel's canary. */
void vnic_dma_fault(uint16_t sid, uint64_t addr, bool write)
{
    for (unsigned vf = 0; vf < igb_pf.nvfs; vf++) {
        uint32_t holder = vnics[vf].holder;
        if (igb_pf.vf_rid[vf] != sid || !holder)
            continue;
        /* The holder's core tells it (an LMP message; rpc.c if elsewhere). */
        struct rpc_msg m = { .op = NIC_RPC_FAULT_TELL, .vf = vf, .holder = holder, .a = addr,
                             .b = write };
        if ((holder >> 16) == this_core()->id)
            vnic_tell_fault(&m);
        else
            rpc_call(holder >> 16, &m, NULL, NULL);
        if (canary_pa)
            kprintf("vnic: VF %u DMA fault at %#lx reported to domain %#x; kernel canary %s\n", vf,
                    addr, holder, canary_intact() ? "intact" : "OVERWRITTEN");
    }
}

void vnic_tell_fault(const struct rpc_msg *m)
{
    struct dcb *t = dispatch_find(m->holder);
    uint64_t w[LMP_WORDS] = { MONITOR_MSG_VNIC_FAULT, m->a, m->b, m->vf };
    if (t && t->state == DOMAIN_RUNNABLE)
        dispatch_deliver(t, w, 0);
}

uint32_t vnic_holder(unsigned vf)
{
    return vf < IGB_MAX_VFS ? vnics[vf].holder : 0;
}

const struct pci_dev *vnic_vf_dev(unsigned vf)
{
    for (unsigned i = 0; vnic_pci && i < vnic_pci->n; i++)
        if (vnic_pci->dev[i].rid == igb_pf.vf_rid[vf] && vnic_pci->dev[i].is_vf)
            return &vnic_pci->dev[i];
    return NULL;
}

const struct pci_ops *vnic_pci_ops(void)
{
    return &vnic_pci->ops;
}

static void set_master(unsigned vf, bool on)
{
    const struct pci_ops *o = &vnic_pci->ops;
    pci_rid_t rid = igb_pf.vf_rid[vf];
    uint16_t cmd = pci_rd16(o, rid, PCI_COMMAND);
    cmd = on ? (cmd | PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER) : (cmd & ~PCI_COMMAND_MASTER);
    pci_wr16(o, rid, PCI_COMMAND, cmd);
}

static struct sysret ret(errval_t e, uint64_t v) { return (struct sysret){ e, v }; }

/* A VNIC capability names its VF and its holder (the domain id says the
 * holder's core), so a stale one never reaches a VF given to someone else. */
#define VNIC_RAW(vf, holder) ((uint64_t)(vf) | (uint64_t)(holder) << 32)
#define RAW_VF(raw) ((unsigned)((raw) & 0xffff))
#define RAW_HOLDER(raw) ((uint32_t)((raw) >> 32))

static struct vnic *held(unsigned vf, uint32_t holder)
{
    return vf < IGB_MAX_VFS && holder && vnics[vf].holder == holder ? &vnics[vf] : NULL;
}

/* ---- The service, on the NIC's core: local calls and forwarded ones ---- */

errval_t vnic_svc_create(uint32_t holder, uint64_t *vf_out, uint64_t *bar_out)
{
    if (!igb_pf.up || !vnic_pci)
        return IGB_ERR_NOT_UP;
    unsigned vf = 0;
    while (vf < igb_pf.nvfs && vnics[vf].holder)
        vf++;
    const struct pci_dev *dev = vf < igb_pf.nvfs ? vnic_vf_dev(vf) : NULL;
    if (!dev)
        return VNIC_ERR_NONE_FREE;
    if (!vtd_enabled())
        return VNIC_ERR_NO_IOMMU;
    struct vnic *v = &vnics[vf];
    errval_t err = vtd_domain_create(&v->dom);
    if (err_is_fail(err))
        return err_push(err, VNIC_ERR_NO_IOMMU);
    if (err_is_fail(err = vtd_attach(v->dom, dev->rid >> 8, dev->rid & 0xff))) {
        vtd_domain_destroy(v->dom);
        return err_push(err, VNIC_ERR_NO_IOMMU);
    }
    v->holder = holder;
    set_master(vf, true);
    kprintf("vnic: VF %u (%02x:%02x.%x) is now domain %#x's (core %u), in its own IOMMU domain\n",
            vf, dev->rid >> 8, (dev->rid >> 3) & 31, dev->rid & 7, holder, holder >> 16);
    *vf_out = vf;
    *bar_out = dev->bar[0].addr;
    return ERR_OK;
}

static void unregister(struct vnic *v, int i)
{
    vtd_domain_unmap(v->dom, v->dma[i].base, v->dma[i].bytes);
    v->dma[i].frame = NULL;
    v->dma[i].bytes = 0;
}

void vnic_svc_release(unsigned vf, uint32_t holder)
{
    struct vnic *v = held(vf, holder);
    if (!v)
        return;
    set_master(vf, false);
    igb_filter_vnic_released(vf);
    doorbell_vnic_released(vf);
    for (int i = 0; i < VNIC_DMA_MAX; i++)
        if (v->dma[i].bytes)
            unregister(v, i);
    pci_rid_t rid = igb_pf.vf_rid[vf];
    vtd_detach(v->dom, rid >> 8, rid & 0xff);
    vtd_domain_destroy(v->dom);
    kprintf("vnic: VF %u is free again (domain %#x let go of it)\n", vf, holder);
    *v = (struct vnic){ 0 };
}

errval_t vnic_svc_register(unsigned vf, uint32_t holder, uint64_t base, uint64_t bytes,
                           struct cte *frame)
{
    struct vnic *v = held(vf, holder);
    if (!v)
        return CAP_ERR_WRONG_TYPE;
    int free_i = -1;
    for (int i = 0; i < VNIC_DMA_MAX; i++) {
        if (v->dma[i].bytes && v->dma[i].base == base)
            return MAP_ERR_ALREADY;
        if (!v->dma[i].bytes && free_i < 0)
            free_i = i;
    }
    if (free_i < 0)
        return VNIC_ERR_TOO_MANY_DMA;
    errval_t err = vtd_domain_map(v->dom, base, base, bytes, VTD_PERM_READ | VTD_PERM_WRITE);
    if (err_is_fail(err))
        return err;
    v->dma[free_i].frame = frame;
    v->dma[free_i].base = base;
    v->dma[free_i].bytes = bytes;
    return ERR_OK;
}

errval_t vnic_svc_unregister(unsigned vf, uint32_t holder, uint64_t base)
{
    struct vnic *v = held(vf, holder);
    if (!v)
        return CAP_ERR_WRONG_TYPE;
    for (int i = 0; i < VNIC_DMA_MAX; i++) {
        if (v->dma[i].bytes && v->dma[i].base == base) {
            unregister(v, i);
            return ERR_OK;
        }
    }
    return VNIC_ERR_NOT_REGISTERED;
}

/* ---- Requests from other cores: finishing them here ---- */

/* Frames registered through another core, so that their going can be told. */
#define REMOTE_DMA_MAX 16
struct remote_dma {
    struct cte *frame;
    uint32_t vf, holder;
    uint64_t base;
};
static struct remote_dma remote_dma[MAX_CORES][REMOTE_DMA_MAX];     /* a row per core */

static void created_remote(struct rpc_call *c, const struct rpc_answer *a)
{
    uint32_t holder = (uint32_t)c->ctx[1];
    struct dcb *t = dispatch_find(holder);
    struct cte *recv = NULL;
    errval_t err = a->err;
    if (err_is_ok(err) && (!t || t->state != DOMAIN_RUNNABLE))
        err = SYS_ERR_NO_DOMAIN;
    if (err_is_ok(err))
        err = cspace_lookup(t, CAP_TASK(TASKCN_SLOT_RECV), &recv);
    if (err_is_ok(err) && recv->cap.type != CAP_NULL)
        err = SYS_ERR_RECV_SLOT_FULL;
    struct capability cap = { .type = CAP_VNIC, .rights = CAP_RIGHT_ALL, .base = a->value2,
                              .bytes = VNIC_REGS_BYTES };
    cap.u.raw = VNIC_RAW(a->value, holder);
    if (err_is_ok(err))
        err = cap_create_root(&this_core()->mdb, recv, &cap);
    if (err_is_fail(err)) {
        if (err_is_ok(a->err)) {        /* the VF was taken for nobody: give it back */
            struct rpc_msg m = { .op = NIC_RPC_VNIC_RELEASE, .vf = (uint32_t)a->value, .holder = holder };
            nic_tell(&m);
        }
        dispatch_answer((uint32_t)c->ctx[0], err, 0);
        return;
    }
    uint64_t w[LMP_WORDS] = { MONITOR_MSG_CAP, c->ctx[2], a->value, 0 };
    dispatch_answer((uint32_t)c->ctx[0],
                    dispatch_deliver_cap(t, w, (uint32_t)c->ctx[0], CAP_TASK(TASKCN_SLOT_RECV)),
                    a->value);
}

static void registered_remote(struct rpc_call *c, const struct rpc_answer *a)
{
    struct cte *frame = (struct cte *)(uintptr_t)c->ctx[1];
    errval_t err = a->err;
    if (err_is_ok(err)) {
        unsigned i = 0;
        while (i < REMOTE_DMA_MAX && remote_dma[this_core()->id][i].frame)
            i++;
        if (i < REMOTE_DMA_MAX) {
            remote_dma[this_core()->id][i].frame = frame;
            remote_dma[this_core()->id][i].vf = c->msg.vf;
            remote_dma[this_core()->id][i].holder = c->msg.holder;
            remote_dma[this_core()->id][i].base = c->msg.a;
        } else {                        /* cannot follow it: undo */
            struct rpc_msg m = c->msg;
            m.op = NIC_RPC_DMA_UNREGISTER;
            nic_tell(&m);
            err = VNIC_ERR_TOO_MANY_DMA;
        }
    }
    dispatch_answer((uint32_t)c->ctx[0], err, err_is_ok(err) ? c->msg.a : 0);
}

/* ---- Invocations ---- */

struct sysret invoke_kernel_vnic_create(struct invocation *inv)
{
    struct dcb *t = inv->arg[0] <= UINT32_MAX ? dispatch_find((uint32_t)inv->arg[0]) : NULL;
    if (!t || t->state != DOMAIN_RUNNABLE || t->secondary)
        return ret(SYS_ERR_NO_DOMAIN, 0);
    struct cte *recv;
    errval_t err = cspace_lookup(t, CAP_TASK(TASKCN_SLOT_RECV), &recv);
    if (err_is_ok(err) && recv->cap.type != CAP_NULL)
        err = SYS_ERR_RECV_SLOT_FULL;
    if (err_is_fail(err))
        return ret(err, 0);
    if (!nic_is_owner()) {
        struct rpc_msg m = { .op = NIC_RPC_VNIC_CREATE, .holder = t->id };
        return nic_forward(inv, &m, created_remote, t->id, inv->arg[1]);
    }
    uint64_t vf, bar;
    if (err_is_fail(err = vnic_svc_create(t->id, &vf, &bar)))
        return ret(err, 0);
    struct capability cap = { .type = CAP_VNIC, .rights = CAP_RIGHT_ALL, .base = bar,
                              .bytes = VNIC_REGS_BYTES };
    cap.u.raw = VNIC_RAW(vf, t->id);
    if (err_is_fail(err = cap_create_root(&this_core()->mdb, recv, &cap))) {
        vnic_svc_release((unsigned)vf, t->id);
        return ret(err, 0);
    }
    uint64_t w[LMP_WORDS] = { MONITOR_MSG_CAP, inv->arg[1], vf, 0 };
    return ret(dispatch_deliver_cap(t, w, inv->d->id, CAP_TASK(TASKCN_SLOT_RECV)), vf);
}

unsigned vnic_cap_vf(const struct cte *slot) { return RAW_VF(slot->cap.u.raw); }
uint32_t vnic_cap_holder(const struct cte *slot) { return RAW_HOLDER(slot->cap.u.raw); }

/* The capability is the authority: its holder, and whoever it gave a copy. */
struct sysret invoke_vnic_map_regs(struct invocation *inv)
{
    return ret(mapping_add(inv->d, inv->slot, inv->arg[0], inv->slot->cap.base,
                           inv->slot->cap.bytes, VSPACE_WRITE | VSPACE_UNCACHED), 0);
}

static errval_t frame_arg(struct invocation *inv, struct cte **f)
{
    errval_t err = inv->arg[0] > UINT32_MAX ? SYS_ERR_ARG_RANGE
                                            : cspace_lookup(inv->d, (capaddr_t)inv->arg[0], f);
    if (err_is_ok(err) && ((*f)->cap.type != CAP_FRAME || ((*f)->cap._reserved[CAP_FLAGS] & CAP_FLAG_IMPORTED)))
        err = CAP_ERR_WRONG_TYPE;
    return err;
}

/* The VF both reads and writes the memory it is given (VTD_PERM_READ |
 * VTD_PERM_WRITE), so the Frame must carry both rights: a read-only mint
 * must not become a DMA target the device can write. */
#define DMA_RIGHTS (CAP_RIGHT_READ | CAP_RIGHT_WRITE)

struct sysret invoke_vnic_register_dma(struct invocation *inv)
{
    struct cte *f;
    errval_t err = frame_arg(inv, &f);
    if (err_is_ok(err) && (f->cap.rights & DMA_RIGHTS) != DMA_RIGHTS)
        err = CAP_ERR_RIGHTS;
    if (err_is_fail(err))
        return ret(err, 0);
    unsigned vf = vnic_cap_vf(inv->slot);
    uint32_t holder = vnic_cap_holder(inv->slot);
    if (!nic_is_owner()) {
        struct rpc_msg m = { .op = NIC_RPC_DMA_REGISTER, .vf = vf, .holder = holder,
                             .a = f->cap.base, .b = f->cap.bytes };
        return nic_forward(inv, &m, registered_remote, (uint64_t)(uintptr_t)f, 0);
    }
    err = vnic_svc_register(vf, holder, f->cap.base, f->cap.bytes, f);
    return ret(err, err_is_ok(err) ? f->cap.base : 0);
}

struct sysret invoke_vnic_unregister_dma(struct invocation *inv)
{
    struct cte *f;
    errval_t err = frame_arg(inv, &f);
    if (err_is_fail(err))
        return ret(err, 0);
    unsigned vf = vnic_cap_vf(inv->slot);
    uint32_t holder = vnic_cap_holder(inv->slot);
    if (nic_is_owner())
        return ret(vnic_svc_unregister(vf, holder, f->cap.base), 0);
    /* The owner unregisters by base, whichever copy of the Frame names it;
     * so must this table, or the entry of the copy that registered stays
     * and, when that copy goes, unregisters a later registration at the
     * same base that is still the holder's. */
    for (unsigned i = 0; i < REMOTE_DMA_MAX; i++) {
        struct remote_dma *r = &remote_dma[this_core()->id][i];
        if (r->frame && r->vf == vf && r->holder == holder && r->base == f->cap.base)
            r->frame = NULL;
    }
    struct rpc_msg m = { .op = NIC_RPC_DMA_UNREGISTER, .vf = vf, .holder = holder, .a = f->cap.base };
    return nic_forward(inv, &m, nic_done_plain, 0, 0);
}

void vnic_frame_removed(struct cte *frame)
{
    for (unsigned vf = 0; nic_is_owner() && vf < IGB_MAX_VFS; vf++)
        for (int i = 0; vnics[vf].holder && i < VNIC_DMA_MAX; i++)
            if (vnics[vf].dma[i].bytes && vnics[vf].dma[i].frame == frame)
                unregister(&vnics[vf], i);
    for (unsigned i = 0; i < REMOTE_DMA_MAX; i++) {
        struct remote_dma *r = &remote_dma[this_core()->id][i];
        if (r->frame != frame)
            continue;
        struct rpc_msg m = { .op = NIC_RPC_DMA_UNREGISTER, .vf = r->vf, .holder = r->holder, .a = r->base };
        nic_tell(&m);
        r->frame = NULL;
    }
}

void vnic_removed(struct cte *slot)
{
    if (!mdb_is_last_copy(slot))
        return;                         /* copies remain: the VF stays with its holder */
    if (nic_is_owner()) {
        vnic_svc_release(vnic_cap_vf(slot), vnic_cap_holder(slot));
        return;
    }
    struct rpc_msg m = { .op = NIC_RPC_VNIC_RELEASE, .vf = vnic_cap_vf(slot),
                         .holder = vnic_cap_holder(slot) };
    nic_tell(&m);
}

/*
 * Rate specifier: the 82576 limits a transmit queue by a rate factor =
 * link speed / rate (RTTBCNRC, 8.12). The driver writes it and reads it
 * back; where the NIC does not keep it (QEMU's igb drops these writes), it
 * refuses with a named error instead of pretending.
 */
errval_t vnic_svc_rate(unsigned vf, uint32_t holder, uint64_t bytes_per_s, uint64_t *mbps_out)
{
    if (!held(vf, holder))
        return CAP_ERR_WRONG_TYPE;
    uint64_t mbps = bytes_per_s * 8 / 1000000;
    if (bytes_per_s && (mbps < 1 || mbps > IGB_LINK_MBPS))
        return RATE_ERR_RANGE;
    uint32_t want = 0;
    if (bytes_per_s) {
        uint64_t rf = ((uint64_t)IGB_LINK_MBPS << 14) / mbps;   /* 14-bit fraction */
        want = IGB_RTTBCNRC_RS_ENA | (uint32_t)(rf & (IGB_RTTBCNRC_RF_INT_MASK | IGB_RTTBCNRC_RF_DEC_MASK));
    }
    igb_wr(IGB_RTTDQSEL, vf);           /* VF n owns queue n */
    igb_wr(IGB_RTTBCNRC, want | (want ? 0 : IGB_RTTBCNRC_RS_ENA));   /* probe with RS_ENA */
    uint32_t got = igb_rd(IGB_RTTBCNRC);
    if (!(got & IGB_RTTBCNRC_RS_ENA))
        return RATE_ERR_NO_HW_LIMITER;
    igb_wr(IGB_RTTBCNRC, want);
    *mbps_out = mbps;
    return ERR_OK;
}

struct sysret invoke_vnic_rate_set(struct invocation *inv)
{
    unsigned vf = vnic_cap_vf(inv->slot);
    uint32_t holder = vnic_cap_holder(inv->slot);
    if (!nic_is_owner()) {
        struct rpc_msg m = { .op = NIC_RPC_RATE_SET, .vf = vf, .holder = holder, .a = inv->arg[0] };
        return nic_forward(inv, &m, nic_done_plain, 0, 0);
    }
    uint64_t mbps = 0;
    errval_t err = vnic_svc_rate(vf, holder, inv->arg[0], &mbps);
    return ret(err, mbps);
}
