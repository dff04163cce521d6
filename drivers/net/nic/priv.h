/**
 * \file priv.h
 * \brief drivers/net/nic/ internals (kernel module nicops). One topic per file:
 *   nic.c       registration, the command slots, capability removal hooks
 *   book.c      who holds which VF, its Filters and bell (pure, host-tested)
 *   vnic.c      taking and releasing a VF: IOMMU domain, bus mastering
 *   dma.c       the Frames each VF may reach through the IOMMU
 *   fault.c     a VF's DMA fault, told to its holder; the DMA canary
 *   filter.c    the Filter capability and Kernel.filters
 *   doorbell.c  a VF's MSI-X entry to a bell (drivers/pci/doorbell.c)
 *   invoke.c    Kernel.vnic_create, Kernel.nics and the VNIC commands
 *   forward.c   every control call's one path: here or the NIC's core
 */
#ifndef NET_NIC_PRIV_H
#define NET_NIC_PRIV_H
#include <stdbool.h>
#include <stdint.h>
#include <string.h>
#include <net/nic/nic.h>
#include <net/nic/book.h>
#include <iommu/vtd/dmaset.h>
#include <pci/devcall.h>
#include <xcall.h>
struct cte;
struct invocation;
struct pci_table;
struct pci_dev;

#define NIC_VNIC_DMA_MAX    16      /* Frames registered per VF */
#define NIC_BELLS_MAX       16      /* doorbell bells a NIC takes (one per VF, the first ones) */

/** One registered NIC: its operations and, once its PF is up, its book. */
struct nic {
    const struct nic_hw_ops *ops;
    struct nic_book book;
    struct vtd_dmaset dma[NIC_VFS_MAX];     /* each held VF's IOMMU domain and Frames */
    struct pci_table *pci;                  /* NULL until nic_pf_up */
    unsigned bell0;                         /* VF n rings bell0 + n (n < book.nbells) */
};

extern struct nic nic_nics[NIC_MAX];
extern unsigned nic_count;

/** The NIC numbered `i` (as capabilities name it), NULL if none. */
struct nic *nic_of(unsigned i);
/** The NIC that serves the Kernel commands (up, else the first). */
struct nic *nic_serving(void);
static inline unsigned nic_index(const struct nic *n) { return (unsigned)(n - nic_nics); }
static inline bool nic_is_up(const struct nic *n) { return n->ops->up() && n->pci; }

enum nic_op {
    NIC_OP_VNIC_TAKE = 1,           /* holder -> value: VF, register BAR */
    NIC_OP_VNIC_RELEASE,            /* vf, holder */
    NIC_OP_DMA_REGISTER,            /* vf, holder, a: base, b: bytes */
    NIC_OP_DMA_UNREGISTER,          /* vf, holder, a: base */
    NIC_OP_RATE_SET,                /* vf, holder, a: bytes per second -> value: Mb/s */
    NIC_OP_FILTER_CREATE,           /* vf, holder, spec -> value: filter key, id */
    NIC_OP_FILTER_DELETE,           /* a: filter key */
    NIC_OP_DOORBELL_CREATE,         /* vf, holder, entry, apic -> value: vector */
    NIC_OP_DOORBELL_DELETE,         /* vf, holder */
    NIC_OP_FAULT_TELL,              /* to the holder's core: vf, holder, a: address, b: write */
};

/** A request: what each operation reads is listed with it above. */
struct nic_req {
    uint16_t nic;
    uint32_t vf, holder;
    uint32_t entry, apic;
    union {
        struct { uint64_t a, b; };
        struct filter_spec spec;
    };
};
_Static_assert(sizeof(struct nic_req) <= XCALL_BODY_BYTES, "a NIC request is one message");

/** A finished call seen from the caller's core: request, caller, context. */
struct nic_call {
    uint32_t caller;
    uint64_t ctx[2];
    struct nic_req req;
};
static inline struct nic_call nic_call_of(const struct devcall *d)
{
    struct nic_call c = { .caller = d->caller, .ctx = { d->ctx[0], d->ctx[1] } };
    memcpy(&c.req, d->body, sizeof(c.req));
    return c;
}

/* forward.c */
bool nic_is_owner(const struct nic *n);
struct sysret nic_call(struct invocation *inv, const struct nic *n, enum nic_op op,
                       struct nic_req *r, devcall_done_fn done, uint64_t ctx0, uint64_t ctx1);
void nic_tell(const struct nic *n, enum nic_op op, struct nic_req *r);
void nic_tell_core(uint32_t core, const struct nic *n, enum nic_op op, struct nic_req *r);

/* vnic.c */
errval_t nic_vnic_take(struct nic *n, uint32_t holder, uint64_t *vf, uint64_t *bar);
void nic_vnic_release(struct nic *n, unsigned vf, uint32_t holder);
const struct pci_dev *nic_vf_dev(const struct nic *n, unsigned vf);
struct capability nic_vnic_cap(const struct nic *n, uint64_t vf, uint32_t holder, uint64_t bar);
/** The NIC, VF and holder a VNIC capability names (NULL: no such NIC). */
struct nic *nic_of_vnic(const struct cte *slot, unsigned *vf, uint32_t *holder);
void nic_vnic_removed(struct cte *slot);

/* dma.c */
errval_t nic_dma_register(struct nic *n, unsigned vf, uint32_t holder, uint64_t base, uint64_t bytes);
errval_t nic_dma_unregister(struct nic *n, unsigned vf, uint32_t holder, uint64_t base);
bool nic_dma_follow(struct nic *n, struct cte *frame, unsigned vf, uint32_t holder, uint64_t base);
void nic_dma_unfollow(const struct nic *n, unsigned vf, uint32_t holder, uint64_t base);
void nic_dma_frame_removed(struct cte *frame);

/* fault.c */
void nic_dma_canary_init(void);
void nic_dma_fault(uint16_t sid, uint64_t addr, bool write);
void nic_dma_fault_tell(unsigned vf, uint32_t holder, uint64_t addr, bool write);

/* filter.c */
errval_t nic_filter_create(struct nic *n, unsigned vf, uint32_t holder,
                           const struct filter_spec *s, uint64_t *key, uint64_t *id);
void nic_filter_delete(struct nic *n, uint64_t key);
void nic_filter_vnic_released(struct nic *n, unsigned vf);
void nic_filter_removed(struct cte *slot);
struct sysret nic_invoke_filter_create(struct invocation *inv);
struct sysret nic_invoke_filters(struct invocation *inv);

/* doorbell.c */
void nic_doorbell_init(struct nic *n);
errval_t nic_doorbell_create(struct nic *n, unsigned vf, uint32_t holder, unsigned entry,
                             uint32_t apic, uint64_t *vector);
void nic_doorbell_delete(struct nic *n, unsigned vf, uint32_t holder);
struct sysret nic_invoke_doorbell_create(struct invocation *inv);

/* invoke.c */
errval_t nic_rate_set(struct nic *n, unsigned vf, uint32_t holder, uint64_t bytes_per_s,
                      uint64_t *mbps);
struct sysret nic_invoke_nics(struct invocation *inv);
struct sysret nic_invoke_vnic_create(struct invocation *inv);
struct sysret nic_invoke_map_regs(struct invocation *inv);
struct sysret nic_invoke_register_dma(struct invocation *inv);
struct sysret nic_invoke_unregister_dma(struct invocation *inv);
struct sysret nic_invoke_rate_set(struct invocation *inv);
#endif
