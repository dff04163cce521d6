/*
 * filter.c: the Filter capability for any registered NIC, on the NIC's
 * core. VNIC.filter_create asks the book (book.c) to record the predicate
 * after the NIC's own judgement (its nichw.c: what its filters can steer
 * by exactly), then has the NIC program its receive filters for every
 * live Filter (filter_apply); if the NIC cannot (a table ran out), the
 * Filter goes again. A VNIC without filters receives nothing. Deleting
 * the Filter capability (or releasing its VNIC) takes the filter out of
 * the NIC. A Filter names its NIC and its entry by index and generation,
 * so a stale capability never reaches a reused entry.
 */
#include <net/nic/priv.h>
#include <arch/vspace.h>
#include <cap/cap.h>
#include <cap/mdb.h>
#include <cspace.h>
#include <console.h>
#include <core.h>
#include <dispatch.h>
#include <invoke.h>
#include <fmt.h>

static struct sysret ret(errval_t e, uint64_t v) { return (struct sysret){ e, v }; }

static errval_t apply(struct nic *n)
{
    static struct nic_filter_rule rules[NIC_FILTERS_MAX];   /* the NIC's core only */
    return n->ops->filter_apply(rules, nic_book_rules(&n->book, rules));
}

/* What a filter admits, for the log: "mac untagged", "broadcast vlan 7",
 * "mac untagged udp port 7 from 10.0.0.1". */
static void describe(const struct filter_spec *s, char *buf, size_t len)
{
    const char *addr = (s->flags & FILTER_MAC) && (s->flags & FILTER_BROADCAST) ? "mac+broadcast"
                     : (s->flags & FILTER_MAC) ? "mac" : "broadcast";
    size_t at = (s->flags & FILTER_VLAN) ? (size_t)fmt_snprintf(buf, len, "%s vlan %u", addr, s->vlan)
                                         : (size_t)fmt_snprintf(buf, len, "%s untagged", addr);
    if (at < len && (s->flags & FILTER_PROTO))
        at += (size_t)fmt_snprintf(buf + at, len - at, " proto %u", s->proto);
    if (at < len && (s->flags & FILTER_PORTS))
        at += (size_t)fmt_snprintf(buf + at, len - at, " port %u", s->port_lo);
    if (at < len && (s->flags & FILTER_PEERS)) {
        const uint8_t *ip = (const uint8_t *)&s->peer_ip;     /* network byte order */
        fmt_snprintf(buf + at, len - at, " from %u.%u.%u.%u", ip[0], ip[1], ip[2], ip[3]);
    }
}

errval_t nic_filter_create(struct nic *n, unsigned vf, uint32_t holder,
                           const struct filter_spec *s, uint64_t *key, uint64_t *id)
{
    uint32_t fid;
    errval_t err = nic_book_filter_add(&n->book, n->ops->judge, vf, holder, s, key, &fid);
    if (err_is_fail(err))
        return err;
    if (err_is_fail(err = apply(n))) {       /* a table ran out: back out */
        nic_book_filter_drop(&n->book, *key);
        apply(n);
        return err;
    }
    char what[64];
    describe(s, what, sizeof(what));
    kprintf("%s: filter %u: VF %u (domain %#x) admits %s\n", n->ops->log, fid, vf, holder, what);
    *id = fid;
    return ERR_OK;
}

void nic_filter_delete(struct nic *n, uint64_t key)
{
    struct nic_filter *f = nic_book_filter_of_key(&n->book, key);
    if (!f)
        return;
    f->used = false;
    kprintf("%s: filter %u of VF %u deleted\n", n->ops->log, f->id, f->vf);
    nic_filters_apply(n);
}

void nic_filter_vnic_released(struct nic *n, unsigned vf)
{
    if (nic_book_filters_drop_vf(&n->book, vf))
        nic_filters_apply(n);
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
    struct nic_call c = nic_call_of(dc);
    struct dcb *d = dispatch_find(c.caller);
    errval_t err = a->err;
    if (err_is_ok(err))
        err = d ? cap_into(d, c.ctx[0], a->value[0]) : SYS_ERR_NO_DOMAIN;
    struct nic *n = nic_of(c.req.nic);
    if (err_is_fail(err) && err_is_ok(a->err) && n)
        nic_tell(n, NIC_OP_FILTER_DELETE, &(struct nic_req){ .a = a->value[0] });
    return ret(err, err_is_ok(err) ? a->value[1] : 0);
}

struct sysret nic_invoke_filter_create(struct invocation *inv)
{
    struct dcb *d = inv->d;
    struct nic_req r = { 0 };
    struct nic *n = nic_of_vnic(inv->slot, &r.vf, &r.holder);
    if (!n)
        return ret(CAP_ERR_WRONG_TYPE, 0);
    if (!vspace_user_range(&d->vspace, inv->arg[0], sizeof(r.spec), false))
        return ret(SYS_ERR_BAD_USER_POINTER, 0);
    errval_t err = vspace_copy_out(&d->vspace, &r.spec, inv->arg[0], sizeof(r.spec));
    if (err_is_ok(err))
        err = cspace_put(d, inv->arg[1], NULL);     /* only check the slot */
    if (err_is_fail(err))
        return ret(err, 0);
    return nic_call(inv, n, NIC_OP_FILTER_CREATE, &r, filter_created, inv->arg[1], 0);
}

void nic_filter_removed(struct cte *slot)
{
    if (!mdb_is_last_copy(slot))
        return;
    struct nic *n = nic_of(nic_filter_key_nic(slot->cap.u.raw));
    if (n)
        nic_tell(n, NIC_OP_FILTER_DELETE, &(struct nic_req){ .a = slot->cap.u.raw });
}

struct sysret nic_invoke_filters(struct invocation *inv)
{
    struct dcb *d = inv->d;
    struct nic *n = nic_serving();
    uint64_t max = inv->arg[1];
    if (!n || !nic_is_up(n))
        return ret(IGB_ERR_NOT_UP, 0);
    if (!nic_is_owner(n))
        return ret(IGB_ERR_NOT_OWNER, n->ops->owner_core());
    if (max > n->book.filters_max)
        max = n->book.filters_max;
    if (!vspace_user_range(&d->vspace, inv->arg[0], max * sizeof(struct filter_info), true))
        return ret(SYS_ERR_BAD_USER_POINTER, 0);
    uint64_t k = 0;
    for (unsigned i = 0; i < n->book.filters_max && k < max; i++) {
        const struct nic_filter *f = &n->book.filter[i];
        if (!f->used)
            continue;
        struct filter_info info = { .id = f->id, .vf = f->vf,
                                    .holder = nic_book_holder(&n->book, f->vf),
                                    .flags = f->rule.spec.flags,
                                    .vlan = (f->rule.spec.flags & FILTER_VLAN) ? f->rule.spec.vlan : 0 };
        errval_t err = vspace_copy_in(&d->vspace, inv->arg[0] + k * sizeof(info), &info, sizeof(info));
        if (err_is_fail(err))
            return ret(invoke_refuse_arg(inv, 1, err, 0, 0), k);
        k++;
    }
    return ret(ERR_OK, k);
}
