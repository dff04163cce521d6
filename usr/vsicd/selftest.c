/*
 * selftest.c: `vsicd selftest`, the driver checked against the real
 * controller. A MiB of pattern (each 8-byte word holds its own byte
 * offset on the disk, XOR VSICD_PATTERN: tests/system/test_storage.py
 * checks the same words in the disk image from the host) is written to
 * the last 4 MiB of the namespace in commands that take every PRP form:
 * PRP1 alone, PRP1 at an offset plus PRP2, a PRP list from an offset, and
 * transfers as long as the controller allows (MDTS). Then a flush, and
 * the MiB read back in other pieces into zeroed memory and compared.
 * Last, two commands the controller must refuse, by the status it gives:
 * a read past the end of the namespace and an opcode it does not have.
 */
#include "vsicd.h"
#include <libos/debug.h>
#include <string.h>

#define SELFTEST_BYTES  (1u << 20)
#define VSICD_PATTERN   0xa5a5000000000000ull
#define BAD_OPCODE      0x7e

static uint64_t *buf;
static uint64_t buf_pa;

static errval_t io(uint8_t op, uint64_t lba0, uint64_t off, uint64_t bytes)
{
    uint32_t bs = vsicd_nvme.block_bytes;
    return vsicd_io_sync(op, lba0 + off / bs, (uint32_t)(bytes / bs), buf_pa + off);
}

void vsicd_selftest(void)
{
    struct nvme_ctrl *c = &vsicd_nvme;
    capaddr_t slot;
    errval_t err = vsicd_dma_frame(VSICD_BUF_VA, SELFTEST_BYTES, &buf_pa, &slot);
    if (err_is_fail(err)) {
        debug_err("vsicd: selftest: no buffer", err);
        return;
    }
    buf = (uint64_t *)VSICD_BUF_VA;
    uint64_t lba0 = c->blocks - (4u << 20) / c->block_bytes;
    uint64_t disk0 = lba0 * c->block_bytes;
    for (uint64_t i = 0; i < SELFTEST_BYTES / 8; i++)
        buf[i] = (disk0 + i * 8) ^ VSICD_PATTERN;
    /* Pieces: one block (PRP1); a page from offset 512 (PRP1 + PRP2);
     * 16 KiB from a page offset (PRP list); then the longest transfers. */
    uint64_t bs = c->block_bytes, off = 0;
    uint64_t first[] = { bs, 4096, 16384 };
    unsigned cmds = 0;
    for (unsigned i = 0; i < 3 && err_is_ok(err); i++, cmds++) {
        err = io(NVME_CMD_WRITE, lba0, off, first[i]);
        off += first[i];
    }
    while (off < SELFTEST_BYTES && err_is_ok(err)) {
        uint64_t n = SELFTEST_BYTES - off < c->max_xfer_bytes ? SELFTEST_BYTES - off : c->max_xfer_bytes;
        err = io(NVME_CMD_WRITE, lba0, off, n);
        off += n;
        cmds++;
    }
    if (err_is_ok(err))
        err = vsicd_io_sync(NVME_CMD_FLUSH, 0, 0, 0);
    if (err_is_fail(err)) {
        debug_err("vsicd: selftest: write", err);
        return;
    }
    memset(buf, 0, SELFTEST_BYTES);
    for (off = 0; off < SELFTEST_BYTES && err_is_ok(err); off += 64 * 1024)
        err = io(NVME_CMD_READ, lba0, off, 64 * 1024);
    uint64_t bad = 0;
    for (uint64_t i = 0; i < SELFTEST_BYTES / 8; i++)
        bad += buf[i] != ((disk0 + i * 8) ^ VSICD_PATTERN);
    debug_printf("vsicd: selftest: wrote 1 MiB at block %lu in %u commands (PRP1, PRP2, PRP lists, "
                 "%u KiB transfers), flushed, read back: %s, %lu words differ\n", lba0, cmds,
                 c->max_xfer_bytes / 1024, err_name(err_no(err)), bad);
    errval_t past = io(NVME_CMD_READ, c->blocks, 0, bs);
    errval_t opc = vsicd_io_sync(BAD_OPCODE, 0, 1, buf_pa);
    debug_printf("vsicd: selftest: read past the end: %s; opcode %#x: %s\n",
                 err_name(err_no(past)), BAD_OPCODE, err_name(err_no(opc)));
}
