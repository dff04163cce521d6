/*
 * filter_compile.c: Filter predicates to 82576 receive-filter registers.
 * Pure (no register access): the kernel applies the result (filter.c) and
 * the host unit tests (tests/unit/filter) check it.
 */
#include <net/igb/pf/filter.h>
#include <string.h>

#define ADDR_FLAGS (FILTER_MAC | FILTER_BROADCAST)
#define VLAN_MAX 4094

errval_t igb_filter_check(const struct filter_spec *s)
{
    if (s->flags & ~FILTER_KNOWN)
        return FILTER_ERR_FLAGS;
    /* QEMU's 82576 picks a pool by address and VLAN only: ETQF classifies
     * without steering, FTQF (5-tuple) is not there at all. */
    if (s->flags & FILTER_ETHERTYPE)
        return FILTER_ERR_NO_ETHERTYPE;
    if (s->flags & (FILTER_PROTO | FILTER_PORTS | FILTER_PEERS))
        return FILTER_ERR_NO_5TUPLE;
    if (!(s->flags & ADDR_FLAGS))
        return FILTER_ERR_FLAGS;
    if ((s->flags & FILTER_VLAN) && (s->vlan == 0 || s->vlan > VLAN_MAX))
        return FILTER_ERR_VLAN;
    return ERR_OK;
}

/* Address acceptance (BAM, the RAR entry) and untagged acceptance (AUPE)
 * are per pool, so the rules of one pool must all name the same address
 * kinds: then {addresses} x {tags} is exactly the union of the rules. */
errval_t igb_filter_fits(const struct igb_filter_rule *rules, unsigned n,
                         const struct igb_filter_rule *add)
{
    for (unsigned i = 0; i < n; i++)
        if (rules[i].pool == add->pool && (rules[i].flags & ADDR_FLAGS) != (add->flags & ADDR_FLAGS))
            return FILTER_ERR_INEXACT;
    return ERR_OK;
}

static errval_t add_vlan(struct igb_filter_hw *hw, uint16_t vid, unsigned pool)
{
    int free_i = -1;
    for (int i = 0; i < IGB_NUM_VLVF; i++) {
        uint32_t e = hw->vlvf[i];
        if ((e & IGB_VLVF_VLANID_EN) && (e & IGB_VLVF_VLANID_MASK) == vid) {
            hw->vlvf[i] |= 1u << (IGB_VLVF_POOLSEL_SHIFT + pool);
            return ERR_OK;
        }
        if (!(e & IGB_VLVF_VLANID_EN) && free_i < 0)
            free_i = i;
    }
    if (free_i < 0)
        return FILTER_ERR_TABLE_FULL;
    hw->vlvf[free_i] = IGB_VLVF_VLANID_EN | vid | 1u << (IGB_VLVF_POOLSEL_SHIFT + pool);
    hw->vfta[vid / 32] |= 1u << (vid % 32);
    return ERR_OK;
}

errval_t igb_filter_compile(const struct igb_filter_rule *rules, unsigned n,
                            struct igb_filter_hw *hw)
{
    memset(hw, 0, sizeof(*hw));
    if (n > IGB_FILTERS_MAX)
        return FILTER_ERR_TABLE_FULL;
    for (unsigned i = 0; i < n; i++) {
        const struct igb_filter_rule *r = &rules[i];
        if (r->pool >= IGB_POOLS)
            return SYS_ERR_ARG_RANGE;
        if (r->flags & FILTER_MAC)
            hw->rah_av |= 1u << r->pool;
        if (r->flags & FILTER_BROADCAST)
            hw->vmolr[r->pool] |= IGB_VMOLR_BAM;
        if (!(r->flags & FILTER_VLAN)) {
            hw->vmolr[r->pool] |= IGB_VMOLR_AUPE;
            continue;
        }
        errval_t err = add_vlan(hw, r->vlan, r->pool);
        if (err_is_fail(err))
            return err;
    }
    return ERR_OK;
}

struct igb_filter_rule igb_filter_rule_of(const struct nic_filter_rule *r)
{
    uint32_t f = r->spec.flags;
    return (struct igb_filter_rule){ .pool = r->pool,
                                     .flags = f & (FILTER_MAC | FILTER_BROADCAST | FILTER_VLAN),
                                     .vlan = (f & FILTER_VLAN) ? r->spec.vlan : 0 };
}

static errval_t fits_nic(const struct nic_filter_rule *rules, unsigned n,
                         const struct nic_filter_rule *add)
{
    static struct igb_filter_rule have[IGB_FILTERS_MAX];   /* the NIC's core only */
    if (n > IGB_FILTERS_MAX)
        return FILTER_ERR_TABLE_FULL;
    for (unsigned i = 0; i < n; i++)
        have[i] = igb_filter_rule_of(&rules[i]);
    struct igb_filter_rule a = igb_filter_rule_of(add);
    return igb_filter_fits(have, n, &a);
}

const struct nic_filter_judge igb_filter_judge = { igb_filter_check, fits_nic };
