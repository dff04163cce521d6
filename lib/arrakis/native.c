/*
 * native.c: opening the Arrakis native interface (arrakis/native.h), and
 * what the receive and send halves share: the ARP cache, the Internet
 * checksum, counters and addresses in text.
 *
 * arrakis_udp_open parses its arguments, opens the VF (vf_open), asks for
 * one Filter (this VF's MAC and broadcast, untagged: broadcast for the ARP
 * requests of peers looking for our address) and, with `doorbell`, a
 * Doorbell. The receive path is native_rx.c, the send path native_tx.c.
 *
 * The ARP cache is a small table, filled from ARP traffic and from the
 * IPv4 frames of peers on the local subnet; the oldest entry is reused
 * when it is full. It never expires (a limit: fine for a test network).
 */
#include <arrakis/native.h>
#include <libos/debug.h>
#include <libos/vnic.h>
#include <libos/words.h>
#include <kpi/cspace.h>
#include <string.h>
#include <fmt.h>

#define DROPS_PER_LINE 7

static const char *const drop_names[ANET_DROPS] = {
    [ANET_DROP_SHORT] = "short",
    [ANET_DROP_SRC_MAC] = "src_mac",
    [ANET_DROP_ETHERTYPE] = "ethertype",
    [ANET_DROP_ARP] = "arp_bad",
    [ANET_DROP_ARP_OTHER] = "arp_other",
    [ANET_DROP_IP_VERSION] = "ip_version",
    [ANET_DROP_IP_HLEN] = "ip_hlen",
    [ANET_DROP_IP_TRUNC] = "ip_trunc",
    [ANET_DROP_IP_CSUM] = "ip_csum",
    [ANET_DROP_IP_LEN] = "ip_len",
    [ANET_DROP_IP_FRAG] = "ip_frag",
    [ANET_DROP_IP_OPTIONS] = "ip_options",
    [ANET_DROP_NOT_MINE] = "not_mine",
    [ANET_DROP_PROTO] = "proto",
    [ANET_DROP_UDP_LEN] = "udp_len",
    [ANET_DROP_UDP_CSUM] = "udp_csum",
    [ANET_DROP_UDP_PORT] = "udp_port",
    [ANET_DROP_ICMP] = "icmp",
    [ANET_DROP_TX_FULL] = "tx_full",
};

const char *arrakis_drop_name(enum anet_drop d)
{
    return (unsigned)d < ANET_DROPS ? drop_names[d] : "?";
}

/* The one's-complement sum of big-endian 16-bit words (RFC 1071), not yet
 * folded; an odd last byte is the high half of a word. */
uint32_t anet_csum_add(const void *p, size_t n, uint32_t sum)
{
    const uint8_t *b = p;
    uint64_t s = sum;
    for (; n >= 2; b += 2, n -= 2)
        s += (uint32_t)b[0] << 8 | b[1];
    if (n)
        s += (uint32_t)b[0] << 8;
    while (s >> 16)
        s = (s & 0xffff) + (s >> 16);
    return (uint32_t)s;
}

/* The Internet checksum of `n` bytes plus a partial sum: 0 over a block
 * whose checksum field is right. */
uint16_t anet_csum(const void *p, size_t n, uint32_t sum)
{
    return (uint16_t)~anet_csum_add(p, n, sum);
}

void arrakis_ip_format(uint32_t ip, char s[16])
{
    fmt_snprintf(s, 16, "%u.%u.%u.%u", ip >> 24, (ip >> 16) & 255, (ip >> 8) & 255, ip & 255);
}

/* A decimal number up to `max` at *s, moving *s past it. */
static bool num(const char **s, unsigned max, unsigned *v)
{
    unsigned x = 0, digits = 0;
    for (; **s >= '0' && **s <= '9' && digits < 6; (*s)++, digits++)
        x = x * 10 + (unsigned)(**s - '0');
    *v = x;
    return digits && x <= max;
}

static bool ip_parse(const char **s, uint32_t *ip)
{
    uint32_t a = 0;
    for (int i = 0; i < 4; i++) {
        unsigned b;
        if ((i && *(*s)++ != '.') || !num(s, 255, &b))
            return false;
        a = a << 8 | b;
    }
    *ip = a;
    return true;
}

bool arrakis_ip_parse(const char *s, uint32_t *ip)
{
    return ip_parse(&s, ip) && !*s;
}

void anet_arp_learn(struct anet *an, uint32_t ip, const uint8_t *mac)
{
    if ((ip & an->mask) != (an->ip & an->mask) || ip == an->ip || (mac[0] & 1))
        return;
    for (unsigned i = 0; i < ANET_ARP_CACHE; i++)
        if (an->arp[i].ip == ip) {
            memcpy(an->arp[i].mac, mac, VF_MAC_LEN);
            return;
        }
    unsigned i = an->arp_next;
    an->arp_next = (i + 1) % ANET_ARP_CACHE;
    an->arp[i].ip = ip;
    memcpy(an->arp[i].mac, mac, VF_MAC_LEN);
}

const uint8_t *anet_arp_find(const struct anet *an, uint32_t ip)
{
    for (unsigned i = 0; i < ANET_ARP_CACHE; i++)
        if (ip && an->arp[i].ip == ip)
            return an->arp[i].mac;
    return NULL;
}

/* One word of the open arguments. */
static bool option(struct anet *an, const char *w, bool *have_ip, uint64_t *slot)
{
    uint64_t v;
    if (!strncmp(w, "ip=", 3)) {
        const char *s = w + 3;
        unsigned len;
        if (!ip_parse(&s, &an->ip) || *s++ != '/' || !num(&s, 32, &len) || *s || len < 1 || len > 30)
            return false;
        an->mask = ~0u << (32 - len);
        uint32_t host = an->ip & ~an->mask;
        return (*have_ip = host != 0 && host != ~an->mask);     /* not network or broadcast */
    }
    if (!strncmp(w, "port=", 5))
        return words_u64(w + 5, &v) && v >= 1 && v <= 65535 && (an->port = (uint16_t)v);
    if (!strcmp(w, "csum=sw") || !strcmp(w, "csum=off") || !strcmp(w, "csum=hw")) {
        an->csum_hw = !strcmp(w, "csum=hw");
        an->csum_tx = !strcmp(w, "csum=sw");
        return true;
    }
    if (!strcmp(w, "raw"))
        return (an->raw = true);
    if (!strcmp(w, "doorbell"))
        return (an->doorbell = true);
    if (!strncmp(w, "slot=", 5))
        return words_u64(w + 5, slot) && *slot + 1 < 64;
    return false;
}

static errval_t parse_args(struct anet *an, const char *args, uint64_t *slot)
{
    char line[128];
    char *w[8];
    if (!args || strlen(args) >= sizeof(line))
        return ANET_ERR_ARGS;
    strncpy(line, args, sizeof(line));
    int n = words_split(line, w, 8);
    bool have_ip = false;
    for (int i = 0; i < n; i++)
        if (!option(an, w[i], &have_ip, slot))
            return ANET_ERR_ARGS;
    return have_ip && an->port ? ERR_OK : ANET_ERR_ARGS;
}

errval_t arrakis_udp_open(struct anet *an, const char *args)
{
    uint64_t slot = 0;
    memset(an, 0, sizeof(*an));
    an->csum_hw = true;
    errval_t err = parse_args(an, args, &slot);
    if (err_is_fail(err))
        return err;
    err = vf_open(&an->vf);
    if (err_is_fail(err))
        return err_push(err, ANET_ERR_OPEN);
    an->vf.tx_defer = true;             /* one tail write per batch of answers */
    struct filter_spec spec = { .flags = FILTER_MAC | FILTER_BROADCAST };
    err = vnic_filter_create(an->vf.vnic, &spec, CAP_SLOT(slot), NULL);
    if (err_is_ok(err) && an->doorbell)
        err = vf_doorbell_enable(&an->vf, CAP_SLOT(slot + 1));
    if (err_is_fail(err)) {
        vf_close(&an->vf);
        return err_push(err, ANET_ERR_OPEN);
    }
    pktstat_reset(&an->pktstat);
    return ERR_OK;
}

void arrakis_close(struct anet *an)
{
    vf_close(&an->vf);
}

void arrakis_wait(struct anet *an)
{
    vf_wait(&an->vf);
}

void arrakis_print_stats(const struct anet *an, const char *who)
{
    const struct anet_stats *s = &an->stats;
    struct vf_stats v;
    vf_stats(&an->vf, &v);
    uint64_t drops = 0;
    for (int i = 0; i < ANET_DROPS; i++)
        drops += s->drop[i];
    debug_printf("%s: rx frames %lu, udp %lu, raw %lu; arp replies %lu, icmp replies %lu, udp replies %lu, "
                 "udp sent %lu, raw sent %lu, completions %lu; drops %lu\n", who, s->rx_frames, s->rx_udp,
                 s->rx_raw, s->arp_replies, s->icmp_replies, s->udp_replies, s->udp_sent, s->raw_sent,
                 s->completions, drops);
    for (int i = 0; i < ANET_DROPS; i += DROPS_PER_LINE) {    /* lines that fit one print */
        char line[DEBUG_PRINT_CHUNK];
        int n = fmt_snprintf(line, sizeof(line), "%s: drops:", who);
        for (int j = i; j < ANET_DROPS && j < i + DROPS_PER_LINE; j++)
            n += fmt_snprintf(line + n, sizeof(line) - (size_t)n, " %s=%lu", drop_names[j], s->drop[j]);
        debug_printf("%s\n", line);
    }
    debug_printf("%s: VF %u rx %lu tx %lu, rx drops %lu, rx errors %lu, tx drops %lu, tx errors %lu; "
                 "NIC counted rx %u tx %u\n", who, an->vf.index, v.rx_packets, v.tx_packets, v.rx_drops,
                 v.rx_errors, v.tx_drops, v.tx_errors, v.nic_rx, v.nic_tx);
}
