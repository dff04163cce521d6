/*
 * test_console.c: the console a person at a server sees, on the host:
 * the framebuffer the loader describes (multiboot2 tag 8, and what
 * fbcon_check refuses), the text drawn on it (into a buffer here, pixel
 * by pixel against the font), and the console UART the firmware's ACPI
 * SPCR names (and the malformed SPCRs that are ignored).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <cmocka.h>
#include <acpi/acpi.h>
#include <boot/multiboot2.h>
#include <console/fbcon.h>
#include <string.h>

/* ---- the multiboot2 framebuffer tag (spec 3.6.12) ---- */

struct fbtag {
    uint32_t type, size;
    uint64_t addr;
    uint32_t pitch, width, height;
    uint8_t bpp, fb_type;
    uint16_t reserved;
    uint8_t rgb[6];
} __attribute__((packed));

/* Boot information holding one framebuffer tag of `size` bytes. */
static const void *info_with_fb(const struct fbtag *t, uint32_t size)
{
    static uint64_t buf[32];
    uint8_t *p = (uint8_t *)buf;
    memset(buf, 0, sizeof(buf));
    uint32_t at = 8;
    memcpy(p + at, t, size);
    ((struct fbtag *)(p + at))->size = size;
    at += (size + 7) & ~7u;
    uint32_t end[2] = { MB2_TAG_END, 8 };
    memcpy(p + at, end, 8);
    at += 8;
    ((uint32_t *)p)[0] = at;
    return buf;
}

static const struct fbtag grub_gop = {
    MB2_TAG_FRAMEBUFFER, 0, 0x80000000, 4096, 1024, 768, 32, MB2_FB_RGB, 0,
    { 16, 8, 8, 8, 0, 8 } };

/* Is GRUB's RGB tag read, channel layout included? */
static void test_mb2_fb_rgb(void **state)
{
    struct boot_info bi;
    assert_int_equal(mb2_parse(info_with_fb(&grub_gop, sizeof(grub_gop)), &bi), ERR_OK);
    assert_true(bi.has_fb);
    assert_int_equal(bi.fb.addr, 0x80000000);
    assert_int_equal(bi.fb.pitch, 4096);
    assert_int_equal(bi.fb.width, 1024);
    assert_int_equal(bi.fb.height, 768);
    assert_int_equal(bi.fb.bpp, 32);
    assert_int_equal(bi.fb.type, MB2_FB_RGB);
    assert_int_equal(bi.fb.red_pos, 16);
    assert_int_equal(bi.fb.green_pos, 8);
    assert_int_equal(bi.fb.blue_size, 8);
    assert_int_equal(fbcon_check(&bi.fb), ERR_OK);
}

/* An RGB tag cut before its channels, and a tag shorter than the common
 * part: neither is drawn on, and neither breaks the parse. */
static void test_mb2_fb_short(void **state)
{
    struct boot_info bi;
    assert_int_equal(mb2_parse(info_with_fb(&grub_gop, 32), &bi), ERR_OK);
    assert_true(bi.has_fb);
    assert_int_equal(bi.fb.red_size, 0);
    assert_int_equal(fbcon_check(&bi.fb), FBCON_ERR_FORMAT);
    assert_int_equal(mb2_parse(info_with_fb(&grub_gop, 24), &bi), ERR_OK);
    assert_false(bi.has_fb);
}

/* ---- fbcon_check: what the console draws on, and what it refuses ---- */

static struct mb2_framebuffer rgb(uint32_t w, uint32_t h, uint32_t pitch)
{
    return (struct mb2_framebuffer){ .addr = 0x80000000, .pitch = pitch, .width = w,
                                     .height = h, .bpp = 32, .type = MB2_FB_RGB,
                                     .red_pos = 16, .red_size = 8, .green_pos = 8,
                                     .green_size = 8, .blue_pos = 0, .blue_size = 8 };
}

static void test_check_refusals(void **state)
{
    struct mb2_framebuffer f = rgb(1024, 768, 4096);
    assert_int_equal(fbcon_check(&f), ERR_OK);
    f.type = MB2_FB_INDEXED, f.bpp = 8;
    assert_int_equal(fbcon_check(&f), FBCON_ERR_INDEXED);
    f = rgb(1024, 768, 3072), f.bpp = 24;           /* packed 24-bit: refused */
    assert_int_equal(fbcon_check(&f), FBCON_ERR_FORMAT);
    f = rgb(1024, 768, 2048), f.bpp = 16, f.red_size = 5, f.green_size = 6, f.blue_size = 5;
    assert_int_equal(fbcon_check(&f), FBCON_ERR_FORMAT);
    f = rgb(1024, 768, 4096), f.type = 7;            /* a type no spec has */
    assert_int_equal(fbcon_check(&f), FBCON_ERR_FORMAT);
    f = rgb(1024, 768, 4096), f.red_size = 10;       /* 10-bit channels */
    assert_int_equal(fbcon_check(&f), FBCON_ERR_FORMAT);
    f = rgb(1024, 768, 4096), f.blue_pos = 30;       /* past the pixel */
    assert_int_equal(fbcon_check(&f), FBCON_ERR_FORMAT);
    f = rgb(1024, 768, 4096), f.green_size = 0;
    assert_int_equal(fbcon_check(&f), FBCON_ERR_FORMAT);
    f = rgb(1024, 768, 4000);                        /* pitch < width * 4 */
    assert_int_equal(fbcon_check(&f), FBCON_ERR_GEOMETRY);
    f = rgb(1024, 768, 4096), f.addr = 0;
    assert_int_equal(fbcon_check(&f), FBCON_ERR_GEOMETRY);
    f = rgb(7, 768, 4096);                           /* narrower than a glyph */
    assert_int_equal(fbcon_check(&f), FBCON_ERR_GEOMETRY);
    f = rgb(1024, 15, 4096);
    assert_int_equal(fbcon_check(&f), FBCON_ERR_GEOMETRY);
    f = rgb(0xffffffff, 768, 0xffffffff);            /* width * 4 overflows 32 bits */
    assert_int_equal(fbcon_check(&f), FBCON_ERR_GEOMETRY);
    f = (struct mb2_framebuffer){ .addr = 0xb8000, .pitch = 160, .width = 80, .height = 25,
                                  .bpp = 16, .type = MB2_FB_EGA_TEXT };
    assert_int_equal(fbcon_check(&f), ERR_OK);
    f.pitch = 100;
    assert_int_equal(fbcon_check(&f), FBCON_ERR_GEOMETRY);
    f.pitch = 160, f.width = 0;
    assert_int_equal(fbcon_check(&f), FBCON_ERR_GEOMETRY);
}

/* ---- drawing, into a buffer ---- */

#define PAD 0x55555555u         /* what the console must never write */
static uint32_t *screen;
static struct fbcon con;

static struct mb2_framebuffer setup(uint32_t w, uint32_t h, uint32_t pitch_px)
{
    struct mb2_framebuffer f = rgb(w, h, pitch_px * 4);
    free(screen);
    screen = malloc((size_t)pitch_px * h * 4 + 64);
    for (size_t i = 0; i < (size_t)pitch_px * h + 16; i++)
        screen[i] = PAD;
    assert_int_equal(fbcon_check(&f), ERR_OK);
    fbcon_init(&con, &f, screen);
    return f;
}

static int teardown(void **state)
{
    free(screen);
    screen = NULL;
    return 0;
}

static void puts_(const char *s)
{
    while (*s)
        fbcon_putc(&con, *s++);
}

/* Does cell (col,row) show character ch, pixel for pixel? */
static bool shows(uint32_t col, uint32_t row, char ch)
{
    uint32_t pitch_px = con.pitch / 4;
    const uint8_t *g = font8x16[(uint8_t)ch >= 0x20 && (uint8_t)ch < 0x7f ? ch - 0x20 : FONT_FALLBACK];
    for (int y = 0; y < 16; y++)
        for (int x = 0; x < 8; x++) {
            uint32_t want = g[y] & (0x80 >> x) ? con.fg : con.bg;
            if (screen[(row * 16 + y) * pitch_px + col * 8 + x] != want)
                return false;
        }
    return true;
}

/* Is a character drawn with the font in the framebuffer's own channel
 * layout, and is the padding past each line's width left alone? */
static void test_draw_glyph(void **state)
{
    setup(64, 48, 80);                      /* 8x3 characters, 16 pixels of padding */
    assert_int_equal(con.cols, 8);
    assert_int_equal(con.rows, 3);
    assert_int_equal(con.fg, 0xaaaaaa);
    assert_int_equal(con.bg, 0);
    puts_("Ag~");
    assert_true(shows(0, 0, 'A'));
    assert_true(shows(1, 0, 'g'));
    assert_true(shows(2, 0, '~'));
    assert_true(shows(3, 0, ' '));
    assert_false(shows(0, 0, 'B'));
    for (uint32_t y = 0; y < 48; y++)
        for (uint32_t x = 64; x < 80; x++)
            assert_int_equal(screen[y * 80 + x], PAD);
    assert_int_equal(screen[80 * 48], PAD);         /* past the end */

    /* Red in the low byte (RGBX): the same grey, but blue-on-red swapped
     * layouts must land each channel where the loader says. */
    struct mb2_framebuffer f = rgb(64, 48, 256);
    f.red_pos = 0, f.blue_pos = 16, f.red_size = 5;  /* 5-bit red: 0xaa >> 3 */
    fbcon_init(&con, &f, screen);
    assert_int_equal(con.fg, (0xaau >> 3) | 0xaau << 8 | 0xaau << 16);
}

/* Control bytes: newline, carriage return, tab, backspace; ANSI colour
 * escapes dropped; bytes past ASCII drawn as the fallback glyph. */
static void test_control_bytes(void **state)
{
    setup(128, 48, 128);                    /* 16x3 */
    puts_("ab\rc\tX\x1b[1;32mY\bZ\n\xc3\x7f!");
    assert_true(shows(0, 0, 'c'));
    assert_true(shows(1, 0, 'b'));
    assert_true(shows(8, 0, 'X'));
    assert_true(shows(9, 0, 'Z'));          /* Y overwritten after \b */
    assert_true(shows(10, 0, ' '));
    assert_true(shows(0, 1, (char)0xc3));   /* fallback */
    assert_true(shows(1, 1, '!'));          /* DEL dropped */
}

/* Long lines wrap; at the bottom the screen scrolls (by one line on a
 * 3-line screen) and the last lines stay readable. */
static void test_wrap_and_scroll(void **state)
{
    setup(32, 48, 32);                      /* 4x3 */
    assert_int_equal(con.jump, 1);
    puts_("abcdefg\n1\n2\n3");
    /* abcd / efg / 1 / 2 / 3: the first two rows scrolled away */
    assert_true(shows(0, 0, '1'));
    assert_true(shows(1, 0, ' '));
    assert_true(shows(0, 1, '2'));
    assert_true(shows(0, 2, '3'));
    assert_int_equal(con.cy, 2);
}

/* A tall screen jumps a quarter of its lines at once, keeping order. */
static void test_jump_scroll(void **state)
{
    setup(16, 16 * 8, 16);                  /* 2x8: jumps of 2 */
    assert_int_equal(con.jump, 2);
    for (char c = 'a'; c <= 'j'; c++) {     /* 10 lines */
        fbcon_putc(&con, c);
        fbcon_putc(&con, '\n');
    }
    /* after "j\n": two jumps of 2 happened; rows 0-5 hold e..j */
    for (uint32_t r = 0; r < 6; r++)
        assert_true(shows(0, r, (char)('e' + r)));
    assert_true(shows(0, 6, ' '));
    assert_true(shows(0, 7, ' '));
    assert_int_equal(con.cy, 6);
}

/* A framebuffer wider than FBCON_MAX_COLS is used from its left part;
 * a cursor row beyond the screen (a panic mid-line) is pulled back in. */
static void test_huge_and_hostile_state(void **state)
{
    setup(4096, 16, 4096);
    assert_int_equal(con.cols, FBCON_MAX_COLS);
    for (int i = 0; i < 300; i++)
        fbcon_putc(&con, 'x');
    assert_true(shows(FBCON_MAX_COLS - 1, 0, ' ') || shows(FBCON_MAX_COLS - 1, 0, 'x'));
    for (uint32_t x = FBCON_MAX_COLS * 8; x < 4096; x++)
        assert_int_equal(screen[x], 0);     /* cleared at init, never drawn */
    con.cy = 1000;
    fbcon_putc(&con, 'y');
    assert_true(con.cy < con.rows);
    struct fbcon unset = { 0 };
    fbcon_putc(&unset, 'z');                /* no framebuffer: nothing */
}

/* EGA text: character and attribute words, CP437's square for non-ASCII. */
static void test_ega_text(void **state)
{
    uint16_t cells[80 * 25 + 8];
    for (size_t i = 0; i < sizeof(cells) / 2; i++)
        cells[i] = 0x5555;
    struct mb2_framebuffer f = { .addr = 0xb8000, .pitch = 160, .width = 80, .height = 25,
                                 .bpp = 16, .type = MB2_FB_EGA_TEXT };
    fbcon_init(&con, &f, cells);
    assert_int_equal(con.jump, 1);
    puts_("A\xc3");
    assert_int_equal(cells[0], 0x0741);
    assert_int_equal(cells[1], 0x07fe);
    assert_int_equal(cells[2], 0x0720);
    assert_int_equal(cells[80 * 25], 0x5555);
    for (int i = 0; i < 30; i++)
        puts_("line\n");
    assert_int_equal(cells[80 * 23], 0x076c);   /* the last "line" one row above the cursor */
    assert_int_equal(cells[80 * 25], 0x5555);
}

/* ---- ACPI SPCR ---- */

static uint8_t spcr[80];

static void checksum(uint8_t *t, size_t len)
{
    uint8_t sum = 0;
    t[9] = 0;
    for (size_t i = 0; i < len; i++)
        sum += t[i];
    t[9] = (uint8_t)-sum;
}

/* An SPCR as a Dell iDRAC's: a 16550 at I/O 0x2f8, 115200 baud. */
static const struct acpi_sdt_header *make_spcr(uint8_t iface, uint8_t space, uint16_t io,
                                               uint8_t baud)
{
    memset(spcr, 0, sizeof(spcr));
    memcpy(spcr, "SPCR", 4);
    uint32_t len = sizeof(spcr);
    memcpy(spcr + 4, &len, 4);
    spcr[8] = 2;
    spcr[36] = iface;
    spcr[40] = space, spcr[41] = 8, spcr[43] = 1;
    memcpy(spcr + 44, &io, 2);
    spcr[53] = 3;
    spcr[58] = baud;
    checksum(spcr, sizeof(spcr));
    return (const void *)spcr;
}

static void test_spcr_com2(void **state)
{
    struct spcr_uart u;
    assert_int_equal(spcr_parse(make_spcr(0, ACPI_GAS_IO, 0x2f8, 7), &u), ERR_OK);
    assert_int_equal(u.io, 0x2f8);
    assert_int_equal(u.baud, 115200);
    assert_int_equal(spcr_parse(make_spcr(0x12, ACPI_GAS_IO, 0x3f8, 6), &u), ERR_OK);
    assert_int_equal(u.baud, 57600);
    assert_int_equal(spcr_parse(make_spcr(1, ACPI_GAS_IO, 0x3e8, 0), &u), ERR_OK);
    assert_int_equal(u.baud, SPCR_BAUD_AS_SET);
}

/* Each malformed SPCR is refused by name, and `out` is left alone. */
static void test_spcr_refusals(void **state)
{
    struct spcr_uart u = { .io = 0x1234 };
    make_spcr(0, ACPI_GAS_IO, 0x2f8, 7);
    spcr[60] ^= 1;                                          /* bad checksum */
    assert_int_equal(spcr_parse((const void *)spcr, &u), ACPI_ERR_BAD_CHECKSUM);
    assert_int_equal(spcr_parse(make_spcr(3, ACPI_GAS_IO, 0x2f8, 7), &u), SPCR_ERR_INTERFACE);
    assert_int_equal(spcr_parse(make_spcr(0x0e, ACPI_GAS_IO, 0x2f8, 7), &u), SPCR_ERR_INTERFACE);
    assert_int_equal(spcr_parse(make_spcr(0, ACPI_GAS_MEMORY, 0x2f8, 7), &u), SPCR_ERR_ADDRESS);
    assert_int_equal(spcr_parse(make_spcr(0, ACPI_GAS_IO, 0, 7), &u), SPCR_ERR_ADDRESS);
    assert_int_equal(spcr_parse(make_spcr(0, ACPI_GAS_IO, 0xfffc, 7), &u), SPCR_ERR_ADDRESS);
    make_spcr(0x12, ACPI_GAS_IO, 0x2f8, 7);
    spcr[41] = 32;                                          /* 32-bit register stride */
    checksum(spcr, sizeof(spcr));
    assert_int_equal(spcr_parse((const void *)spcr, &u), SPCR_ERR_ADDRESS);
    assert_int_equal(spcr_parse(make_spcr(0, ACPI_GAS_IO, 0x2f8, 5), &u), SPCR_ERR_BAUD);
    assert_int_equal(spcr_parse(make_spcr(0, ACPI_GAS_IO, 0x2f8, 200), &u), SPCR_ERR_BAUD);
    make_spcr(0, ACPI_GAS_IO, 0x2f8, 7);
    uint32_t shortlen = 60;
    memcpy(spcr + 4, &shortlen, 4);
    checksum(spcr, shortlen);
    assert_int_equal(spcr_parse((const void *)spcr, &u), ACPI_ERR_TRUNCATED);
    memcpy(spcr, "SPCX", 4);
    assert_int_equal(spcr_parse((const void *)spcr, &u), ACPI_ERR_BAD_SIGNATURE);
    assert_int_equal(u.io, 0x1234);
}

/* spcr_find goes by signature only: a broken SPCR is found (so its fault
 * can be named), an absent one is ACPI_ERR_TABLE_NOT_FOUND. Addresses are
 * host pointers here (the map function is the identity). */
static const void *identity(uint64_t phys, size_t len, void *ctx) { return (const void *)phys; }

static void test_spcr_find(void **state)
{
    static uint8_t other[36], xsdt[36 + 16];
    memcpy(other, "FACP", 4);
    uint32_t l = 36;
    memcpy(other + 4, &l, 4);
    checksum(other, 36);
    make_spcr(0, ACPI_GAS_IO, 0x2f8, 7);
    spcr[70] ^= 0xff;                       /* checksum now wrong */
    uint64_t e[2] = { (uint64_t)(uintptr_t)other, (uint64_t)(uintptr_t)spcr };
    memcpy(xsdt, "XSDT", 4);
    l = sizeof(xsdt);
    memcpy(xsdt + 4, &l, 4);
    memcpy(xsdt + 36, e, 16);
    struct acpi_tables t = { .root = (const void *)xsdt, .xsdt = true, .map = identity };
    const struct acpi_sdt_header *h = NULL;
    assert_int_equal(spcr_find(&t, &h), ERR_OK);
    assert_ptr_equal(h, spcr);
    struct spcr_uart u;
    assert_int_equal(spcr_parse(h, &u), ACPI_ERR_BAD_CHECKSUM);
    l = 36 + 8;                             /* only FACP listed */
    memcpy(xsdt + 4, &l, 4);
    assert_int_equal(spcr_find(&t, &h), ACPI_ERR_TABLE_NOT_FOUND);
    l = 36 + 16;
    memcpy(xsdt + 4, &l, 4);
    l = 10;                                 /* an SPCR shorter than a header */
    memcpy(spcr + 4, &l, 4);
    assert_int_equal(spcr_find(&t, &h), ACPI_ERR_TRUNCATED);
}

#define T(fn) cmocka_unit_test_teardown(fn, teardown)
int main(void)
{
    const struct CMUnitTest tests[] = {
        T(test_mb2_fb_rgb),
        T(test_mb2_fb_short),
        T(test_check_refusals),
        T(test_draw_glyph),
        T(test_control_bytes),
        T(test_wrap_and_scroll),
        T(test_jump_scroll),
        T(test_huge_and_hostile_state),
        T(test_ega_text),
        T(test_spcr_com2),
        T(test_spcr_refusals),
        T(test_spcr_find),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
