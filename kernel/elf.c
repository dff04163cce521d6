/*
 * elf.c: validate a static ELF64 executable and walk its PT_LOAD segments.
 * Every offset and size is checked against the file and every address
 * against the user limit before the loader trusts it, so a corrupt module
 * is an error, not a kernel fault. Pure logic: tested on the host.
 */
#include <elf.h>
#include <string.h>

struct elf64_ehdr {
    uint8_t ident[16];
    uint16_t type, machine;
    uint32_t version;
    uint64_t entry, phoff, shoff;
    uint32_t flags;
    uint16_t ehsize, phentsize, phnum, shentsize, shnum, shstrndx;
};
struct elf64_phdr {
    uint32_t type, flags;
    uint64_t offset, vaddr, paddr, filesz, memsz, align;
};
_Static_assert(sizeof(struct elf64_ehdr) == 64, "gABI");
_Static_assert(sizeof(struct elf64_phdr) == 56, "gABI");

#define ET_EXEC 2
#define EM_X86_64 62
#define PT_LOAD 1
#define ELFCLASS64 2
#define ELFDATA2LSB 1

static const struct elf64_phdr *phdr(const struct elf_image *img, unsigned i)
{
    const struct elf64_ehdr *h = (const void *)img->data;
    return (const void *)(img->data + h->phoff + (uint64_t)i * h->phentsize);
}

static bool add_ok(uint64_t a, uint64_t b, uint64_t limit)
{
    return a + b >= a && a + b <= limit;
}

errval_t elf_open(struct elf_image *img, const void *data, size_t size, uint64_t limit)
{
    const struct elf64_ehdr *h = data;
    if (size < sizeof(*h) || memcmp(h->ident, "\177ELF", 4) != 0 ||
        h->ident[4] != ELFCLASS64 || h->ident[5] != ELFDATA2LSB)
        return ELF_ERR_NOT_ELF64;
    if (h->type != ET_EXEC || h->machine != EM_X86_64)
        return ELF_ERR_NOT_EXECUTABLE;
    if (h->phentsize != sizeof(struct elf64_phdr) ||
        !add_ok(h->phoff, (uint64_t)h->phnum * sizeof(struct elf64_phdr), size))
        return ELF_ERR_TRUNCATED;
    *img = (struct elf_image){ data, size, h->entry, 0 };
    bool entry_ok = false;
    for (unsigned i = 0; i < h->phnum; i++) {
        const struct elf64_phdr *p = phdr(img, i);
        if (p->type != PT_LOAD || p->memsz == 0)
            continue;                   /* an empty segment loads nothing */
        if (!add_ok(p->offset, p->filesz, size) || p->filesz > p->memsz)
            return ELF_ERR_TRUNCATED;
        if (!add_ok(p->vaddr, p->memsz, limit) || p->vaddr < 0x1000)
            return ELF_ERR_BAD_SEGMENT;
        if (h->entry >= p->vaddr && h->entry < p->vaddr + p->memsz && (p->flags & ELF_PF_X))
            entry_ok = true;
        img->nsegments++;
    }
    if (img->nsegments == 0 || !entry_ok)
        return ELF_ERR_BAD_SEGMENT;
    return ERR_OK;
}

errval_t elf_segment(const struct elf_image *img, unsigned i, struct elf_segment *out)
{
    const struct elf64_ehdr *h = (const void *)img->data;
    for (unsigned k = 0, seen = 0; k < h->phnum; k++) {
        const struct elf64_phdr *p = phdr(img, k);
        if (p->type != PT_LOAD || p->memsz == 0)
            continue;
        if (seen++ == i) {
            *out = (struct elf_segment){ p->vaddr, p->memsz, p->offset, p->filesz, p->flags };
            return ERR_OK;
        }
    }
    return ELF_ERR_BAD_SEGMENT;
}
