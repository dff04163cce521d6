/**
 * \file vspace.h
 * \brief User address spaces: a PML4 whose upper half is the kernel's and
 * whose lower half belongs to one domain. Tables and frames come from the
 * owning core's allocator and go back to it when the space is destroyed.
 */
#ifndef ARCH_VSPACE_H
#define ARCH_VSPACE_H
#include <stdint.h>
#include <stddef.h>
#include <stdbool.h>
#include <kpi/errors.h>
#include <mm/pmm.h>

#define VSPACE_USER_TOP 0x0000800000000000ull
/* Software PTE bit (ignored by the MMU): the frame is not this space's to
 * free (a shared frame, device registers). */
#define PTE_BORROWED (1ull << 9)

#define VSPACE_READ  0
#define VSPACE_WRITE (1u << 0)
#define VSPACE_EXEC  (1u << 1)
#define VSPACE_BORROWED (1u << 2)
#define VSPACE_UNCACHED (1u << 3)     /* device registers */

struct vspace {
    uint64_t root;          /* PML4, physical */
    struct pmm *pmm;        /* where its tables and frames come from */
    uint64_t pages;         /* frames owned (not counting tables) */
};

errval_t vspace_create(struct vspace *vs, struct pmm *pmm);
/** Map the frame at `pa` at user address `va` (4 KiB). */
errval_t vspace_map(struct vspace *vs, uint64_t va, uint64_t pa, unsigned flags);
/** Allocate zeroed frames for [va, va + bytes) and map them. */
errval_t vspace_map_new(struct vspace *vs, uint64_t va, size_t bytes, unsigned flags);
/** Remove the mapping at `va` (4 KiB); no TLB flush (the caller's job). */
void vspace_unmap(struct vspace *vs, uint64_t va);
/** The physical address behind a user address, if mapped. */
bool vspace_lookup(const struct vspace *vs, uint64_t va, uint64_t *pa);
/** True if [va, va + n) is mapped user memory (writable, if `write`). */
bool vspace_user_range(const struct vspace *vs, uint64_t va, size_t n, bool write);
/** Copy out of the space's user memory (RAM pages the user can read);
 *  SYS_ERR_BAD_USER_POINTER, with nothing trusted, if any page is not. */
errval_t vspace_copy_out(const struct vspace *vs, void *dst, uint64_t va, size_t n);
/** Copy into the space's user memory (RAM pages the user can write); the
 *  space need not be the current one. SYS_ERR_BAD_USER_POINTER if not. */
errval_t vspace_copy_in(const struct vspace *vs, uint64_t va, const void *src, size_t n);
/** The loader's copy: into any page of the space, even read-only ones. */
errval_t vspace_load(const struct vspace *vs, uint64_t va, const void *src, size_t n);
/** Free every table and every frame not marked borrowed. */
void vspace_destroy(struct vspace *vs);
#endif
