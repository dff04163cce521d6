/*
 * mbx.c: the VF's half of the PF-VF mailbox, for both NICs (the control
 * bits are the same; where the register and buffer are is the NIC's
 * regmap). The VF takes the buffer (VFU), writes the message, raises REQ
 * and sleeps until the PF has written its reply (PFSTS), then reads it
 * and acknowledges it. The PF drivers answer from the NIC core's timer
 * tick, so a reply takes a tick or two; the timeout only guards against
 * a PF that is not up.
 */
#include <net/vf/nic.h>
#include <libos/libos.h>
#include <libos/syscall.h>
#include <libos/tsc.h>
#include <kpi/syscall.h>

#define MAILBOX_TIMEOUT_S 2

static uint32_t rd(volatile uint8_t *r, unsigned off) { return *(volatile uint32_t *)(r + off); }
static void wr(volatile uint8_t *r, unsigned off, uint32_t v) { *(volatile uint32_t *)(r + off) = v; }

errval_t vf_mbx_call(volatile uint8_t *regs, const struct vf_regmap *map, const uint32_t *msg,
                     unsigned n, uint32_t *reply, unsigned nreply)
{
    if (n == 0 || n > VF_MBX_WORDS || nreply > VF_MBX_WORDS)
        return SYS_ERR_ARG_RANGE;
    wr(regs, map->mailbox, VF_MBX_VFU);
    if (!(rd(regs, map->mailbox) & VF_MBX_VFU))
        return SYS_ERR_BUSY;                    /* the PF holds the buffer */
    for (unsigned i = 0; i < n; i++)
        wr(regs, map->mbmem + 4 * i, msg[i]);
    wr(regs, map->mailbox, VF_MBX_REQ);
    uint64_t deadline = rdtsc_now() + MAILBOX_TIMEOUT_S * libos_tsc_hz();
    while (!(rd(regs, map->mailbox) & VF_MBX_PFSTS)) {
        if (rdtsc_now() > deadline)
            return MONITOR_ERR_TIMEOUT;
        sys_yield(SYS_YIELD_BLOCK);             /* the PF answers on its tick */
    }
    for (unsigned i = 0; i < nreply; i++)
        reply[i] = rd(regs, map->mbmem + 4 * i);
    wr(regs, map->mailbox, VF_MBX_ACK);
    return ERR_OK;
}
