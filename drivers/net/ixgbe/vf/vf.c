/*
 * vf.c: the 82599 VF's table (struct vf_nic ixgbevf_nic): where its
 * registers are (vf.h IXGBEVF_REGMAP, datasheet 8.3.5) and its hello to
 * the PF, as Linux ixgbevf_reset_hw_vf does it: wait for the PF's reset
 * to be over (RSTI clear), then the mailbox conversation of bringup.c:
 * VF_RESET (MAC), API_NEGOTIATE 1.4..1.0, GET_QUEUES. Everything else of
 * the bring-up is drivers/net/vf/open.c. NOT RUN ON HARDWARE here.
 */
#include <net/ixgbe/vf/vf.h>
#include <net/ixgbe/vf/bringup.h>
#include <libos/libos.h>
#include <libos/syscall.h>
#include <libos/tsc.h>
#include <kpi/syscall.h>
#include <string.h>

#define RSTI_WAIT_MS    200         /* Linux ixgbevf: IXGBE_VF_INIT_TIMEOUT */

static errval_t ixgbevf_hello(struct vf *vf)
{
    uint64_t deadline = rdtsc_now() + libos_tsc_hz() / 1000 * RSTI_WAIT_MS;
    while (vf_reg_rd(vf, IXGBEVF_MAILBOX) & IXGBEVF_MBX_RSTI) {
        if (rdtsc_now() > deadline)
            return VF_ERR_RESET;
        sys_yield(SYS_YIELD_BLOCK);
    }
    struct ixgbevf_bringup b;
    uint32_t msg[VF_MBX_WORDS], reply[VF_MBX_WORDS];
    unsigned n;
    ixgbevf_bringup_init(&b);
    while (ixgbevf_bringup_next(&b, msg, &n)) {
        errval_t err = vf_mbx_call(vf->regs, &vf->nic->map, msg, n, reply, VF_MBX_WORDS);
        if (err_is_fail(err))
            return err;
        ixgbevf_bringup_reply(&b, reply, VF_MBX_WORDS);
    }
    if (b.step != IXGBEVF_STEP_READY)
        return b.err;
    memcpy(vf->mac, b.mac, VF_MAC_LEN);
    return ERR_OK;
}

const struct vf_nic ixgbevf_nic = {
    .name = "82599",
    .vf_device = IXGBEVF_DEVICE_ID,
    .map = IXGBEVF_REGMAP,
    .hello = ixgbevf_hello,
    /* Not run: the 82599 also wants olinfo CC (check context) with a
     * context descriptor (Linux ixgbevf IXGBE_ADVTXD_CC), which the
     * shared ring does not set; the stack checksums in software. */
    .csum_offload = false,
};
