/* rawsend DSTMAC N [SECONDS]: send N numbered frames from a VF of its own
 * to DSTMAC (rawecho's VF, say) and count the echoes that come back, each
 * checked byte for byte against the frame sent with its two addresses
 * swapped. Frames are 60 to 1514 bytes, ethertype 0x88b5 (IEEE 802 local
 * experimental), then "RAWS", the sequence number and a pattern that
 * depends on it. At most WINDOW frames are in flight; when nothing comes
 * back for STALL_MS, the ones in flight are given up and the next window
 * goes. Gives up after SECONDS (default 30); prints
 * "rawsend: N sent, M echoed, K identical" and exits 0 if K == N. */
#include <arrakis/vf.h>
#include <libos/debug.h>
#include <libos/words.h>
#include <libos/libos.h>
#include <libos/tsc.h>
#include <libos/vnic.h>
#include <kpi/cspace.h>
#include <string.h>

#define FILTER_SLOT CAP_SLOT(0)
#define BATCH 32
#define WINDOW 32
#define STALL_MS 500
#define MAX_FRAMES 65536
#define ETHERTYPE_LOCAL 0x88b5
#define ETH_ALEN 6
#define HDR_LEN 22          /* addresses, ethertype, "RAWS", sequence number */
#define MIN_LEN 60
#define MAX_LEN 1514

static struct vf vf;
static uint8_t dst[ETH_ALEN];
static uint8_t seen[MAX_FRAMES / 8];
static uint8_t frame[VF_FRAME_MAX], expect[VF_FRAME_MAX];
static uint64_t echoed, identical, duplicates, other;

/* Frame `seq` from `from` to `to`; returns its length. */
static size_t make_frame(uint8_t *f, const uint8_t *to, const uint8_t *from, uint32_t seq)
{
    size_t len = MIN_LEN + (seq * 97u) % (MAX_LEN - MIN_LEN + 1);
    memcpy(f, to, ETH_ALEN);
    memcpy(f + ETH_ALEN, from, ETH_ALEN);
    f[12] = ETHERTYPE_LOCAL >> 8;
    f[13] = ETHERTYPE_LOCAL & 0xff;
    memcpy(f + 14, "RAWS", 4);
    for (int i = 0; i < 4; i++)
        f[18 + i] = (uint8_t)(seq >> (24 - 8 * i));
    for (size_t i = HDR_LEN; i < len; i++)
        f[i] = (uint8_t)(seq * 31u + i);
    return len;
}

/* The filters that admit frames for this VNIC (nothing reaches it
 * without one): untagged frames to its own MAC address, the echoes. */
static errval_t rawsend_filters(struct vf *v)
{
    struct filter_spec spec = { .flags = FILTER_MAC };
    return vnic_filter_create(v->vnic, &spec, FILTER_SLOT, NULL);
}

static void check(const struct vf_buf *b, uint64_t n)
{
    const uint8_t *f = b->data;
    if (b->len < HDR_LEN || f[12] != ETHERTYPE_LOCAL >> 8 || f[13] != (ETHERTYPE_LOCAL & 0xff) ||
        memcmp(f + 14, "RAWS", 4)) {
        other++;
        return;
    }
    uint32_t seq = (uint32_t)f[18] << 24 | (uint32_t)f[19] << 16 | (uint32_t)f[20] << 8 | f[21];
    if (seq >= n) {
        other++;
        return;
    }
    if (seen[seq / 8] & (1u << (seq % 8))) {
        duplicates++;
        return;
    }
    seen[seq / 8] |= (uint8_t)(1u << (seq % 8));
    echoed++;
    size_t len = make_frame(expect, vf.mac, dst, seq);      /* the echo: addresses swapped */
    if (b->len == len && !memcmp(f, expect, len))
        identical++;
}

int main(int argc, char *argv[])
{
    uint64_t n = 0, seconds = 30;
    if (argc < 3 || argc > 4 || !vf_mac_parse(argv[1], dst) || !words_u64(argv[2], &n) ||
        n > MAX_FRAMES || (argc > 3 && !words_u64(argv[3], &seconds))) {
        debug_printf("usage: rawsend DSTMAC N [SECONDS] (N at most %u)\n", MAX_FRAMES);
        return 2;
    }
    errval_t err = vf_open(&vf);
    if (err_is_ok(err))
        err = rawsend_filters(&vf);
    if (err_is_fail(err)) {
        debug_err("rawsend: no VF", err);
        return 1;
    }
    char mac[18];
    vf_mac_format(vf.mac, mac);
    debug_printf("rawsend: VF %u MAC %s sending %lu frames to %s\n", vf.index, mac, n, argv[1]);

    uint64_t hz = libos_tsc_hz(), now = rdtsc_now();
    uint64_t deadline = now + seconds * hz, last = now;
    uint64_t sent = 0, given_up = 0;
    while (echoed < n && (now = rdtsc_now()) < deadline) {
        bool progress = false;
        struct vf_buf b[BATCH];
        unsigned got = vf_rx_poll(&vf, b, BATCH);
        for (unsigned i = 0; i < got; i++) {
            check(&b[i], n);
            vf_rx_release(&vf, &b[i]);
            progress = true;
        }
        uint64_t base = echoed > given_up ? echoed : given_up;
        while (sent < n && sent < base + WINDOW) {
            size_t len = make_frame(frame, dst, vf.mac, (uint32_t)sent);
            if (err_is_fail(vf_tx(&vf, frame, len)))
                break;
            sent++;
            progress = true;
        }
        if (progress) {
            last = now;
        } else {
            if (now - last > STALL_MS * hz / 1000 && sent > echoed) {
                given_up = sent;        /* the window's frames are lost: send on */
                last = now;
            }
            vf_wait(&vf);
        }
    }
    struct vf_stats s;
    vf_stats(&vf, &s);
    debug_printf("rawsend: %lu sent, %lu echoed, %lu identical\n", sent, echoed, identical);
    debug_printf("rawsend: %lu duplicates, %lu other frames; rx %lu, tx %lu, rx drops %lu, "
                 "rx errors %lu, tx drops %lu, tx errors %lu; NIC counted rx %u tx %u\n",
                 duplicates, other, s.rx_packets, s.tx_packets, s.rx_drops, s.rx_errors,
                 s.tx_drops, s.tx_errors, s.nic_rx, s.nic_tx);
    vf_close(&vf);
    return identical == n ? 0 : 1;
}
