/**
 * \file memlayout.h
 * \brief The CPU driver's virtual address space (shared with assembly).
 *
 *   0xffffffff80000000  KERNEL_VBASE: the kernel image (-2 GiB, mcmodel=kernel),
 *                       physical 0 .. 1 GiB mapped here during boot
 *   0xffff800000000000  DIRECT_MAP: all RAM, 2 MiB pages, cached
 *   0xffffc00000000000  DEVICE_WINDOW: device registers, uncached, on demand
 *   the lower half      user space (nothing mapped by the kernel)
 */
#ifndef KERNEL_MEMLAYOUT_H
#define KERNEL_MEMLAYOUT_H

#define KERNEL_PHYS_LOAD  0x100000
#define KERNEL_VBASE      0xffffffff80000000
#define DIRECT_MAP_BASE   0xffff800000000000
#define DEVICE_WINDOW     0xffffc00000000000
#define DEVICE_WINDOW_END 0xffffc08000000000
#define BOOT_STACK_SIZE   0x4000

#ifndef __ASSEMBLY__
#include <stdint.h>
/* Physical <-> virtual in the direct map. */
static inline void *phys_to_virt(uint64_t pa) { return (void *)(pa + DIRECT_MAP_BASE); }
static inline uint64_t virt_to_phys(const void *va)
{
    uint64_t v = (uint64_t)va;
    return v >= KERNEL_VBASE ? v - KERNEL_VBASE : v - DIRECT_MAP_BASE;
}
#endif
#endif
