/*
 * tlb.c: TLB shootdown. A core that removed a mapping from page tables
 * other cores run on (a spanning domain) bumps each such core's request
 * counter, sends it an IPI, and waits until the core has reloaded CR3 and
 * published the request it served. While waiting it serves requests made
 * to itself, so two cores shooting at each other cannot deadlock. User
 * pages are never global, so a CR3 reload drops them all.
 */
#include <tlb.h>
#include <core.h>
#include <arch/apic.h>
#include <arch/cpu.h>
#include <arch/trap.h>


static void flush_here(void)
{
    write_cr3(read_cr3());
}

/* Serve what other cores asked of this one. */
static void serve(void)
{
    struct core *c = this_core();
    uint32_t req = __atomic_load_n(&c->tlb_req, __ATOMIC_ACQUIRE);
    if (req == c->tlb_done)
        return;
    flush_here();
    __atomic_store_n(&c->tlb_done, req, __ATOMIC_RELEASE);
}

static void shootdown_interrupt(struct trap_frame *tf)
{
    serve();
    apic_eoi();
}

void tlb_init_core(void)
{
    trap_register(VEC_TLB_SHOOTDOWN, shootdown_interrupt);
}

void tlb_shootdown(uint64_t cores_mask)
{
    struct core *me = this_core();
    uint32_t want[MAX_CORES];
    flush_here();
    for (uint32_t i = 0; i < ncores && i < 64; i++) {
        if (!(cores_mask & (1ull << i)) || i == me->id || !cores[i])
            continue;
        want[i] = __atomic_add_fetch(&cores[i]->tlb_req, 1, __ATOMIC_ACQ_REL);
        apic_send_ipi(cores[i]->apic_id, ICR_FIXED | VEC_TLB_SHOOTDOWN);
    }
    for (uint32_t i = 0; i < ncores && i < 64; i++) {
        if (!(cores_mask & (1ull << i)) || i == me->id || !cores[i])
            continue;
        while ((int32_t)(__atomic_load_n(&cores[i]->tlb_done, __ATOMIC_ACQUIRE) - want[i]) < 0) {
            serve();
            cpu_relax();
        }
    }
}
