/*
 * cnode.c: CNodes (arrays of capability slots) and cspace addressing.
 *
 * Interface: cnode_init (make a CNode capability for slot storage the caller
 * supplies: the boot CNode in the kernel, static arrays in tests; retype
 * makes all others from RAM), cnode_slot_count, cnode_slot (index into one
 * CNode, bounds-checked), cnode_lookup (resolve a cptr from a root CNode).
 *
 * Addressing is two-level, as in kpi/caps.h: a cptr's high 24 bits index the
 * root (L1) CNode, the low 8 bits an L2 CNode found in that L1 slot. Level 1
 * stops at the L1 slot; level 2 requires it to hold a CNode and indexes it.
 *
 * Invariants: a CNode capability of `bytes` bytes has bytes / 64 slots at
 * u.cnode.slots; no index at or past that count is ever dereferenced.
 */
#include <cap/cap.h>
#include <string.h>

void cnode_init(struct cte *slots, uint64_t nslots, uint64_t paddr, struct capability *out)
{
    memset(slots, 0, nslots * sizeof(struct cte));
    *out = (struct capability){
        .type = CAP_CNODE,
        .rights = CAP_RIGHT_ALL,
        .base = paddr,
        .bytes = nslots * sizeof(struct cte),
        .u.cnode.slots = slots,
    };
}

uint64_t cnode_slot_count(const struct capability *cnode)
{
    return cnode->bytes / sizeof(struct cte);
}

errval_t cnode_slot(const struct capability *cnode, uint64_t index, struct cte **ret)
{
    if (cnode->type != CAP_CNODE)
        return CAP_ERR_WRONG_TYPE;
    if (index >= cnode_slot_count(cnode))
        return CAP_ERR_SLOT_OUT_OF_RANGE;
    *ret = &cnode->u.cnode.slots[index];
    return ERR_OK;
}

errval_t cnode_lookup(const struct capability *root, capaddr_t cptr, unsigned level,
                      struct cte **ret)
{
    if (level != CAP_LEVEL_L1 && level != CAP_LEVEL_L2)
        return CAP_ERR_LOOKUP_LEVEL;

    struct cte *l1;
    errval_t err = cnode_slot(root, CAP_CPTR_L1(cptr), &l1);
    if (err_is_fail(err))
        return err_push(err, CAP_ERR_LOOKUP_L1);
    if (level == CAP_LEVEL_L1) {
        *ret = l1;
        return ERR_OK;
    }
    if (l1->cap.type == CAP_NULL)
        return err_push(CAP_ERR_SLOT_EMPTY, CAP_ERR_LOOKUP_L1);
    if (l1->cap.type != CAP_CNODE)
        return err_push(CAP_ERR_WRONG_TYPE, CAP_ERR_LOOKUP_L1);
    err = cnode_slot(&l1->cap, CAP_CPTR_L2(cptr), ret);
    return err_is_fail(err) ? err_push(err, CAP_ERR_LOOKUP_L2) : ERR_OK;
}
