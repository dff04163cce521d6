/*
 * fbcon_start.c: put the console on the framebuffer the boot loader gave
 * (multiboot2 tag 8), or say in one boot line why not. Run once on the
 * bootstrap core after paging_init, since the framebuffer is mapped into
 * the device window (write-combining where the CPU has a PAT).
 */
#include <console/fbcon.h>
#include <arch/paging.h>
#include <boot/cmdline.h>
#include <console.h>
#include <string.h>

static struct fbcon con;

static const char *type_name(uint8_t type)
{
    switch (type) {
    case MB2_FB_INDEXED: return "indexed";
    case MB2_FB_RGB: return "RGB";
    case MB2_FB_EGA_TEXT: return "EGA text";
    default: return "unknown type";
    }
}

void fbcon_start(const struct boot_info *bi)
{
    char val[8];
    if (cmdline_value("fbcon", val, sizeof(val))) {
        if (strcmp(val, "off") == 0) {
            kprintf("fbcon: off (fbcon=off); console on the serial port only\n");
            return;
        }
        kprintf("fbcon: fbcon=%s unknown (only fbcon=off is); drawing as usual\n", val);
    }
    if (!bi->has_fb) {
        kprintf("fbcon: the boot loader gave no framebuffer; console on the serial port only\n");
        return;
    }
    const struct mb2_framebuffer *fb = &bi->fb;
    errval_t err = fbcon_check(fb);
    if (err_is_fail(err)) {
        kprintf("fbcon: %s framebuffer %ux%u, %u bpp at %#lx refused: %s (%s); console on the "
                "serial port only\n", type_name(fb->type), fb->width, fb->height, fb->bpp,
                fb->addr, err_name(err_no(err)), err_msg(err_no(err)));
        return;
    }
    volatile void *va;
    bool wc = false;
    err = fb->type == MB2_FB_EGA_TEXT
        ? paging_map_device(fb->addr, fbcon_bytes(fb), &va)
        : paging_map_framebuffer(fb->addr, fbcon_bytes(fb), &va, &wc);
    if (err_is_fail(err)) {
        kprint_err("fbcon: cannot map the framebuffer", err);
        return;
    }
    fbcon_init(&con, fb, va);
    if (fb->type == MB2_FB_EGA_TEXT)
        kprintf("fbcon: EGA text %ux%u at %#lx (uncached)\n", fb->width, fb->height, fb->addr);
    else
        kprintf("fbcon: %ux%u %u bpp RGB at %#lx (%s), %ux%u characters\n", fb->width,
                fb->height, fb->bpp, fb->addr, wc ? "write-combining" : "uncached, no PAT",
                con.cols, con.rows);
    console_attach_fb(&con);
}
