/**
 * \file nic.h
 * \brief drivers/net/nic/: the one interface through which the SR-IOV NIC
 * drivers' kernel halves serve the Kernel NIC commands (nics, vnic_create,
 * filters) and the VNIC capability's commands (map_regs, DMA, rate,
 * filter, doorbell). The kernel's invocation table has one slot per
 * command; this layer takes those slots and forwards each call to the NIC
 * driver that is up (the first registered, if none is), so the 82576 and
 * the 82599 drivers can both be linked and each names its own refusals.
 * One NIC serves at a time: a second one that comes up is logged and left
 * out of the control plane.
 */
#ifndef NET_NIC_NIC_H
#define NET_NIC_NIC_H
#include <stdbool.h>
#include <kpi/errors.h>
#include <invoke.h>

struct nic_ops {
    const char *name;                       /* "82576", "82599" */
    bool (*up)(void);                       /* the PF came up */
    const struct invoke_entry *kernel_cmds; /* indexed by KERNEL_CMD_* */
    unsigned nkernel;
    const struct invoke_entry *vnic_cmds;   /* indexed by VNIC_CMD_* */
    unsigned nvnic;
    errval_t unserved;                      /* this NIC's refusal of a command it lacks */
};

/** At boot, from a NIC driver's DRIVER() init (before user space). */
void nic_register(const struct nic_ops *ops);
#endif
