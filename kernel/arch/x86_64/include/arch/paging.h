/**
 * \file paging.h
 * \brief The CPU driver's own page tables (4-level, Intel SDM Vol. 3A, 4.5).
 */
#ifndef ARCH_PAGING_H
#define ARCH_PAGING_H
#include <stdint.h>
#include <stdbool.h>
#include <stddef.h>
#include <kpi/errors.h>
#include <mm/pmm.h>

/* Page-table entry bits (SDM Vol. 3A, Table 4-19/4-20). */
#define PTE_PRESENT  (1ull << 0)
#define PTE_WRITE    (1ull << 1)
#define PTE_USER     (1ull << 2)
#define PTE_PWT      (1ull << 3)
#define PTE_PCD      (1ull << 4)
#define PTE_LARGE    (1ull << 7)     /* 2 MiB page in a PD entry */
#define PTE_GLOBAL   (1ull << 8)
#define PTE_NX       (1ull << 63)
#define PTE_ADDR_MASK 0x000ffffffffff000ull
#define LARGE_PAGE_SIZE (2ull << 20)

/**
 * Build the kernel's page tables (image at KERNEL_VBASE with per-section
 * permissions, all RAM and the low 4 GiB at DIRECT_MAP_BASE, nothing in the
 * lower half) and switch to them. Page tables come from `pmm`.
 */
errval_t paging_init(struct pmm *pmm, uint64_t direct_map_top);
/** Map device registers uncached into the device window. */
errval_t paging_map_device(uint64_t phys, size_t size, volatile void **va_out);
/** Map a framebuffer into the device window: write-combining if the CPU
 *  has a PAT (arch/pat.h; *wc says so), else uncached. */
errval_t paging_map_framebuffer(uint64_t phys, size_t size, volatile void **va_out, bool *wc);
/** Physical address of the kernel PML4 (for other cores and new spaces). */
uint64_t paging_kernel_root(void);
#endif
