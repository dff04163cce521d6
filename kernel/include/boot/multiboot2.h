/**
 * \file multiboot2.h
 * \brief What the kernel takes from the multiboot2 boot information.
 * Layouts from the Multiboot2 Specification, version 2.0, section 3.6.
 */
#ifndef BOOT_MULTIBOOT2_H
#define BOOT_MULTIBOOT2_H
#include <stdint.h>
#include <stddef.h>
#include <stdbool.h>
#include <kpi/errors.h>

#define MB2_BOOTLOADER_MAGIC 0x36d76289

/* Tag types (3.6.1 ff.) */
#define MB2_TAG_END          0
#define MB2_TAG_CMDLINE      1
#define MB2_TAG_LOADER_NAME  2
#define MB2_TAG_MODULE       3
#define MB2_TAG_MMAP         6
#define MB2_TAG_FRAMEBUFFER  8
#define MB2_TAG_ACPI_OLD     14
#define MB2_TAG_ACPI_NEW     15

/* Memory map entry types (3.6.8) */
#define MB2_MEM_AVAILABLE    1
#define MB2_MEM_RESERVED     2
#define MB2_MEM_ACPI_RECLAIM 3
#define MB2_MEM_NVS          4
#define MB2_MEM_BAD          5

struct mb2_info_header { uint32_t total_size, reserved; };
struct mb2_tag { uint32_t type, size; };
struct mb2_mmap_entry { uint64_t base, length; uint32_t type, reserved; };
_Static_assert(sizeof(struct mb2_mmap_entry) == 24, "multiboot2 3.6.8");

#define BOOT_MAX_REGIONS 64
#define BOOT_MAX_MODULES 64

/* 3.6.12 Framebuffer info: the common part, then for type RGB the
 * position and size of each colour channel within a pixel. */
#define MB2_FB_INDEXED  0
#define MB2_FB_RGB      1
#define MB2_FB_EGA_TEXT 2
struct mb2_framebuffer {
    uint64_t addr;              /* physical */
    uint32_t pitch;             /* bytes per line */
    uint32_t width, height;     /* pixels, or characters for EGA text */
    uint8_t bpp, type;
    uint8_t red_pos, red_size, green_pos, green_size, blue_pos, blue_size;
};

struct mem_region {
    uint64_t base, length;
    uint32_t type;
};

struct boot_module {
    uint64_t start, end;        /* physical */
    const char *name;           /* points into the boot information */
};

/** Everything the CPU driver needs from the loader, parsed once. */
struct boot_info {
    const char *cmdline;
    const char *loader_name;
    struct mem_region regions[BOOT_MAX_REGIONS];
    size_t nregions;
    bool has_mmap;
    struct boot_module modules[BOOT_MAX_MODULES];
    size_t nmodules;
    size_t modules_dropped;     /* past BOOT_MAX_MODULES */
    bool has_fb;                /* the loader passed a framebuffer tag */
    struct mb2_framebuffer fb;
    const void *rsdp;           /* copy of the RSDP inside the info, or NULL */
    size_t rsdp_len;
    uint32_t total_size;
};

/**
 * Parse the boot information at `mbi` (already mapped). Pure logic.
 * Fails with BOOT_ERR_BAD_TAG on a tag that runs past the end.
 */
errval_t mb2_parse(const void *mbi, struct boot_info *out);
const char *mb2_mem_type_name(uint32_t type);
#endif
