/**
 * \file cspace.h
 * \brief The cspace every new domain starts with (like Barrelfish's task
 * CNode). The root (L1) CNode has CSPACE_L1_SLOTS slots; slot TASKCN holds
 * an L2 CNode of well-known capabilities, slot SLOTCN an empty L2 CNode for
 * the domain's own use. Capabilities are named by level-2 cptrs:
 * CAP_TASK(TASKCN_SLOT_RAM) is the domain's memory.
 */
#ifndef KPI_CSPACE_H
#define KPI_CSPACE_H
#include <kpi/caps.h>

#define CSPACE_L1_SLOTS   16
#define CSPACE_L1_TASKCN  0
#define CSPACE_L1_SLOTCN  1

#define TASKCN_SLOT_ROOTCN      1   /* the L1 CNode */
#define TASKCN_SLOT_DISPATCHER  2   /* this dispatcher */
#define TASKCN_SLOT_RAM         3   /* the RAM this domain was given */
#define TASKCN_SLOT_KERNEL      4   /* Kernel (monitors and init only) */
#define TASKCN_SLOT_SELFEP      5   /* an endpoint to this dispatcher */
#define TASKCN_SLOT_RECV        6   /* where a received capability lands */
#define TASKCN_SLOT_MONITOREP   7   /* an endpoint to this core's monitor (badged:
                                       MONITOR_BADGE_*, kpi/monitor.h) */
#define TASKCN_SLOT_CHANNEL     8   /* the channel Frame given at spawn, mapped at
                                       USER_SHARED_FRAME_VADDR (delete: unmapped) */
#define TASKCN_SLOT_FIRST_FREE  9
/* The VSA capabilities given at spawn (kpi/caps.h CAP_VSA), in the order of
 * the spawn request's grants; the rest of these slots stay empty. Far from
 * TASKCN_SLOT_FIRST_FREE, which programs count up from. */
#define TASKCN_SLOT_VSA0        240
#define TASKCN_VSAS             4

#define CAP_TASK(slot)  CAP_CPTR(CSPACE_L1_TASKCN, slot)
#define CAP_SLOT(slot)  CAP_CPTR(CSPACE_L1_SLOTCN, slot)

#define DOMAIN_RAM_BYTES  (16 * 1024 * 1024) /* RAM cap given to each domain */
#endif
