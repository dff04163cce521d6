/*
 * smp.c: start the other cores (Intel SDM Vol. 3A, 9.4.4: INIT-SIPI-SIPI)
 * and bring each up as its own CPU driver instance.
 *
 * The BSP gives each core a struct core, a kernel stack and a slice of RAM
 * its own allocator will own, then sends the IPIs. The core starts in
 * trampoline.S in real mode, arrives in ap_main() in long mode, loads its
 * own GDT/TSS, enables its local APIC and timer, and logs "core N up". A
 * core that does not answer in time is reported and the others go on.
 */
#include <core.h>
#include <acpi/acpi.h>
#include <arch/apic.h>
#include <arch/cpu.h>
#include <arch/paging.h>
#include <arch/pat.h>
#include <arch/trap.h>
#include <console.h>
#include <memlayout.h>
#include <panic.h>
#include <string.h>
#include <dispatch.h>
#include <syscall_impl.h>

extern const char trampoline_start[], trampoline_end[], trampoline_params[];

struct trampoline_params {
    uint64_t cr3, stack, entry, arg, efer_extra;
};

#define ICR_INIT      0x00004500    /* INIT, level assert */
#define ICR_STARTUP   0x00004600    /* STARTUP; vector = page number */
#define CORE_START_TIMEOUT_MS 2000  /* TCG on a busy host is slow */
#define CORE_MEM_MAX  (1ull << 30)     /* room for a domain spawned with mem=256M and more */
#define CORE_MEM_MIN  (16ull << 20)
#define AP_TIMER_HZ   100

static uint32_t cores_up = 1;
struct core *cores[MAX_CORES];
uint32_t ncores = 1;

void core_set_current(struct core *c)
{
    c->self = c;
    wrmsr(MSR_GS_BASE, (uint64_t)c);
}

uint32_t smp_cores_up(void)
{
    return __atomic_load_n(&cores_up, __ATOMIC_ACQUIRE);
}

static void delay_ms(uint64_t ms)
{
    uint64_t end = rdtsc() + tsc_hz() / 1000 * ms;
    while (rdtsc() < end)
        cpu_relax();
}

/* The new core's own allocator, over the slice of RAM it was given. */
static errval_t ap_memory_init(struct core *c)
{
    struct mem_region r = { c->mem_base, c->mem_bytes, MB2_MEM_AVAILABLE };
    size_t bytes = pmm_bitmap_bytes(c->mem_base + c->mem_bytes);
    struct phys_range bitmap = { c->mem_base, c->mem_base + ((bytes + PAGE_SIZE - 1) & ~(PAGE_SIZE - 1)) };
    return pmm_init(&c->pmm, &r, 1, &bitmap, 1, phys_to_virt(c->mem_base), bytes);
}

static __attribute__((noreturn)) void ap_main(struct core *c)
{
    pat_init();                 /* the bootstrap core's table, before any kprintf draws */
    write_cr3(paging_kernel_root());
    gdt_load(&c->gdt);
    gdt_set_kernel_stack(&c->gdt, c->stack_top);
    idt_load();
    core_set_current(c);
    errval_t err = apic_init(0);
    if (err_is_ok(err))
        err = ap_memory_init(c);
    if (err_is_fail(err)) {
        kprint_err("smp: core start", err);
        for (;;)
            cpu_halt();
    }
    syscall_init_core();
    if (err_is_fail(err = dispatch_init_core())) {
        kprint_err("smp: core start", err);
        for (;;)
            cpu_halt();
    }
    apic_timer_start(AP_TIMER_HZ);
    kprintf("core %u up (apic %u), %lu MiB of its own RAM\n", c->id, apic_id(), c->mem_bytes >> 20);
    __atomic_add_fetch(&cores_up, 1, __ATOMIC_RELEASE);
    __atomic_store_n(&c->started, 1, __ATOMIC_RELEASE);
    dispatch_schedule();            /* idle until the monitor is asked for */
}

/* A CR3 for the climb to long mode: the kernel's upper half plus an
 * identity map of the low 2 MiB, where the trampoline runs. */
static errval_t startup_root(struct pmm *pmm, uint64_t *root)
{
    uint64_t pml4, pdpt, pd;
    errval_t err;
    if (err_is_fail(err = pmm_alloc(pmm, 1, 1, &pml4)) ||
        err_is_fail(err = pmm_alloc(pmm, 1, 1, &pdpt)) ||
        err_is_fail(err = pmm_alloc(pmm, 1, 1, &pd)))
        return err;
    if (pml4 >= (4ull << 30))
        return MM_ERR_BAD_ADDRESS;          /* mov to CR3 in 32-bit mode */
    uint64_t *k = phys_to_virt(paging_kernel_root());
    uint64_t *t = phys_to_virt(pml4);
    memset(t, 0, PAGE_SIZE);
    memcpy(t + 256, k + 256, 256 * sizeof(uint64_t));
    memset(phys_to_virt(pdpt), 0, PAGE_SIZE);
    memset(phys_to_virt(pd), 0, PAGE_SIZE);
    t[0] = pdpt | PTE_PRESENT | PTE_WRITE;
    ((uint64_t *)phys_to_virt(pdpt))[0] = pd | PTE_PRESENT | PTE_WRITE;
    ((uint64_t *)phys_to_virt(pd))[0] = 0 | PTE_PRESENT | PTE_WRITE | PTE_LARGE;
    *root = pml4;
    return ERR_OK;
}

static bool start_one(struct core *c, uint64_t page, struct trampoline_params *tp)
{
    tp->stack = c->stack_top;
    tp->arg = (uint64_t)c;
    __atomic_thread_fence(__ATOMIC_SEQ_CST);
    apic_send_ipi(c->apic_id, ICR_INIT);
    delay_ms(10);
    for (int sipi = 0; sipi < 2; sipi++) {
        apic_send_ipi(c->apic_id, ICR_STARTUP | (uint32_t)(page >> 12));
        for (int ms = 0; ms < CORE_START_TIMEOUT_MS; ms++) {
            if (__atomic_load_n(&c->started, __ATOMIC_ACQUIRE))
                return true;
            delay_ms(1);
        }
    }
    return false;
}

static errval_t new_core(struct pmm *pmm, uint32_t id, uint32_t apic, uint64_t mem, struct core **out)
{
    uint64_t pa, stack, ram, urpc;
    size_t core_pages = (sizeof(struct core) + PAGE_SIZE - 1) / PAGE_SIZE;
    errval_t err;
    if (err_is_fail(err = pmm_alloc(pmm, core_pages, 1, &pa)) ||
        err_is_fail(err = pmm_alloc(pmm, CORE_STACK_SIZE / PAGE_SIZE, 1, &stack)) ||
        err_is_fail(err = pmm_alloc(pmm, URPC_FRAME_BYTES / PAGE_SIZE, 1, &urpc)) ||
        err_is_fail(err = pmm_alloc(pmm, mem / PAGE_SIZE, LARGE_PAGE_SIZE / PAGE_SIZE, &ram)))
        return err;
    memset(phys_to_virt(urpc), 0, URPC_FRAME_BYTES);
    struct core *c = phys_to_virt(pa);
    memset(c, 0, sizeof(*c));
    c->id = id;
    c->apic_id = apic;
    c->stack_top = (uint64_t)phys_to_virt(stack) + CORE_STACK_SIZE;
    c->mem_base = ram;
    c->mem_bytes = mem;
    c->urpc_pa = urpc;
    *out = c;
    return ERR_OK;
}

void smp_start_cores(const struct madt_info *madt, struct core *bsp, uint64_t page)
{
    struct pmm *pmm = &bsp->pmm;
    uint64_t root;
    cores[0] = bsp;
    errval_t err = startup_root(pmm, &root);
    if (err_is_fail(err)) {
        kprint_err("smp: cannot prepare the trampoline; running on one core", err);
        return;
    }
    memcpy(phys_to_virt(page), trampoline_start, (size_t)(trampoline_end - trampoline_start));
    struct trampoline_params *tp =
        phys_to_virt(page + (uint64_t)(trampoline_params - trampoline_start));
    tp->cr3 = root;
    tp->entry = (uint64_t)ap_main;
    tp->efer_extra = rdmsr(MSR_EFER) & (1ull << 11);

    uint64_t share = (pmm->free_pages * PAGE_SIZE) / (madt->ncpus + 1);
    share &= ~(LARGE_PAGE_SIZE - 1);
    if (share > CORE_MEM_MAX)
        share = CORE_MEM_MAX;
    uint32_t next_id = 1;
    for (size_t i = 0; i < madt->ncpus; i++) {
        uint32_t apic = madt->cpus[i].apic_id;
        if (apic == bsp->apic_id)
            continue;
        if (!madt->cpus[i].enabled) {
            kprintf("smp: apic %u is online-capable but disabled; not started\n", apic);
            continue;
        }
        struct core *c;
        if (share < CORE_MEM_MIN || err_is_fail(err = new_core(pmm, next_id, apic, share, &c))) {
            kprintf("smp: no memory for core %u (apic %u); not started\n", next_id, apic);
            continue;
        }
        cores[next_id] = c;
        if (!start_one(c, page, tp)) {
            kprintf("smp: core %u (apic %u) did not start within %u ms; going on without it\n",
                    next_id, apic, 2 * CORE_START_TIMEOUT_MS);
            cores[next_id] = NULL;
            continue;
        }
        next_id++;
        ncores = next_id;
    }
    kprintf("smp: %u of %zu cores up\n", smp_cores_up(), madt->ncpus);
}
