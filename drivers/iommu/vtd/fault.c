/*
 * fault.c: DMA remapping faults (spec rev. 3.3, 7.3 primary fault logging;
 * registers 10.4.9-10.4.14; reasons appendix A).
 *
 * A unit records a blocked request in a fault recording register (F set)
 * and raises the fault event MSI, programmed here to the boot core's local
 * APIC on VTD_FAULT_VECTOR. The handler (and anyone calling
 * vtd_fault_poll) walks the records from FSTS.FRI, logs each one, counts
 * it against the requester, and clears it (F is write-1-to-clear), then
 * clears the overflow bit. QEMU (vtd_report_frcd_fault) has one record,
 * drops a fault from a requester that already has one pending, and sends
 * no new event while PPF or PFO is set: so the records must be cleared for
 * the next fault to interrupt. Each requester's first VTD_FAULT_LOG_MAX
 * faults are logged; later ones are only counted.
 */
#include <iommu/vtd/vtd.h>
#include <iommu/vtd/unit.h>
#include <arch/apic.h>
#include <arch/trap.h>
#include <console.h>

#define VTD_FAULT_LOG_MAX  8
#define VTD_FAULT_SOURCES  32

static struct { uint16_t sid; bool used; uint64_t count; } sources[VTD_FAULT_SOURCES];
static uint64_t unattributed;

static const char *reason_name(unsigned fr)
{
    static const char *const names[] = {
        [VTD_FR_ROOT_NOT_PRESENT] = "root entry not present",
        [VTD_FR_CTX_NOT_PRESENT] = "context entry not present",
        [VTD_FR_CTX_INVALID] = "invalid context entry",
        [VTD_FR_BEYOND_AW] = "address beyond the address width",
        [VTD_FR_WRITE] = "write not permitted",
        [VTD_FR_READ] = "read not permitted",
        [VTD_FR_PTE_ACCESS] = "cannot read a page-table entry",
        [VTD_FR_ROOT_ACCESS] = "cannot read the root entry",
        [VTD_FR_CTX_ACCESS] = "cannot read the context entry",
        [VTD_FR_ROOT_RSVD] = "reserved bit set in root entry",
        [VTD_FR_CTX_RSVD] = "reserved bit set in context entry",
        [VTD_FR_PTE_RSVD] = "reserved bit set in page-table entry",
        [VTD_FR_TT_BLOCKED] = "translation type blocks the request",
    };
    if (fr >= 0x20 && fr <= 0x26)
        return "interrupt remapping fault";
    return fr < sizeof(names) / sizeof(names[0]) && names[fr] ? names[fr] : "unknown reason";
}

/* Count one fault; true if it should still be logged. */
static vtd_fault_fn fault_hook;

void vtd_set_fault_hook(vtd_fault_fn fn)
{
    fault_hook = fn;
}

static bool count_fault(uint16_t sid)
{
    for (unsigned i = 0; i < VTD_FAULT_SOURCES; i++) {
        if (sources[i].used && sources[i].sid == sid)
            return ++sources[i].count <= VTD_FAULT_LOG_MAX;
        if (!sources[i].used) {
            sources[i].used = true;
            sources[i].sid = sid;
            sources[i].count = 1;
            return true;
        }
    }
    unattributed++;
    return false;
}

uint64_t vtd_fault_count(uint8_t bus, uint8_t devfn)
{
    uint16_t sid = (uint16_t)(bus << 8 | devfn);
    for (unsigned i = 0; i < VTD_FAULT_SOURCES; i++)
        if (sources[i].used && sources[i].sid == sid)
            return sources[i].count;
    return 0;
}

static unsigned poll_unit(struct vtd_unit *u)
{
    unsigned n = 0;
    uint32_t fsts = vtd_rd32(u, VTD_FSTS);
    if (fsts & VTD_FSTS_PPF) {
        unsigned first = (fsts & VTD_FSTS_FRI_MASK) >> VTD_FSTS_FRI_SHIFT;
        for (unsigned k = 0; k < u->nfr; k++) {
            unsigned i = (first + k) % u->nfr;
            uint64_t hi = vtd_rd64(u, VTD_FRCD_HI(u->fro, i));
            if (!(hi & VTD_FRCD_F))
                break;
            uint64_t lo = vtd_rd64(u, VTD_FRCD_LO(u->fro, i));
            uint16_t sid = hi & VTD_FRCD_SID_MASK;
            unsigned fr = (hi & VTD_FRCD_FR_MASK) >> VTD_FRCD_FR_SHIFT;
            if (count_fault(sid))
                kprintf("vtd: DMA fault: device %02x:%02x.%x, address %#lx, reason %u (%s), %s\n",
                        sid >> 8, (sid >> 3) & 0x1f, sid & 7, (uint64_t)(lo & VTD_FRCD_FI_MASK), fr,
                        reason_name(fr), (hi & VTD_FRCD_T) ? "read" : "write");
            vtd_wr32(u, VTD_FRCD_HI(u->fro, i) + 4, (uint32_t)(VTD_FRCD_F >> 32));
            if (fault_hook)
                fault_hook(sid, (uint64_t)(lo & VTD_FRCD_FI_MASK), !(hi & VTD_FRCD_T));
            n++;
        }
    }
    if (fsts & VTD_FSTS_PFO)
        kprintf("vtd: unit at %#lx: fault records overflowed; some faults were not recorded\n",
                u->drhd->base);
    if (fsts & VTD_FSTS_W1C)
        vtd_wr32(u, VTD_FSTS, fsts & VTD_FSTS_W1C);
    return n;
}

unsigned vtd_fault_poll(void)
{
    unsigned n = 0;
    for (unsigned i = 0; i < vtd_nunits; i++)
        if (vtd_units[i].regs)
            n += poll_unit(&vtd_units[i]);
    return n;
}

static void fault_interrupt(struct trap_frame *tf)
{
    vtd_fault_poll();
    apic_eoi();
}

/* 10.4.10-10.4.13: fixed delivery, edge, physical destination: the boot
 * core's APIC id in address bits 19:12 (ids above 255 would need the
 * extended interrupt mode; then the interrupt stays masked). */
void vtd_fault_setup(struct vtd_unit *u)
{
    trap_register(VTD_FAULT_VECTOR, fault_interrupt);
    vtd_fault_poll();                   /* whatever firmware left behind */
    uint32_t apic = apic_id();
    if (apic > 0xff) {
        kprintf("vtd: boot core APIC id %u does not fit a fault MSI; faults are read only "
                "when vtd_fault_poll() runs\n", apic);
        return;
    }
    vtd_wr32(u, VTD_FEDATA, VTD_FAULT_VECTOR);
    vtd_wr32(u, VTD_FEADDR, VTD_MSI_ADDR_BASE | apic << VTD_MSI_DEST_SHIFT);
    vtd_wr32(u, VTD_FEUADDR, 0);
    vtd_wr32(u, VTD_FECTL, 0);          /* IM = 0: deliver */
}
