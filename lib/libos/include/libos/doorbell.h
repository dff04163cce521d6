/**
 * \file doorbell.h
 * \brief Sleeping on this domain's Doorbells (lib/libos/doorbell.c).
 * A Doorbell comes from VNIC.doorbell_create (libos/vnic.h).
 */
#ifndef LIBOS_DOORBELL_H
#define LIBOS_DOORBELL_H
#include <stdint.h>
#include <kpi/errors.h>

/** How often this dispatcher's doorbells have rung (wraps). */
uint32_t libos_doorbell_count(void);
/** Block the calling thread until the count differs from *seen (then
 *  *seen = the count, ERR_OK), or until the TSC passes deadline_tsc (0:
 *  no deadline; LIBOS_ERR_TIMEOUT). Other threads run meanwhile; with
 *  none, the dispatcher sleeps in the kernel. */
errval_t libos_doorbell_wait(uint32_t *seen, uint64_t deadline_tsc);
#endif
