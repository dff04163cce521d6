/*
 * vspace.c: build and tear down the lower half of a domain's page tables.
 *
 * Everything is reached through the direct map, so a space can be built
 * while another is current. A frame mapped with VSPACE_BORROWED (shared
 * frames, later device registers) is marked so vspace_destroy() leaves it
 * alone; every other frame and every table goes back to the allocator.
 */
#include <arch/vspace.h>
#include <arch/paging.h>
#include <memlayout.h>
#include <string.h>
#include <arch/cpu.h>

static bool rdmsr_efer_nx(void) { return rdmsr(MSR_EFER) & (1ull << 11); }

static uint64_t *table_of(uint64_t entry) { return phys_to_virt(entry & PTE_ADDR_MASK); }

errval_t vspace_create(struct vspace *vs, struct pmm *pmm)
{
    uint64_t pa;
    errval_t err = pmm_alloc(pmm, 1, 1, &pa);
    if (err_is_fail(err))
        return err;
    uint64_t *t = phys_to_virt(pa);
    memset(t, 0, PAGE_SIZE / 2);
    memcpy(t + 256, (uint64_t *)phys_to_virt(paging_kernel_root()) + 256, PAGE_SIZE / 2);
    *vs = (struct vspace){ .root = pa, .pmm = pmm };
    return ERR_OK;
}

static errval_t leaf(struct vspace *vs, uint64_t va, bool create, uint64_t **out)
{
    uint64_t *t = phys_to_virt(vs->root);
    for (int level = 4; level > 1; level--) {
        uint64_t *e = &t[(va >> (12 + 9 * (level - 1))) & 511];
        if (!(*e & PTE_PRESENT)) {
            if (!create)
                return MM_ERR_BAD_ADDRESS;
            uint64_t pa;
            errval_t err = pmm_alloc(vs->pmm, 1, 1, &pa);
            if (err_is_fail(err))
                return err;
            memset(phys_to_virt(pa), 0, PAGE_SIZE);
            *e = pa | PTE_PRESENT | PTE_WRITE | PTE_USER;
        }
        t = table_of(*e);
    }
    *out = &t[(va >> 12) & 511];
    return ERR_OK;
}

errval_t vspace_map(struct vspace *vs, uint64_t va, uint64_t pa, unsigned flags)
{
    if (va % PAGE_SIZE || pa % PAGE_SIZE || va >= VSPACE_USER_TOP)
        return MM_ERR_BAD_ADDRESS;
    uint64_t *e;
    errval_t err = leaf(vs, va, true, &e);
    if (err_is_fail(err))
        return err;
    if (*e & PTE_PRESENT)
        return MM_ERR_ALREADY_MAPPED;
    uint64_t nx = rdmsr_efer_nx() && !(flags & VSPACE_EXEC) ? PTE_NX : 0;
    *e = pa | PTE_PRESENT | PTE_USER | nx | (flags & VSPACE_WRITE ? PTE_WRITE : 0) |
         (flags & VSPACE_BORROWED ? PTE_BORROWED : 0) |
         (flags & VSPACE_UNCACHED ? PTE_PCD | PTE_PWT : 0);
    return ERR_OK;
}

errval_t vspace_map_new(struct vspace *vs, uint64_t va, size_t bytes, unsigned flags)
{
    for (uint64_t off = 0; off < bytes; off += PAGE_SIZE) {
        uint64_t pa;
        errval_t err = pmm_alloc(vs->pmm, 1, 1, &pa);
        if (err_is_fail(err))
            return err;
        memset(phys_to_virt(pa), 0, PAGE_SIZE);
        err = vspace_map(vs, va + off, pa, flags & ~VSPACE_BORROWED);
        if (err_is_fail(err)) {
            pmm_free(vs->pmm, pa, 1);
            return err;
        }
        vs->pages++;
    }
    return ERR_OK;
}

void vspace_unmap(struct vspace *vs, uint64_t va)
{
    uint64_t *e;
    if (va < VSPACE_USER_TOP && err_is_ok(leaf(vs, va, false, &e)))
        *e = 0;
}

bool vspace_lookup(const struct vspace *vs, uint64_t va, uint64_t *pa)
{
    uint64_t *e;
    if (va >= VSPACE_USER_TOP || err_is_fail(leaf((struct vspace *)vs, va, false, &e)) ||
        !(*e & PTE_PRESENT))
        return false;
    *pa = (*e & PTE_ADDR_MASK) | (va & (PAGE_SIZE - 1));
    return true;
}

/* Copy between kernel memory and the space, page by page through the
 * direct map; `to_space` says which way. With `user`, every page must be
 * user memory (writable when written) and ordinary RAM: a pointer into
 * device registers (PCD) would make the kernel read MMIO through the
 * direct map, which does not cover device windows. The loader (user =
 * false) fills pages the domain cannot write, like its code. */
static errval_t copy(const struct vspace *vs, uint64_t va, uint8_t *k, size_t n, bool to_space,
                     bool user)
{
    if (va >= VSPACE_USER_TOP || n > VSPACE_USER_TOP - va)
        return SYS_ERR_BAD_USER_POINTER;
    while (n) {
        uint64_t *e;
        if (err_is_fail(leaf((struct vspace *)vs, va, false, &e)) || !(*e & PTE_PRESENT))
            return SYS_ERR_BAD_USER_POINTER;
        if (user && (!(*e & PTE_USER) || (*e & PTE_PCD) || (to_space && !(*e & PTE_WRITE))))
            return SYS_ERR_BAD_USER_POINTER;
        uint64_t pa = (*e & PTE_ADDR_MASK) | (va & (PAGE_SIZE - 1));
        size_t chunk = PAGE_SIZE - (va % PAGE_SIZE);
        if (chunk > n)
            chunk = n;
        if (to_space)
            memcpy(phys_to_virt(pa), k, chunk);
        else
            memcpy(k, phys_to_virt(pa), chunk);
        k += chunk, va += chunk, n -= chunk;
    }
    return ERR_OK;
}

errval_t vspace_load(const struct vspace *vs, uint64_t va, const void *src, size_t n)
{
    return copy(vs, va, (uint8_t *)src, n, true, false);
}

errval_t vspace_copy_in(const struct vspace *vs, uint64_t va, const void *src, size_t n)
{
    return copy(vs, va, (uint8_t *)src, n, true, true);
}

bool vspace_user_range(const struct vspace *vs, uint64_t va, size_t n, bool write)
{
    if (va >= VSPACE_USER_TOP || n > VSPACE_USER_TOP - va)
        return false;
    for (uint64_t p = va & ~(PAGE_SIZE - 1); p < va + n; p += PAGE_SIZE) {
        uint64_t *e;
        if (err_is_fail(leaf((struct vspace *)vs, p, false, &e)) || !(*e & PTE_PRESENT) ||
            !(*e & PTE_USER) || (write && !(*e & PTE_WRITE)))
            return false;
    }
    return true;
}

errval_t vspace_copy_out(const struct vspace *vs, void *dst, uint64_t va, size_t n)
{
    return copy(vs, va, dst, n, false, true);
}

static void free_level(struct vspace *vs, uint64_t *t, int level)
{
    for (int i = 0; i < (level == 4 ? 256 : 512); i++) {
        uint64_t e = t[i];
        if (!(e & PTE_PRESENT))
            continue;
        if (level > 1) {
            free_level(vs, table_of(e), level - 1);
            pmm_free(vs->pmm, e & PTE_ADDR_MASK, 1);
        } else if (!(e & PTE_BORROWED)) {
            pmm_free(vs->pmm, e & PTE_ADDR_MASK, 1);
        }
        t[i] = 0;
    }
}

void vspace_destroy(struct vspace *vs)
{
    if (!vs->root)
        return;
    free_level(vs, phys_to_virt(vs->root), 4);
    pmm_free(vs->pmm, vs->root, 1);
    vs->root = 0;
    vs->pages = 0;
}
