/*
 * vf.c: the 82576 VF's table (struct vf_nic igbvf_nic): where its
 * registers are (vf.h IGBVF_REGMAP) and its hello to the PF: VF_RESET
 * through the mailbox, answered with ACK and the MAC address the PF
 * assigned (Linux igbvf's protocol, shared/mbx.h). Everything else of the
 * bring-up is drivers/net/vf/open.c.
 */
#include <net/igb/vf/vf.h>
#include <net/igb/shared/mbx.h>
#include <string.h>

static errval_t igbvf_hello(struct vf *vf)
{
    uint32_t msg = IGB_VF_RESET, reply[4];
    errval_t err = vf_mbx_call(vf->regs, &vf->nic->map, &msg, 1, reply, 4);
    if (err_is_fail(err))
        return err;
    if ((reply[0] & IGB_VT_MSG_TYPE_MASK) != IGB_VF_RESET || !(reply[0] & IGB_VT_MSGTYPE_ACK))
        return VF_ERR_RESET;
    igb_words_to_mac(&reply[1], vf->mac);
    static const uint8_t zero[VF_MAC_LEN];
    return memcmp(vf->mac, zero, VF_MAC_LEN) ? ERR_OK : VF_ERR_RESET;
}

const struct vf_nic igbvf_nic = {
    .name = "82576",
    .vf_device = IGBVF_DEVICE_ID,
    .map = IGBVF_REGMAP,
    .hello = igbvf_hello,
    .csum_offload = true,       /* test_offload, test_netstack (QEMU's igb, hw/net/igb_core.c) */
};
