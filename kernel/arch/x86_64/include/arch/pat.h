/**
 * \file pat.h
 * \brief The page attribute table (Intel SDM Vol. 3A, 12.12 "Page
 * Attribute Table"; 11.12 in older editions): which memory type a page's
 * PAT/PCD/PWT bits select.
 *
 * The kernel keeps the power-on table except entry 1 (PWT alone), which
 * becomes write-combining, as Linux does. Nothing mapped before used PWT
 * alone, so no existing mapping changes type. Device registers stay PCD|PWT
 * (entry 3, uncached); the framebuffer is mapped with PWT (write-combining).
 */
#ifndef ARCH_PAT_H
#define ARCH_PAT_H
#include <stdbool.h>

/** Program IA32_PAT on this core if the CPU has a PAT (CPUID.01H:EDX.PAT).
 *  Every core calls it: the SDM asks for the same table on all of them. */
void pat_init(void);
/** Does a PWT-only mapping give write-combining (pat_init found a PAT)? */
bool pat_has_wc(void);
#endif
