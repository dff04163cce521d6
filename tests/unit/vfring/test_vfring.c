/*
 * test_vfring.c: the VF data path (drivers/net/vf/vfring.c) on the host,
 * run twice: over the 82576 VF's register map and over the 82599 VF's
 * (the same descriptor formats; different offsets and CRC handling),
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
#include <net/igb/vf/vf.h>
#include <net/ixgbe/vf/vf.h>

/* Each NIC's map as its driver defines it (only the data: no steps). */
static const struct vf_nic igb_nic = { .name = "82576", .vf_device = IGBVF_DEVICE_ID, .map = IGBVF_REGMAP };
static const struct vf_nic ixgbe_nic = { .name = "82599", .vf_device = IXGBEVF_DEVICE_ID,
                                         .map = IXGBEVF_REGMAP };
static const struct vf_nic *nic;        /* the group's NIC */
#define CRC (nic->map.rx_crc_len)

#define BUFS_PA 0x40000000ull   /* where the fake NIC thinks the buffers are */

static struct vf vf;
static uint32_t regs[16384 / 4];

static int setup(void **state)
{
    (void)state;
    memset(&vf, 0, sizeof(vf));
    memset(regs, 0, sizeof(regs));
    vf.regs = (volatile uint8_t *)regs;
    vf.nic = nic;
    vf.rx_ring = aligned_alloc(VF_RING_BYTES, VF_RING_BYTES);
    vf.tx_ring = aligned_alloc(VF_RING_BYTES, VF_RING_BYTES);
    vf.bufs = malloc(VF_BUFS_BYTES);
    vf.bufs_pa = BUFS_PA;
    vf_rings_init(&vf);
    vf_rx_refill(&vf);
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

/* The NIC receives `len` bytes (plus the NIC's CRC, zeros) into
 * descriptor i and writes back `status` and `wb_len`. */
static void nic_rx(unsigned i, size_t len, uint32_t status, uint16_t wb_len)
{
    uint64_t pa = rxd(i)->read.pkt_addr;
    assert_true(pa >= BUFS_PA && pa + VF_BUF_SIZE <= BUFS_PA + VF_BUFS_BYTES);
    uint8_t *b = vf.bufs + (pa - BUFS_PA);
    for (size_t k = 0; k < len; k++)
        b[k] = (uint8_t)(i + k);
    memset(b + len, 0, CRC);
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
    assert_int_equal(regs[nic->map.rdt0 / 4], VF_RX_RING - 1);
    assert_int_equal(vf.rx_nfree, VF_RX_BUFS - (VF_RX_RING - 1));
    struct vf_buf b[4];
    assert_int_equal(vf_rx_poll(&vf, b, 4), 0);     /* no DD: nothing */
}

static void test_rx_good_frame(void **state)
{
    (void)state;
    nic_rx(0, 60, IGB_RXD_STAT_DD | IGB_RXD_STAT_EOP, 60 + CRC);
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
    nic_rx(4, 10, ok, 10 + CRC);               /* shorter than a header */
    nic_rx(5, 0, ok, 0);
    nic_rx(6, 60, IGB_RXD_STAT_DD, 2048);                   /* no EOP: a frame in pieces */
    nic_rx(7, 60, ok, 64);                                  /*   ... its end */
    nic_rx(8, 1600, ok, 1600 + CRC);           /* fits, but over VF_FRAME_MAX */
    nic_rx(9, 100, ok | IGB_RXD_ERR_TCPE, 100 + CRC);            /* checksum: not offloaded, kept */
    nic_rx(10, 1518, ok, 1518 + CRC);          /* the longest frame */
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
        nic_rx(vf.rx_next, 64, IGB_RXD_STAT_DD | IGB_RXD_STAT_EOP, 64 + CRC);
        assert_int_equal(vf_rx_poll(&vf, b, 1), 1);
        assert_int_equal(b[0].len, 64);
        assert_int_equal(vf_rx_release(&vf, &b[0]), ERR_OK);
    }
    assert_int_equal(vf.stats.rx_packets, 3 * VF_RX_RING);
    assert_int_equal(regs[nic->map.rdt0 / 4], vf.rx_told);
    assert_true((vf.rx_tail - vf.rx_told + VF_RX_RING) % VF_RX_RING < VF_RX_TAIL_BATCH);
}

static void test_rx_holding_every_buffer(void **state)
{
    (void)state;
    /* The caller keeps every frame: the ring drains, then refills on release. */
    static struct vf_buf held[VF_RX_BUFS];
    unsigned n = 0;
    for (unsigned k = 0; k < VF_RX_BUFS; k++) {
        if (vf.rx_next == vf.rx_told)   /* the NIC fills only what it was told of */
            break;
        nic_rx(vf.rx_next, 64, IGB_RXD_STAT_DD | IGB_RXD_STAT_EOP, 64 + CRC);
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

/* The fake NIC's own head: the next descriptor it fills, up to the tail
 * it was told (RDT); a frame with nowhere to go is dropped and counted. */
static unsigned nic_head, nic_dropped;

static void nic_burst(unsigned frames)
{
    for (unsigned k = 0; k < frames; k++) {
        if (nic_head == regs[nic->map.rdt0 / 4]) {
            nic_dropped++;
            continue;
        }
        nic_rx(nic_head, 64, IGB_RXD_STAT_DD | IGB_RXD_STAT_EOP, 64 + CRC);
        nic_head = (nic_head + 1) % VF_RX_RING;
    }
}

/* Take every frame waiting (VV_BATCH at a time, as lib/lwip does) and give
 * each buffer straight back; returns how many. */
static unsigned drain(void)
{
    struct vf_buf b[32];
    unsigned n, total = 0;
    while ((n = vf_rx_poll(&vf, b, 32)) > 0) {
        for (unsigned i = 0; i < n; i++)
            assert_int_equal(vf_rx_release(&vf, &b[i]), ERR_OK);
        total += n;
    }
    return total;
}

static void test_rx_tail_told_in_batches(void **state)
{
    (void)state;
    /* Frames one at a time: the tail is written once per VF_RX_TAIL_BATCH
     * refilled descriptors, not once per frame. */
    nic_head = nic_dropped = 0;
    uint64_t writes = vf.stats.rx_tail_writes;
    for (unsigned k = 0; k < 4 * VF_RX_TAIL_BATCH; k++) {
        nic_burst(1);
        assert_int_equal(drain(), 1);
        assert_int_equal(regs[nic->map.rdt0 / 4], vf.rx_told);
        assert_true((vf.rx_tail - vf.rx_told + VF_RX_RING) % VF_RX_RING < VF_RX_TAIL_BATCH);
    }
    assert_int_equal(nic_dropped, 0);
    assert_true(vf.stats.rx_tail_writes - writes <= 4);
    assert_true(vf.stats.rx_tail_writes - writes >= 3);
}

static void test_rx_burst_beyond_batch_never_runs_dry(void **state)
{
    (void)state;
    /* Bursts far longer than the batch, each as long as the ring can take
     * with a batch held back, drained between them: the NIC never finds
     * itself without a descriptor. */
    nic_head = nic_dropped = 0;
    const unsigned burst = VF_RX_RING - VF_RX_TAIL_BATCH;
    for (unsigned round = 0; round < 20; round++) {
        nic_burst(burst);
        assert_int_equal(nic_dropped, 0);
        assert_int_equal(drain(), burst);
    }
    /* Bursts of every length up to the batch and past it, in turn. */
    for (unsigned len = 1; len <= 3 * VF_RX_TAIL_BATCH; len++) {
        nic_burst(len);
        assert_int_equal(drain(), len);
    }
    assert_int_equal(nic_dropped, 0);
    assert_int_equal(vf.stats.rx_packets, 20 * burst + 3 * VF_RX_TAIL_BATCH * (3 * VF_RX_TAIL_BATCH + 1) / 2);
}

static void test_rx_low_ring_told_at_once(void **state)
{
    (void)state;
    /* The caller holds every buffer: the NIC has nothing. A buffer given
     * back must reach the NIC at the next look, not wait for a batch. */
    nic_head = nic_dropped = 0;
    static struct vf_buf held[VF_RX_BUFS];
    unsigned n = 0;
    while (n < VF_RX_BUFS) {
        nic_burst(1);
        n += vf_rx_poll(&vf, &held[n], VF_RX_BUFS - n);
    }
    assert_int_equal(vf.rx_told, vf.rx_next);           /* nothing left for the NIC */
    nic_burst(1);
    assert_int_equal(nic_dropped, 1);
    for (unsigned i = 0; i < 3; i++) {
        assert_int_equal(vf_rx_release(&vf, &held[--n]), ERR_OK);
        struct vf_buf b[1];
        assert_int_equal(vf_rx_poll(&vf, b, 1), 0);
        assert_int_equal(vf.rx_told, vf.rx_tail);       /* told at once */
        nic_burst(1);                                   /* and the NIC can use it */
        assert_int_equal(nic_dropped, 1);
        assert_int_equal(vf_rx_poll(&vf, &held[n], 1), 1);
        n++;
    }
    while (n)
        assert_int_equal(vf_rx_release(&vf, &held[--n]), ERR_OK);
    drain();
    assert_int_equal(vf.rx_nfree + (vf.rx_tail - vf.rx_next + VF_RX_RING) % VF_RX_RING, VF_RX_BUFS);
}

static void test_tx_descriptor_and_reclaim(void **state)
{
    (void)state;
    uint8_t frame[60] = {0x02, 0, 0, 0, 1, 1};
    assert_int_equal(vf_tx(&vf, frame, sizeof(frame)), ERR_OK);
    assert_int_equal(regs[nic->map.tdt0 / 4], 1);
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
    nic_rx(vf.rx_next, 60, IGB_RXD_STAT_DD | IGB_RXD_STAT_EOP, 60 + CRC);
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

/* A UDP/IPv4 frame: 14-byte Ethernet header, 20-byte IP header
 * 10.0.0.1 -> 10.0.0.2, 8-byte UDP header, `payload` bytes. */
static size_t udp_frame(uint8_t *f, size_t payload)
{
    memset(f, 0, 14 + 28 + payload);
    f[12] = 0x08;                                   /* IPv4 */
    uint8_t *ip = f + 14;
    ip[0] = 0x45;
    ip[2] = (uint8_t)((20 + 8 + payload) >> 8);
    ip[3] = (uint8_t)(20 + 8 + payload);
    ip[8] = 64;
    ip[9] = 17;
    ip[12] = 10; ip[15] = 1;
    ip[16] = 10; ip[19] = 2;
    ip[24] = (uint8_t)((8 + payload) >> 8);         /* UDP length */
    ip[25] = (uint8_t)(8 + payload);
    return 14 + 28 + payload;
}

static void test_tx_checksum_offload(void **state)
{
    (void)state;
    struct vf_buf b;
    assert_int_equal(vf_tx_buf_get(&vf, &b), ERR_OK);
    size_t len = udp_frame(b.data, 100);
    assert_int_equal(vf_tx_buf_post_csum(&vf, &b, len, VF_TX_CSUM_IP | VF_TX_CSUM_UDP, 14, 20), ERR_OK);
    /* A context descriptor for slot 0 (IPv4, UDP, MACLEN 14, IPLEN 20), then the frame. */
    const volatile struct igb_adv_tx_context *c = (const volatile struct igb_adv_tx_context *)txd(0);
    assert_int_equal(c->vlan_macip_lens, 14u << IGB_TXCTX_MACLEN_SHIFT | 20);
    assert_int_equal(c->type_tucmd_mlhl, IGB_TXCTX_DEXT | IGB_TXCTX_DTYP_CTXT | IGB_TXCTX_TUCMD_IPV4);
    assert_int_equal(c->mss_l4len_idx, 0);
    assert_int_equal(txd(1)->read.olinfo_status, (uint32_t)len << IGB_TXD_OLINFO_PAYLEN_SHIFT |
                     IGB_TXD_POPTS_IXSM | IGB_TXD_POPTS_TXSM);
    assert_int_equal(regs[nic->map.tdt0 / 4], 2);
    /* The UDP checksum field holds the pseudo-header sum: 10.0.0.1 + 10.0.0.2
     * + 17 + 108 = 0x0a00 + 0x0001 + 0x0a00 + 0x0002 + 0x11 + 0x6c. */
    assert_int_equal(b.data[14 + 20 + 6] << 8 | b.data[14 + 20 + 7], 0x1480);
    /* The same layout again: no new context descriptor. TCP takes slot 1. */
    struct vf_buf b2;
    assert_int_equal(vf_tx_buf_get(&vf, &b2), ERR_OK);
    udp_frame(b2.data, 10);
    assert_int_equal(vf_tx_buf_post_csum(&vf, &b2, 52, VF_TX_CSUM_UDP, 14, 20), ERR_OK);
    assert_int_equal(vf.tx_tail, 3);
    assert_int_equal(txd(2)->read.olinfo_status & (IGB_TXD_POPTS_IXSM | IGB_TXD_POPTS_TXSM),
                     IGB_TXD_POPTS_TXSM);
    /* Reclaim passes the context descriptor once its frame is done. */
    txd(1)->wb.status |= IGB_TXD_STAT_DD;
    assert_int_equal(vf_tx_reclaim(&vf), 1);
    assert_int_equal(vf.tx_clean, 2);
    txd(2)->wb.status |= IGB_TXD_STAT_DD;
    assert_int_equal(vf_tx_reclaim(&vf), 1);
    assert_int_equal(vf.tx_nfree, VF_TX_BUFS);
    /* Refused: a header that is not IPv4 of that length, both L4 kinds,
     * lengths past the frame. */
    assert_int_equal(vf_tx_buf_get(&vf, &b), ERR_OK);
    len = udp_frame(b.data, 20);
    assert_int_equal(vf_tx_buf_post_csum(&vf, &b, len, VF_TX_CSUM_IP, 14, 24), VF_ERR_OFFLOAD);
    assert_int_equal(vf_tx_buf_post_csum(&vf, &b, len, VF_TX_CSUM_UDP | VF_TX_CSUM_TCP, 14, 20),
                     VF_ERR_OFFLOAD);
    assert_int_equal(vf_tx_buf_post_csum(&vf, &b, 40, VF_TX_CSUM_UDP, 14, 20), VF_ERR_OFFLOAD);
    b.data[14] = 0x65;                              /* IPv6-looking version */
    assert_int_equal(vf_tx_buf_post_csum(&vf, &b, len, VF_TX_CSUM_IP, 14, 20), VF_ERR_OFFLOAD);
    assert_int_equal(vf_tx_buf_put(&vf, &b), ERR_OK);
}

static void test_tx_deferred_tail(void **state)
{
    (void)state;
    uint8_t frame[60] = {0x02, 0, 0, 0, 1, 1};
    vf.tx_defer = true;
    for (int i = 0; i < 3; i++)
        assert_int_equal(vf_tx(&vf, frame, sizeof(frame)), ERR_OK);
    assert_int_equal(regs[nic->map.tdt0 / 4], 0);            /* nothing told yet */
    vf_tx_flush(&vf);
    assert_int_equal(regs[nic->map.tdt0 / 4], 3);            /* one write for three */
    assert_int_equal(vf_tx(&vf, frame, sizeof(frame)), ERR_OK);
    struct vf_buf b[1];
    assert_int_equal(vf_rx_poll(&vf, b, 1), 0);
    assert_int_equal(regs[nic->map.tdt0 / 4], 4);            /* polling tells the NIC too */
}

static void test_rx_checksum_verdicts(void **state)
{
    (void)state;
    const uint32_t base = IGB_RXD_STAT_DD | IGB_RXD_STAT_EOP;
    nic_rx(vf.rx_next, 60, base | IGB_RXD_STAT_IPCS | IGB_RXD_STAT_L4CS | IGB_RXD_STAT_UDPCS, 60 + CRC);
    nic_rx(vf.rx_next + 1, 60, base | IGB_RXD_STAT_IPCS | IGB_RXD_STAT_L4CS | IGB_RXD_ERR_TCPE, 60 + CRC);
    nic_rx(vf.rx_next + 2, 60, base | IGB_RXD_STAT_IPCS | IGB_RXD_ERR_IPE, 60 + CRC);
    nic_rx(vf.rx_next + 3, 60, base, 60 + CRC);           /* not IP: nothing checked */
    struct vf_buf b[4];
    assert_int_equal(vf_rx_poll(&vf, b, 4), 4);     /* bad checksums are the caller's to judge */
    assert_int_equal(b[0].csum, VF_RX_IP_OK | VF_RX_L4_OK);
    assert_int_equal(b[1].csum, VF_RX_IP_OK | VF_RX_L4_BAD);
    assert_int_equal(b[2].csum, VF_RX_IP_BAD);
    assert_int_equal(b[3].csum, 0);
    for (int i = 0; i < 4; i++)
        assert_int_equal(vf_rx_release(&vf, &b[i]), ERR_OK);
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

/* Where the two NICs differ, each on its own: the tail and statistics
 * offsets (82576 8.10/8.12 at 0x2800/0x3800, 82599 8.3.5.3-4 at
 * 0x1000/0x2000), the CRC left in the buffer (the 82599 PF strips it), and
 * SRRCTL's DROP_EN (bit 31 on the 82576, bit 28 on the 82599). */
static void test_nic_maps_differ(void **state)
{
    (void)state;
    assert_int_equal(igb_nic.map.rdt0, 0x2818);
    assert_int_equal(igb_nic.map.tdt0, 0x3818);
    assert_int_equal(igb_nic.map.rx_crc_len, 4);
    assert_int_equal(ixgbe_nic.map.rdt0, 0x1018);
    assert_int_equal(ixgbe_nic.map.tdt0, 0x2018);
    assert_int_equal(ixgbe_nic.map.gprc, 0x101c);
    assert_int_equal(ixgbe_nic.map.gptc, 0x201c);
    assert_int_equal(ixgbe_nic.map.rx_crc_len, 0);
    assert_int_equal(igb_nic.map.srrctl, 2u | 1u << 25 | 1u << 31);
    assert_int_equal(ixgbe_nic.map.srrctl, 2u | 1u << 25 | 1u << 28);
    assert_int_equal(igb_nic.map.mailbox, 0x0c40);
    assert_int_equal(igb_nic.map.mbmem, 0x0800);
    assert_int_equal(ixgbe_nic.map.mailbox, 0x02fc);
    assert_int_equal(ixgbe_nic.map.mbmem, 0x0200);
    assert_int_equal(ixgbe_nic.map.link, 0x0010);
    assert_int_equal(ixgbe_nic.map.ivar0, 0x0120);
    assert_int_equal(ixgbe_nic.map.srrctl0, 0x1014);
}

static int use_igb(void **state) { (void)state; nic = &igb_nic; return 0; }
static int use_ixgbe(void **state) { (void)state; nic = &ixgbe_nic; return 0; }

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_rx_ring_filled, setup, teardown),
        cmocka_unit_test_setup_teardown(test_rx_good_frame, setup, teardown),
        cmocka_unit_test_setup_teardown(test_rx_bad_writebacks_dropped_and_counted, setup, teardown),
        cmocka_unit_test_setup_teardown(test_rx_ring_wraps, setup, teardown),
        cmocka_unit_test_setup_teardown(test_rx_holding_every_buffer, setup, teardown),
        cmocka_unit_test_setup_teardown(test_rx_tail_told_in_batches, setup, teardown),
        cmocka_unit_test_setup_teardown(test_rx_burst_beyond_batch_never_runs_dry, setup, teardown),
        cmocka_unit_test_setup_teardown(test_rx_low_ring_told_at_once, setup, teardown),
        cmocka_unit_test_setup_teardown(test_tx_descriptor_and_reclaim, setup, teardown),
        cmocka_unit_test_setup_teardown(test_tx_refusals, setup, teardown),
        cmocka_unit_test_setup_teardown(test_zero_copy_echo, setup, teardown),
        cmocka_unit_test_setup_teardown(test_tx_checksum_offload, setup, teardown),
        cmocka_unit_test_setup_teardown(test_rx_checksum_verdicts, setup, teardown),
        cmocka_unit_test_setup_teardown(test_tx_deferred_tail, setup, teardown),
        cmocka_unit_test(test_mac_text),
    };
    static const struct CMUnitTest own[] = { cmocka_unit_test(test_nic_maps_differ) };
    int failed = cmocka_run_group_tests_name("vfring over the 82576 VF", tests, use_igb, NULL);
    failed += cmocka_run_group_tests_name("vfring over the 82599 VF", tests, use_ixgbe, NULL);
    failed += cmocka_run_group_tests_name("vfring: where the NICs differ", own, NULL, NULL);
    return failed;
}
