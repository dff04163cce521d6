/*
 * crc32c.c: CRC32C (Castagnoli polynomial 0x1EDC6F41, reflected 0x82F63B78),
 * the checksum of every tenacious record and batch and of the VSA file
 * system's checkpoints. A 256-entry table built on first use; one byte a
 * step is fast enough for a log whose cost is the device's flush.
 * Check value: crc32c("123456789") = 0xE3069283 (tests/unit/tenacious).
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <tenacious/tenacious.h>

static uint32_t crc_table[256];
static bool crc_ready;

static void crc_init(void)
{
    for (uint32_t i = 0; i < 256; i++) {
        uint32_t c = i;
        for (int k = 0; k < 8; k++)
            c = (c & 1) ? (c >> 1) ^ 0x82F63B78u : c >> 1;
        crc_table[i] = c;
    }
    /* Two threads building it at once write the same values. */
    __atomic_store_n(&crc_ready, true, __ATOMIC_RELEASE);
}

uint32_t tenacious_crc32c(uint32_t crc, const void *data, size_t len)
{
    if (!__atomic_load_n(&crc_ready, __ATOMIC_ACQUIRE))
        crc_init();
    const uint8_t *p = data;
    crc = ~crc;
    while (len--)
        crc = crc_table[(crc ^ *p++) & 0xff] ^ (crc >> 8);
    return ~crc;
}
