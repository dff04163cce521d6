/**
 * \file vnic.h
 * \brief Getting a VNIC (an SR-IOV VF) from this core's monitor, and the
 * VNIC capability's Filter and Doorbell calls (lib/libos/vnic.c). The VF's
 * mailbox is its driver's (drivers/net/igb/vf/mbx.h).
 */
#ifndef LIBOS_VNIC_H
#define LIBOS_VNIC_H
#include <stdint.h>
#include <kpi/caps.h>
#include <kpi/errors.h>
#include <kpi/syscall.h>

/** Ask the monitor for a VNIC; it arrives in CAP_TASK(TASKCN_SLOT_RECV). */
errval_t vnic_acquire(unsigned *vf);
/** A Filter on VNIC `vnic` into the empty slot `dest`: from now on the
 *  NIC sends frames matching `spec` to the VNIC (nothing reaches a VNIC
 *  without one). Refused with FILTER_ERR_* where the NIC cannot express
 *  the predicate. Deleting `dest` takes the filter out of the NIC. */
errval_t vnic_filter_create(capaddr_t vnic, const struct filter_spec *spec, capaddr_t dest,
                            uint32_t *id);
/** A Doorbell on VNIC `vnic` into the empty slot `dest`: the VF's MSI-X
 *  entry `msix_entry` now wakes this domain (libos/doorbell.h). The VF's
 *  IVAR/EIMS choose which queue events raise that entry. */
errval_t vnic_doorbell_create(capaddr_t vnic, unsigned msix_entry, capaddr_t dest);
#endif
