/**
 * \file elf.h
 * \brief The part of ELF64 (System V gABI, x86-64 psABI) the loader needs:
 * check a static executable and walk its loadable segments. Pure logic.
 */
#ifndef KERNEL_ELF_H
#define KERNEL_ELF_H
#include <stdint.h>
#include <stddef.h>
#include <kpi/errors.h>

#define ELF_PF_X 0x1
#define ELF_PF_W 0x2
#define ELF_PF_R 0x4

struct elf_segment {
    uint64_t vaddr, memsz;      /* where, and how much (zero-filled past filesz) */
    uint64_t offset, filesz;    /* what, from the file */
    uint32_t flags;             /* ELF_PF_* */
};

struct elf_image {
    const uint8_t *data;
    size_t size;
    uint64_t entry;
    unsigned nsegments;
};

/** Check that `data` is a static x86-64 executable whose segments lie in
 *  the file and below `limit`. */
errval_t elf_open(struct elf_image *img, const void *data, size_t size, uint64_t limit);
/** The i-th loadable segment (0 <= i < nsegments). */
errval_t elf_segment(const struct elf_image *img, unsigned i, struct elf_segment *out);
#endif
