/* vnictest: ask the monitor for a VNIC (run it on the NIC's core, 0),
 * map the VF's registers and read its STATUS, register a Frame for DMA
 * (and be refused registering it twice), create Filters (and be refused
 * the ones the NIC cannot express), then answer pings until killed;
 * the kernel must then free the VF. */
#include <libos/debug.h>
#include <libos/libos.h>
#include <libos/lmp.h>
#include <libos/syscall.h>
#include <libos/vnic.h>
#include <kpi/cspace.h>
#include <kpi/dispatcher.h>
#include <kpi/monitor.h>
#include <kpi/syscall.h>
#include <net/igb/shared/vfregs.h>

#define MONITOR CAP_TASK(TASKCN_SLOT_MONITOREP)
#define ROOTCN CAP_TASK(TASKCN_SLOT_ROOTCN)
#define VNIC CAP_TASK(TASKCN_SLOT_RECV)
#define REGS_VA USER_MAP_BASE

static const char *try_filter(uint32_t flags, uint16_t vlan, capaddr_t slot)
{
    struct filter_spec s = { .flags = flags, .vlan = vlan, .proto = 17, .port_lo = 7, .port_hi = 7 };
    return err_name(err_no(vnic_filter_create(VNIC, &s, slot, NULL)));
}

/* Filters the NIC can express, and ones it cannot; the VLAN one is
 * deleted again, the untagged one stays until the domain ends. */
static void filters(void)
{
    const char *mac = try_filter(FILTER_MAC, 0, CAP_SLOT(1));
    const char *vlan = try_filter(FILTER_MAC | FILTER_VLAN, 7, CAP_SLOT(2));
    const char *ports = try_filter(FILTER_MAC | FILTER_PROTO | FILTER_PORTS, 0, CAP_SLOT(3));
    const char *etype = try_filter(FILTER_MAC | FILTER_ETHERTYPE, 0, CAP_SLOT(3));
    const char *inexact = try_filter(FILTER_BROADCAST | FILTER_VLAN, 7, CAP_SLOT(3));
    const char *badvlan = try_filter(FILTER_MAC | FILTER_VLAN, 4095, CAP_SLOT(3));
    const char *used = try_filter(FILTER_MAC, 0, CAP_SLOT(1));
    debug_printf("vnictest: filters: mac %s, mac vlan 7 %s, udp port 7 %s, ethertype %s, "
                 "broadcast vlan 7 %s, vlan 4095 %s, into a used slot %s\n", mac, vlan, ports,
                 etype, inexact, badvlan, used);
    errval_t del = sys_invoke(ROOTCN, CNODE_CMD_DELETE, CAP_SLOT(2), 0, 0, 0).err;
    debug_printf("vnictest: vlan filter deleted: %s\n", err_name(err_no(del)));
}

int main(int argc, char *argv[])
{
    errval_t before = sys_invoke(VNIC, VNIC_CMD_MAP_REGS, REGS_VA, 0, 0, 0).err;
    debug_printf("vnictest: without a VNIC, mapping VF registers: %s\n", err_name(err_no(before)));
    unsigned vf;
    errval_t err = vnic_acquire(&vf);
    if (err_is_fail(err)) {
        debug_err("vnictest: no VNIC", err);
        return 1;
    }
    err = sys_invoke(VNIC, VNIC_CMD_MAP_REGS, REGS_VA, 0, 0, 0).err;
    if (err_is_fail(err)) {
        debug_err("vnictest: map the VF's registers", err);
        return 1;
    }
    uint32_t status = *(volatile uint32_t *)(uintptr_t)(REGS_VA + IGBVF_STATUS);
    err = sys_invoke(ROOTCN, CNODE_CMD_RETYPE, CAP_TASK(TASKCN_SLOT_RAM), CAP_FRAME | 12 << 8, 1,
                     CAP_SLOT(0)).err;
    errval_t reg = err_is_ok(err) ? sys_invoke(VNIC, VNIC_CMD_REGISTER_DMA, CAP_SLOT(0), 0, 0, 0).err : err;
    errval_t twice = sys_invoke(VNIC, VNIC_CMD_REGISTER_DMA, CAP_SLOT(0), 0, 0, 0).err;
    debug_printf("vnictest: VF %u registers mapped, STATUS %#x (link %s); DMA frame registered: %s; "
                 "twice: %s\n", vf, status, status & IGBVF_STATUS_LU ? "up" : "down",
                 err_name(err_no(reg)), err_name(err_no(twice)));
    errval_t rate = sys_invoke(VNIC, VNIC_CMD_RATE_SET, 1000000, 0, 0, 0).err;
    debug_printf("vnictest: rate limit of 1 MB/s: %s\n", err_name(err_no(rate)));
    filters();
    for (;;) {                          /* answer pings until killed */
        struct lmp_msg m;
        if (err_is_fail(lmp_recv(&m)))
            return 1;
        if (m.words[0] == MONITOR_MSG_PING)
            lmp_send(MONITOR, MONITOR_MSG_PONG, m.words[1], libos_domain_id(), 0);
    }
}
