/**
 * \file dmaset.h
 * \brief The Frames one device may reach through its IOMMU domain
 * (drivers/iommu/vtd/dmaset.c), for any driver that gives a device to a
 * domain: the holder registers Frames it holds (IOVA = physical address),
 * only those are mapped, and when a Frame's capability goes its mapping
 * goes too. Owned by the core that owns the IOMMU (core 0), like vtd.h.
 *
 * A Frame registered from another core is followed on that core
 * (vtd_dmaset_remote_*): its going is told to the owner core by the driver.
 */
#ifndef IOMMU_VTD_DMASET_H
#define IOMMU_VTD_DMASET_H
#include <stdbool.h>
#include <stdint.h>
#include <kpi/errors.h>
struct cte;
struct vtd_domain;

#define VTD_DMASET_MAX 32

struct vtd_dmaset {
    struct vtd_domain *dom;
    unsigned max;                   /* registrations allowed (0: VTD_DMASET_MAX) */
    struct {
        struct cte *frame;          /* NULL if registered through another core */
        uint64_t base, bytes;       /* bytes 0: free entry */
    } e[VTD_DMASET_MAX];
};

/** Map [base, base + bytes) read/write for the set's device. */
errval_t vtd_dmaset_add(struct vtd_dmaset *s, uint64_t base, uint64_t bytes);
/** Unmap the registration at `base` (DMA_ERR_NOT_REGISTERED if none). */
errval_t vtd_dmaset_remove(struct vtd_dmaset *s, uint64_t base);
/** Unmap everything (the device is being released). */
void vtd_dmaset_clear(struct vtd_dmaset *s);
/** On the owner core: the capability `frame` made the registration at base. */
bool vtd_dmaset_name(struct vtd_dmaset *s, struct cte *frame, uint64_t base);
/** On the owner core: `frame` went; unmap what it registered. */
void vtd_dmaset_frame_removed(struct vtd_dmaset *s, struct cte *frame);

/** Frames registered from another core, followed there: a row per core,
 *  touched only by that core. `key` names the device and holder. */
#define VTD_DMASET_REMOTE_MAX 32
struct vtd_dmaset_remote {
    struct cte *frame;
    uint64_t key, base;
};
bool vtd_dmaset_remote_follow(struct vtd_dmaset_remote *row, struct cte *frame, uint64_t key,
                              uint64_t base);
void vtd_dmaset_remote_unfollow(struct vtd_dmaset_remote *row, uint64_t key, uint64_t base);
/** `frame` went on this core: the base it registered for `*key`, true if
 *  it was followed (the entry is forgotten; call again for more). */
bool vtd_dmaset_remote_gone(struct vtd_dmaset_remote *row, struct cte *frame, uint64_t *key,
                            uint64_t *base);
#endif
