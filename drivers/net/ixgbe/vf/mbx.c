/*
 * mbx.c: the 82599 VF's mailbox I/O (VFMAILBOX 0x2FC, VFMBMEM 0x200:
 * 8.3.5.1.5-6). The bits are the 82576's (shared/vfregs.h), so the
 * handshake is the one igb/vf/mbx.c does: take the buffer (VFU), write,
 * REQ, wait for PFSTS, read, ACK. The PF driver answers on its core's
 * timer tick; the timeout only guards against a PF that is not up.
 * Not run on hardware here.
 */
#include <net/ixgbe/vf/vf.h>
#include <net/ixgbe/shared/mbx.h>
#include <libos/libos.h>
#include <libos/syscall.h>
#include <libos/tsc.h>
#include <kpi/syscall.h>

#define MAILBOX_TIMEOUT_S 2
#define MBX_WORDS 16

static uint32_t rd(volatile uint8_t *r, unsigned off) { return *(volatile uint32_t *)(r + off); }
static void wr(volatile uint8_t *r, unsigned off, uint32_t v) { *(volatile uint32_t *)(r + off) = v; }

errval_t ixgbevf_mbx_call(volatile uint8_t *regs, const uint32_t *msg, unsigned n,
                          uint32_t *reply, unsigned *got)
{
    if (n == 0 || n > MBX_WORDS)
        return SYS_ERR_ARG_RANGE;
    wr(regs, IXGBEVF_MAILBOX, IXGBEVF_MBX_VFU);
    if (!(rd(regs, IXGBEVF_MAILBOX) & IXGBEVF_MBX_VFU))
        return SYS_ERR_BUSY;
    for (unsigned i = 0; i < n; i++)
        wr(regs, IXGBEVF_MBMEM + 4 * i, msg[i]);
    wr(regs, IXGBEVF_MAILBOX, IXGBEVF_MBX_REQ);
    uint64_t deadline = rdtsc_now() + MAILBOX_TIMEOUT_S * libos_tsc_hz();
    while (!(rd(regs, IXGBEVF_MAILBOX) & IXGBEVF_MBX_PFSTS)) {
        if (rdtsc_now() > deadline)
            return MONITOR_ERR_TIMEOUT;
        sys_yield(SYS_YIELD_BLOCK);
    }
    for (unsigned i = 0; i < MBX_WORDS; i++)
        reply[i] = rd(regs, IXGBEVF_MBMEM + 4 * i);
    *got = MBX_WORDS;
    wr(regs, IXGBEVF_MAILBOX, IXGBEVF_MBX_ACK);
    return ERR_OK;
}
