/*
 * pat.c: program the page attribute table so that one PTE encoding means
 * write-combining (for the framebuffer; see arch/pat.h).
 */
#include <arch/cpu.h>
#include <arch/pat.h>

#define MSR_IA32_PAT     0x277
#define CPUID_1_EDX_PAT  (1u << 16)
/* Memory type encodings (SDM Vol. 3A, Table 12-10 "Memory Types That Can
 * Be Encoded With PAT"). */
#define PAT_UC   0x00ull
#define PAT_WC   0x01ull
#define PAT_WT   0x04ull
#define PAT_WB   0x06ull
#define PAT_UCM  0x07ull        /* UC- */
#define PAT_ENTRY(i, type) ((type) << (8 * (i)))
/* Power-on values (WB, WT, UC-, UC, repeated) but for entry 1: WC. */
#define PAT_VALUE (PAT_ENTRY(0, PAT_WB) | PAT_ENTRY(1, PAT_WC) | PAT_ENTRY(2, PAT_UCM) | \
                   PAT_ENTRY(3, PAT_UC) | PAT_ENTRY(4, PAT_WB) | PAT_ENTRY(5, PAT_WT) | \
                   PAT_ENTRY(6, PAT_UCM) | PAT_ENTRY(7, PAT_UC))

static bool have_wc;

void pat_init(void)
{
    if (!(cpuid(1, 0).edx & CPUID_1_EDX_PAT))
        return;
    /* No page maps with PWT alone yet, so no cached translation or line
     * has the old type of entry 1: the table may change without the
     * cache flush of SDM 12.12.4. */
    wrmsr(MSR_IA32_PAT, PAT_VALUE);
    have_wc = true;
}

bool pat_has_wc(void)
{
    return have_wc;
}
