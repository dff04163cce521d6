/**
 * \file vnic.h
 * \brief Getting a VNIC (an SR-IOV VF) from this core's monitor, and the
 * VF side of the PF-VF mailbox (lib/libos/vnic.c).
 */
#ifndef LIBOS_VNIC_H
#define LIBOS_VNIC_H
#include <stdint.h>
#include <kpi/caps.h>
#include <kpi/errors.h>

/** Ask the monitor for a VNIC; it arrives in CAP_TASK(TASKCN_SLOT_RECV). */
errval_t vnic_acquire(unsigned *vf);
/** Send `n` words through the VF's mailbox (VF registers mapped at
 *  `regs`) and wait for the PF's reply (4 words). */
errval_t vnic_mailbox(volatile uint8_t *regs, const uint32_t *msg, unsigned n, uint32_t reply[4]);
#endif
