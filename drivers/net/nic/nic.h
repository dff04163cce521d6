/**
 * \file nic.h
 * \brief drivers/net/nic/: what the SR-IOV NIC drivers' kernel halves
 * share. The kernel's invocation table has one slot per command; this
 * layer takes the slots of the Kernel NIC commands (nics, vnic_create,
 * filters) and of the VNIC capability (map_regs, DMA, rate, filter,
 * doorbell) and keeps every VNIC's book: which VF is whose, its IOMMU
 * domain and DMA Frames, its Filters, its doorbell, and the forwarding
 * of each call to the NIC's core. A PF driver gives it a `struct
 * nic_hw_ops` (its drivers/net/<nic>/pf/nichw.c): what only its registers
 * can do. So a domain holds an 82576 VNIC and an 82599 VNIC through the
 * same capability types and invocations, and each NIC names its own
 * refusals.
 *
 * The Kernel commands go to the NIC that is up (the first registered if
 * none is); a VNIC or Filter capability goes to the NIC it names.
 */
#ifndef NET_NIC_NIC_H
#define NET_NIC_NIC_H
#include <stdbool.h>
#include <stdint.h>
#include <kpi/errors.h>
#include <kpi/syscall.h>
#include <net/nic/book.h>

/** What a PF driver does for the VNIC layer, on the NIC's core unless
 *  said otherwise. Every VF number it is given is < nvfs(). */
struct nic_hw_ops {
    const char *name;               /* "82576", "82599" */
    const char *log;                /* its log lines' prefix: "igb", "ixgbe" */
    unsigned filters_max;           /* live Filters its driver keeps */
    unsigned vfs_max;               /* the most VFs it can have: doorbell bells are
                                       taken for that many (at most NIC_BELLS_MAX) */
    uint16_t vf_device;             /* the VF's PCI device id (VNIC.map_regs' value) */
    uint64_t vf_regs_bytes;         /* the VF's register BAR a holder maps */
    /** The PF came up (any core: read after boot). */
    bool (*up)(void);
    uint32_t (*owner_core)(void);
    unsigned (*nvfs)(void);
    /** VF `vf`'s PCI requester id. */
    uint16_t (*vf_rid)(unsigned vf);
    /** Kernel.nics' row for VF `vf`, -1: the PF (rid, device, MAC, link,
     *  pool; the layer fills vf, vendor and holder). */
    void (*info)(int vf, struct nic_info *out);
    /** Let VF `vf`'s queues receive and send (a holder took it), or stop
     *  them (it was released). NULL: the pool stays as the PF set it. */
    void (*vf_enable)(unsigned vf, bool on);
    /** Filters: can the NIC steer by it, would it keep the rules exact,
     *  and program the receive filters for all `n` live rules (refusing
     *  FILTER_ERR_TABLE_FULL leaves the NIC as it was). */
    const struct nic_filter_judge *judge;
    errval_t (*filter_apply)(const struct nic_filter_rule *rules, unsigned n);
    /** Limit VF `vf`'s transmit queues to `bytes_per_s` (0: no limit);
     *  *mbps: what was set. The NIC's RATE_ERR_* if it cannot. */
    errval_t (*rate_set)(unsigned vf, uint64_t bytes_per_s, uint64_t *mbps);
};

struct nic;

/** At boot, from a NIC driver's DRIVER() init (before user space), on
 *  core 0. The first registration takes the kernel's command slots. */
struct nic *nic_register(const struct nic_hw_ops *ops);
/** Once the PF and its VFs are up, from the PF's bring-up on its core: the
 *  book is made (the VFs' PCI functions from `t`, IOMMU fault hook,
 *  doorbell bells). */
struct pci_table;
void nic_pf_up(struct nic *n, struct pci_table *t);
/** Program the NIC's receive filters for its live Filters again (after a
 *  VF reset re-enabled its pool); logs a refusal. */
void nic_filters_apply(struct nic *n);
/** The domain holding VF `vf` as a VNIC, or 0. */
uint32_t nic_vnic_holder(const struct nic *n, unsigned vf);
#endif
