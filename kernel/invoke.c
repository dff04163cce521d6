/*
 * invoke.c: route a capability invocation to its decoder through the
 * table [capability type][command]. An empty entry is an illegal
 * invocation; a capability without the right the command needs is refused
 * here, before any decoder runs. The kernel's own rows are below; drivers
 * add the rows of the types they serve (VNIC, Filter, Doorbell, and NIC
 * commands of the Kernel capability) with invoke_register() at boot.
 */
#include <invoke.h>
#include <invoke_ops.h>
#include <span.h>
#include <mapping.h>
#include <capmove.h>
#include <panic.h>

#define MAX_CMD INVOKE_MAX_CMD

static const struct invoke_entry table[CAP_TYPE_COUNT][MAX_CMD] = {
    [CAP_CNODE] = {
        [CNODE_CMD_COPY]     = { invoke_cnode_copy, "CNode.copy", CAP_RIGHT_WRITE },
        [CNODE_CMD_MINT]     = { invoke_cnode_mint, "CNode.mint", CAP_RIGHT_WRITE },
        [CNODE_CMD_DELETE]   = { invoke_cnode_delete, "CNode.delete", CAP_RIGHT_WRITE },
        [CNODE_CMD_REVOKE]   = { invoke_cnode_revoke, "CNode.revoke", CAP_RIGHT_WRITE },
        [CNODE_CMD_RETYPE]   = { invoke_cnode_retype, "CNode.retype", CAP_RIGHT_WRITE },
        [CNODE_CMD_IDENTIFY] = { invoke_cnode_identify, "CNode.identify", CAP_RIGHT_READ },
        [CNODE_CMD_MOVE]     = { invoke_cnode_move, "CNode.move", CAP_RIGHT_WRITE },
    },
    [CAP_KERNEL] = {
        [KERNEL_CMD_SPAWN]     = { invoke_kernel_spawn, "Kernel.spawn", 0 },
        [KERNEL_CMD_CORE_INFO] = { invoke_kernel_core_info, "Kernel.core_info", 0 },
        [KERNEL_CMD_DOMAINS]   = { invoke_kernel_domains, "Kernel.domains", 0 },
        [KERNEL_CMD_KILL]      = { invoke_kernel_kill, "Kernel.kill", 0 },
        [KERNEL_CMD_MODULES]   = { invoke_kernel_modules, "Kernel.modules", 0 },
        [KERNEL_CMD_START_MONITOR] = { invoke_kernel_start_monitor, "Kernel.start_monitor", 0 },
        [KERNEL_CMD_NOTIFY]    = { invoke_kernel_notify, "Kernel.notify", 0 },
        [KERNEL_CMD_CAPS]      = { invoke_kernel_caps, "Kernel.caps", 0 },
        [KERNEL_CMD_CAP_IMPORT] = { capmove_invoke_import, "Kernel.cap_import", 0 },
        [KERNEL_CMD_CAP_EXPORT] = { capmove_invoke_export, "Kernel.cap_export", 0 },
        [KERNEL_CMD_CAP_DROP]   = { capmove_invoke_drop, "Kernel.cap_drop", 0 },
        [KERNEL_CMD_CAP_RELEASE] = { capmove_invoke_release, "Kernel.cap_release", 0 },
    },
    [CAP_FRAME] = {
        [FRAME_CMD_MAP]   = { invoke_frame_map, "Frame.map", CAP_RIGHT_READ },
        [FRAME_CMD_UNMAP] = { invoke_frame_unmap, "Frame.unmap", 0 },
    },
    [CAP_DISPATCHER] = {
        [DISPATCHER_CMD_SPAN] = { span_invoke, "Dispatcher.span", CAP_RIGHT_WRITE },
    },
    [CAP_ENDPOINT] = {
        [ENDPOINT_CMD_SEND]  = { invoke_endpoint_send, "Endpoint.send", CAP_RIGHT_WRITE },
        [ENDPOINT_CMD_SEND_CAP] = { invoke_endpoint_send_cap, "Endpoint.send_cap",
                                    CAP_RIGHT_WRITE | CAP_RIGHT_GRANT },
    },
};

/* Rows registered by drivers (written at boot, read-only after). */
static const struct invoke_entry *registered[CAP_TYPE_COUNT][MAX_CMD];

void invoke_register(unsigned type, const struct invoke_entry *cmds, unsigned n)
{
    if (type >= CAP_TYPE_COUNT || n > MAX_CMD)
        panic("invoke: a driver registers type %u, %u commands: out of range", type, n);
    for (unsigned c = 0; c < n; c++) {
        if (!cmds[c].fn)
            continue;
        if (table[type][c].fn || registered[type][c])
            panic("invoke: %s registered twice", cmds[c].name);
        registered[type][c] = &cmds[c];
    }
}

struct sysret invoke_dispatch(struct invocation *inv)
{
    unsigned type = inv->slot->cap.type;
    inv->name = cap_type_name(type);
    if (type >= CAP_TYPE_COUNT || inv->cmd >= MAX_CMD)
        return (struct sysret){ SYS_ERR_ILLEGAL_INVOCATION, 0 };
    const struct invoke_entry *e = table[type][inv->cmd].fn ? &table[type][inv->cmd]
                                                            : registered[type][inv->cmd];
    if (!e)
        return (struct sysret){ SYS_ERR_ILLEGAL_INVOCATION, 0 };
    inv->name = e->name;
    if ((inv->slot->cap.rights & e->rights) != e->rights)
        return (struct sysret){ CAP_ERR_RIGHTS, 0 };
    return e->fn(inv);
}
