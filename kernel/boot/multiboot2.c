/*
 * multiboot2.c: walk the multiboot2 boot information (Multiboot2
 * Specification 2.0, section 3.6) into a struct boot_info. Tags are 8-byte
 * aligned; every size is checked against the total so a malformed info is
 * an error, never a wild read. Pure logic: tested on the host.
 */
#include <boot/multiboot2.h>
#include <string.h>

struct mb2_tag_module { uint32_t type, size, mod_start, mod_end; char name[]; };
struct mb2_tag_mmap { uint32_t type, size, entry_size, entry_version; };
/* 3.6.12: GRUB writes a 16-bit reserved field after the type, so the
 * colour info starts at offset 32 (GRUB's multiboot2.h agrees). */
struct mb2_tag_fb {
    uint32_t type, size;
    uint64_t addr;
    uint32_t pitch, width, height;
    uint8_t bpp, fb_type;
    uint16_t reserved;
} __attribute__((packed));
struct mb2_fb_rgb { uint8_t red_pos, red_size, green_pos, green_size, blue_pos, blue_size; };
_Static_assert(sizeof(struct mb2_tag_fb) == 32, "multiboot2 3.6.12");

static void parse_fb(const struct mb2_tag *tag, struct boot_info *out)
{
    const struct mb2_tag_fb *t = (const void *)tag;
    struct mb2_framebuffer *fb = &out->fb;
    *fb = (struct mb2_framebuffer){ .addr = t->addr, .pitch = t->pitch, .width = t->width,
                                    .height = t->height, .bpp = t->bpp, .type = t->fb_type };
    if (t->fb_type == MB2_FB_RGB) {
        /* An RGB tag too short for its channels is not RGB we can trust:
         * leave the sizes 0, which fbcon_check refuses. */
        if (tag->size >= sizeof(*t) + sizeof(struct mb2_fb_rgb)) {
            const struct mb2_fb_rgb *c = (const void *)(t + 1);
            fb->red_pos = c->red_pos, fb->red_size = c->red_size;
            fb->green_pos = c->green_pos, fb->green_size = c->green_size;
            fb->blue_pos = c->blue_pos, fb->blue_size = c->blue_size;
        }
    }
    out->has_fb = true;
}

static void parse_mmap(const struct mb2_tag *tag, struct boot_info *out)
{
    const struct mb2_tag_mmap *m = (const void *)tag;
    out->has_mmap = true;
    if (m->entry_size < sizeof(struct mb2_mmap_entry))
        return;
    const uint8_t *p = (const uint8_t *)(m + 1);
    const uint8_t *end = (const uint8_t *)tag + tag->size;
    for (; p + sizeof(struct mb2_mmap_entry) <= end && out->nregions < BOOT_MAX_REGIONS;
         p += m->entry_size) {
        const struct mb2_mmap_entry *e = (const void *)p;
        out->regions[out->nregions++] = (struct mem_region){ e->base, e->length, e->type };
    }
}

errval_t mb2_parse(const void *mbi, struct boot_info *out)
{
    memset(out, 0, sizeof(*out));
    const struct mb2_info_header *h = mbi;
    if (h->total_size < sizeof(*h) + sizeof(struct mb2_tag))
        return BOOT_ERR_BAD_TAG;
    out->total_size = h->total_size;
    const uint8_t *base = mbi, *end = base + h->total_size;
    const uint8_t *p = base + sizeof(*h);
    while (p + sizeof(struct mb2_tag) <= end) {
        const struct mb2_tag *tag = (const void *)p;
        if (tag->size < sizeof(*tag) || p + tag->size > end)
            return BOOT_ERR_BAD_TAG;
        if (tag->type == MB2_TAG_END)
            return ERR_OK;
        const char *payload = (const char *)(tag + 1);
        switch (tag->type) {
        case MB2_TAG_CMDLINE:
            out->cmdline = payload;
            break;
        case MB2_TAG_LOADER_NAME:
            out->loader_name = payload;
            break;
        case MB2_TAG_MODULE:
            if (out->nmodules == BOOT_MAX_MODULES)
                out->modules_dropped++;
            else if (tag->size >= sizeof(struct mb2_tag_module)) {
                const struct mb2_tag_module *m = (const void *)tag;
                out->modules[out->nmodules++] =
                    (struct boot_module){ m->mod_start, m->mod_end, m->name };
            }
            break;
        case MB2_TAG_MMAP:
            if (tag->size >= sizeof(struct mb2_tag_mmap))
                parse_mmap(tag, out);
            break;
        case MB2_TAG_FRAMEBUFFER:
            if (tag->size >= sizeof(struct mb2_tag_fb))
                parse_fb(tag, out);
            break;
        case MB2_TAG_ACPI_OLD:
        case MB2_TAG_ACPI_NEW:
            /* Prefer the ACPI 2.0 RSDP (it carries the XSDT address). */
            if (!out->rsdp || tag->type == MB2_TAG_ACPI_NEW) {
                out->rsdp = payload;
                out->rsdp_len = tag->size - sizeof(*tag);
            }
            break;
        default:
            break;
        }
        p += (tag->size + 7) & ~7u;
    }
    return BOOT_ERR_BAD_TAG;   /* no end tag */
}

const char *mb2_mem_type_name(uint32_t type)
{
    static const char *const names[] = {
        [MB2_MEM_AVAILABLE] = "usable", [MB2_MEM_RESERVED] = "reserved",
        [MB2_MEM_ACPI_RECLAIM] = "ACPI data", [MB2_MEM_NVS] = "ACPI NVS",
        [MB2_MEM_BAD] = "bad RAM",
    };
    return type < sizeof(names) / sizeof(names[0]) && names[type] ? names[type] : "unknown";
}
