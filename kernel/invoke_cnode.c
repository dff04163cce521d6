/*
 * invoke_cnode.c: the CNode commands. Slot arguments are level-2 cptrs in
 * the caller's cspace; each decoder resolves and checks them all, then
 * calls the kernel/cap operation (which itself validates before acting).
 */
#include <invoke_ops.h>
#include <cspace.h>
#include <dispatch.h>
#include <core.h>
#include <capmove.h>
#include <mapping.h>

#define RETYPE_TYPE(a)    ((a) & 0xff)
#define RETYPE_OBJBITS(a) (((a) >> 8) & 0xff)
#define RETYPE_OFFSET(a)  ((a) >> 16)           /* pages */
#define MAX_OBJBITS 40

static struct sysret ret(errval_t e) { return (struct sysret){ e, 0 }; }

/* Argument i (0-based) names a slot of the caller's cspace. */
static errval_t slot_arg(struct invocation *inv, int i, struct cte **s)
{
    errval_t err = inv->arg[i] > UINT32_MAX ? SYS_ERR_ARG_RANGE
                                            : cspace_lookup(inv->d, (capaddr_t)inv->arg[i], s);
    return err_is_ok(err) ? err : invoke_refuse_arg(inv, i + 1, err, 0, UINT32_MAX);
}

struct sysret invoke_cnode_copy(struct invocation *inv)
{
    struct cte *src, *dest;
    errval_t err;
    if (err_is_fail(err = slot_arg(inv, 0, &src)) || err_is_fail(err = slot_arg(inv, 1, &dest)))
        return ret(err);
    return ret(cap_copy(&this_core()->mdb, src, dest));
}

/* Only an imported capability moves: it cannot be copied, so without a
 * move it would hold the receive slot for its life (a VSIC's rings), and
 * nothing but capmove tracks it by slot (capmove_slot_moved follows it).
 * A local one is copied and deleted instead (a DMA registration or a
 * mapping records its slot); a mapped import is refused for the same
 * reason. */
struct sysret invoke_cnode_move(struct invocation *inv)
{
    struct cte *src, *dest;
    errval_t err;
    if (err_is_fail(err = slot_arg(inv, 0, &src)) || err_is_fail(err = slot_arg(inv, 1, &dest)))
        return ret(err);
    if (src->cap.type == CAP_NULL)
        return ret(CAP_ERR_SLOT_EMPTY);
    if (!(src->cap._reserved[CAP_FLAGS] & CAP_FLAG_IMPORTED))
        return ret(CAP_ERR_MOVE_LOCAL);
    if (mapping_slot_is_mapped(inv->d, src))
        return ret(CAP_ERR_MOVE_MAPPED);
    err = cap_move(&this_core()->mdb, src, dest);
    if (err_is_ok(err))
        capmove_slot_moved(src, dest);
    return ret(err);
}

struct sysret invoke_cnode_mint(struct invocation *inv)
{
    struct cte *src, *dest;
    errval_t err;
    if (err_is_fail(err = slot_arg(inv, 0, &src)) || err_is_fail(err = slot_arg(inv, 1, &dest)))
        return ret(err);
    if (inv->arg[2] & ~(uint64_t)CAP_RIGHT_ALL)
        return ret(invoke_refuse_arg(inv, 3, SYS_ERR_ARG_RANGE, 0, CAP_RIGHT_ALL));
    return ret(cap_mint(&this_core()->mdb, src, dest, (unsigned)inv->arg[2]));
}

struct sysret invoke_cnode_delete(struct invocation *inv)
{
    struct cte *s;
    errval_t err = slot_arg(inv, 0, &s);
    if (err_is_fail(err))
        return ret(err);
    if (s->cap.type == CAP_CNODE && s->cap.base == inv->d->rootcn.base)
        return ret(CAP_ERR_WRONG_TYPE);         /* a domain keeps its own root */
    return ret(cap_delete(&this_core()->mdb, s));
}

struct sysret invoke_cnode_revoke(struct invocation *inv)
{
    struct cte *s;
    errval_t err = slot_arg(inv, 0, &s);
    if (err_is_fail(err))
        return ret(err);
    if (s->cap.type == CAP_CNODE && s->cap.base == inv->d->rootcn.base)
        return ret(CAP_ERR_WRONG_TYPE);
    return ret(cap_revoke(&this_core()->mdb, s));
}

struct sysret invoke_cnode_retype(struct invocation *inv)
{
    struct cte *src, *dest_l1, *first;
    errval_t err;
    uint64_t a = inv->arg[1];
    if (err_is_fail(err = slot_arg(inv, 0, &src)))
        return ret(err);
    if (RETYPE_OBJBITS(a) > MAX_OBJBITS || RETYPE_OFFSET(a) > (1ull << 36))
        return ret(invoke_refuse_arg(inv, 2, SYS_ERR_ARG_RANGE, 0,
                                     (1ull << 36) << 16 | MAX_OBJBITS << 8 | 0xff));
    if (inv->arg[2] == 0 || inv->arg[2] > CAP_L2_SLOTS)
        return ret(invoke_refuse_arg(inv, 3, SYS_ERR_ARG_RANGE, 1, CAP_L2_SLOTS));
    capaddr_t dest = (capaddr_t)inv->arg[3];
    if (err_is_fail(err = slot_arg(inv, 3, &first)))
        return ret(err);
    if (err_is_fail(err = cspace_lookup_l1(inv->d, dest, &dest_l1)))
        return ret(invoke_refuse_arg(inv, 4, err, 0, UINT32_MAX));
    struct cap_retype_args args = {
        .type = (enum cap_type)RETYPE_TYPE(a),
        .offset = RETYPE_OFFSET(a) * 4096,
        .objbytes = 1ull << RETYPE_OBJBITS(a),
        .count = (uint32_t)inv->arg[2],
        .dest_cnode = &dest_l1->cap,
        .dest_slot = CAP_CPTR_L2(dest),
    };
    return ret(cap_retype(&this_core()->mdb, src, &args));
}

struct sysret invoke_cnode_identify(struct invocation *inv)
{
    struct cte *s;
    struct cap_identity id;
    errval_t err = slot_arg(inv, 0, &s);
    if (err_is_ok(err))
        err = cap_identify(s, &id);
    if (err_is_fail(err))
        return ret(err);
    err = vspace_copy_in(&inv->d->vspace, inv->arg[1], &id, sizeof(id));
    return ret(err_is_ok(err) ? err : invoke_refuse_arg(inv, 2, err, 0, 0));
}
