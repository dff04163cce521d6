/* rawecho [COUNT [SECONDS]] [vlan=N] [doorbell]: drive a VF from user space (lib/arrakis) and
 * send every frame that arrives back where it came from: the destination
 * becomes the sender, the source this VF's MAC (for a frame addressed to
 * this VF, the two addresses swapped); an 802.1Q tag and everything after
 * the addresses stay as they were. The answer goes out of the very buffer
 * the frame came in (zero-copy). Frames from this VF itself or with a
 * group source address are not answered. Stops after COUNT echoes or
 * SECONDS seconds (0 or absent: never), then prints its counters.
 * Its Filter admits untagged frames to its MAC, or with vlan=N only frames
 * to its MAC tagged with VLAN N. With `doorbell` it sleeps on the VF's
 * receive interrupt instead of polling on the timer tick. */
#include <arrakis/vf.h>
#include <libos/debug.h>
#include <libos/words.h>
#include <libos/libos.h>
#include <libos/tsc.h>
#include <libos/vnic.h>
#include <kpi/cspace.h>
#include <string.h>
#include <fmt.h>

#define BATCH 32
#define ETH_ALEN 6
#define FILTER_SLOT CAP_SLOT(0)
#define DOORBELL_SLOT CAP_SLOT(1)
#define DRAIN_S 1       /* how long to wait at the end for the last echoes to leave */

static struct vf vf;

/* The filters that admit frames for this VNIC (nothing reaches it
 * without one): untagged frames to its own MAC address. */
static errval_t rawecho_filters(struct vf *v, uint64_t vlan)
{
    struct filter_spec spec = { .flags = FILTER_MAC | (vlan ? FILTER_VLAN : 0), .vlan = (uint16_t)vlan };
    return vnic_filter_create(v->vnic, &spec, FILTER_SLOT, NULL);
}

/* Answer one frame in place; false if it is not to be answered. */
static bool echo(struct vf_buf *b)
{
    uint8_t *f = b->data;
    const uint8_t *src = f + ETH_ALEN;
    if ((src[0] & 1) || !memcmp(src, vf.mac, ETH_ALEN))
        return false;
    memmove(f, src, ETH_ALEN);
    memcpy(f + ETH_ALEN, vf.mac, ETH_ALEN);
    return err_is_ok(vf_tx_buf_post(&vf, b, b->len));
}

int main(int argc, char *argv[])
{
    uint64_t num[2] = { 0, 0 }, vlan = 0;   /* COUNT, SECONDS */
    unsigned nnum = 0;
    bool doorbell = false, ok = true;
    for (int i = 1; i < argc && ok; i++) {
        if (!strcmp(argv[i], "doorbell"))
            doorbell = true;
        else if (!strncmp(argv[i], "vlan=", 5))
            ok = words_u64(argv[i] + 5, &vlan) && vlan >= 1 && vlan <= 4094;
        else
            ok = nnum < 2 && words_u64(argv[i], &num[nnum++]);
    }
    if (!ok) {
        debug_printf("usage: rawecho [COUNT [SECONDS]] [vlan=N] [doorbell]\n");
        return 2;
    }
    uint64_t count = num[0], seconds = num[1];
    errval_t err = vf_open(&vf);
    if (err_is_ok(err))
        err = rawecho_filters(&vf, vlan);
    if (err_is_ok(err) && doorbell)
        err = vf_doorbell_enable(&vf, DOORBELL_SLOT);
    if (err_is_fail(err)) {
        debug_err("rawecho: no VF", err);
        return 1;
    }
    char mac[18];
    vf_mac_format(vf.mac, mac);
    char admits[32] = "untagged";
    if (vlan)
        fmt_snprintf(admits, sizeof(admits), "vlan %lu", vlan);
    debug_printf("rawecho: VF %u MAC %s ready (link %s), admits %s frames to its MAC, %s\n",
                 vf.index, mac, vf_link_up(&vf) ? "up" : "down", admits,
                 doorbell ? "sleeps on its doorbell" : "polls");

    uint64_t hz = libos_tsc_hz();
    uint64_t deadline = seconds ? rdtsc_now() + seconds * hz : UINT64_MAX;
    uint64_t echoed = 0, ignored = 0;
    while ((!count || echoed < count) && rdtsc_now() < deadline) {
        struct vf_buf b[BATCH];
        unsigned n = vf_rx_poll(&vf, b, BATCH);
        if (!n)
            vf_wait(&vf);
        for (unsigned i = 0; i < n; i++) {
            if ((!count || echoed < count) && echo(&b[i])) {
                echoed++;
            } else {
                ignored++;
                vf_rx_release(&vf, &b[i]);
            }
        }
    }
    for (uint64_t end = rdtsc_now() + DRAIN_S * hz; vf.tx_clean != vf.tx_tail && rdtsc_now() < end;)
        if (!vf_tx_reclaim(&vf))
            vf_wait(&vf);

    struct vf_stats s;
    vf_stats(&vf, &s);
    debug_printf("rawecho: VF %u echoed %lu frames, %lu not answered; rx %lu (%lu bytes), tx %lu "
                 "(%lu bytes), rx drops %lu, rx errors %lu, tx drops %lu, tx errors %lu; "
                 "NIC counted rx %u tx %u; doorbell wake-ups %lu\n", vf.index, echoed, ignored, s.rx_packets,
                 s.rx_bytes, s.tx_packets, s.tx_bytes, s.rx_drops, s.rx_errors, s.tx_drops,
                 s.tx_errors, s.nic_rx, s.nic_tx, vf.wakeups);
    vf_close(&vf);
    return 0;
}
