/*
 * gdt.c: build and load one core's GDT and TSS. Each core owns its own
 * struct core_gdt (the TSS holds that core's kernel and IST stacks).
 */
#include <arch/gdt.h>
#include <string.h>

/* Descriptor bits (Intel SDM Vol. 3A, 3.4.5). */
#define DESC_PRESENT   (1ull << 47)
#define DESC_DPL3      (3ull << 45)
#define DESC_CODEDATA  (1ull << 44)
#define DESC_EXEC      (1ull << 43)
#define DESC_RW        (1ull << 41)
#define DESC_LONG      (1ull << 53)
#define DESC_TSS_AVAIL (9ull << 40)

struct gdt_ptr { uint16_t limit; uint64_t base; } __attribute__((packed));

void gdt_load(struct core_gdt *g)
{
    memset(g->gdt, 0, sizeof(g->gdt));
    memset(&g->tss, 0, sizeof(g->tss));
    g->gdt[1] = DESC_PRESENT | DESC_CODEDATA | DESC_EXEC | DESC_RW | DESC_LONG;
    g->gdt[2] = DESC_PRESENT | DESC_CODEDATA | DESC_RW;
    g->gdt[3] = DESC_PRESENT | DESC_CODEDATA | DESC_RW | DESC_DPL3;
    g->gdt[4] = DESC_PRESENT | DESC_CODEDATA | DESC_EXEC | DESC_RW | DESC_LONG | DESC_DPL3;

    for (int i = 0; i < 3; i++)
        g->tss.ist[i] = (uint64_t)&g->ist_stacks[i][IST_STACK_SIZE];
    g->tss.iomap_base = sizeof(struct tss);       /* no I/O bitmap */
    uint64_t base = (uint64_t)&g->tss, limit = sizeof(struct tss) - 1;
    g->gdt[5] = (limit & 0xffff) | ((base & 0xffffff) << 16) | DESC_TSS_AVAIL | DESC_PRESENT |
                (((limit >> 16) & 0xf) << 48) | (((base >> 24) & 0xff) << 56);
    g->gdt[6] = base >> 32;

    struct gdt_ptr ptr = { sizeof(g->gdt) - 1, (uint64_t)g->gdt };
    __asm__ volatile(
        "lgdt %0\n\t"
        "movw %w1, %%ds\n\tmovw %w1, %%es\n\tmovw %w1, %%ss\n\t"
        "pushq %2\n\t"
        "leaq 1f(%%rip), %%rax\n\t"
        "pushq %%rax\n\t"
        "lretq\n"
        "1:\n\t"
        "ltr %w3"
        : : "m"(ptr), "r"(SEL_KDATA), "i"(SEL_KCODE), "r"(SEL_TSS) : "rax", "memory");
}

void gdt_set_kernel_stack(struct core_gdt *g, uint64_t rsp0)
{
    g->tss.rsp[0] = rsp0;
}
