/**
 * \file nichw.h
 * \brief The 82576's hardware operations for the VNIC layer
 * (drivers/net/nic, nichw.c): registered at boot by driver.c.
 */
#ifndef NET_IGB_PF_NICHW_H
#define NET_IGB_PF_NICHW_H
struct nic;

#define IGB_VF_REGS_BYTES (16 * 1024)   /* a VNIC maps the VF's register BAR */

/** The 82576 as the VNIC layer knows it (NULL before driver.c registers it). */
extern struct nic *igb_nic;
/** At boot: register the 82576's operations with the VNIC layer. */
void igb_nic_register(void);
#endif
