/*
 * fbcon.c: a text console drawn on a linear framebuffer with the built-in
 * 8x16 font (font8x16.c), or written into an EGA text buffer.
 *
 * Pure: it touches only the memory it is given (host-tested in
 * tests/unit/fbcon by drawing into a buffer). Two choices keep it cheap
 * where framebuffers are slow (uncached or write-combining memory, or
 * emulated):
 *  - it never reads the framebuffer: `cells` remembers what each
 *    character cell shows, and scrolling redraws from it only the cells
 *    whose character changes;
 *  - a full pixel screen scrolls by a quarter of its height at once (jump
 *    scroll, as xterm does under load), so a boot log costs a few redraws,
 *    not one per line. EGA text scrolls line by line: it is 4 KiB.
 */
#include <console/fbcon.h>
#include <string.h>

#define BYTES_PER_PIXEL 4
#define EGA_FALLBACK 0xfe       /* code page 437's small square */

/* A colour 0xRRGGBB as this framebuffer's pixel value. */
static uint32_t pixel(const struct mb2_framebuffer *fb, uint32_t rgb)
{
    uint32_t r = (rgb >> 16) & 0xff, g = (rgb >> 8) & 0xff, b = rgb & 0xff;
    return (r >> (8 - fb->red_size)) << fb->red_pos |
           (g >> (8 - fb->green_size)) << fb->green_pos |
           (b >> (8 - fb->blue_size)) << fb->blue_pos;
}

static bool channel_ok(uint8_t pos, uint8_t size)
{
    return size >= 1 && size <= 8 && pos + size <= 32;
}

errval_t fbcon_check(const struct mb2_framebuffer *fb)
{
    if (fb->type == MB2_FB_INDEXED)
        return FBCON_ERR_INDEXED;
    if (fb->type == MB2_FB_EGA_TEXT) {
        if (!fb->addr || fb->width == 0 || fb->height == 0 ||
            fb->pitch < (uint64_t)fb->width * 2)
            return FBCON_ERR_GEOMETRY;
        return ERR_OK;
    }
    if (fb->type != MB2_FB_RGB || fb->bpp != 32 || !channel_ok(fb->red_pos, fb->red_size) ||
        !channel_ok(fb->green_pos, fb->green_size) || !channel_ok(fb->blue_pos, fb->blue_size))
        return FBCON_ERR_FORMAT;
    if (!fb->addr || fb->width < FONT_WIDTH || fb->height < FONT_HEIGHT ||
        fb->pitch < (uint64_t)fb->width * BYTES_PER_PIXEL)
        return FBCON_ERR_GEOMETRY;
    return ERR_OK;
}

uint64_t fbcon_bytes(const struct mb2_framebuffer *fb)
{
    return (uint64_t)fb->pitch * fb->height;
}

static const uint8_t *glyph(uint8_t ch)
{
    if (ch >= FONT_FIRST && ch < FONT_FIRST + FONT_FALLBACK)
        return font8x16[ch - FONT_FIRST];
    return font8x16[FONT_FALLBACK];
}

static void draw_cell(struct fbcon *c, uint32_t col, uint32_t row, uint8_t ch)
{
    if (c->text) {
        volatile uint16_t *cell = (volatile uint16_t *)(c->base + (uint64_t)row * c->pitch) + col;
        uint8_t code = ch >= 0x20 && ch < 0x7f ? ch : EGA_FALLBACK;
        *cell = (uint16_t)(FBCON_EGA_ATTR << 8 | code);
        return;
    }
    const uint8_t *g = glyph(ch);
    volatile uint8_t *line = c->base + (uint64_t)row * FONT_HEIGHT * c->pitch +
                             (uint64_t)col * FONT_WIDTH * BYTES_PER_PIXEL;
    for (int y = 0; y < FONT_HEIGHT; y++, line += c->pitch) {
        volatile uint32_t *px = (volatile uint32_t *)line;
        for (int x = 0; x < FONT_WIDTH; x++)
            px[x] = g[y] & (0x80 >> x) ? c->fg : c->bg;
    }
}

static void clear_screen(struct fbcon *c)
{
    if (c->text) {
        for (uint32_t r = 0; r < c->height; r++)
            for (uint32_t col = 0; col < c->width; col++)
                draw_cell(c, col, r, ' ');
    } else {
        for (uint32_t y = 0; y < c->height; y++) {
            volatile uint32_t *px = (volatile uint32_t *)(c->base + (uint64_t)y * c->pitch);
            for (uint32_t x = 0; x < c->width; x++)
                px[x] = c->bg;
        }
    }
    memset(c->cells, ' ', sizeof(c->cells));
}

void fbcon_init(struct fbcon *c, const struct mb2_framebuffer *fb, volatile void *base)
{
    memset(c, 0, sizeof(*c));
    c->base = base;
    c->pitch = fb->pitch;
    c->width = fb->width;
    c->height = fb->height;
    c->text = fb->type == MB2_FB_EGA_TEXT;
    if (c->text) {
        c->cols = fb->width;
        c->rows = fb->height;
        c->jump = 1;
    } else {
        c->fg = pixel(fb, FBCON_FG_RGB);
        c->bg = pixel(fb, FBCON_BG_RGB);
        c->cols = fb->width / FONT_WIDTH;
        c->rows = fb->height / FONT_HEIGHT;
    }
    if (c->cols > FBCON_MAX_COLS)
        c->cols = FBCON_MAX_COLS;
    if (c->rows > FBCON_MAX_ROWS)
        c->rows = FBCON_MAX_ROWS;
    if (!c->text)
        c->jump = c->rows / 4 ? c->rows / 4 : 1;
    clear_screen(c);
}

/* Move everything up n lines, redrawing only the cells that change. Row
 * r takes row r + n, which is below it and not yet overwritten. */
static void scroll(struct fbcon *c, uint32_t n)
{
    for (uint32_t r = 0; r < c->rows; r++) {
        for (uint32_t col = 0; col < c->cols; col++) {
            uint8_t want = r + n < c->rows ? c->cells[r + n][col] : ' ';
            if (c->cells[r][col] != want) {
                c->cells[r][col] = want;
                draw_cell(c, col, r, want);
            }
        }
    }
}

static void newline(struct fbcon *c)
{
    c->cx = 0;
    if (++c->cy >= c->rows) {
        scroll(c, c->jump);
        c->cy = c->rows - c->jump;
    }
}

void fbcon_putc(struct fbcon *c, char chr)
{
    uint8_t ch = (uint8_t)chr;
    if (!c->base || c->rows == 0)
        return;
    if (c->cy >= c->rows)       /* a panic may come half way through a line */
        c->cy = c->rows - 1;
    if (c->esc) {
        /* ESC [ parameters... final byte (0x40-0x7e); ESC X: two bytes. */
        if (c->esc == 1)
            c->esc = ch == '[' ? 2 : 0;
        else if (ch >= 0x40 && ch <= 0x7e)
            c->esc = 0;
        return;
    }
    switch (ch) {
    case 0x1b:
        c->esc = 1;
        return;
    case '\n':
        newline(c);
        return;
    case '\r':
        c->cx = 0;
        return;
    case '\b':
        if (c->cx > 0)
            c->cx--;
        return;
    case '\t':                  /* moves, as a terminal's tab does, erasing nothing */
        c->cx = (c->cx + 8) & ~7u;
        if (c->cx > c->cols)
            c->cx = c->cols;
        return;
    default:
        if (ch < 0x20 || ch == 0x7f)
            return;
    }
    if (c->cx >= c->cols)
        newline(c);
    if (c->cells[c->cy][c->cx] != ch) {
        c->cells[c->cy][c->cx] = ch;
        draw_cell(c, c->cx, c->cy, ch);
    }
    c->cx++;
}
