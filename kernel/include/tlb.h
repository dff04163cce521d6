/**
 * \file tlb.h
 * \brief Flushing user translations on other cores (kernel/tlb.c), for
 * page tables shared by a domain's dispatchers on several cores.
 */
#ifndef KERNEL_TLB_H
#define KERNEL_TLB_H
#include <stdint.h>
/** Flush this core's and every core in `cores_mask`'s TLB; returns when
 *  they all have. */
void tlb_shootdown(uint64_t cores_mask);
/** Set up the IPI handler (each core). */
void tlb_init_core(void);
#endif
