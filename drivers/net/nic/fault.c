/*
 * fault.c: a VF's DMA fault, whichever NIC it belongs to. The IOMMU stops
 * a VF that reaches outside the Frames it registered (dma.c) and calls
 * nic_dma_fault on the core that took the fault event; the domain holding
 * the VF is told by an LMP message from its own core (forwarded there if
 * that is another core).
 *
 * igb.dma_canary (a boot argument, for tests/system/test_vnic.py; the
 * name is the one it had when only the 82576 had VNICs): a page of kernel
 * memory with a known pattern, checked after every DMA fault of a VF: the
 * IOMMU must have kept the device out of it.
 */
#include <net/nic/priv.h>
#include <boot/cmdline.h>
#include <console.h>
#include <core.h>
#include <dispatch.h>
#include <memlayout.h>
#include <kpi/monitor.h>

#define CANARY_WORD 0xca11ab1ec0ffee00ull
static uint64_t canary_pa;

void nic_dma_canary_init(void)
{
    if (!cmdline_has("igb.dma_canary"))
        return;
    errval_t err = pmm_alloc(&this_core()->pmm, 1, 1, &canary_pa);
    if (err_is_fail(err)) {
        kprint_err("vnic: no page for the DMA canary", err);
        canary_pa = 0;
        return;
    }
    uint64_t *c = phys_to_virt(canary_pa);
    for (unsigned i = 0; i < PAGE_SIZE / 8; i++)
        c[i] = CANARY_WORD + i;
    kprintf("vnic: kernel DMA canary page at %#lx\n", canary_pa);
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
 * LMP message) and, with igb.dma_canary, check the kernel's canary. */
void nic_dma_fault(uint16_t sid, uint64_t addr, bool write)
{
    for (unsigned i = 0; i < nic_count; i++) {
        struct nic *n = &nic_nics[i];
        for (unsigned vf = 0; vf < n->book.nvfs; vf++) {
            uint32_t holder = n->book.holder[vf];
            if (!holder || n->ops->vf_rid(vf) != sid)
                continue;
            struct nic_req r = { .vf = vf, .holder = holder, .a = addr, .b = write };
            nic_tell_core(holder >> 16, n, NIC_OP_FAULT_TELL, &r);
            if (canary_pa)
                kprintf("vnic: VF %u DMA fault at %#lx reported to domain %#x; kernel canary %s\n",
                        vf, addr, holder, canary_intact() ? "intact" : "OVERWRITTEN");
            else
                kprintf("vnic: VF %u DMA fault at %#lx reported to domain %#x\n", vf, addr, holder);
        }
    }
}

void nic_dma_fault_tell(unsigned vf, uint32_t holder, uint64_t addr, bool write)
{
    struct dcb *t = dispatch_find(holder);
    uint64_t w[LMP_WORDS] = { MONITOR_MSG_VNIC_FAULT, addr, write, vf };
    if (t && t->state == DOMAIN_RUNNABLE)
        dispatch_deliver(t, w, 0);
}
