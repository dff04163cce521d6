/*
 * filter.c: the Filter capability, on the core that owns the NIC.
 *
 * VNIC.filter_create checks the predicate (filter_compile.c refuses what
 * the 82576 cannot steer by), records it, recompiles every live filter to
 * receive-filter registers and writes them: RAR valid bits and VMOLR
 * accept bits of the VF pools, VLVF and VFTA. A VNIC without filters
 * receives nothing. Deleting the Filter capability (or releasing its
 * VNIC) takes the filter out of the NIC. A Filter names its entry by
 * index and generation, so a stale capability never reaches a reused one.
 */
#include <net/igb/pf/filter.h>
#include <net/igb/pf/pf.h>
#include <net/igb/pf/vnic.h>
#include <arch/vspace.h>
#include <cap/cap.h>
#include <cap/mdb.h>
#include <cspace.h>
#include <console.h>
#include <core.h>
#include <dispatch.h>
#include <invoke.h>
#include <net/igb/pf/forward.h>
#include <string.h>
#include <fmt.h>

struct filter {
    bool used;
    uint16_t gen;
    uint8_t vf;
    uint32_t id;                    /* shown by `filters` */
    struct igb_filter_rule rule;
};

static struct filter filters[IGB_FILTERS_MAX];
static uint32_t next_id = 1;

static struct sysret ret(errval_t e, uint64_t v) { return (struct sysret){ e, v }; }

static unsigned live_rules(struct igb_filter_rule *out)
{
    unsigned n = 0;
    for (unsigned i = 0; i < IGB_FILTERS_MAX; i++)
        if (filters[i].used)
            out[n++] = filters[i].rule;
    return n;
}

/* Write the registers for the live filters; the PF's pool keeps its own
 * VMOLR. VLAN filtering stays on so that a VNIC without a VLAN filter
 * never sees tagged frames. */
static errval_t apply(void)
{
    struct igb_filter_rule rules[IGB_FILTERS_MAX];
    struct igb_filter_hw hw;
    errval_t err = igb_filter_compile(rules, live_rules(rules), &hw);
    if (err_is_fail(err))
        return err;
    for (unsigned vf = 0; vf < igb_pf.nvfs; vf++) {
        uint32_t ral, rah;
        igb_rar_encode(igb_pf.vf[vf].mac, vf, &ral, &rah);
        if (!(hw.rah_av & 1u << vf))
            rah &= ~IGB_RAH_AV;
        igb_wr(IGB_RAH(1 + vf), 0);     /* invalid while half-written */
        igb_wr(IGB_RAL(1 + vf), ral);
        igb_wr(IGB_RAH(1 + vf), rah);
        igb_wr(IGB_VMOLR(vf), hw.vmolr[vf]);
    }
    for (unsigned i = 0; i < IGB_NUM_VLVF; i++)
        igb_wr(IGB_VLVF(i), hw.vlvf[i]);
    for (unsigned i = 0; i < IGB_VFTA_WORDS; i++)
        igb_wr(IGB_VFTA(i), hw.vfta[i]);
    igb_wr(IGB_RCTL, igb_rd(IGB_RCTL) | IGB_RCTL_VFE);
    return ERR_OK;
}

void igb_filter_pool_setup(void)
{
    errval_t err = apply();
    if (err_is_fail(err))
        kprint_err("igb: filters", err);
}

static void describe(const struct filter *f, char *buf, size_t n)
{
    const char *addr = (f->rule.flags & FILTER_MAC) && (f->rule.flags & FILTER_BROADCAST)
                           ? "mac+broadcast" : (f->rule.flags & FILTER_MAC) ? "mac" : "broadcast";
    if (f->rule.flags & FILTER_VLAN)
        fmt_snprintf(buf, n, "%s vlan %u", addr, f->rule.vlan);
    else
        fmt_snprintf(buf, n, "%s untagged", addr);
}

errval_t igb_filter_create(unsigned vf, uint32_t holder, const struct filter_spec *s,
                           uint64_t *key, uint64_t *id)
{
    if (vf >= igb_pf.nvfs || !holder || igb_vnic_holder(vf) != holder)
        return CAP_ERR_WRONG_TYPE;
    errval_t err = igb_filter_check(s);
    struct igb_filter_rule rule = { .pool = (uint8_t)vf,
                                    .flags = s->flags & (FILTER_MAC | FILTER_BROADCAST | FILTER_VLAN),
                                    .vlan = (s->flags & FILTER_VLAN) ? s->vlan : 0 };
    struct igb_filter_rule rules[IGB_FILTERS_MAX];
    if (err_is_ok(err))
        err = igb_filter_fits(rules, live_rules(rules), &rule);
    unsigned i = 0;
    while (err_is_ok(err) && i < IGB_FILTERS_MAX && filters[i].used)
        i++;
    if (err_is_ok(err) && i == IGB_FILTERS_MAX)
        err = FILTER_ERR_TABLE_FULL;
    if (err_is_fail(err))
        return err;
    struct filter *f = &filters[i];
    *f = (struct filter){ .used = true, .gen = (uint16_t)(f->gen + 1), .vf = (uint8_t)vf,
                          .id = next_id++, .rule = rule };
    if (err_is_fail(err = apply())) {       /* too many VLANs: back out */
        f->used = false;
        apply();
        return err;
    }
    char what[40];
    describe(f, what, sizeof(what));
    kprintf("igb: filter %u: VF %u (domain %#x) admits %s\n", f->id, vf, holder, what);
    *key = i | (uint64_t)f->gen << 16;
    *id = f->id;
    return ERR_OK;
}

static struct filter *of_key(uint64_t key)
{
    uint64_t i = key & 0xffff, gen = key >> 16;
    return i < IGB_FILTERS_MAX && filters[i].used && filters[i].gen == gen ? &filters[i] : NULL;
}

void igb_filter_delete(uint64_t key)
{
    struct filter *f = of_key(key);
    if (!f)
        return;
    f->used = false;
    kprintf("igb: filter %u of VF %u deleted\n", f->id, f->vf);
    igb_filter_pool_setup();
}

static errval_t cap_into(struct dcb *d, uint64_t slot, uint64_t key)
{
    struct capability cap = { .type = CAP_FILTER, .rights = CAP_RIGHT_ALL };
    cap.u.raw = key;
    return cspace_put(d, slot, &cap);
}

/* The filter exists on the NIC's core: its capability comes to be in the
 * caller's slot ctx[0], or the filter goes again. */
static struct sysret filter_created(const struct devcall *dc, const struct xcall_answer *a)
{
    const struct igb_call call = igb_call_of(dc), *c = &call;
    struct dcb *d = dispatch_find(c->caller);
    errval_t err = a->err;
    if (err_is_ok(err))
        err = d ? cap_into(d, c->ctx[0], a->value[0]) : SYS_ERR_NO_DOMAIN;
    if (err_is_fail(err) && err_is_ok(a->err))
        igb_tell(IGB_OP_FILTER_DELETE, &(struct igb_req){ .a = a->value[0] });
    return ret(err, err_is_ok(err) ? a->value[1] : 0);
}

struct sysret igb_invoke_filter_create(struct invocation *inv)
{
    struct dcb *d = inv->d;
    struct filter_spec s;
    if (!vspace_user_range(&d->vspace, inv->arg[0], sizeof(s), false))
        return ret(SYS_ERR_BAD_USER_POINTER, 0);
    errval_t err = vspace_copy_out(&d->vspace, &s, inv->arg[0], sizeof(s));
    if (err_is_ok(err))
        err = cspace_put(d, inv->arg[1], NULL);     /* only check the slot */
    if (err_is_fail(err))
        return ret(err, 0);
    const struct igb_req r = { .vf = igb_vnic_cap_vf(inv->slot),
                               .holder = igb_vnic_cap_holder(inv->slot), .spec = s };
    return igb_call(inv, IGB_OP_FILTER_CREATE, &r, filter_created, inv->arg[1], 0);
}

void igb_filter_removed(struct cte *slot)
{
    if (!mdb_is_last_copy(slot))
        return;
    igb_tell(IGB_OP_FILTER_DELETE, &(struct igb_req){ .a = slot->cap.u.raw });
}

void igb_filter_vnic_released(unsigned vf)
{
    bool any = false;
    for (unsigned i = 0; i < IGB_FILTERS_MAX; i++) {
        if (filters[i].used && filters[i].vf == vf) {
            filters[i].used = false;    /* its capability now names nothing */
            any = true;
        }
    }
    if (any)
        igb_filter_pool_setup();
}

struct sysret igb_invoke_filters(struct invocation *inv)
{
    struct dcb *d = inv->d;
    uint64_t max = inv->arg[1];
    if (!igb_pf.up)
        return ret(IGB_ERR_NOT_UP, 0);
    if (igb_pf.owner_core != this_core()->id)
        return ret(IGB_ERR_NOT_OWNER, igb_pf.owner_core);
    if (max > IGB_FILTERS_MAX)
        max = IGB_FILTERS_MAX;
    if (!vspace_user_range(&d->vspace, inv->arg[0], max * sizeof(struct filter_info), true))
        return ret(SYS_ERR_BAD_USER_POINTER, 0);
    uint64_t n = 0;
    for (unsigned i = 0; i < IGB_FILTERS_MAX && n < max; i++) {
        const struct filter *f = &filters[i];
        if (!f->used)
            continue;
        struct filter_info info = { .id = f->id, .vf = f->vf, .holder = igb_vnic_holder(f->vf),
                                    .flags = f->rule.flags, .vlan = f->rule.vlan };
        errval_t err = vspace_copy_in(&d->vspace, inv->arg[0] + n * sizeof(info), &info, sizeof(info));
        if (err_is_fail(err))
            return ret(invoke_refuse_arg(inv, 1, err, 0, 0), n);
        n++;
    }
    return ret(ERR_OK, n);
}
