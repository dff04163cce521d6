/*
 * nic.c: the NIC drivers' registration (nic.h). The first nic_register()
 * takes the kernel's slots for Kernel.nics / vnic_create / filters and
 * every VNIC command (invoke_register), with the rights each needs, and
 * the removal hooks of VNIC, Filter and Frame capabilities. Registration
 * happens at boot on core 0 only; afterwards the table is read-only.
 * The Kernel commands go to the NIC that is up (nic_serving); a VNIC or
 * Filter capability to the NIC it names.
 */
#include <net/nic/priv.h>
#include <cap_hooks.h>
#include <console.h>
#include <fmt.h>
#include <invoke.h>
#include <panic.h>
#include <pci/pci.h>
#include <iommu/vtd/vtd.h>

struct nic nic_nics[NIC_MAX];
unsigned nic_count;
static const struct nic *told_serving;

struct nic *nic_of(unsigned i)
{
    return i < nic_count ? &nic_nics[i] : NULL;
}

struct nic *nic_serving(void)
{
    for (unsigned i = 0; i < nic_count; i++) {
        struct nic *n = &nic_nics[i];
        if (!n->ops->up())
            continue;
        if (n != told_serving) {
            told_serving = n;
            for (unsigned k = i + 1; k < nic_count; k++)
                if (nic_nics[k].ops->up())
                    kprintf("nic: the %s is up too; the Kernel NIC commands serve the %s only\n",
                            nic_nics[k].ops->name, n->ops->name);
        }
        return n;
    }
    return nic_count ? &nic_nics[0] : NULL;
}

static const struct invoke_entry kernel_cmds[] = {
    [KERNEL_CMD_NICS]        = { nic_invoke_nics, "Kernel.nics", 0 },
    [KERNEL_CMD_VNIC_CREATE] = { nic_invoke_vnic_create, "Kernel.vnic_create", 0 },
    [KERNEL_CMD_FILTERS]     = { nic_invoke_filters, "Kernel.filters", 0 },
};

static const struct invoke_entry vnic_cmds[] = {
    [VNIC_CMD_MAP_REGS]        = { nic_invoke_map_regs, "VNIC.map_regs", CAP_RIGHT_WRITE },
    [VNIC_CMD_REGISTER_DMA]    = { nic_invoke_register_dma, "VNIC.register_dma", CAP_RIGHT_WRITE },
    [VNIC_CMD_UNREGISTER_DMA]  = { nic_invoke_unregister_dma, "VNIC.unregister_dma", 0 },
    [VNIC_CMD_RATE_SET]        = { nic_invoke_rate_set, "VNIC.rate_set", CAP_RIGHT_WRITE },
    [VNIC_CMD_FILTER_CREATE]   = { nic_invoke_filter_create, "VNIC.filter_create", CAP_RIGHT_WRITE },
    [VNIC_CMD_DOORBELL_CREATE] = { nic_invoke_doorbell_create, "VNIC.doorbell_create",
                                   CAP_RIGHT_WRITE },
};

#define N(a) (sizeof(a) / sizeof((a)[0]))

struct nic *nic_register(const struct nic_hw_ops *ops)
{
    if (nic_count == NIC_MAX)
        panic("nic: more than %d NIC drivers register", NIC_MAX);
    if (nic_count == 0) {
        invoke_register(CAP_KERNEL, kernel_cmds, N(kernel_cmds));
        invoke_register(CAP_VNIC, vnic_cmds, N(vnic_cmds));
        cap_removed_register(CAP_FRAME, nic_dma_frame_removed);
        cap_removed_register(CAP_VNIC, nic_vnic_removed);
        cap_removed_register(CAP_FILTER, nic_filter_removed);
    }
    struct nic *n = &nic_nics[nic_count];
    *n = (struct nic){ .ops = ops };
    nic_book_init(&n->book, nic_count, 0, ops->filters_max, 0);
    nic_count++;
    return n;
}

/* The first NIC up takes the IOMMU's fault hook (it reports the faults of
 * every NIC's VFs) and the DMA canary. */
void nic_pf_up(struct nic *n, struct pci_table *t)
{
    static bool hooked;
    if (!hooked) {
        hooked = true;
        nic_dma_canary_init();
        vtd_set_fault_hook(nic_dma_fault);
    }
    unsigned nvfs = n->ops->nvfs();
    nic_book_init(&n->book, nic_index(n), nvfs, n->ops->filters_max, 0);
    n->pci = t;
    nic_doorbell_init(n);
}

void nic_filters_apply(struct nic *n)
{
    static struct nic_filter_rule rules[NIC_FILTERS_MAX];   /* the NIC's core only */
    errval_t err = n->ops->filter_apply(rules, nic_book_rules(&n->book, rules));
    if (err_is_fail(err)) {
        char what[24];
        fmt_snprintf(what, sizeof(what), "%s: filters", n->ops->log);
        kprint_err(what, err);
    }
}

uint32_t nic_vnic_holder(const struct nic *n, unsigned vf)
{
    return nic_book_holder(&n->book, vf);
}
