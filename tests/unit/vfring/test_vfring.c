/*
 * test_vfring.c: the VF data path (drivers/net/igb/vfring.c) on the host,
 * against plain memory playing the NIC: it reads the buffer address from a
 * receive descriptor, writes a frame there and a write-back of its
 * choosing (good, flagged, truncated, oversized, spread over two
 * descriptors), and sets DD on sent descriptors. What does the driver hand
 * on, what does it count, and does every buffer come back?
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <net/igb/vf.h>

#define BUFS_PA 0x40000000ull   /* where the fake NIC thinks the buffers are */

static struct vf vf;
static uint32_t regs[16384 / 4];

static int setup(void **state)
{
    (void)state;
    memset(&vf, 0, sizeof(vf));
    memset(regs, 0, sizeof(regs));
    vf.regs = (volatile uint8_t *)regs;
    vf.rx_ring = aligned_alloc(IGBVF_RING_BYTES, IGBVF_RING_BYTES);
    vf.tx_ring = aligned_alloc(IGBVF_RING_BYTES, IGBVF_RING_BYTES);
    vf.bufs = malloc(IGBVF_BUFS_BYTES);
    vf.bufs_pa = BUFS_PA;
    igbvf_rings_init(&vf);
    igbvf_rx_refill(&vf);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    free((void *)vf.rx_ring);
    free((void *)vf.tx_ring);
    free(vf.bufs);
    return 0;
}

static volatile union igb_adv_rx_desc *rxd(unsigned i)
{
    return &((volatile union igb_adv_rx_desc *)vf.rx_ring)[i];
}

static volatile union igb_adv_tx_desc *txd(unsigned i)
{
    return &((volatile union igb_adv_tx_desc *)vf.tx_ring)[i];
}

/* The NIC receives `len` bytes (plus a 4-byte CRC of zeros) into
 * descriptor i and writes back `status` and `wb_len`. */
static void nic_rx(unsigned i, size_t len, uint32_t status, uint16_t wb_len)
{
    uint64_t pa = rxd(i)->read.pkt_addr;
    assert_true(pa >= BUFS_PA && pa + VF_BUF_SIZE <= BUFS_PA + IGBVF_BUFS_BYTES);
    uint8_t *b = vf.bufs + (pa - BUFS_PA);
    for (size_t k = 0; k < len; k++)
        b[k] = (uint8_t)(i + k);
    memset(b + len, 0, IGBVF_RX_CRC_LEN);
    rxd(i)->wb.length = wb_len;
    rxd(i)->wb.status_error = status;
}

static unsigned posted_rx(void)
{
    return (vf.rx_tail - vf.rx_next + VF_RX_RING) % VF_RX_RING;
}

static void test_rx_ring_filled(void **state)
{
    (void)state;
    assert_int_equal(posted_rx(), VF_RX_RING - 1);
    assert_int_equal(regs[IGBVF_RDT(0) / 4], VF_RX_RING - 1);
    assert_int_equal(vf.rx_nfree, VF_RX_BUFS - (VF_RX_RING - 1));
    struct vf_buf b[4];
    assert_int_equal(vf_rx_poll(&vf, b, 4), 0);     /* no DD: nothing */
}

static void test_rx_good_frame(void **state)
{
    (void)state;
    nic_rx(0, 60, IGB_RXD_STAT_DD | IGB_RXD_STAT_EOP, 60 + IGBVF_RX_CRC_LEN);
    struct vf_buf b[4];
    assert_int_equal(vf_rx_poll(&vf, b, 4), 1);
    assert_int_equal(b[0].len, 60);
    assert_int_equal(b[0].data[59], (uint8_t)59);
    assert_int_equal(vf.stats.rx_packets, 1);
    assert_int_equal(vf.stats.rx_bytes, 60);
    assert_int_equal(posted_rx(), VF_RX_RING - 1);   /* refilled from the spare */
    assert_int_equal(vf_rx_release(&vf, &b[0]), ERR_OK);
    assert_int_equal(vf_rx_release(&vf, &b[0]), VF_ERR_BAD_BUF);  /* not held any more */
    struct vf_buf forged = { .data = vf.bufs, .len = 60, .id = 0 };
    assert_int_equal(vf_rx_release(&vf, &forged), VF_ERR_BAD_BUF); /* the NIC's */
}

static void test_rx_bad_writebacks_dropped_and_counted(void **state)
{
    (void)state;
    const uint32_t ok = IGB_RXD_STAT_DD | IGB_RXD_STAT_EOP;
    nic_rx(0, 60, ok | IGB_RXD_ERR_RXE, 64);                /* flagged */
    nic_rx(1, 60, ok | IGB_RXD_ERR_CE, 64);
    nic_rx(2, 60, ok, VF_BUF_SIZE + 1);                     /* longer than the buffer */
    nic_rx(3, 60, ok, 0xffff);
    nic_rx(4, 10, ok, 10 + IGBVF_RX_CRC_LEN);               /* shorter than a header */
    nic_rx(5, 0, ok, 0);
    nic_rx(6, 60, IGB_RXD_STAT_DD, 2048);                   /* no EOP: a frame in pieces */
    nic_rx(7, 60, ok, 64);                                  /*   ... its end */
    nic_rx(8, 1600, ok, 1600 + IGBVF_RX_CRC_LEN);           /* fits, but over VF_FRAME_MAX */
    nic_rx(9, 100, ok | IGB_RXD_ERR_TCPE, 104);             /* checksum: not offloaded, kept */
    nic_rx(10, 1518, ok, 1518 + IGBVF_RX_CRC_LEN);          /* the longest frame */
    struct vf_buf b[16];
    unsigned n = vf_rx_poll(&vf, b, 16);
    assert_int_equal(n, 2);
    assert_int_equal(b[0].len, 100);
    assert_int_equal(b[1].len, 1518);
    assert_int_equal(vf.stats.rx_errors, 7);
    assert_int_equal(vf.stats.rx_drops, 1);
    assert_int_equal(vf.stats.rx_packets, 2);
    /* Every buffer is somewhere: free, posted, or held. */
    assert_int_equal(vf.rx_nfree + posted_rx() + n, VF_RX_BUFS);
    for (unsigned i = 0; i < n; i++)
        assert_int_equal(vf_rx_release(&vf, &b[i]), ERR_OK);
    assert_int_equal(vf_rx_poll(&vf, b, 16), 0);
    assert_int_equal(vf.rx_nfree + posted_rx(), VF_RX_BUFS);
}

static void test_rx_ring_wraps(void **state)
{
    (void)state;
    struct vf_buf b[1];
    for (unsigned k = 0; k < 3 * VF_RX_RING; k++) {
        nic_rx(vf.rx_next, 64, IGB_RXD_STAT_DD | IGB_RXD_STAT_EOP, 68);
        assert_int_equal(vf_rx_poll(&vf, b, 1), 1);
        assert_int_equal(b[0].len, 64);
        assert_int_equal(vf_rx_release(&vf, &b[0]), ERR_OK);
    }
    assert_int_equal(vf.stats.rx_packets, 3 * VF_RX_RING);
    assert_int_equal(regs[IGBVF_RDT(0) / 4], vf.rx_tail);
}

static void test_rx_holding_every_buffer(void **state)
{
    (void)state;
    /* The caller keeps every frame: the ring drains, then refills on release. */
    static struct vf_buf held[VF_RX_BUFS];
    unsigned n = 0;
    for (unsigned k = 0; k < VF_RX_BUFS; k++) {
        if (vf.rx_next == vf.rx_tail)
            break;
        nic_rx(vf.rx_next, 64, IGB_RXD_STAT_DD | IGB_RXD_STAT_EOP, 68);
        n += vf_rx_poll(&vf, &held[n], 1);
    }
    assert_int_equal(n, VF_RX_BUFS);
    assert_int_equal(posted_rx(), 0);
    for (unsigned i = 0; i < n; i++)
        vf_rx_release(&vf, &held[i]);
    struct vf_buf b[1];
    assert_int_equal(vf_rx_poll(&vf, b, 1), 0);
    assert_int_equal(posted_rx(), VF_RX_RING - 1);
}

static void test_tx_descriptor_and_reclaim(void **state)
{
    (void)state;
    uint8_t frame[60] = {0x02, 0, 0, 0, 1, 1};
    assert_int_equal(vf_tx(&vf, frame, sizeof(frame)), ERR_OK);
    assert_int_equal(regs[IGBVF_TDT(0) / 4], 1);
    uint64_t addr = txd(0)->read.buffer_addr;
    assert_true(addr >= BUFS_PA + (uint64_t)VF_RX_BUFS * VF_BUF_SIZE);  /* a transmit buffer */
    assert_memory_equal(vf.bufs + (addr - BUFS_PA), frame, sizeof(frame));
    uint32_t cmd = txd(0)->read.cmd_type_len;
    assert_int_equal(cmd & IGB_TXD_LEN_MASK, 60);
    assert_int_equal(cmd & 0xffff0000u, (uint32_t)(IGB_TXD_DTYP_DATA | IGB_TXD_DCMD_EOP |
                     IGB_TXD_DCMD_IFCS | IGB_TXD_DCMD_RS | IGB_TXD_DCMD_DEXT));
    assert_int_equal(txd(0)->read.olinfo_status, 60u << IGB_TXD_OLINFO_PAYLEN_SHIFT);
    assert_int_equal(vf.tx_nfree, VF_TX_BUFS - 1);
    assert_int_equal(vf_tx_reclaim(&vf), 0);                /* not sent yet */
    txd(0)->wb.status |= IGB_TXD_STAT_DD;
    assert_int_equal(vf_tx_reclaim(&vf), 1);
    assert_int_equal(vf.tx_nfree, VF_TX_BUFS);
}

static void test_tx_refusals(void **state)
{
    (void)state;
    static uint8_t frame[VF_BUF_SIZE];
    assert_int_equal(vf_tx(&vf, frame, VF_FRAME_MIN - 1), VF_ERR_FRAME_LEN);
    assert_int_equal(vf_tx(&vf, frame, VF_FRAME_MAX + 1), VF_ERR_FRAME_LEN);
    assert_int_equal(vf.stats.tx_errors, 2);
    unsigned sent = 0;
    while (err_is_ok(vf_tx(&vf, frame, 64)))
        sent++;
    assert_int_equal(sent, VF_TX_RING - 1);                 /* one slot stays empty */
    assert_int_equal(vf.stats.tx_drops, 1);
    struct vf_buf b;
    assert_int_equal(vf_tx_buf_get(&vf, &b), ERR_OK);
    assert_int_equal(vf_tx_buf_post(&vf, &b, 64), VF_ERR_TX_FULL);
    assert_int_equal(vf_tx_buf_put(&vf, &b), ERR_OK);       /* still the caller's: give it back */
    assert_int_equal(vf_tx_buf_post(&vf, &b, 64), VF_ERR_BAD_BUF);
    for (unsigned i = 0; i < VF_TX_RING; i++)
        txd(i)->wb.status |= IGB_TXD_STAT_DD;
    assert_int_equal(vf_tx_reclaim(&vf), VF_TX_RING - 1);
    assert_int_equal(vf.tx_nfree, VF_TX_BUFS);
}

static void test_zero_copy_echo(void **state)
{
    (void)state;
    /* A received buffer sent back as it is returns to the receive pool. */
    nic_rx(vf.rx_next, 60, IGB_RXD_STAT_DD | IGB_RXD_STAT_EOP, 64);
    struct vf_buf b[1];
    assert_int_equal(vf_rx_poll(&vf, b, 1), 1);
    unsigned free_rx = vf.rx_nfree;
    assert_int_equal(vf_tx_buf_post(&vf, &b[0], b[0].len), ERR_OK);
    assert_int_equal(txd(vf.tx_clean)->read.buffer_addr, BUFS_PA + (uint64_t)b[0].id * VF_BUF_SIZE);
    assert_int_equal(vf_rx_release(&vf, &b[0]), VF_ERR_BAD_BUF);   /* the NIC's now */
    txd(vf.tx_clean)->wb.status |= IGB_TXD_STAT_DD;
    assert_int_equal(vf_tx_reclaim(&vf), 1);
    assert_int_equal(vf.rx_nfree, free_rx + 1);
}

static void test_mac_text(void **state)
{
    (void)state;
    uint8_t mac[VF_MAC_LEN];
    char s[18];
    assert_true(vf_mac_parse("02:00:00:00:01:0A", mac));
    vf_mac_format(mac, s);
    assert_string_equal(s, "02:00:00:00:01:0a");
    assert_false(vf_mac_parse("02:00:00:00:01", mac));
    assert_false(vf_mac_parse("02:00:00:00:01:0a:", mac));
    assert_false(vf_mac_parse("02-00-00-00-01-0a", mac));
    assert_false(vf_mac_parse("0g:00:00:00:01:0a", mac));
    assert_false(vf_mac_parse("", mac));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_rx_ring_filled, setup, teardown),
        cmocka_unit_test_setup_teardown(test_rx_good_frame, setup, teardown),
        cmocka_unit_test_setup_teardown(test_rx_bad_writebacks_dropped_and_counted, setup, teardown),
        cmocka_unit_test_setup_teardown(test_rx_ring_wraps, setup, teardown),
        cmocka_unit_test_setup_teardown(test_rx_holding_every_buffer, setup, teardown),
        cmocka_unit_test_setup_teardown(test_tx_descriptor_and_reclaim, setup, teardown),
        cmocka_unit_test_setup_teardown(test_tx_refusals, setup, teardown),
        cmocka_unit_test_setup_teardown(test_zero_copy_echo, setup, teardown),
        cmocka_unit_test(test_mac_text),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
