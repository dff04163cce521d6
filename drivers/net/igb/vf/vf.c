/*
 * vf.c: the 82576 VF's own steps (struct vf_nic igbvf_nic); the bring-up
 * they fit into is drivers/net/vf/open.c.
 *   reset: CTRL.RST (queues of a previous holder stop), then VF_RESET
 *     through the mailbox: the PF turns the VF's pool on and answers ACK
 *     with the MAC address it assigned;
 *   queues_start: queue 0: SRRCTL (one 2 KiB buffer per advanced
 *     descriptor), RDBA/RDLEN/RDH/RDT, RXDCTL.EN, then the ring filled
 *     (RDT); TDBA/TDLEN/TDH/TDT and TXDCTL.EN. Order as the 82576
 *     datasheet's Rx/Tx initialisation (4.5.9, 4.5.10; unverified) and QEMU;
 *   interrupts: IVAR0 routes queue 0's receive events to an MSI-X entry,
 *     EIAC clears the cause on delivery, EIMS unmasks.
 */
#include <net/igb/vf/vf.h>
#include <net/igb/shared/mbx.h>
#include <net/igb/vf/mbx.h>
#include <libos/syscall.h>
#include <kpi/syscall.h>
#include <string.h>

#define ENABLE_POLLS    1000        /* reads of RXDCTL until the enable shows */

static errval_t igbvf_reset(struct vf *vf)
{
    vf_reg_wr(vf, IGBVF_CTRL, IGBVF_CTRL_RST);
    uint32_t msg = IGB_VF_RESET, reply[4];
    errval_t err = igbvf_mbx_call(vf->regs, &msg, 1, reply);
    if (err_is_fail(err))
        return err;
    if ((reply[0] & IGB_VT_MSG_TYPE_MASK) != IGB_VF_RESET || !(reply[0] & IGB_VT_MSGTYPE_ACK))
        return VF_ERR_RESET;
    igb_words_to_mac(&reply[1], vf->mac);
    static const uint8_t zero[VF_MAC_LEN];
    return memcmp(vf->mac, zero, VF_MAC_LEN) ? ERR_OK : VF_ERR_RESET;
}

static void igbvf_queues_start(struct vf *vf)
{
    uint64_t rx = vf->rings_pa, tx = vf->rings_pa + VF_RING_BYTES;
    vf_reg_wr(vf, IGBVF_RXDCTL(0), 0);
    vf_reg_wr(vf, IGBVF_RDBAL(0), (uint32_t)rx);
    vf_reg_wr(vf, IGBVF_RDBAH(0), (uint32_t)(rx >> 32));
    vf_reg_wr(vf, IGBVF_RDLEN(0), VF_RING_BYTES);
    vf_reg_wr(vf, IGBVF_SRRCTL(0), IGBVF_SRRCTL_VALUE);
    vf_reg_wr(vf, IGBVF_RDH(0), 0);
    vf_reg_wr(vf, IGBVF_RDT(0), 0);
    vf_reg_wr(vf, IGBVF_RXDCTL(0), IGBVF_RXDCTL_ENABLE);
    for (unsigned i = 0; i < ENABLE_POLLS && !(vf_reg_rd(vf, IGBVF_RXDCTL(0)) & IGBVF_RXDCTL_ENABLE); i++)
        sys_yield(SYS_YIELD_SLICE);
    vf_rx_refill(vf);

    vf_reg_wr(vf, IGBVF_TXDCTL(0), 0);
    vf_reg_wr(vf, IGBVF_TDBAL(0), (uint32_t)tx);
    vf_reg_wr(vf, IGBVF_TDBAH(0), (uint32_t)(tx >> 32));
    vf_reg_wr(vf, IGBVF_TDLEN(0), VF_RING_BYTES);
    vf_reg_wr(vf, IGBVF_TDH(0), 0);
    vf_reg_wr(vf, IGBVF_TDT(0), 0);
    vf_reg_wr(vf, IGBVF_TDWBAL(0), 0);  /* completions by DD in each descriptor */
    vf_reg_wr(vf, IGBVF_TDWBAH(0), 0);
    vf_reg_wr(vf, IGBVF_TXDCTL(0), IGBVF_TXDCTL_ENABLE);
}

static bool igbvf_link_up(const struct vf *vf)
{
    return vf_reg_rd(vf, IGBVF_STATUS) & IGBVF_STATUS_LU;
}

static void igbvf_irq_route(struct vf *vf, unsigned entry)
{
    uint32_t e = IGBVF_IVAR_VALID | entry;
    vf_reg_wr(vf, IGBVF_IVAR0, e << IGBVF_IVAR_RX0_SHIFT);
    vf_reg_wr(vf, IGBVF_EIAC, 1u << entry);
    vf_reg_wr(vf, IGBVF_EIMS, 1u << entry);
}

static void igbvf_irq_arm(struct vf *vf, unsigned entry)
{
    vf_reg_wr(vf, IGBVF_EICR, 1u << entry);
    vf_reg_wr(vf, IGBVF_EIMS, 1u << entry);
}

static void igbvf_stop(struct vf *vf)
{
    vf_reg_wr(vf, IGBVF_RXDCTL(0), 0);
    vf_reg_wr(vf, IGBVF_TXDCTL(0), 0);
    vf_reg_wr(vf, IGBVF_CTRL, IGBVF_CTRL_RST);
}

const struct vf_nic igbvf_nic = {
    .name = "82576",
    .vf_device = IGBVF_DEVICE_ID,
    .map = IGBVF_REGMAP,
    .reset = igbvf_reset,
    .queues_start = igbvf_queues_start,
    .link_up = igbvf_link_up,
    .irq_route = igbvf_irq_route,
    .irq_arm = igbvf_irq_arm,
    .stop = igbvf_stop,
};
