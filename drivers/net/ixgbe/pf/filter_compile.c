/*
 * filter_compile.c: Filter predicates to 82599 receive-filter registers,
 * and a rate to the transmit rate scheduler's factor. Pure (no register
 * access): pf/filter.c applies the result; tests/unit/ixgbe checks it.
 * What a filter admits on this NIC is explained in filter.h.
 */
#include <net/ixgbe/pf/filter.h>
#include <string.h>

#define ADDR_FLAGS  (FILTER_MAC | FILTER_BROADCAST)
#define L34_FLAGS   (FILTER_PROTO | FILTER_PORTS | FILTER_PEERS)
#define VLAN_MAX    4094
#define ALL_ONES    0xffffffffu
#define RATE_MIN_MBPS 10                /* Linux ixgbe refuses 10 Mbit/s and less */

errval_t ixgbe_filter_check(const struct filter_spec *s)
{
    if (s->flags & ~FILTER_KNOWN)
        return FILTER_ERR_FLAGS;
    if (!(s->flags & ADDR_FLAGS))
        return FILTER_ERR_FLAGS;
    if ((s->flags & FILTER_VLAN) && (s->vlan == 0 || s->vlan > VLAN_MAX))
        return FILTER_ERR_VLAN;
    if (s->flags & FILTER_ETHERTYPE)
        return FILTER_ERR_ETHERTYPE_INEXACT;
    if ((s->flags & FILTER_PROTO) && s->proto != IXGBE_IPPROTO_TCP &&
        s->proto != IXGBE_IPPROTO_UDP && s->proto != IXGBE_IPPROTO_SCTP)
        return FILTER_ERR_PROTO;
    if ((s->flags & FILTER_PORTS) && (s->port_lo != s->port_hi || s->port_lo == 0))
        return FILTER_ERR_PORT_RANGE;
    if ((s->flags & FILTER_PEERS) && s->peer_mask != ALL_ONES)
        return FILTER_ERR_PEER_MASK;
    return ERR_OK;
}

/* Address acceptance and untagged acceptance are per pool (as on the
 * 82576), and a pool with five-tuple rules drops the IPv4 that none of
 * them claims: so all rules of a pool name the same address kinds and are
 * all five-tuple or all address-only. */
errval_t ixgbe_filter_fits(const struct ixgbe_filter_rule *rules, unsigned n,
                           const struct ixgbe_filter_rule *add)
{
    for (unsigned i = 0; i < n; i++) {
        if (rules[i].pool != add->pool)
            continue;
        if ((rules[i].spec.flags & ADDR_FLAGS) != (add->spec.flags & ADDR_FLAGS))
            return FILTER_ERR_INEXACT;
        if (!(rules[i].spec.flags & L34_FLAGS) != !(add->spec.flags & L34_FLAGS))
            return FILTER_ERR_INEXACT;
    }
    return ERR_OK;
}

static errval_t add_vlan(struct ixgbe_filter_hw *hw, uint16_t vid, unsigned pool)
{
    int free_i = -1;
    for (int i = 0; i < IXGBE_NUM_VLVF; i++) {
        uint32_t e = hw->vlvf[i];
        if ((e & IXGBE_VLVF_VIEN) && (e & IXGBE_VLVF_VLANID_MASK) == vid) {
            hw->vlvfb[2 * i + pool / 32] |= 1u << (pool % 32);
            return ERR_OK;
        }
        if (!(e & IXGBE_VLVF_VIEN) && free_i < 0)
            free_i = i;
    }
    if (free_i < 0)
        return FILTER_ERR_TABLE_FULL;
    hw->vlvf[free_i] = IXGBE_VLVF_VIEN | vid;
    hw->vlvfb[2 * free_i + pool / 32] |= 1u << (pool % 32);
    hw->vfta[vid / 32] |= 1u << (vid % 32);
    return ERR_OK;
}

static uint32_t l34timir(unsigned queue)
{
    return IXGBE_L34TIMIR_RESERVED | (uint32_t)queue << IXGBE_L34TIMIR_QUEUE_SHIFT;
}

static uint32_t ftqf_pool(unsigned pool, unsigned prio)
{
    return (uint32_t)prio << IXGBE_FTQF_PRIO_SHIFT | (uint32_t)pool << IXGBE_FTQF_POOL_SHIFT |
           IXGBE_FTQF_QUEUE_EN;
}

static uint16_t be16(uint16_t v) { return (uint16_t)(v << 8 | v >> 8); }

/* The five-tuple filter for one rule: what it leaves out is masked. The
 * address registers hold network byte order as the frame does (the
 * filter_spec's peer_ip already is); ports likewise. */
static struct ixgbe_5tuple rule_5tuple(const struct ixgbe_filter_rule *r)
{
    const struct filter_spec *s = &r->spec;
    struct ixgbe_5tuple t = { 0 };
    t.ftqf = ftqf_pool(r->pool, IXGBE_FTQF_PRIO_MATCH) | IXGBE_FTQF_M_DSTADDR |
             IXGBE_FTQF_M_SRCPORT;
    if (s->flags & FILTER_PROTO)
        t.ftqf |= s->proto == IXGBE_IPPROTO_TCP ? IXGBE_FTQF_PROTO_TCP :
                  s->proto == IXGBE_IPPROTO_UDP ? IXGBE_FTQF_PROTO_UDP : IXGBE_FTQF_PROTO_SCTP;
    else
        t.ftqf |= IXGBE_FTQF_M_PROTO;
    if (s->flags & FILTER_PORTS)
        t.sdpqf = (uint32_t)be16(s->port_lo) << IXGBE_SDPQF_DST_SHIFT;
    else
        t.ftqf |= IXGBE_FTQF_M_DSTPORT;
    if (s->flags & FILTER_PEERS)
        t.saqf = s->peer_ip;
    else
        t.ftqf |= IXGBE_FTQF_M_SRCADDR;
    t.l34timir = l34timir(IXGBE_QUEUES_PER_POOL * r->pool);
    return t;
}

errval_t ixgbe_filter_compile(const struct ixgbe_filter_rule *rules, unsigned n,
                              struct ixgbe_filter_hw *hw)
{
    memset(hw, 0, sizeof(*hw));
    if (n > IXGBE_FILTERS_MAX)
        return FILTER_ERR_TABLE_FULL;
    uint64_t l34_pools = 0;
    for (unsigned i = 0; i < n; i++) {
        const struct ixgbe_filter_rule *r = &rules[i];
        const struct filter_spec *s = &r->spec;
        if (r->pool >= IXGBE_POOLS)
            return SYS_ERR_ARG_RANGE;
        if (s->flags & FILTER_MAC)
            hw->rar_av |= 1ull << r->pool;
        if (s->flags & FILTER_BROADCAST)
            hw->vmolr[r->pool] |= IXGBE_VMOLR_BAM;
        if (s->flags & FILTER_VLAN) {
            errval_t err = add_vlan(hw, s->vlan, r->pool);
            if (err_is_fail(err))
                return err;
        } else {
            hw->vmolr[r->pool] |= IXGBE_VMOLR_AUPE;
        }
        if (!(s->flags & L34_FLAGS))
            continue;
        if (hw->nft == IXGBE_NUM_5TUPLE)
            return FILTER_ERR_TABLE_FULL;
        hw->ft[hw->nft++] = rule_5tuple(r);
        l34_pools |= 1ull << r->pool;
    }
    for (unsigned p = 0; p < IXGBE_POOLS; p++) {
        if (!(l34_pools >> p & 1))
            continue;
        if (hw->nft == IXGBE_NUM_5TUPLE)
            return FILTER_ERR_TABLE_FULL;
        hw->ft[hw->nft++] = (struct ixgbe_5tuple){
            .ftqf = ftqf_pool(p, IXGBE_FTQF_PRIO_CATCHALL) | IXGBE_FTQF_M_SRCADDR |
                    IXGBE_FTQF_M_DSTADDR | IXGBE_FTQF_M_SRCPORT | IXGBE_FTQF_M_DSTPORT |
                    IXGBE_FTQF_M_PROTO,
            .l34timir = l34timir(IXGBE_QUEUES_PER_POOL * p + 1),
        };
    }
    return ERR_OK;
}

errval_t ixgbe_rate_factor(uint32_t link_mbps, uint32_t mbps, uint32_t *rttbcnrc)
{
    if (mbps == 0) {
        *rttbcnrc = 0;
        return ERR_OK;
    }
    if (mbps <= RATE_MIN_MBPS || mbps > link_mbps)
        return RATE_ERR_RANGE_10G;
    uint32_t rf_int = link_mbps / mbps;
    uint32_t rf_dec = (uint32_t)(((uint64_t)(link_mbps - rf_int * mbps) << IXGBE_RTTBCNRC_RF_INT_SHIFT) / mbps);
    *rttbcnrc = IXGBE_RTTBCNRC_RS_ENA |
                ((rf_int << IXGBE_RTTBCNRC_RF_INT_SHIFT) & IXGBE_RTTBCNRC_RF_INT_MASK) |
                (rf_dec & IXGBE_RTTBCNRC_RF_DEC_MASK);
    return ERR_OK;
}

void ixgbe_filter_rules_of(const struct nic_filter_rule *rules, unsigned n,
                           struct ixgbe_filter_rule *out)
{
    for (unsigned i = 0; i < n; i++)
        out[i] = (struct ixgbe_filter_rule){ .pool = rules[i].pool, .spec = rules[i].spec };
}

static errval_t fits_nic(const struct nic_filter_rule *rules, unsigned n,
                         const struct nic_filter_rule *add)
{
    static struct ixgbe_filter_rule have[IXGBE_FILTERS_MAX];   /* the NIC's core only */
    if (n > IXGBE_FILTERS_MAX)
        return FILTER_ERR_TABLE_FULL;
    ixgbe_filter_rules_of(rules, n, have);
    struct ixgbe_filter_rule a;
    ixgbe_filter_rules_of(add, 1, &a);
    return ixgbe_filter_fits(have, n, &a);
}

const struct nic_filter_judge ixgbe_filter_judge = { ixgbe_filter_check, fits_nic };
