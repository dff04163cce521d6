/*
 * invoke_kernel.c: the Kernel capability, held by init and the monitors:
 * spawn a domain on this core, list and stop this core's domains, name the
 * boot modules, and ask another core's CPU driver to start its monitor.
 */
#include <invoke_ops.h>
#include <dispatch.h>
#include <spawn.h>
#include <core.h>
#include <console.h>
#include <string.h>
#include <monitor_link.h>
#include <cap/cap.h>
#include <cspace.h>
#include <kpi/monitor.h>
#include <mapping.h>

static struct sysret ret(errval_t e, uint64_t v) { return (struct sysret){ e, v }; }

struct sysret invoke_kernel_spawn(struct invocation *inv)
{
    struct dcb *d = inv->d;
    struct spawn_request req;
    errval_t err = vspace_copy_out(&d->vspace, &req, inv->arg[0], sizeof(req));
    if (err_is_fail(err))
        return ret(invoke_refuse_arg(inv, 1, err, 0, 0), 0);
    req.name[SPAWN_NAME_MAX - 1] = '\0';
    req.args[SPAWN_ARGS_MAX - 1] = '\0';
    if (req.flags & ~SPAWN_FLAGS_KNOWN)
        return ret(invoke_refuse_arg(inv, 1, SYS_ERR_ARG_RANGE, 0, SPAWN_FLAGS_KNOWN), 0);
    struct cte *frame = NULL;
    if (req.flags & SPAWN_FLAG_FRAME) {
        err = cspace_lookup(d, req.frame, &frame);
        if (err_is_ok(err) && (frame->cap.type != CAP_FRAME || !(frame->cap.rights & CAP_RIGHT_WRITE) ||
                               frame->cap.bytes > SPAWN_FRAME_MAX || mapping_slot_is_mapped(d, frame)))
            err = SPAWN_ERR_FRAME;
        if (err_is_fail(err))
            return ret(invoke_refuse_arg(inv, 1, err, 0, 0), 0);
    }
    if (err_is_fail(err = cap_vsa_grants_check(req.vsa, TASKCN_VSAS)))
        return ret(invoke_refuse_arg(inv, 1, err, 0, TASKCN_VSAS), 0);
    uint64_t mem = req.mem_bytes ? req.mem_bytes : DOMAIN_RAM_BYTES;
    if (err_is_fail(err = spawn_mem_check(mem))) {
        /* the one log line names the bytes asked for and what this core can give */
        uint64_t free = this_core()->pmm.free_pages * PAGE_SIZE;
        inv->why = (struct refusal){ 1, mem, SPAWN_MEM_UNIT,
                                     free > SPAWN_MEM_RESERVE ? free - SPAWN_MEM_RESERVE : 0 };
        return ret(err, 0);
    }
    uint32_t id;
    err = spawn_domain_with(req.name, req.args, false,
                            req.flags & SPAWN_FLAG_ADMIN ? MONITOR_BADGE_ADMIN : MONITOR_BADGE_CLIENT,
                            frame, mem, req.vsa, &id);
    return ret(err, err_is_ok(err) ? id : 0);
}

struct sysret invoke_kernel_core_info(struct invocation *inv)
{
    return ret(ERR_OK, this_core()->id | (uint64_t)ncores << 32);
}

struct sysret invoke_kernel_domains(struct invocation *inv)
{
    struct dcb *d = inv->d;
    uint64_t max = inv->arg[1];
    if (max > DCBS_PER_CORE)
        max = DCBS_PER_CORE;
    if (!vspace_user_range(&d->vspace, inv->arg[0], max * sizeof(struct domain_info), true))
        return ret(SYS_ERR_BAD_USER_POINTER, 0);
    struct core *c = this_core();
    uint64_t n = 0;
    for (int i = 0; i < DCBS_PER_CORE && n < max; i++) {
        struct dcb *x = &c->dcbs[i];
        if (x->state == 0)
            continue;
        struct domain_info info = { .id = x->id, .core = c->id, .state = x->state,
                                    .exit_status = (uint32_t)x->exit_status };
        memcpy(info.name, x->name, sizeof(info.name));
        errval_t err = vspace_copy_in(&d->vspace, inv->arg[0] + n * sizeof(info), &info, sizeof(info));
        if (err_is_fail(err))
            return ret(invoke_refuse_arg(inv, 1, err, 0, 0), n);
        n++;
    }
    return ret(ERR_OK, n);
}

struct sysret invoke_kernel_kill(struct invocation *inv)
{
    struct dcb *x = inv->arg[0] <= UINT32_MAX ? dispatch_find((uint32_t)inv->arg[0]) : NULL;
    if (!x || x->state != DOMAIN_RUNNABLE)
        return ret(SYS_ERR_NO_DOMAIN, 0);
    if (x == inv->d)
        return ret(SYS_ERR_ARG_RANGE, 0);       /* use exit */
    dispatch_kill(x, DOMAIN_KILLED, -1, "killed on request");
    return ret(ERR_OK, 0);
}

struct sysret invoke_kernel_modules(struct invocation *inv)
{
    struct dcb *d = inv->d;
    uint64_t size = inv->arg[1];
    if (size == 0 || size > 4096 || !vspace_user_range(&d->vspace, inv->arg[0], size, true))
        return ret(SYS_ERR_BAD_USER_POINTER, 0);
    char buf[4096];
    size_t pos = 0;
    for (size_t i = 0; i < spawn_module_count(); i++) {
        const char *n = spawn_module(i)->name;
        size_t len = strlen(n);
        if (pos + len + 2 > size)
            break;
        memcpy(buf + pos, n, len);
        pos += len;
        buf[pos++] = ' ';
    }
    buf[pos ? pos - 1 : 0] = '\0';
    errval_t err = vspace_copy_in(&d->vspace, inv->arg[0], buf, pos ? pos : 1);
    return ret(err_is_ok(err) ? err : invoke_refuse_arg(inv, 1, err, 0, 0), err_is_ok(err) ? pos : 0);
}

struct sysret invoke_kernel_start_monitor(struct invocation *inv)
{
    uint64_t core = inv->arg[0];
    if (core >= ncores || !cores[core])
        return ret(SYS_ERR_ARG_RANGE, ncores);
    if (core == this_core()->id) {
        uint32_t id;
        errval_t err = spawn_domain("monitor", "", true, &id);
        return ret(err, id);
    }
    uint32_t id;
    return ret(monitor_link_start((uint32_t)core, &id), 0);
}

struct sysret invoke_kernel_notify(struct invocation *inv)
{
    struct dcb *t = inv->arg[0] <= UINT32_MAX ? dispatch_find((uint32_t)inv->arg[0]) : NULL;
    if (!t)
        return ret(SYS_ERR_NO_DOMAIN, 0);
    uint64_t w[LMP_WORDS] = { inv->arg[1], inv->arg[2], inv->arg[3], 0 };
    return ret(dispatch_deliver(t, w, inv->d->id), 0);
}

/* One entry of Kernel.caps' answer. */
static errval_t put_cap_info(struct invocation *inv, uint64_t *n, const struct cte *slot,
                             capaddr_t cptr, unsigned level)
{
    struct cap_info info = { .cptr = cptr, .level = level };
    errval_t err = cap_identify(slot, &info.id);
    if (err_is_ok(err))
        err = vspace_copy_in(&inv->d->vspace, inv->arg[1] + *n * sizeof(info), &info, sizeof(info));
    if (err_is_fail(err))
        return invoke_refuse_arg(inv, 2, err, 0, 0);
    (*n)++;
    return ERR_OK;
}

/* Walk a domain's L1 CNode and the L2 CNodes in it. */
struct sysret invoke_kernel_caps(struct invocation *inv)
{
    struct dcb *d = inv->d;
    struct dcb *x = inv->arg[0] <= UINT32_MAX ? dispatch_find((uint32_t)inv->arg[0]) : NULL;
    uint64_t max = inv->arg[2];
    if (!x || x->state != DOMAIN_RUNNABLE)
        return ret(SYS_ERR_NO_DOMAIN, 0);
    if (max > 1024 || !vspace_user_range(&d->vspace, inv->arg[1], max * sizeof(struct cap_info), true))
        return ret(SYS_ERR_BAD_USER_POINTER, 0);
    uint64_t n = 0;
    const struct capability *root = &x->root_slot.cap;
    for (uint64_t i = 0; i < cnode_slot_count(root) && n < max; i++) {
        struct cte *l1 = &root->u.cnode.slots[i];
        if (l1->cap.type == CAP_NULL)
            continue;
        errval_t err = put_cap_info(inv, &n, l1, CAP_CPTR(i, 0), 1);
        if (err_is_fail(err))
            return ret(err, n);
        if (l1->cap.type != CAP_CNODE)
            continue;
        for (uint64_t k = 0; k < cnode_slot_count(&l1->cap) && n < max; k++) {
            struct cte *s = &l1->cap.u.cnode.slots[k];
            if (s->cap.type == CAP_NULL)
                continue;
            err = put_cap_info(inv, &n, s, CAP_CPTR(i, k), 2);
            if (err_is_fail(err))
                return ret(err, n);
        }
    }
    return ret(ERR_OK, n);
}
