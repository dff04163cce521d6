/*
 * test_ixgbe.c: the 82599 driver's pure logic on the host: the Filter
 * compiler (filter predicates to FTQF/SDPQF/SAQF/L34TIMIR and the L2
 * tables) and what it refuses, the rate to RTTBCNRC factor, the PF's
 * mailbox answers to the messages Linux ixgbevf sends, and the VF's
 * bring-up conversation against this PF and against PFs that speak less.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <net/ixgbe/pf/filter.h>
#include <net/ixgbe/pf/vfmsg.h>
#include <net/ixgbe/vf/bringup.h>
#include <net/ixgbe/pf/sfp.h>

static struct ixgbe_filter_rule rule(unsigned pool, uint32_t flags)
{
    struct ixgbe_filter_rule r = { .pool = (uint8_t)pool, .spec = { .flags = flags } };
    return r;
}

/* ---- the Filter compiler ---- */

/* Does the 82599 refuse, by name, what its filters cannot say exactly? */
static void test_filter_refusals(void **state)
{
    static const struct { struct filter_spec s; errval_t want; } cases[] = {
        { { .flags = 0x80 }, FILTER_ERR_FLAGS },
        { { .flags = FILTER_PROTO, .proto = 17 }, FILTER_ERR_FLAGS },       /* admits no address */
        { { .flags = FILTER_MAC | FILTER_VLAN, .vlan = 0 }, FILTER_ERR_VLAN },
        { { .flags = FILTER_MAC | FILTER_VLAN, .vlan = 4095 }, FILTER_ERR_VLAN },
        { { .flags = FILTER_MAC | FILTER_ETHERTYPE, .ethertype = 0x88f7 }, FILTER_ERR_ETHERTYPE_INEXACT },
        { { .flags = FILTER_MAC | FILTER_PROTO, .proto = 1 }, FILTER_ERR_PROTO },     /* ICMP */
        { { .flags = FILTER_MAC | FILTER_PROTO, .proto = 47 }, FILTER_ERR_PROTO },    /* GRE */
        { { .flags = FILTER_MAC | FILTER_PORTS, .port_lo = 7, .port_hi = 9 }, FILTER_ERR_PORT_RANGE },
        { { .flags = FILTER_MAC | FILTER_PORTS, .port_lo = 0, .port_hi = 0 }, FILTER_ERR_PORT_RANGE },
        { { .flags = FILTER_MAC | FILTER_PEERS, .peer_ip = 0x0100000a, .peer_mask = 0x00ffffff },
          FILTER_ERR_PEER_MASK },
        { { .flags = FILTER_MAC | FILTER_PEERS, .peer_ip = 0, .peer_mask = 0 }, FILTER_ERR_PEER_MASK },
        { { .flags = FILTER_MAC | FILTER_BROADCAST }, ERR_OK },
        { { .flags = FILTER_MAC | FILTER_PROTO | FILTER_PORTS, .proto = 6, .port_lo = 80, .port_hi = 80 },
          ERR_OK },
        { { .flags = FILTER_MAC | FILTER_PROTO, .proto = 132 }, ERR_OK },
        { { .flags = FILTER_MAC | FILTER_PEERS, .peer_ip = 0x0100000a, .peer_mask = 0xffffffff }, ERR_OK },
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        errval_t got = ixgbe_filter_check(&cases[i].s);
        if (got != cases[i].want)
            fail_msg("case %zu (flags %#x): got %d, want %d", i, cases[i].s.flags, (int)got,
                     (int)cases[i].want);
    }
}

/* UDP to local port 7 from 10.0.0.1, for pool 3: which five registers,
 * and the catch-all that sends the pool's other IPv4 to its dead queue? */
static void test_filter_udp_port_peer(void **state)
{
    struct ixgbe_filter_rule r = rule(3, FILTER_MAC | FILTER_PROTO | FILTER_PORTS | FILTER_PEERS);
    r.spec.proto = 17;
    r.spec.port_lo = r.spec.port_hi = 7;
    r.spec.peer_ip = 0x0100000a;            /* 10.0.0.1 in network order */
    r.spec.peer_mask = 0xffffffff;
    struct ixgbe_filter_hw hw;
    assert_int_equal(ixgbe_filter_compile(&r, 1, &hw), ERR_OK);
    assert_int_equal(hw.nft, 2);
    /* UDP, priority 7, pool 3 compared, dst address and src port masked, enabled */
    assert_int_equal(hw.ft[0].ftqf, 0x1u | 7u << 2 | 3u << 8 | 1u << 26 | 1u << 27 | 1u << 31);
    assert_int_equal(hw.ft[0].sdpqf, 0x0700u << 16);       /* port 7 in network order, dst half */
    assert_int_equal(hw.ft[0].saqf, 0x0100000a);
    assert_int_equal(hw.ft[0].daqf, 0);
    assert_int_equal(hw.ft[0].l34timir, 1u << 19 | 6u << 21);   /* queue 2*3: the VF's queue 0 */
    /* catch-all: priority 1, all masked but the pool, to queue 7 (never enabled) */
    assert_int_equal(hw.ft[1].ftqf, 1u << 2 | 3u << 8 | 0x1fu << 25 | 1u << 31);
    assert_int_equal(hw.ft[1].l34timir, 1u << 19 | 7u << 21);
    assert_int_equal(hw.rar_av, 1ull << 3);
    assert_int_equal(hw.vmolr[3], IXGBE_VMOLR_AUPE);
}

/* TCP alone (no port) and SCTP: protocol compared, the rest masked. */
static void test_filter_proto_only(void **state)
{
    struct ixgbe_filter_rule r[2] = { rule(0, FILTER_MAC), rule(0, FILTER_MAC) };
    r[0].spec.flags |= FILTER_PROTO;
    r[0].spec.proto = 6;
    r[1].spec.flags |= FILTER_PROTO;
    r[1].spec.proto = 132;
    struct ixgbe_filter_hw hw;
    assert_int_equal(ixgbe_filter_compile(r, 2, &hw), ERR_OK);
    assert_int_equal(hw.nft, 3);            /* two rules, one catch-all for pool 0 */
    uint32_t masked = IXGBE_FTQF_M_SRCADDR | IXGBE_FTQF_M_DSTADDR | IXGBE_FTQF_M_SRCPORT |
                      IXGBE_FTQF_M_DSTPORT;
    assert_int_equal(hw.ft[0].ftqf, IXGBE_FTQF_PROTO_TCP | 7u << 2 | masked | IXGBE_FTQF_QUEUE_EN);
    assert_int_equal(hw.ft[1].ftqf, IXGBE_FTQF_PROTO_SCTP | 7u << 2 | masked | IXGBE_FTQF_QUEUE_EN);
    assert_int_equal(hw.ft[0].l34timir >> 21, 0);
    assert_int_equal(hw.ft[2].l34timir >> 21, 1);
}

/* Address-only filters use no five-tuple entry and set the L2 tables as
 * on the 82576, with pools above 31 in the second VLVFB word. */
static void test_filter_l2_and_vlan(void **state)
{
    struct ixgbe_filter_rule r[3] = { rule(40, FILTER_BROADCAST | FILTER_VLAN),
                                      rule(2, FILTER_MAC | FILTER_VLAN), rule(5, FILTER_MAC) };
    r[0].spec.vlan = 100;
    r[1].spec.vlan = 100;
    struct ixgbe_filter_hw hw;
    assert_int_equal(ixgbe_filter_compile(r, 3, &hw), ERR_OK);
    assert_int_equal(hw.nft, 0);
    assert_int_equal(hw.vlvf[0], IXGBE_VLVF_VIEN | 100);
    assert_int_equal(hw.vlvfb[0], 1u << 2);
    assert_int_equal(hw.vlvfb[1], 1u << (40 - 32));
    assert_int_equal(hw.vfta[100 / 32], 1u << (100 % 32));
    assert_int_equal(hw.vmolr[40], IXGBE_VMOLR_BAM);
    assert_int_equal(hw.vmolr[5], IXGBE_VMOLR_AUPE);
    assert_int_equal(hw.rar_av, 1ull << 2 | 1ull << 5);
}

/* A pool's filters must agree: same address kinds, and all five-tuple or
 * all address-only (an address-only one would want the IPv4 the catch-all
 * drops). Other pools do not matter. */
static void test_filter_fits(void **state)
{
    struct ixgbe_filter_rule have = rule(1, FILTER_MAC | FILTER_PROTO);
    have.spec.proto = 17;
    struct ixgbe_filter_rule l2 = rule(1, FILTER_MAC);
    struct ixgbe_filter_rule bc = rule(1, FILTER_BROADCAST | FILTER_PROTO);
    struct ixgbe_filter_rule ok = rule(1, FILTER_MAC | FILTER_PORTS);
    struct ixgbe_filter_rule other = rule(2, FILTER_MAC);
    assert_int_equal(ixgbe_filter_fits(&have, 1, &l2), FILTER_ERR_INEXACT);
    assert_int_equal(ixgbe_filter_fits(&have, 1, &bc), FILTER_ERR_INEXACT);
    assert_int_equal(ixgbe_filter_fits(&have, 1, &ok), ERR_OK);
    assert_int_equal(ixgbe_filter_fits(&have, 1, &other), ERR_OK);
}

/* 128 five-tuple entries: 96 rules in 32 pools need 128, one more pool
 * does not fit; 65 VLANs do not fit 64 VLVF entries; a pool past 63 is
 * refused. */
static void test_filter_tables_full(void **state)
{
    static struct ixgbe_filter_rule r[IXGBE_FILTERS_MAX + 1];
    struct ixgbe_filter_hw *hw = malloc(sizeof(*hw));
    for (unsigned i = 0; i < IXGBE_FILTERS_MAX; i++) {
        r[i] = rule(i % 32, FILTER_MAC | FILTER_PORTS);
        r[i].spec.port_lo = r[i].spec.port_hi = (uint16_t)(1000 + i);
    }
    assert_int_equal(ixgbe_filter_compile(r, IXGBE_FILTERS_MAX, hw), ERR_OK);
    assert_int_equal(hw->nft, 128);
    r[95].pool = 33;                        /* a 33rd pool needs a 129th catch-all */
    assert_int_equal(ixgbe_filter_compile(r, IXGBE_FILTERS_MAX, hw), FILTER_ERR_TABLE_FULL);
    assert_int_equal(ixgbe_filter_compile(r, IXGBE_FILTERS_MAX + 1, hw), FILTER_ERR_TABLE_FULL);
    for (unsigned i = 0; i < 65; i++) {
        r[i] = rule(i % 60, FILTER_MAC | FILTER_VLAN);
        r[i].spec.vlan = (uint16_t)(1 + i);
    }
    assert_int_equal(ixgbe_filter_compile(r, 64, hw), ERR_OK);
    assert_int_equal(ixgbe_filter_compile(r, 65, hw), FILTER_ERR_TABLE_FULL);
    struct ixgbe_filter_rule bad = rule(64, FILTER_MAC);
    assert_int_equal(ixgbe_filter_compile(&bad, 1, hw), SYS_ERR_ARG_RANGE);
    free(hw);
}

/* ---- the rate limiter ---- */

/* rate factor = link / rate, 10.14 fixed point, as Linux
 * ixgbe_set_vf_rate_limit computes it; Linux's floor (> 10 Mbit/s) and the
 * link speed bound it. */
static void test_rate_factor(void **state)
{
    uint32_t v = 0xdead;
    assert_int_equal(ixgbe_rate_factor(10000, 0, &v), ERR_OK);
    assert_int_equal(v, 0);
    assert_int_equal(ixgbe_rate_factor(10000, 1000, &v), ERR_OK);
    assert_int_equal(v, IXGBE_RTTBCNRC_RS_ENA | 10u << 14);
    assert_int_equal(ixgbe_rate_factor(10000, 3000, &v), ERR_OK);
    assert_int_equal(v, IXGBE_RTTBCNRC_RS_ENA | 3u << 14 | (1000u << 14) / 3000);
    assert_int_equal(ixgbe_rate_factor(10000, 10000, &v), ERR_OK);
    assert_int_equal(v, IXGBE_RTTBCNRC_RS_ENA | 1u << 14);
    assert_int_equal(ixgbe_rate_factor(10000, 11, &v), ERR_OK);
    assert_int_equal(v >> 14 & 0x3ff, 909);
    assert_int_equal(ixgbe_rate_factor(1000, 100, &v), ERR_OK);    /* a 1 GbE link */
    assert_int_equal(v, IXGBE_RTTBCNRC_RS_ENA | 10u << 14);
    v = 0xdead;
    assert_int_equal(ixgbe_rate_factor(10000, 10, &v), RATE_ERR_RANGE_10G);
    assert_int_equal(ixgbe_rate_factor(10000, 1, &v), RATE_ERR_RANGE_10G);
    assert_int_equal(ixgbe_rate_factor(10000, 10001, &v), RATE_ERR_RANGE_10G);
    assert_int_equal(v, 0xdead);
}

/* ---- the PF's mailbox answers ---- */

static const uint8_t VF_MAC[6] = { 0x02, 0x00, 0x00, 0x00, 0x02, 0x05 };

static struct ixgbe_vf fresh_vf(void)
{
    struct ixgbe_vf vf = { .present = true, .api = IXGBE_MBOX_API_10 };
    memcpy(vf.mac, VF_MAC, 6);
    return vf;
}

/* What the PF does with a decision (pf/pf.c does the same to its state). */
static void apply(struct ixgbe_vf *vf, const struct ixgbe_vfmsg_reply *r)
{
    if (r->action == IXGBE_VFMSG_RESET) {
        vf->cts = true;
        vf->api = IXGBE_MBOX_API_10;
    } else if (r->action == IXGBE_VFMSG_SET_API) {
        vf->api = r->api;
    }
}

/* Linux ixgbevf at probe (ixgbevf_reset_hw_vf, ixgbevf_negotiate_api,
 * ixgbevf_get_queues), then at open (SET_LPE, SET_MAC_ADDR, SET_MULTICAST):
 * what does this PF answer to each, word for word? */
static void test_pf_answers_linux_ixgbevf(void **state)
{
    struct ixgbe_vf vf = fresh_vf();
    struct ixgbe_vfmsg_reply r;
    uint32_t reset[] = { IXGBE_VF_RESET };
    ixgbe_vfmsg_decide(&vf, reset, 1, &r);
    assert_int_equal(r.action, IXGBE_VFMSG_RESET);
    assert_int_equal(r.n, 4);
    assert_int_equal(r.words[0], IXGBE_VF_RESET | IXGBE_VT_MSGTYPE_ACK);     /* no CTS here */
    assert_int_equal(r.words[1], 0x00000002);
    assert_int_equal(r.words[2], 0x0502);
    assert_int_equal(r.words[3], 0);
    apply(&vf, &r);
    uint32_t neg15[] = { IXGBE_VF_API_NEGOTIATE, IXGBE_MBOX_API_15, 0 };
    ixgbe_vfmsg_decide(&vf, neg15, 3, &r);
    assert_int_equal(r.words[0], IXGBE_VF_API_NEGOTIATE | IXGBE_VT_MSGTYPE_NACK | IXGBE_VT_MSGTYPE_CTS);
    assert_non_null(r.refusal);
    uint32_t neg14[] = { IXGBE_VF_API_NEGOTIATE, IXGBE_MBOX_API_14, 0 };
    ixgbe_vfmsg_decide(&vf, neg14, 3, &r);
    assert_int_equal(r.action, IXGBE_VFMSG_SET_API);
    assert_int_equal(r.api, IXGBE_MBOX_API_14);
    assert_int_equal(r.words[0], IXGBE_VF_API_NEGOTIATE | IXGBE_VT_MSGTYPE_ACK | IXGBE_VT_MSGTYPE_CTS);
    apply(&vf, &r);
    uint32_t getq[5] = { IXGBE_VF_GET_QUEUES };
    ixgbe_vfmsg_decide(&vf, getq, 5, &r);
    assert_int_equal(r.n, 5);
    assert_int_equal(r.words[0], IXGBE_VF_GET_QUEUES | IXGBE_VT_MSGTYPE_ACK | IXGBE_VT_MSGTYPE_CTS);
    assert_int_equal(r.words[IXGBE_VF_TX_QUEUES], 2);
    assert_int_equal(r.words[IXGBE_VF_RX_QUEUES], 2);
    assert_int_equal(r.words[IXGBE_VF_TRANS_VLAN], 0);
    assert_int_equal(r.words[IXGBE_VF_DEF_QUEUE], 0);
    uint32_t lpe[] = { IXGBE_VF_SET_LPE, 1522 };
    ixgbe_vfmsg_decide(&vf, lpe, 2, &r);
    assert_int_equal(r.words[0], IXGBE_VF_SET_LPE | IXGBE_VT_MSGTYPE_NACK | IXGBE_VT_MSGTYPE_CTS);
    uint32_t own[] = { IXGBE_VF_SET_MAC_ADDR, 0x00000002, 0x0502 };
    ixgbe_vfmsg_decide(&vf, own, 3, &r);
    assert_int_equal(r.words[0], IXGBE_VF_SET_MAC_ADDR | IXGBE_VT_MSGTYPE_ACK | IXGBE_VT_MSGTYPE_CTS);
    uint32_t other[] = { IXGBE_VF_SET_MAC_ADDR, 0x00000002, 0x0602 };
    ixgbe_vfmsg_decide(&vf, other, 3, &r);
    assert_true(r.words[0] & IXGBE_VT_MSGTYPE_NACK);
    uint32_t mc[] = { IXGBE_VF_SET_MULTICAST | 1u << 16, 0x123 };
    ixgbe_vfmsg_decide(&vf, mc, 2, &r);
    assert_true(r.words[0] & IXGBE_VT_MSGTYPE_NACK);
    assert_string_equal(r.name, "SET_MULTICAST");
    uint32_t ack[] = { IXGBE_VF_RESET | IXGBE_VT_MSGTYPE_ACK };
    ixgbe_vfmsg_decide(&vf, ack, 1, &r);
    assert_int_equal(r.action, IXGBE_VFMSG_IGNORE);
}

/* Before VF_RESET everything is NACKed without CTS; GET_QUEUES under 1.0
 * is NACKed; 2.0 (Solaris) is not spoken; a VF without an address gets
 * RESET|NACK. */
static void test_pf_refusals(void **state)
{
    struct ixgbe_vf vf = fresh_vf();
    struct ixgbe_vfmsg_reply r;
    uint32_t neg[] = { IXGBE_VF_API_NEGOTIATE, IXGBE_MBOX_API_11, 0 };
    ixgbe_vfmsg_decide(&vf, neg, 3, &r);
    assert_int_equal(r.words[0], IXGBE_VF_API_NEGOTIATE | IXGBE_VT_MSGTYPE_NACK);
    vf.cts = true;
    uint32_t getq[5] = { IXGBE_VF_GET_QUEUES };
    ixgbe_vfmsg_decide(&vf, getq, 5, &r);
    assert_true(r.words[0] & IXGBE_VT_MSGTYPE_NACK);
    uint32_t neg20[] = { IXGBE_VF_API_NEGOTIATE, IXGBE_MBOX_API_20, 0 };
    ixgbe_vfmsg_decide(&vf, neg20, 3, &r);
    assert_true(r.words[0] & IXGBE_VT_MSGTYPE_NACK);
    uint32_t short_neg[] = { IXGBE_VF_API_NEGOTIATE };
    ixgbe_vfmsg_decide(&vf, short_neg, 1, &r);
    assert_true(r.words[0] & IXGBE_VT_MSGTYPE_NACK);
    uint32_t junk[] = { 0x7777 };
    ixgbe_vfmsg_decide(&vf, junk, 1, &r);
    assert_true(r.words[0] & IXGBE_VT_MSGTYPE_NACK);
    memset(vf.mac, 0, 6);
    uint32_t reset[] = { IXGBE_VF_RESET };
    ixgbe_vfmsg_decide(&vf, reset, 1, &r);
    assert_int_equal(r.action, IXGBE_VFMSG_REPLY);
    assert_true(r.words[0] & IXGBE_VT_MSGTYPE_NACK);
}

/* ---- the VF's bring-up conversation ---- */

/* A PF that speaks API versions up to `max_api` (Linux's order) and
 * otherwise answers as this PF does. */
static void run_against_pf(struct ixgbevf_bringup *b, int max_api, unsigned *msgs)
{
    struct ixgbe_vf vf = fresh_vf();
    uint32_t msg[16];
    unsigned n;
    *msgs = 0;
    ixgbevf_bringup_init(b);
    while (ixgbevf_bringup_next(b, msg, &n)) {
        assert_true(++*msgs < 20);
        struct ixgbe_vfmsg_reply r;
        ixgbe_vfmsg_decide(&vf, msg, n, &r);
        if (msg[0] == IXGBE_VF_API_NEGOTIATE && r.action == IXGBE_VFMSG_SET_API) {
            /* rank in Linux's order: 1.0 < 1.1 < ... (2.0 is not spoken) */
            static const int rank[] = { 0, -1, 1, 2, 3, 4, 5 };
            if (rank[msg[1]] > rank[max_api]) {
                r.action = IXGBE_VFMSG_REPLY;
                r.words[0] = IXGBE_VF_API_NEGOTIATE | IXGBE_VT_MSGTYPE_NACK | IXGBE_VT_MSGTYPE_CTS;
            }
        }
        apply(&vf, &r);
        ixgbevf_bringup_reply(b, r.words, r.n);
    }
}

/* Against this PF: reset, 1.4 at the first offer, GET_QUEUES: 3 messages,
 * the PF's MAC, 2+2 queues, default queue 0. */
static void test_vf_bringup_this_pf(void **state)
{
    struct ixgbevf_bringup b;
    unsigned msgs;
    run_against_pf(&b, IXGBE_MBOX_API_14, &msgs);
    assert_int_equal(b.step, IXGBEVF_STEP_READY);
    assert_int_equal(msgs, 3);
    assert_int_equal(b.api, IXGBE_MBOX_API_14);
    assert_memory_equal(b.mac, VF_MAC, 6);
    assert_int_equal(b.tx_queues, 2);
    assert_int_equal(b.rx_queues, 2);
    assert_int_equal(b.def_queue, 0);
}

/* Against an older PF (1.1 at most), the VF steps down 1.4, 1.3, 1.2
 * and agrees on 1.1; against a 1.0-only PF it asks no GET_QUEUES. */
static void test_vf_bringup_older_pf(void **state)
{
    struct ixgbevf_bringup b;
    unsigned msgs;
    run_against_pf(&b, IXGBE_MBOX_API_11, &msgs);
    assert_int_equal(b.step, IXGBEVF_STEP_READY);
    assert_int_equal(b.api, IXGBE_MBOX_API_11);
    assert_int_equal(msgs, 1 + 4 + 1);
    run_against_pf(&b, IXGBE_MBOX_API_10, &msgs);
    assert_int_equal(b.step, IXGBEVF_STEP_READY);
    assert_int_equal(b.api, IXGBE_MBOX_API_10);
    assert_int_equal(msgs, 1 + 5);
    assert_int_equal(b.rx_queues, 1);
}

/* Bad replies: RESET|NACK (no address), a reply to another message, a
 * multicast MAC, a PF that NACKs every version, GET_QUEUES counts out of
 * range (clamped as Linux clamps) and a default queue past them. */
static void test_vf_bringup_bad_replies(void **state)
{
    struct ixgbevf_bringup b;
    ixgbevf_bringup_init(&b);
    uint32_t nack[] = { IXGBE_VF_RESET | IXGBE_VT_MSGTYPE_NACK, 0, 0, 0 };
    ixgbevf_bringup_reply(&b, nack, 4);
    assert_int_equal(b.step, IXGBEVF_STEP_FAILED);
    assert_int_equal(b.err, VF_ERR_RESET);
    ixgbevf_bringup_init(&b);
    uint32_t wrong[] = { IXGBE_VF_SET_MAC_ADDR | IXGBE_VT_MSGTYPE_ACK, 0, 0, 0 };
    ixgbevf_bringup_reply(&b, wrong, 4);
    assert_int_equal(b.err, VF_ERR_MBX_REPLY);
    ixgbevf_bringup_init(&b);
    uint32_t mcast[] = { IXGBE_VF_RESET | IXGBE_VT_MSGTYPE_ACK, 0x00000001, 0x0100, 0 };
    ixgbevf_bringup_reply(&b, mcast, 4);
    assert_int_equal(b.err, VF_ERR_RESET);
    ixgbevf_bringup_init(&b);
    uint32_t ok[] = { IXGBE_VF_RESET | IXGBE_VT_MSGTYPE_ACK, 0x00000002, 0x0502, 0 };
    ixgbevf_bringup_reply(&b, ok, 4);
    uint32_t no[] = { IXGBE_VF_API_NEGOTIATE | IXGBE_VT_MSGTYPE_NACK | IXGBE_VT_MSGTYPE_CTS };
    for (int i = 0; i < 5; i++)
        ixgbevf_bringup_reply(&b, no, 1);
    assert_int_equal(b.step, IXGBEVF_STEP_FAILED);
    assert_int_equal(b.err, VF_ERR_MBX_API);
    ixgbevf_bringup_init(&b);
    ixgbevf_bringup_reply(&b, ok, 4);
    uint32_t yes[] = { IXGBE_VF_API_NEGOTIATE | IXGBE_VT_MSGTYPE_ACK | IXGBE_VT_MSGTYPE_CTS };
    ixgbevf_bringup_reply(&b, yes, 1);
    uint32_t q[] = { IXGBE_VF_GET_QUEUES | IXGBE_VT_MSGTYPE_ACK, 0, 99, 0, 12 };
    ixgbevf_bringup_reply(&b, q, 5);
    assert_int_equal(b.step, IXGBEVF_STEP_READY);
    assert_int_equal(b.tx_queues, IXGBEVF_MAX_QUEUES);
    assert_int_equal(b.rx_queues, IXGBEVF_MAX_QUEUES);
    assert_int_equal(b.def_queue, 0);
}

/* ---- the SFP+ module ---- */

/* The modules an X520 meets, by their SFF-8472 bytes: which does the
 * driver bring up at 10 GbE, which init sequence (Linux's ids, per port),
 * and which does it name and refuse? */
static void test_sfp_classify(void **state)
{
    struct ixgbe_sfp s;
    assert_int_equal(ixgbe_sfp_classify(0x03, 0x00, 0x00, SFF_DA_PASSIVE, &s), ERR_OK);
    assert_int_equal(s.type, IXGBE_SFP_DA_CU_CORE0);
    assert_int_equal(ixgbe_sfp_init_id(&s, 0), 3);
    assert_int_equal(ixgbe_sfp_init_id(&s, 1), 4);
    assert_int_equal(ixgbe_sfp_classify(0x03, SFF_10GBASE_SR, SFF_1GBASE_SX, 0, &s), ERR_OK);
    assert_int_equal(s.type, IXGBE_SFP_SRLR_CORE0);          /* dual-rate SR: 10G first */
    assert_string_equal(s.name, "10GBASE-SR");
    assert_int_equal(ixgbe_sfp_init_id(&s, 1), 6);
    assert_int_equal(ixgbe_sfp_classify(0x03, SFF_10GBASE_LR, 0, 0, &s), ERR_OK);
    assert_string_equal(s.name, "10GBASE-LR");
    assert_int_equal(ixgbe_sfp_classify(0x03, 0, 0, SFF_DA_ACTIVE, &s), ERR_OK);
    assert_int_equal(s.type, IXGBE_SFP_DA_ACT_LMT_CORE0);
    assert_int_equal(ixgbe_sfp_init_id(&s, 0), IXGBE_SFP_SRLR_CORE0);   /* runs as SR */
    assert_int_equal(ixgbe_sfp_classify(0x03, 0, SFF_1GBASE_T, 0, &s), IXGBE_ERR_SFP_UNSUPPORTED);
    assert_string_equal(s.name, "1000BASE-T");
    assert_int_equal(ixgbe_sfp_classify(0x03, 0, SFF_1GBASE_LX, 0, &s), IXGBE_ERR_SFP_UNSUPPORTED);
    assert_int_equal(ixgbe_sfp_classify(0x03, 0, 0, 0, &s), IXGBE_ERR_SFP_UNSUPPORTED);
    assert_int_equal(s.type, IXGBE_SFP_UNKNOWN);
    assert_int_equal(ixgbe_sfp_classify(0x0d, SFF_10GBASE_SR, 0, 0, &s), IXGBE_ERR_SFP_UNSUPPORTED);  /* QSFP */
    assert_int_equal(ixgbe_sfp_classify(0xff, 0xff, 0xff, 0xff, &s), IXGBE_ERR_SFP_UNSUPPORTED);      /* empty cage reads 1s */
}

int main(void)
{
    static const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_filter_refusals),
        cmocka_unit_test(test_filter_udp_port_peer),
        cmocka_unit_test(test_filter_proto_only),
        cmocka_unit_test(test_filter_l2_and_vlan),
        cmocka_unit_test(test_filter_fits),
        cmocka_unit_test(test_filter_tables_full),
        cmocka_unit_test(test_rate_factor),
        cmocka_unit_test(test_pf_answers_linux_ixgbevf),
        cmocka_unit_test(test_pf_refusals),
        cmocka_unit_test(test_vf_bringup_this_pf),
        cmocka_unit_test(test_vf_bringup_older_pf),
        cmocka_unit_test(test_vf_bringup_bad_replies),
        cmocka_unit_test(test_sfp_classify),
    };
    return cmocka_run_group_tests_name("ixgbe", tests, NULL, NULL);
}
