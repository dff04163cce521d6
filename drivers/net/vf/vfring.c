/*
 * vfring.c: a VF's data path, for every NIC whose VFs use the advanced
 * descriptors (82576 igb, 82599 ixgbe: the same 16-byte formats, 82576
 * 7.1.5/7.2.2, 82599 7.1.6/7.2.3): one receive and one transmit ring
 * (queue 0) and the pool of packet buffers behind them, run by the
 * library OS with no kernel on the path.
 *
 * Interface: lib/arrakis/include/arrakis/vf.h (vf_rx_poll, vf_tx_buf_post
 * and friends); open.c sets the rings up. Only memory and the VF's tail
 * and statistics registers, at the offsets of vf->nic->map, are touched,
 * so tests/unit/vfring runs this file on the host, for each NIC's map,
 * against plain memory that plays the NIC.
 *
 * Invariants:
 * - Receive descriptors [rx_next, rx_tail) and transmit descriptors
 *   [tx_clean, tx_tail) belong to the NIC; one slot of each ring stays
 *   empty so that head == tail means "none". Of the receive ones, the
 *   NIC has been told (RDT) of [rx_next, rx_told): only those are looked
 *   at for frames; the rest are told in batches (vf_rx_refill).
 * - Every buffer is in exactly one place, recorded in owner[]: a free
 *   stack (its own pool's: ids below VF_RX_BUFS receive, the rest
 *   transmit), a descriptor the NIC holds, or the caller's hands. Only a
 *   buffer the caller holds may be released or posted.
 * - Nothing the NIC writes back is trusted: a receive write-back is used
 *   only with DD set, EOP set, no frame error bits, and a length between
 *   a header plus CRC and the buffer size. Anything else is counted and
 *   its buffer recycled; a frame spread over several descriptors (it
 *   cannot happen with 2 KiB buffers and frames up to 1522 bytes) is
 *   dropped to its EOP.
 */
#include <net/vf/nic.h>
#include <string.h>

#define NO_BUF 0xffffu

static volatile union igb_adv_rx_desc *rxd(struct vf *vf, unsigned i)
{
    return &((volatile union igb_adv_rx_desc *)vf->rx_ring)[i];
}

bool vf_rx_pending(struct vf *vf)
{
    return vf->rx_next != vf->rx_told && (rxd(vf, vf->rx_next)->wb.status_error & IGB_RXD_STAT_DD);
}

static volatile union igb_adv_tx_desc *txd(struct vf *vf, unsigned i)
{
    return &((volatile union igb_adv_tx_desc *)vf->tx_ring)[i];
}


/* Descriptor stores must reach memory before the tail write that gives
 * them to the NIC. x86 keeps stores in order, to uncached MMIO too, so
 * only the compiler has to be stopped from moving them. */
static void dma_wmb(void)
{
    __asm__ volatile("" ::: "memory");
}

static uint8_t *buf_va(const struct vf *vf, unsigned id)
{
    return vf->bufs + (size_t)id * VF_BUF_SIZE;
}

static uint64_t buf_pa(const struct vf *vf, unsigned id)
{
    return vf->bufs_pa + (uint64_t)id * VF_BUF_SIZE;
}

static void buf_free(struct vf *vf, unsigned id)
{
    vf->owner[id] = VF_BUF_FREE;
    if (id < VF_RX_BUFS)
        vf->rx_free[vf->rx_nfree++] = (uint16_t)id;
    else
        vf->tx_free[vf->tx_nfree++] = (uint16_t)id;
}

static bool held(const struct vf *vf, const struct vf_buf *b)
{
    return b && b->id < VF_BUFS && vf->owner[b->id] == VF_BUF_APP && b->data == buf_va(vf, b->id);
}

void vf_rings_init(struct vf *vf)
{
    memset((void *)vf->rx_ring, 0, VF_RING_BYTES);
    memset((void *)vf->tx_ring, 0, VF_RING_BYTES);
    vf->rx_next = vf->rx_tail = vf->rx_told = 0;
    vf->tx_clean = vf->tx_tail = vf->tx_told = 0;
    vf->rx_discard = false;
    vf->rx_nfree = vf->tx_nfree = 0;
    for (unsigned i = 0; i < VF_RX_RING; i++)
        vf->rx_desc_buf[i] = NO_BUF;
    for (unsigned i = 0; i < VF_TX_RING; i++)
        vf->tx_desc_buf[i] = NO_BUF;
    for (unsigned id = VF_BUFS; id-- > 0;)
        buf_free(vf, id);               /* low ids on top of each stack */
    memset(&vf->stats, 0, sizeof(vf->stats));
}

unsigned vf_rx_refill(struct vf *vf)
{
    unsigned n = 0;
    while (vf->rx_nfree && (vf->rx_tail + 1) % VF_RX_RING != vf->rx_next) {
        unsigned id = vf->rx_free[--vf->rx_nfree];
        volatile union igb_adv_rx_desc *d = rxd(vf, vf->rx_tail);
        d->read.pkt_addr = buf_pa(vf, id);
        d->read.hdr_addr = 0;           /* also clears the last write-back's DD */
        vf->rx_desc_buf[vf->rx_tail] = (uint16_t)id;
        vf->owner[id] = VF_BUF_NIC;
        vf->rx_tail = (uint16_t)((vf->rx_tail + 1) % VF_RX_RING);
        n++;
    }
    /* Tell the NIC in batches: each tail write is an exit into the device
     * model under emulation. Descriptors wait untold only while the NIC
     * has at least VF_RX_TELL_LOW others it was told of (some may be
     * filled and not yet polled), so it cannot run dry for want of them. */
    unsigned untold = (unsigned)(vf->rx_tail - vf->rx_told + VF_RX_RING) % VF_RX_RING;
    unsigned told = (unsigned)(vf->rx_told - vf->rx_next + VF_RX_RING) % VF_RX_RING;
    if (untold && (untold >= VF_RX_TAIL_BATCH || told < VF_RX_TELL_LOW)) {
        dma_wmb();
        vf_reg_wr(vf, vf->nic->map.rdt0, vf->rx_tail);
        vf->rx_told = vf->rx_tail;
        vf->stats.rx_tail_writes++;
    }
    return n;
}

/* The frame length a write-back describes, or 0 if it must be dropped
 * (and counted: errors for what the NIC got wrong, drops for good frames
 * too long for this driver). */
static unsigned rx_check(struct vf *vf, uint32_t status, unsigned wb_len)
{
    bool eop = status & IGB_RXD_STAT_EOP;
    if (vf->rx_discard || !eop) {
        if (!vf->rx_discard)
            vf->stats.rx_errors++;      /* once per frame */
        vf->rx_discard = !eop;
        return 0;
    }
    unsigned crc = vf->nic->map.rx_crc_len;
    if ((status & IGB_RXD_ERR_FRAME) || wb_len > VF_BUF_SIZE || wb_len < VF_FRAME_MIN + crc) {
        vf->stats.rx_errors++;
        return 0;
    }
    if (wb_len - crc > VF_FRAME_MAX) {
        vf->stats.rx_drops++;
        return 0;
    }
    return wb_len - crc;
}

/* The NIC's checksum verdicts (IPCS/L4CS: it checked; IPE/TCPE: wrong). */
static uint16_t rx_csum(uint32_t status)
{
    uint16_t c = 0;
    if (status & IGB_RXD_STAT_IPCS)
        c |= (status & IGB_RXD_ERR_IPE) ? VF_RX_IP_BAD : VF_RX_IP_OK;
    if (status & IGB_RXD_STAT_L4CS)
        c |= (status & IGB_RXD_ERR_TCPE) ? VF_RX_L4_BAD : VF_RX_L4_OK;
    return c;
}

unsigned vf_rx_poll(struct vf *vf, struct vf_buf *out, unsigned max)
{
    unsigned n = 0;
    vf_tx_flush(vf);                    /* the answers to the last batch go out */
    vf_tx_reclaim(vf);                  /* posted receive buffers come back too */
    /* Only descriptors the NIC was told of can hold a frame. */
    while (n < max && vf->rx_next != vf->rx_told) {
        unsigned i = vf->rx_next;
        volatile union igb_adv_rx_desc *d = rxd(vf, i);
        uint32_t status = d->wb.status_error;
        if (!(status & IGB_RXD_STAT_DD))
            break;
        /* The NIC writes the status word last; loads stay in order. */
        unsigned wb_len = d->wb.length;
        unsigned id = vf->rx_desc_buf[i];
        vf->rx_desc_buf[i] = NO_BUF;
        vf->rx_next = (uint16_t)((i + 1) % VF_RX_RING);
        unsigned len = rx_check(vf, status, wb_len);
        if (!len) {
            buf_free(vf, id);
            continue;
        }
        vf->owner[id] = VF_BUF_APP;
        out[n++] = (struct vf_buf){ .data = buf_va(vf, id), .len = (uint16_t)len, .id = (uint16_t)id,
                                    .csum = rx_csum(status) };
        vf->stats.rx_packets++;
        vf->stats.rx_bytes += len;
    }
    vf_rx_refill(vf);
    return n;
}

errval_t vf_rx_release(struct vf *vf, const struct vf_buf *b)
{
    if (!held(vf, b))
        return VF_ERR_BAD_BUF;
    buf_free(vf, b->id);
    return ERR_OK;
}

errval_t vf_tx_buf_get(struct vf *vf, struct vf_buf *b)
{
    if (!vf->tx_nfree) {
        vf_tx_flush(vf);
        vf_tx_reclaim(vf);
    }
    if (!vf->tx_nfree)
        return VF_ERR_TX_FULL;
    unsigned id = vf->tx_free[--vf->tx_nfree];
    vf->owner[id] = VF_BUF_APP;
    *b = (struct vf_buf){ .data = buf_va(vf, id), .len = 0, .id = (uint16_t)id };
    return ERR_OK;
}

/* Free descriptors in the transmit ring (one slot always stays empty). */
static unsigned tx_room(struct vf *vf)
{
    return (unsigned)((vf->tx_clean + VF_TX_RING - vf->tx_tail - 1) % VF_TX_RING);
}

static errval_t tx_check(struct vf *vf, const struct vf_buf *b, size_t len, unsigned descs)
{
    errval_t err = ERR_OK;
    if (!held(vf, b))
        err = VF_ERR_BAD_BUF;
    else if (len < VF_FRAME_MIN || len > VF_FRAME_MAX)
        err = VF_ERR_FRAME_LEN;
    if (err_is_fail(err)) {
        vf->stats.tx_errors++;
        return err;
    }
    if (tx_room(vf) < descs) {
        vf_tx_flush(vf);                /* deferred frames cannot finish untold */
        vf_tx_reclaim(vf);
    }
    return tx_room(vf) < descs ? VF_ERR_TX_FULL : ERR_OK;
}

/* A context descriptor: no buffer, no write-back; reclaimed with the
 * data descriptor after it. */
static void tx_context(struct vf *vf, unsigned slot, uint32_t macip, uint32_t tucmd)
{
    volatile struct igb_adv_tx_context *c = (volatile struct igb_adv_tx_context *)txd(vf, vf->tx_tail);
    c->vlan_macip_lens = macip;
    c->seqnum_seed = 0;
    c->type_tucmd_mlhl = IGB_TXCTX_DEXT | IGB_TXCTX_DTYP_CTXT | tucmd;
    c->mss_l4len_idx = slot << IGB_TXCTX_IDX_SHIFT;
    vf->tx_desc_buf[vf->tx_tail] = NO_BUF;
    vf->tx_tail = (uint16_t)((vf->tx_tail + 1) % VF_TX_RING);
}

static void tx_data(struct vf *vf, const struct vf_buf *b, size_t len, uint32_t popts)
{
    volatile union igb_adv_tx_desc *d = txd(vf, vf->tx_tail);
    d->read.buffer_addr = buf_pa(vf, b->id);
    d->read.cmd_type_len = (uint32_t)(len | IGB_TXD_DTYP_DATA | IGB_TXD_DCMD_EOP | IGB_TXD_DCMD_IFCS |
                                      IGB_TXD_DCMD_RS | IGB_TXD_DCMD_DEXT);
    d->read.olinfo_status = (uint32_t)len << IGB_TXD_OLINFO_PAYLEN_SHIFT | popts;  /* DD clear */
    vf->tx_desc_buf[vf->tx_tail] = b->id;
    vf->owner[b->id] = VF_BUF_NIC;
    vf->tx_tail = (uint16_t)((vf->tx_tail + 1) % VF_TX_RING);
    vf->stats.tx_packets++;
    vf->stats.tx_bytes += len;
    if (!vf->tx_defer)
        vf_tx_flush(vf);
}

void vf_tx_flush(struct vf *vf)
{
    if (vf->tx_told == vf->tx_tail)
        return;
    dma_wmb();
    vf_reg_wr(vf, vf->nic->map.tdt0, vf->tx_tail);
    vf->tx_told = vf->tx_tail;
    vf->stats.tx_tail_writes++;
}

errval_t vf_tx_buf_post(struct vf *vf, const struct vf_buf *b, size_t len)
{
    errval_t err = tx_check(vf, b, len, 1);
    if (err_is_ok(err))
        tx_data(vf, b, len, 0);
    return err;
}

static uint32_t sum16(const uint8_t *p, size_t n, uint32_t s)
{
    for (size_t i = 0; i + 1 < n; i += 2)
        s += (uint32_t)p[i] << 8 | p[i + 1];
    return s;
}

errval_t vf_tx_buf_post_csum(struct vf *vf, const struct vf_buf *b, size_t len, unsigned csum,
                             unsigned l2_len, unsigned l3_len)
{
    unsigned l4 = csum & (VF_TX_CSUM_UDP | VF_TX_CSUM_TCP);
    unsigned field = l4 == VF_TX_CSUM_UDP ? 6 : 16;     /* checksum offset in UDP / TCP */
    if (!csum || (csum & ~(VF_TX_CSUM_IP | VF_TX_CSUM_UDP | VF_TX_CSUM_TCP)) ||
        l4 == (VF_TX_CSUM_UDP | VF_TX_CSUM_TCP) || l2_len > 127 || l3_len < 20 || l3_len > 511 ||
        l2_len + l3_len + (l4 ? field + 2 : 0) > len || len > VF_FRAME_MAX) {
        vf->stats.tx_errors++;
        return VF_ERR_OFFLOAD;
    }
    uint8_t *ip = b->data + l2_len;
    if (held(vf, b) && ((ip[0] >> 4) != 4 || (ip[0] & 15) * 4u != l3_len)) {
        vf->stats.tx_errors++;
        return VF_ERR_OFFLOAD;          /* not the IPv4 header it claims to be */
    }
    uint32_t macip = l2_len << IGB_TXCTX_MACLEN_SHIFT | l3_len;
    uint32_t tucmd = IGB_TXCTX_TUCMD_IPV4 | (l4 == VF_TX_CSUM_TCP ? IGB_TXCTX_TUCMD_L4T_TCP : 0);
    unsigned slot = l4 == VF_TX_CSUM_TCP ? 1 : 0;
    uint32_t want = macip | tucmd << 16 | 1u << 31;     /* nonzero: "described" */
    bool context = vf->tx_ctx[slot] != want;
    errval_t err = tx_check(vf, b, len, context ? 2 : 1);
    if (err_is_fail(err))
        return err;
    if (l4) {                           /* seed: the pseudo-header sum, not inverted */
        unsigned l4_len = ((unsigned)ip[2] << 8 | ip[3]) - l3_len;
        uint32_t s = sum16(ip + 12, 8, (uint32_t)ip[9] + l4_len);
        while (s >> 16)
            s = (s & 0xffff) + (s >> 16);
        ip[l3_len + field] = (uint8_t)(s >> 8);
        ip[l3_len + field + 1] = (uint8_t)s;
    }
    if (context) {
        tx_context(vf, slot, macip, tucmd);
        vf->tx_ctx[slot] = want;
    }
    uint32_t popts = slot << IGB_TXD_OLINFO_IDX_SHIFT | ((csum & VF_TX_CSUM_IP) ? IGB_TXD_POPTS_IXSM : 0) |
                     (l4 ? IGB_TXD_POPTS_TXSM : 0);
    tx_data(vf, b, len, popts);
    return ERR_OK;
}

bool vf_csum_offload(const struct vf *vf)
{
    return vf->nic->csum_offload;
}

errval_t vf_tx_buf_put(struct vf *vf, const struct vf_buf *b)
{
    return vf_rx_release(vf, b);        /* either pool: back where it came from */
}

errval_t vf_tx(struct vf *vf, const void *frame, size_t len)
{
    struct vf_buf b;
    if (len < VF_FRAME_MIN || len > VF_FRAME_MAX) {
        vf->stats.tx_errors++;
        return VF_ERR_FRAME_LEN;
    }
    errval_t err = vf_tx_buf_get(vf, &b);
    if (err_is_ok(err)) {
        memcpy(b.data, frame, len);
        err = vf_tx_buf_post(vf, &b, len);
        if (err_is_fail(err))
            vf_tx_buf_put(vf, &b);
    }
    if (err_is_fail(err))
        vf->stats.tx_drops++;
    return err;
}

unsigned vf_tx_reclaim(struct vf *vf)
{
    unsigned n = 0;
    while (vf->tx_clean != vf->tx_tail) {
        unsigned i = vf->tx_clean;
        /* A context descriptor gets no write-back: done with its frame. */
        unsigned frame = vf->tx_desc_buf[i] == NO_BUF ? (i + 1) % VF_TX_RING : i;
        if (frame == vf->tx_tail || !(txd(vf, frame)->wb.status & IGB_TXD_STAT_DD))
            break;
        if (frame != i) {
            vf->tx_clean = (uint16_t)frame;
            continue;
        }
        buf_free(vf, vf->tx_desc_buf[i]);
        vf->tx_desc_buf[i] = NO_BUF;
        vf->tx_clean = (uint16_t)((i + 1) % VF_TX_RING);
        n++;
    }
    return n;
}

void vf_stats(const struct vf *vf, struct vf_stats *out)
{
    *out = vf->stats;
    out->nic_rx = vf_reg_rd(vf, vf->nic->map.gprc) - vf->nic_rx0;
    out->nic_tx = vf_reg_rd(vf, vf->nic->map.gptc) - vf->nic_tx0;
}

void vf_mac_format(const uint8_t mac[VF_MAC_LEN], char s[18])
{
    static const char hex[] = "0123456789abcdef";
    for (int i = 0; i < VF_MAC_LEN; i++) {
        s[3 * i] = hex[mac[i] >> 4];
        s[3 * i + 1] = hex[mac[i] & 15];
        s[3 * i + 2] = i + 1 < VF_MAC_LEN ? ':' : '\0';
    }
}

static int hexval(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    c = (char)(c | 0x20);
    return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

bool vf_mac_parse(const char *s, uint8_t mac[VF_MAC_LEN])
{
    for (int i = 0; i < VF_MAC_LEN; i++, s += 3) {
        int hi = hexval(s[0]), lo = hi < 0 ? -1 : hexval(s[1]);
        if (lo < 0 || s[2] != (i + 1 < VF_MAC_LEN ? ':' : '\0'))
            return false;
        mac[i] = (uint8_t)(hi << 4 | lo);
    }
    return true;
}
