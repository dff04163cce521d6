/*
 * invoke.c: route a capability invocation to its decoder through the
 * table [capability type][command]. An empty entry is an illegal
 * invocation; a capability without the right the command needs is refused
 * here, before any decoder runs.
 */
#include <invoke.h>
#include <invoke_ops.h>
#include <span.h>
#include <mapping.h>
#include <capmove.h>

struct invoke_entry {
    invoke_fn fn;
    const char *name;
    uint8_t rights;             /* rights the invoked capability must hold */
};

#define MAX_CMD 16

static const struct invoke_entry table[CAP_TYPE_COUNT][MAX_CMD] = {
    [CAP_CNODE] = {
        [CNODE_CMD_COPY]     = { invoke_cnode_copy, "CNode.copy", CAP_RIGHT_WRITE },
        [CNODE_CMD_MINT]     = { invoke_cnode_mint, "CNode.mint", CAP_RIGHT_WRITE },
        [CNODE_CMD_DELETE]   = { invoke_cnode_delete, "CNode.delete", CAP_RIGHT_WRITE },
        [CNODE_CMD_REVOKE]   = { invoke_cnode_revoke, "CNode.revoke", CAP_RIGHT_WRITE },
        [CNODE_CMD_RETYPE]   = { invoke_cnode_retype, "CNode.retype", CAP_RIGHT_WRITE },
        [CNODE_CMD_IDENTIFY] = { invoke_cnode_identify, "CNode.identify", CAP_RIGHT_READ },
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
        [KERNEL_CMD_NICS]      = { invoke_kernel_nics, "Kernel.nics", 0 },
        [KERNEL_CMD_VNIC_CREATE] = { invoke_kernel_vnic_create, "Kernel.vnic_create", 0 },
        [KERNEL_CMD_FILTERS]   = { invoke_kernel_filters, "Kernel.filters", 0 },
    },
    [CAP_FRAME] = {
        [FRAME_CMD_MAP]   = { invoke_frame_map, "Frame.map", CAP_RIGHT_READ },
        [FRAME_CMD_UNMAP] = { invoke_frame_unmap, "Frame.unmap", 0 },
    },
    [CAP_VNIC] = {
        [VNIC_CMD_MAP_REGS]       = { invoke_vnic_map_regs, "VNIC.map_regs", CAP_RIGHT_WRITE },
        [VNIC_CMD_REGISTER_DMA]   = { invoke_vnic_register_dma, "VNIC.register_dma", CAP_RIGHT_WRITE },
        [VNIC_CMD_UNREGISTER_DMA] = { invoke_vnic_unregister_dma, "VNIC.unregister_dma", 0 },
        [VNIC_CMD_RATE_SET]       = { invoke_vnic_rate_set, "VNIC.rate_set", CAP_RIGHT_WRITE },
        [VNIC_CMD_FILTER_CREATE]  = { invoke_vnic_filter_create, "VNIC.filter_create", CAP_RIGHT_WRITE },
        [VNIC_CMD_DOORBELL_CREATE] = { invoke_vnic_doorbell_create, "VNIC.doorbell_create", CAP_RIGHT_WRITE },
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

struct sysret invoke_dispatch(struct invocation *inv)
{
    unsigned type = inv->slot->cap.type;
    inv->name = cap_type_name(type);
    if (type >= CAP_TYPE_COUNT || inv->cmd >= MAX_CMD || !table[type][inv->cmd].fn)
        return (struct sysret){ SYS_ERR_ILLEGAL_INVOCATION, 0 };
    const struct invoke_entry *e = &table[type][inv->cmd];
    inv->name = e->name;
    if ((inv->slot->cap.rights & e->rights) != e->rights)
        return (struct sysret){ CAP_ERR_RIGHTS, 0 };
    return e->fn(inv);
}
