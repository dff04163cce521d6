/*
 * mbx.c: the 82576 VF's mailbox call (vf/mbx.h): the shared one
 * (drivers/net/vf/mbx.c) at the 82576's offsets, for the test programs
 * that drive a VF by hand (vnicdma, doorbelltest).
 */
#include <net/igb/vf/mbx.h>
#include <net/igb/vf/vf.h>

errval_t igbvf_mbx_call(volatile uint8_t *regs, const uint32_t *msg, unsigned n, uint32_t reply[4])
{
    static const struct vf_regmap map = IGBVF_REGMAP;
    return vf_mbx_call(regs, &map, msg, n, reply, 4);
}
