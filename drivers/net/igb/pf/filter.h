/**
 * \file filter.h
 * \brief Filters: which frames reach which VNIC, as the 82576 can say it
 * (filter_compile.c: pure, host-tested; filter.c: the
 * capability and the register writes, on the NIC's core).
 *
 * The 82576 in VMDq mode picks pools (VF n = pool n) by destination
 * address (RAR pool bits, VMOLR.BAM for broadcast) and then, with VLAN
 * filtering on, by tag (VLVF pool bits for a tagged frame, VMOLR.AUPE for
 * an untagged one). So a VNIC admits {its address kinds} x {its tags}: the
 * compiler only accepts filter sets for which that product is exactly
 * what the filters say, and refuses everything the NIC cannot steer by.
 */
#ifndef NET_IGB_FILTER_H
#define NET_IGB_FILTER_H
#include <stdint.h>
#include <kpi/errors.h>
#include <kpi/syscall.h>
#include <net/igb/pf/regs.h>
#include <net/nic/book.h>

#define IGB_POOLS           8       /* VMDq pools: VFs 0..6, the PF's 7 */
#define IGB_FILTERS_MAX     48

/** One live filter: the VNIC's pool and what the filter admits. */
struct igb_filter_rule {
    uint8_t pool;
    uint32_t flags;                 /* FILTER_MAC | FILTER_BROADCAST | FILTER_VLAN */
    uint16_t vlan;
};

/** The register state that a set of rules compiles to, for the VF pools
 *  (the PF's pool is the caller's). */
struct igb_filter_hw {
    uint32_t rah_av;                /* bit p: pool p's RAR entry (its MAC) is valid */
    uint32_t vmolr[IGB_POOLS];      /* IGB_VMOLR_BAM | IGB_VMOLR_AUPE per pool */
    uint32_t vlvf[IGB_NUM_VLVF];
    uint32_t vfta[IGB_VFTA_WORDS];
};

/** Is `s` something this NIC can steer by? ERR_OK or FILTER_ERR_*. */
errval_t igb_filter_check(const struct filter_spec *s);
/** Would adding `add` to the pool's rules keep them expressible exactly? */
errval_t igb_filter_fits(const struct igb_filter_rule *rules, unsigned n,
                         const struct igb_filter_rule *add);
/** The registers for `rules` (n <= IGB_FILTERS_MAX). FILTER_ERR_TABLE_FULL
 *  if the VLANs need more than IGB_NUM_VLVF entries. */
errval_t igb_filter_compile(const struct igb_filter_rule *rules, unsigned n,
                            struct igb_filter_hw *hw);

/** The VNIC layer's rule (drivers/net/nic/book.h) in the 82576's words:
 *  its pool, address kinds and tag. */
struct igb_filter_rule igb_filter_rule_of(const struct nic_filter_rule *r);
/** The book's judgement of a Filter on the 82576: igb_filter_check, and
 *  igb_filter_fits over the book's rules (at most IGB_FILTERS_MAX). */
extern const struct nic_filter_judge igb_filter_judge;
#endif
