/* csumtest N SECONDS: the VF's checksum offload, seen from the wire.
 * Sends N UDP datagrams 10.11.0.9:7 -> 10.11.0.1:9999 (the test
 * namespace's host, MAC 02:00:00:00:00:01) with both checksum fields left
 * for the NIC to fill in (the host's kernel drops any it gets wrong), then
 * for SECONDS seconds sorts the IPv4 frames it receives by the NIC's
 * verdicts on their IP and TCP/UDP checksums. */
#include <arrakis/vf.h>
#include <libos/debug.h>
#include <libos/libos.h>
#include <libos/tsc.h>
#include <libos/vnic.h>
#include <libos/words.h>
#include <kpi/cspace.h>
#include <string.h>

static struct vf vf;
static const uint8_t host_mac[6] = { 0x02, 0, 0, 0, 0, 0x01 };
static const uint8_t my_ip[4] = { 10, 11, 0, 9 }, host_ip[4] = { 10, 11, 0, 1 };

static size_t datagram(uint8_t *f, unsigned seq)
{
    static const char text[] = "checksummed by the NIC";
    size_t payload = sizeof(text) - 1 + 4;
    memset(f, 0, 42);
    memcpy(f, host_mac, 6);
    memcpy(f + 6, vf.mac, 6);
    f[12] = 0x08;
    uint8_t *ip = f + 14, *udp = ip + 20;
    ip[0] = 0x45;
    ip[2] = (uint8_t)((28 + payload) >> 8);
    ip[3] = (uint8_t)(28 + payload);
    ip[6] = 0x40;                       /* don't fragment */
    ip[8] = 64;
    ip[9] = 17;
    memcpy(ip + 12, my_ip, 4);
    memcpy(ip + 16, host_ip, 4);
    udp[1] = 7;
    udp[2] = 9999 >> 8;
    udp[3] = 9999 & 0xff;
    udp[5] = (uint8_t)(8 + payload);
    memcpy(udp + 8, text, sizeof(text) - 1);
    memcpy(udp + 8 + sizeof(text) - 1, &seq, 4);
    return 42 + payload;
}

int main(int argc, char *argv[])
{
    uint64_t n = 20, seconds = 10;
    if ((argc > 1 && !words_u64(argv[1], &n)) || (argc > 2 && !words_u64(argv[2], &seconds))) {
        debug_printf("usage: csumtest [N [SECONDS]]\n");
        return 2;
    }
    struct filter_spec spec = { .flags = FILTER_MAC };
    errval_t err = vf_open(&vf);
    if (err_is_ok(err))
        err = vnic_filter_create(vf.vnic, &spec, CAP_SLOT(0), NULL);
    if (err_is_fail(err)) {
        debug_err("csumtest: no VF", err);
        return 1;
    }
    unsigned sent = 0;
    for (unsigned i = 0; i < n; i++) {
        struct vf_buf b;
        if (err_is_fail(err = vf_tx_buf_get(&vf, &b)))
            break;
        size_t len = datagram(b.data, i);
        err = vf_tx_buf_post_csum(&vf, &b, len, VF_TX_CSUM_IP | VF_TX_CSUM_UDP, 14, 20);
        if (err_is_fail(err)) {
            vf_tx_buf_put(&vf, &b);
            break;
        }
        sent++;
    }
    if (err_is_fail(err))
        debug_err("csumtest: send", err);
    debug_printf("csumtest: VF %u sent %u datagrams with checksum offload\n", vf.index, sent);

    unsigned ip_ok = 0, ip_bad = 0, l4_ok = 0, l4_bad = 0, frames = 0;
    for (uint64_t end = rdtsc_now() + seconds * libos_tsc_hz(); rdtsc_now() < end;) {
        struct vf_buf b[16];
        unsigned got = vf_rx_poll(&vf, b, 16);
        if (!got)
            vf_wait(&vf);
        for (unsigned i = 0; i < got; i++) {
            if (b[i].len >= 34 && b[i].data[12] == 0x08 && b[i].data[13] == 0) {
                frames++;
                ip_ok += !!(b[i].csum & VF_RX_IP_OK);
                ip_bad += !!(b[i].csum & VF_RX_IP_BAD);
                l4_ok += !!(b[i].csum & VF_RX_L4_OK);
                l4_bad += !!(b[i].csum & VF_RX_L4_BAD);
            }
            vf_rx_release(&vf, &b[i]);
        }
    }
    debug_printf("csumtest: received %u IPv4 frames: IP checksum right %u wrong %u, "
                 "UDP/TCP checksum right %u wrong %u\n", frames, ip_ok, ip_bad, l4_ok, l4_bad);
    vf_close(&vf);
    return 0;
}
