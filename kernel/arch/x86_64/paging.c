/*
 * paging.c: build and own the kernel's address space (memlayout.h).
 *
 * The boot tables from boot.S identity-map low memory; paging_init()
 * replaces them with tables that map only the kernel image (text
 * read-only and executable, everything else no-execute), the direct map of
 * physical memory, and later device windows. With the identity map gone a
 * NULL dereference in the kernel faults, as it should.
 */
#include <arch/paging.h>
#include <arch/cpu.h>
#include <arch/pat.h>
#include <memlayout.h>
#include <string.h>

extern const char _text_start[], _text_end[], _kernel_end[];

static struct pmm *pt_pmm;
static uint64_t kernel_pml4_pa;
static uint64_t nx_bit;
static uint64_t device_next = DEVICE_WINDOW;

static errval_t alloc_table(uint64_t *pa)
{
    errval_t err = pmm_alloc(pt_pmm, 1, 1, pa);
    if (err_is_fail(err))
        return err;
    memset(phys_to_virt(*pa), 0, PAGE_SIZE);
    return ERR_OK;
}

/* The entry for `va` at `level` (4 = PML4 ... 1 = PT), creating tables. */
static errval_t walk(uint64_t va, int level, uint64_t **entry_out)
{
    uint64_t *table = phys_to_virt(kernel_pml4_pa);
    for (int l = 4; l > level; l--) {
        uint64_t *e = &table[(va >> (12 + 9 * (l - 1))) & 511];
        if (!(*e & PTE_PRESENT)) {
            uint64_t pa;
            errval_t err = alloc_table(&pa);
            if (err_is_fail(err))
                return err;
            *e = pa | PTE_PRESENT | PTE_WRITE;
        }
        if (*e & PTE_LARGE)
            return MM_ERR_ALREADY_MAPPED;
        table = phys_to_virt(*e & PTE_ADDR_MASK);
    }
    *entry_out = &table[(va >> (12 + 9 * (level - 1))) & 511];
    return ERR_OK;
}

static errval_t map(uint64_t va, uint64_t pa, uint64_t flags, bool large)
{
    uint64_t *e;
    errval_t err = walk(va, large ? 2 : 1, &e);
    if (err_is_fail(err))
        return err;
    if (*e & PTE_PRESENT)
        return MM_ERR_ALREADY_MAPPED;
    *e = pa | flags | PTE_PRESENT | (large ? PTE_LARGE : 0);
    return ERR_OK;
}

static errval_t map_kernel_image(void)
{
    for (uint64_t va = (uint64_t)_text_start; va < (uint64_t)_kernel_end; va += PAGE_SIZE) {
        bool text = va < (uint64_t)_text_end;
        uint64_t flags = PTE_GLOBAL | (text ? 0 : PTE_WRITE | nx_bit);
        errval_t err = map(va, va - KERNEL_VBASE, flags, false);
        if (err_is_fail(err))
            return err;
    }
    return ERR_OK;
}

static errval_t map_direct(uint64_t top)
{
    for (uint64_t pa = 0; pa < top; pa += LARGE_PAGE_SIZE) {
        errval_t err = map(DIRECT_MAP_BASE + pa, pa, PTE_WRITE | PTE_GLOBAL | nx_bit, true);
        if (err_is_fail(err))
            return err;
    }
    return ERR_OK;
}

errval_t paging_init(struct pmm *pmm, uint64_t direct_map_top)
{
    pt_pmm = pmm;
    nx_bit = (rdmsr(MSR_EFER) & (1ull << 11)) ? PTE_NX : 0;
    errval_t err = alloc_table(&kernel_pml4_pa);
    if (err_is_fail(err))
        return err;
    uint64_t top = (direct_map_top + LARGE_PAGE_SIZE - 1) & ~(LARGE_PAGE_SIZE - 1);
    if (top < (4ull << 30))
        top = 4ull << 30;           /* firmware tables and MMIO below 4 GiB */
    err = map_direct(top);
    if (err_is_fail(err))
        return err;
    err = map_kernel_image();
    if (err_is_fail(err))
        return err;
    write_cr3(kernel_pml4_pa);
    return ERR_OK;
}

static errval_t map_device(uint64_t phys, size_t size, uint64_t type, volatile void **va_out)
{
    uint64_t first = phys & ~(PAGE_SIZE - 1);
    uint64_t end = (phys + size + PAGE_SIZE - 1) & ~(PAGE_SIZE - 1);
    bool large = (first % LARGE_PAGE_SIZE) == 0 && (end - first) % LARGE_PAGE_SIZE == 0;
    uint64_t step = large ? LARGE_PAGE_SIZE : PAGE_SIZE;
    uint64_t va = (device_next + step - 1) & ~(step - 1);
    if (va + (end - first) > DEVICE_WINDOW_END)
        return MM_ERR_WINDOW_FULL;
    for (uint64_t off = 0; off < end - first; off += step) {
        errval_t err = map(va + off, first + off, PTE_WRITE | type | nx_bit, large);
        if (err_is_fail(err))
            return err;
    }
    device_next = va + (end - first);
    *va_out = (volatile void *)(va + (phys - first));
    return ERR_OK;
}

errval_t paging_map_device(uint64_t phys, size_t size, volatile void **va_out)
{
    return map_device(phys, size, PTE_PCD | PTE_PWT, va_out);
}

/* PWT alone is PAT entry 1, write-combining once pat_init() has run (it
 * selects the same entry in 4 KiB and 2 MiB entries: the PAT bit, which
 * moves, stays 0). Without a PAT it would be write-through: uncached then. */
errval_t paging_map_framebuffer(uint64_t phys, size_t size, volatile void **va_out, bool *wc)
{
    *wc = pat_has_wc();
    return map_device(phys, size, *wc ? PTE_PWT : PTE_PCD | PTE_PWT, va_out);
}

uint64_t paging_kernel_root(void)
{
    return kernel_pml4_pa;
}
