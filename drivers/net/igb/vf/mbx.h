/**
 * \file mbx.h
 * \brief The VF's half of the PF-VF mailbox (vf/mbx.c), in the user half:
 * the domain holding the VF sends a message through its own register
 * window and waits for the PF driver's reply (pf/mailbox.c answers on the
 * NIC's core). The messages are shared/mbx.h.
 */
#ifndef NET_IGB_VF_MBX_H
#define NET_IGB_VF_MBX_H
#include <stdint.h>
#include <kpi/errors.h>

/** Send `n` words (n <= IGB_MBX_WORDS) through the VF's mailbox (VF
 *  registers mapped at `regs`) and wait for the PF's reply (4 words).
 *  SYS_ERR_BUSY if the PF holds the buffer, MONITOR_ERR_TIMEOUT if no
 *  reply comes within 2 s. */
errval_t igbvf_mbx_call(volatile uint8_t *regs, const uint32_t *msg, unsigned n, uint32_t reply[4]);
#endif
