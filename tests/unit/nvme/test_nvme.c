/*
 * test_nvme.c: the pure parts of drivers/storage/nvme/user on the host:
 * how a transfer becomes PRP1, PRP2 or a PRP list (io.c), how completions
 * are reaped by phase and a bogus one dropped, and the name of each
 * completion status (status.c). The "controller" is memory: queues,
 * doorbells and PRP list pages in arrays, physical address = a made-up
 * number per page.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include <storage/nvme/user/nvme.h>
#include <libos/debug.h>

int debug_printf(const char *fmt, ...)
{
    (void)fmt;
    return 0;
}

static struct nvme_ctrl c;
static struct nvme_sqe sq[NVME_IO_DEPTH];
static struct nvme_cqe cq[NVME_IO_DEPTH];
static uint32_t sq_db, cq_db;
static uint64_t prp_pages[NVME_IO_DEPTH][NVME_PAGE_BYTES / 8];

#define PRP_PA(i) (0x7000000ull + (uint64_t)(i) * NVME_PAGE_BYTES)

static int setup(void **state)
{
    (void)state;
    memset(&c, 0, sizeof(c));
    memset(sq, 0, sizeof(sq));
    memset(cq, 0, sizeof(cq));
    sq_db = cq_db = 0;
    c.block_bytes = 512;
    c.blocks = 1 << 20;
    c.max_xfer_bytes = 512 * 1024;
    c.io = (struct nvme_queue){ .sq = sq, .cq = cq, .sq_db = &sq_db, .cq_db = &cq_db, .qid = 1,
                                .depth = NVME_IO_DEPTH, .phase = 1 };
    for (unsigned i = 0; i < NVME_IO_DEPTH; i++)
        c.slot[i] = (struct nvme_slot){ .prp = prp_pages[i], .prp_pa = PRP_PA(i) };
    return 0;
}

static void test_prp_forms(void **state)
{
    (void)state;
    /* One block in one page: PRP1 only. */
    assert_int_equal(nvme_submit(&c, NVME_CMD_READ, 10, 1, 0x100000, 1), ERR_OK);
    assert_int_equal(sq[0].prp1, 0x100000);
    assert_int_equal(sq[0].prp2, 0);
    assert_int_equal(sq[0].cdw10, 10);
    assert_int_equal(sq[0].cdw12, 0);               /* NLB is 0-based */
    assert_int_equal(sq_db, 1);
    /* A page from offset 512: ends in the next page, which is PRP2. */
    assert_int_equal(nvme_submit(&c, NVME_CMD_WRITE, 1ull << 33, 8, 0x100200, 2), ERR_OK);
    assert_int_equal(sq[1].prp1, 0x100200);
    assert_int_equal(sq[1].prp2, 0x101000);
    assert_int_equal(sq[1].cdw11, 2);               /* SLBA's high half */
    /* 16 KiB from offset 512: four more pages, in slot 2's list. */
    assert_int_equal(nvme_submit(&c, NVME_CMD_READ, 0, 32, 0x100200, 3), ERR_OK);
    assert_int_equal(sq[2].prp2, PRP_PA(2));
    for (unsigned i = 0; i < 4; i++)
        assert_int_equal(prp_pages[2][i], 0x101000 + i * NVME_PAGE_BYTES);
    /* Exactly two pages from a page boundary: PRP2 is the second page. */
    assert_int_equal(nvme_submit(&c, NVME_CMD_READ, 0, 16, 0x200000, 4), ERR_OK);
    assert_int_equal(sq[3].prp2, 0x201000);
    /* MDTS-long from an offset: 128 pages after the first, one list. */
    assert_int_equal(nvme_submit(&c, NVME_CMD_READ, 0, 1024, 0x300200, 5), ERR_OK);
    assert_int_equal(sq[4].prp2, PRP_PA(4));
    assert_int_equal(prp_pages[4][127], 0x301000 + 127ull * NVME_PAGE_BYTES);
    assert_int_equal(sq_db, 5);
    /* FUA on a write: CDW12 bit 30 beside the NLB (NVMe 1.4 6.15). */
    assert_int_equal(nvme_submit_rw(&c, NVME_CMD_WRITE, 7, 2, 0x100000, NVME_RW_FUA, 6), ERR_OK);
    assert_int_equal(sq[5].cdw12, (1u << 30) | 1);
    assert_int_equal(sq[1].cdw12 & NVME_RW_FUA, 0);  /* a plain write has none */
}

static void test_refusals(void **state)
{
    (void)state;
    assert_int_equal(nvme_submit(&c, NVME_CMD_READ, 0, 0, 0x100000, 1), NVME_ERR_ARGS);
    assert_int_equal(nvme_submit(&c, NVME_CMD_READ, 0, 1025, 0x100000, 1), NVME_ERR_ARGS);
    assert_int_equal(nvme_submit(&c, NVME_CMD_READ, 0, 1, 0x100002, 1), NVME_ERR_ARGS);
    /* FUA only on a write, and no other control bit. */
    assert_int_equal(nvme_submit_rw(&c, NVME_CMD_READ, 0, 1, 0x100000, NVME_RW_FUA, 1), NVME_ERR_ARGS);
    assert_int_equal(nvme_submit_rw(&c, NVME_CMD_FLUSH, 0, 0, 0, NVME_RW_FUA, 1), NVME_ERR_ARGS);
    assert_int_equal(nvme_submit_rw(&c, NVME_CMD_WRITE, 0, 1, 0x100000, 1u << 31, 1), NVME_ERR_ARGS);
    assert_int_equal(sq_db, 0);                     /* nothing reached the "device" */
    for (unsigned i = 0; i < NVME_IO_DEPTH - 1; i++)
        assert_int_equal(nvme_submit(&c, NVME_CMD_FLUSH, 0, 0, 0, i), ERR_OK);
    assert_int_equal(nvme_submit(&c, NVME_CMD_FLUSH, 0, 0, 0, 99), NVME_ERR_QUEUE_FULL);
}

static uint64_t seen_cookie[8];
static errval_t seen_status[8];
static unsigned seen;

static void done(void *arg, uint64_t cookie, errval_t st)
{
    (void)arg;
    seen_cookie[seen] = cookie;
    seen_status[seen++] = st;
}

static void complete(unsigned at, uint16_t cid, unsigned sct, unsigned sc, unsigned phase)
{
    cq[at] = (struct nvme_cqe){ .cid = cid,
                                .status = (uint16_t)(phase | sc << 1 | sct << 9) };
}

static void test_completions(void **state)
{
    (void)state;
    seen = 0;
    assert_int_equal(nvme_submit(&c, NVME_CMD_READ, 0, 1, 0x100000, 111), ERR_OK);
    assert_int_equal(nvme_submit(&c, NVME_CMD_READ, 1 << 20, 1, 0x100000, 222), ERR_OK);
    assert_int_equal(nvme_poll(&c, done, NULL), 0);             /* phase 0: nothing yet */
    complete(0, 0, NVME_SCT_GENERIC, 0, 1);
    complete(1, 7, NVME_SCT_GENERIC, 0, 1);                     /* cid 7 is not in flight */
    complete(2, 1, NVME_SCT_GENERIC, 0x80, 1);
    assert_int_equal(nvme_poll(&c, done, NULL), 2);
    assert_int_equal(seen, 2);
    assert_int_equal(seen_cookie[0], 111);
    assert_int_equal(seen_status[0], ERR_OK);
    assert_int_equal(seen_cookie[1], 222);
    assert_int_equal(seen_status[1], NVME_ERR_SC_LBA_RANGE);
    assert_int_equal(cq_db, 3);                                 /* the bogus one is consumed too */
    assert_int_equal(c.inflight, 0);
}

static void test_status_names(void **state)
{
    (void)state;
    assert_int_equal(nvme_status_err(1), ERR_OK);               /* phase bit only */
    assert_int_equal(nvme_status_err(0x01 << 1), NVME_ERR_SC_INVALID_OPCODE);
    assert_int_equal(nvme_status_err(0x13 << 1), NVME_ERR_SC_PRP_OFFSET);
    assert_int_equal(nvme_status_err(0x01 << 1 | 1 << 9), NVME_ERR_SC_INVALID_QID);
    assert_int_equal(nvme_status_err(0x81 << 1 | 2 << 9), NVME_ERR_SC_READ_ERROR);
    assert_int_equal(nvme_status_err(0x55 << 1 | 1 << 9), NVME_ERR_SC_OTHER);
    assert_int_equal(nvme_status_err(0x80 << 1 | 1 << 15), NVME_ERR_SC_LBA_RANGE);  /* DNR ignored */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_prp_forms, setup),
        cmocka_unit_test_setup(test_refusals, setup),
        cmocka_unit_test_setup(test_completions, setup),
        cmocka_unit_test(test_status_names),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
