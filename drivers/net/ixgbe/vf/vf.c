/*
 * vf.c: the 82599 VF's own steps (struct vf_nic ixgbevf_nic); the bring-up
 * they fit into is drivers/net/vf/open.c. As Linux ixgbevf does them
 * (ixgbevf_reset_hw_vf, ixgbevf_configure_rx_ring/tx_ring), to the
 * datasheet's VF registers (8.3.5). NOT RUN ON HARDWARE here.
 *   reset: VFCTRL.RST, wait for the PF's reset to be over (RSTI clear),
 *     then the mailbox conversation of bringup.c: VF_RESET (MAC),
 *     API_NEGOTIATE 1.4..1.0, GET_QUEUES;
 *   queues_start: queue 0 as on the 82576 at the 82599's offsets, SRRCTL
 *     in the 82599's bit positions (DROP_EN bit 28, BSIZEHEADER 13:8);
 *   interrupts: VTIVAR0 routes Rx queue 0 to an MSI-X entry.
 */
#include <net/ixgbe/vf/vf.h>
#include <net/ixgbe/vf/bringup.h>
#include <libos/libos.h>
#include <libos/syscall.h>
#include <libos/tsc.h>
#include <kpi/syscall.h>
#include <string.h>

#define ENABLE_POLLS    1000
#define RSTI_WAIT_MS    200         /* Linux ixgbevf waits up to 200 ms (IXGBE_VF_INIT_TIMEOUT) */

static errval_t ixgbevf_reset(struct vf *vf)
{
    vf_reg_wr(vf, IXGBEVF_CTRL, IXGBEVF_CTRL_RST);
    uint64_t deadline = rdtsc_now() + libos_tsc_hz() / 1000 * RSTI_WAIT_MS;
    while (vf_reg_rd(vf, IXGBEVF_MAILBOX) & IXGBEVF_MBX_RSTI) {
        if (rdtsc_now() > deadline)
            return VF_ERR_RESET;
        sys_yield(SYS_YIELD_BLOCK);
    }
    struct ixgbevf_bringup b;
    uint32_t msg[16], reply[16];
    unsigned n, got;
    ixgbevf_bringup_init(&b);
    while (ixgbevf_bringup_next(&b, msg, &n)) {
        errval_t err = ixgbevf_mbx_call(vf->regs, msg, n, reply, &got);
        if (err_is_fail(err))
            return err;
        ixgbevf_bringup_reply(&b, reply, got);
    }
    if (b.step != IXGBEVF_STEP_READY)
        return b.err;
    memcpy(vf->mac, b.mac, VF_MAC_LEN);
    return ERR_OK;
}

static void ixgbevf_queues_start(struct vf *vf)
{
    uint64_t rx = vf->rings_pa, tx = vf->rings_pa + VF_RING_BYTES;
    vf_reg_wr(vf, IXGBEVF_RXDCTL(0), 0);
    vf_reg_wr(vf, IXGBEVF_RDBAL(0), (uint32_t)rx);
    vf_reg_wr(vf, IXGBEVF_RDBAH(0), (uint32_t)(rx >> 32));
    vf_reg_wr(vf, IXGBEVF_RDLEN(0), VF_RING_BYTES);
    vf_reg_wr(vf, IXGBEVF_SRRCTL(0), IXGBEVF_SRRCTL_VALUE);
    vf_reg_wr(vf, IXGBEVF_RDH(0), 0);
    vf_reg_wr(vf, IXGBEVF_RDT(0), 0);
    vf_reg_wr(vf, IXGBEVF_RXDCTL(0), IXGBEVF_RXDCTL_ENABLE);
    for (unsigned i = 0; i < ENABLE_POLLS && !(vf_reg_rd(vf, IXGBEVF_RXDCTL(0)) & IXGBEVF_RXDCTL_ENABLE); i++)
        sys_yield(SYS_YIELD_SLICE);
    vf_rx_refill(vf);

    vf_reg_wr(vf, IXGBEVF_TXDCTL(0), 0);
    vf_reg_wr(vf, IXGBEVF_TDBAL(0), (uint32_t)tx);
    vf_reg_wr(vf, IXGBEVF_TDBAH(0), (uint32_t)(tx >> 32));
    vf_reg_wr(vf, IXGBEVF_TDLEN(0), VF_RING_BYTES);
    vf_reg_wr(vf, IXGBEVF_TDH(0), 0);
    vf_reg_wr(vf, IXGBEVF_TDT(0), 0);
    vf_reg_wr(vf, IXGBEVF_TDWBAL(0), 0);
    vf_reg_wr(vf, IXGBEVF_TDWBAH(0), 0);
    vf_reg_wr(vf, IXGBEVF_TXDCTL(0), IXGBEVF_TXDCTL_ENABLE);
}

static bool ixgbevf_link_up(const struct vf *vf)
{
    return vf_reg_rd(vf, IXGBEVF_LINKS) & IXGBEVF_LINKS_UP;
}

static void ixgbevf_irq_route(struct vf *vf, unsigned entry)
{
    uint32_t e = IXGBEVF_IVAR_VALID | entry;
    vf_reg_wr(vf, IXGBEVF_IVAR0, e << IXGBEVF_IVAR_RX0_SHIFT);
    vf_reg_wr(vf, IXGBEVF_EIAC, 1u << entry);
    vf_reg_wr(vf, IXGBEVF_EIMS, 1u << entry);
}

static void ixgbevf_irq_arm(struct vf *vf, unsigned entry)
{
    vf_reg_wr(vf, IXGBEVF_EICR, 1u << entry);
    vf_reg_wr(vf, IXGBEVF_EIMS, 1u << entry);
}

static void ixgbevf_stop(struct vf *vf)
{
    vf_reg_wr(vf, IXGBEVF_RXDCTL(0), 0);
    vf_reg_wr(vf, IXGBEVF_TXDCTL(0), 0);
    vf_reg_wr(vf, IXGBEVF_CTRL, IXGBEVF_CTRL_RST);
}

const struct vf_nic ixgbevf_nic = {
    .name = "82599",
    .vf_device = IXGBEVF_DEVICE_ID,
    .map = IXGBEVF_REGMAP,
    .reset = ixgbevf_reset,
    .queues_start = ixgbevf_queues_start,
    .link_up = ixgbevf_link_up,
    .irq_route = ixgbevf_irq_route,
    .irq_arm = ixgbevf_irq_arm,
    .stop = ixgbevf_stop,
};
