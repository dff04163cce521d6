/*
 * nic.c: the NIC commands' one entry point (nic.h). The first
 * nic_register() takes the kernel's slots for Kernel.nics /
 * vnic_create / filters and every VNIC command (invoke_register), with
 * the rights each needs; each call then goes to the serving driver's own
 * decoder, which checks everything as before. Registration happens at
 * boot on core 0 only; afterwards the table is read-only.
 */
#include <net/nic/nic.h>
#include <console.h>
#include <panic.h>
#include <kpi/syscall.h>

#define NIC_DRIVERS_MAX 4

static const struct nic_ops *drivers[NIC_DRIVERS_MAX];
static unsigned ndrivers;
static const struct nic_ops *told_serving;

static const struct nic_ops *serving(void)
{
    for (unsigned i = 0; i < ndrivers; i++)
        if (drivers[i]->up && drivers[i]->up())
            return drivers[i];
    return ndrivers ? drivers[0] : NULL;
}

static struct sysret forward(struct invocation *inv, bool vnic)
{
    const struct nic_ops *d = serving();
    if (!d)
        return (struct sysret){ SYS_ERR_ILLEGAL_INVOCATION, 0 };
    if (d != told_serving && d->up && d->up()) {
        told_serving = d;
        for (unsigned i = 0; i < ndrivers; i++)
            if (drivers[i] != d && drivers[i]->up && drivers[i]->up())
                kprintf("nic: the %s is up too; the control plane serves the %s only\n",
                        drivers[i]->name, d->name);
    }
    const struct invoke_entry *t = vnic ? d->vnic_cmds : d->kernel_cmds;
    unsigned n = vnic ? d->nvnic : d->nkernel;
    if (inv->cmd >= n || !t[inv->cmd].fn)
        return (struct sysret){ d->unserved, 0 };
    return t[inv->cmd].fn(inv);
}

static struct sysret kernel_cmd(struct invocation *inv) { return forward(inv, false); }
static struct sysret vnic_cmd(struct invocation *inv) { return forward(inv, true); }

static const struct invoke_entry kernel_cmds[] = {
    [KERNEL_CMD_NICS]        = { kernel_cmd, "Kernel.nics", 0 },
    [KERNEL_CMD_VNIC_CREATE] = { kernel_cmd, "Kernel.vnic_create", 0 },
    [KERNEL_CMD_FILTERS]     = { kernel_cmd, "Kernel.filters", 0 },
};

static const struct invoke_entry vnic_cmds[] = {
    [VNIC_CMD_MAP_REGS]        = { vnic_cmd, "VNIC.map_regs", CAP_RIGHT_WRITE },
    [VNIC_CMD_REGISTER_DMA]    = { vnic_cmd, "VNIC.register_dma", CAP_RIGHT_WRITE },
    [VNIC_CMD_UNREGISTER_DMA]  = { vnic_cmd, "VNIC.unregister_dma", 0 },
    [VNIC_CMD_RATE_SET]        = { vnic_cmd, "VNIC.rate_set", CAP_RIGHT_WRITE },
    [VNIC_CMD_FILTER_CREATE]   = { vnic_cmd, "VNIC.filter_create", CAP_RIGHT_WRITE },
    [VNIC_CMD_DOORBELL_CREATE] = { vnic_cmd, "VNIC.doorbell_create", CAP_RIGHT_WRITE },
};

#define N(a) (sizeof(a) / sizeof((a)[0]))

void nic_register(const struct nic_ops *ops)
{
    if (ndrivers == NIC_DRIVERS_MAX)
        panic("nic: more than %d NIC drivers register", NIC_DRIVERS_MAX);
    if (ndrivers == 0) {
        invoke_register(CAP_KERNEL, kernel_cmds, N(kernel_cmds));
        invoke_register(CAP_VNIC, vnic_cmds, N(vnic_cmds));
    }
    drivers[ndrivers++] = ops;
}
