/*
 * mbx.c: the VF's half of the PF-VF mailbox (vf/mbx.h). The VF takes the
 * buffer (VFU), writes the message, raises REQ and sleeps until the PF
 * has written its reply (PFSTS), then reads it and acknowledges it. The
 * PF driver answers from the NIC core's timer tick, so a reply takes a
 * tick or two; the timeout only guards against a PF that is not up.
 */
#include <net/igb/vf/mbx.h>
#include <net/igb/shared/mbx.h>
#include <net/igb/shared/vfregs.h>
#include <libos/libos.h>
#include <libos/syscall.h>
#include <libos/tsc.h>
#include <kpi/syscall.h>

#define MAILBOX_TIMEOUT_S 2

static uint32_t rd(volatile uint8_t *r, unsigned off) { return *(volatile uint32_t *)(r + off); }
static void wr(volatile uint8_t *r, unsigned off, uint32_t v) { *(volatile uint32_t *)(r + off) = v; }

errval_t igbvf_mbx_call(volatile uint8_t *regs, const uint32_t *msg, unsigned n, uint32_t reply[4])
{
    if (n > IGB_MBX_WORDS)
        return SYS_ERR_ARG_RANGE;
    wr(regs, IGBVF_V2PMAILBOX, IGBVF_V2P_VFU);
    if (!(rd(regs, IGBVF_V2PMAILBOX) & IGBVF_V2P_VFU))
        return SYS_ERR_BUSY;                    /* the PF holds the buffer */
    for (unsigned i = 0; i < n; i++)
        wr(regs, IGBVF_VMBMEM + 4 * i, msg[i]);
    wr(regs, IGBVF_V2PMAILBOX, IGBVF_V2P_REQ);
    uint64_t deadline = rdtsc_now() + MAILBOX_TIMEOUT_S * libos_tsc_hz();
    while (!(rd(regs, IGBVF_V2PMAILBOX) & IGBVF_V2P_PFSTS)) {
        if (rdtsc_now() > deadline)
            return MONITOR_ERR_TIMEOUT;
        sys_yield(SYS_YIELD_BLOCK);             /* the PF answers on its tick */
    }
    for (unsigned i = 0; i < 4; i++)
        reply[i] = rd(regs, IGBVF_VMBMEM + 4 * i);
    wr(regs, IGBVF_V2PMAILBOX, IGBVF_V2P_ACK);
    return ERR_OK;
}
