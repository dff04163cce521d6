/**
 * \file doorbell.h
 * \brief Doorbells (drivers/pci/doorbell.c): events that wake a domain's
 * dispatcher on its core, for every device driver alike.
 *
 * A driver takes a range of bells at boot (pci_bells_alloc). A bell is
 * rung in one of two ways:
 *   - by its device: the bell has an interrupt vector of its own, and
 *     pci_bell_route (on the device's core) programs one entry of the
 *     function's MSI-X table to raise it on the holder's core;
 *   - by software: pci_bell_ring (a service rings a client, e.g. the VSIC
 *     service's completions) or pci_bell_kick (a client wakes a service,
 *     coalesced: at most one interrupt between two of the service's
 *     DOORBELL_CMD_ARM).
 * On the holder's core a ring is counted in the dispatcher page
 * (`doorbells`), and the dispatcher is woken (or upcalled) and runs next;
 * a ring that comes just before it blocks keeps it from sleeping
 * (wake_pending). The holder gets a Doorbell capability (pci_bell_settle),
 * or, for a bell that stands for a capability it already holds, is only
 * listened for (pci_bell_listen). A one-shot bell masks its MSI-X entry
 * when it rings, and DOORBELL_CMD_ARM unmasks it: the holder takes no
 * interrupts while it polls.
 *
 * State: which bell a vector rings and each bell's MSI-X entry are written
 * on the device's core when it is routed, before the holder's core hears of
 * it; who listens to a bell is per core (a row each), written and read only
 * there. The one word shared between cores is a kicked bell's `posted`
 * flag (atomic: set by the kicking cores, cleared by the holder's arm).
 */
#ifndef PCI_DOORBELL_H
#define PCI_DOORBELL_H
#include <stdbool.h>
#include <stdint.h>
#include <kpi/errors.h>
#include <pci/pci.h>

#define PCI_BELLS 48                /* bells system-wide */

struct dcb;
struct cte;

/** At boot: `n` bells, numbered from *first; with `vectors`, each has an
 *  interrupt vector of its own (TRAP_ERR_NO_VECTORS when none are left). */
errval_t pci_bells_alloc(unsigned n, bool vectors, unsigned *first);

/** On the device's core: MSI-X entry `entry` of `dev` now rings `bell` on
 *  the core whose local APIC is `apic`, for domain `holder` (`what`
 *  names the function in the log line); MSI-X is
 *  turned on in the function. *vector: the vector it raises. Refuses
 *  DOORBELL_ERR_NO_MSIX, DOORBELL_ERR_MSIX_ENTRY (entry beyond the table),
 *  DOORBELL_ERR_APIC_ID, DOORBELL_ERR_EXISTS, TRAP_ERR_NO_VECTORS. */
errval_t pci_bell_route(unsigned bell, const char *what, const struct pci_ops *ops,
                        const struct pci_dev *dev, unsigned entry, uint32_t holder,
                        uint32_t apic, bool oneshot, uint64_t *vector);
/** On the device's core: mask the bell's entry and forget its route (if it
 *  is `holder`'s; holder 0: whoever's). */
void pci_bell_silence(unsigned bell, uint32_t holder);
/** The domain a routed bell is for (0: none). */
uint32_t pci_bell_holder(unsigned bell);

/** On the holder's core, once routed: a Doorbell capability for `bell` in
 *  d's (empty) slot `slot`, and this core counts its rings for d. */
errval_t pci_bell_settle(struct dcb *d, unsigned bell, uint64_t slot);
/** On `domain`'s core: its rings of `bell` count for it (no capability:
 *  the bell stands for one it holds); unlisten when that goes. */
void pci_bell_listen(unsigned bell, uint32_t domain);
void pci_bell_unlisten(unsigned bell, uint32_t domain);

/** Ring `bell` for `domain` on the domain's core (an IPI if it is
 *  another); that core rings it only if `domain` listens to it there. */
errval_t pci_bell_ring(unsigned bell, uint32_t domain);
/** Wake whoever listens to `bell` on `core`, unless a kick is already
 *  posted since its last arm (then nothing is sent: *sent false). */
errval_t pci_bell_kick(unsigned bell, uint32_t core, bool *sent);
#endif
