/**
 * \file fbcon.h
 * \brief The text console on the framebuffer the boot loader gives
 * (kernel/console/README.md): every console line is drawn here as well as
 * sent to the serial port.
 *
 * fbcon_check and the drawing (fbcon_init, fbcon_putc) are pure: they
 * touch only the memory they are given, so host tests draw into a buffer
 * and look at the pixels. fbcon_start (fbcon_start.c) maps the real
 * framebuffer and attaches the console to kprintf.
 */
#ifndef CONSOLE_FBCON_H
#define CONSOLE_FBCON_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <kpi/errors.h>
#include <boot/multiboot2.h>

/* The built-in font (font8x16.c): printable ASCII and a fallback glyph. */
#define FONT_WIDTH    8
#define FONT_HEIGHT   16
#define FONT_FIRST    0x20
#define FONT_FALLBACK 95        /* after '~' (0x7e) */
#define FONT_GLYPHS   96
extern const uint8_t font8x16[FONT_GLYPHS][FONT_HEIGHT];

/* The largest screen drawn on, in characters (a 2048x2048 framebuffer);
 * a larger one is used from its top left corner. */
#define FBCON_MAX_COLS 256
#define FBCON_MAX_ROWS 128

/* Colours, 8 bits per channel: VGA light grey on black. */
#define FBCON_FG_RGB 0xaaaaaa
#define FBCON_BG_RGB 0x000000
#define FBCON_EGA_ATTR 0x07     /* light grey on black (EGA attribute byte) */

struct fbcon {
    volatile uint8_t *base;     /* the mapped framebuffer */
    uint32_t pitch;             /* bytes per line (pixel line, or text row) */
    uint32_t width, height;     /* pixels (characters in EGA text) */
    bool text;                  /* EGA text: 16-bit cells, not pixels */
    uint32_t fg, bg;            /* pixel values for this framebuffer's layout */
    uint32_t cols, rows;        /* characters */
    uint32_t cx, cy;            /* where the next character goes */
    uint32_t jump;              /* lines scrolled at once (see fbcon.c) */
    uint8_t esc;                /* inside an ANSI escape sequence */
    uint8_t cells[FBCON_MAX_ROWS][FBCON_MAX_COLS];  /* what the screen shows */
};

/** Can the console draw on this framebuffer? ERR_OK, or why not:
 *  FBCON_ERR_INDEXED, FBCON_ERR_FORMAT (not 32 bpp RGB with channels of at
 *  most 8 bits inside the pixel, nor EGA text), FBCON_ERR_GEOMETRY. */
errval_t fbcon_check(const struct mb2_framebuffer *fb);
/** Bytes of the framebuffer the console touches (for mapping it). */
uint64_t fbcon_bytes(const struct mb2_framebuffer *fb);
/** Set up `c` on a checked framebuffer mapped at `base`, and clear it. */
void fbcon_init(struct fbcon *c, const struct mb2_framebuffer *fb, volatile void *base);
/** Draw one byte of console output: printable ASCII, '\n', '\r', '\t',
 *  '\b'; other control bytes and ANSI escape sequences are dropped, other
 *  bytes drawn as the fallback glyph. */
void fbcon_putc(struct fbcon *c, char ch);

/** Find, check and map the loader's framebuffer and mirror the console
 *  on it (kernel/console/fbcon_start.c); one boot line says what came of
 *  it. After paging_init. `fbcon=off` leaves it alone. */
void fbcon_start(const struct boot_info *bi);
#endif
