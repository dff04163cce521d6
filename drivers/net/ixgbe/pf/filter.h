/**
 * \file filter.h
 * \brief Filters on the 82599: which frames reach which VNIC
 * (filter_compile.c: pure, host-tested in tests/unit/ixgbe).
 *
 * Pools (VF n = pool n, two queues 2n and 2n+1; the VF receives on 2n)
 * are chosen by address and tag, as on the 82576: RAR + MPSAR for the
 * VNIC's MAC, VMOLR.BAM for broadcast, VLVF/VLVFB + VFTA for a tag,
 * VMOLR.AUPE for untagged frames (8.2.3.27.14-16). Unlike the 82576, the
 * 82599 also has 128 five-tuple filters (FTQF, SAQF, DAQF, SDPQF, and
 * L34TIMIR for the queue: 7.1.2.5, 8.2.3.7.16-19, 8.2.3.5.13) that see
 * IPv4 frames after the pool is chosen and may be limited to one pool.
 * So a filter with FILTER_PROTO / FILTER_PORTS / FILTER_PEERS compiles to
 *   - a five-tuple filter, priority 7, pool compared, that sends its
 *     matches to the VF's queue 2n, and
 *   - once per such pool, a catch-all five-tuple filter, priority 1, every
 *     field but the pool masked, that sends every other IPv4 frame of the
 *     pool to queue 2n+1, which is never enabled and drops (PFQDE).
 * What such a filter admits, exactly: the IPv4 frames its address and tag
 * admit that also match its protocol, port and peer, and the non-IPv4
 * frames (ARP, IPv6) its address and tag admit (five-tuple filters do not
 * see those). A pool's filters are either all address-only or all
 * five-tuple (FILTER_ERR_INEXACT otherwise: an address-only filter admits
 * all the IPv4 the catch-all would drop).
 */
#ifndef NET_IXGBE_PF_FILTER_H
#define NET_IXGBE_PF_FILTER_H
#include <stdint.h>
#include <kpi/errors.h>
#include <kpi/syscall.h>
#include <net/ixgbe/pf/regs.h>
#include <net/nic/book.h>

#define IXGBE_FILTERS_MAX       96      /* rules the driver keeps (<= 5-tuple entries) */
#define IXGBE_FTQF_PRIO_MATCH   7
#define IXGBE_FTQF_PRIO_CATCHALL 1
#define IXGBE_IPPROTO_TCP       6
#define IXGBE_IPPROTO_UDP       17
#define IXGBE_IPPROTO_SCTP      132

struct ixgbe_filter_rule {
    uint8_t pool;
    struct filter_spec spec;
};

/** One five-tuple filter's five registers. */
struct ixgbe_5tuple {
    uint32_t ftqf, sdpqf, saqf, daqf, l34timir;
};

/** The register state a set of rules compiles to (the VF pools; the PF's
 *  pool and the NIC's own setup are the caller's). */
struct ixgbe_filter_hw {
    uint64_t rar_av;                    /* bit p: pool p's RAR entry (its MAC) is valid */
    uint32_t vmolr[IXGBE_POOLS];        /* IXGBE_VMOLR_BAM | IXGBE_VMOLR_AUPE */
    uint32_t vlvf[IXGBE_NUM_VLVF];
    uint32_t vlvfb[2 * IXGBE_NUM_VLVF];
    uint32_t vfta[IXGBE_VFTA_WORDS];
    struct ixgbe_5tuple ft[IXGBE_NUM_5TUPLE];
    unsigned nft;                       /* entries 0..nft-1 in use, the rest 0 */
};

/** Is `s` something this NIC can steer by exactly? ERR_OK or FILTER_ERR_*. */
errval_t ixgbe_filter_check(const struct filter_spec *s);
/** Would adding `add` to the pool's rules keep them exact? */
errval_t ixgbe_filter_fits(const struct ixgbe_filter_rule *rules, unsigned n,
                           const struct ixgbe_filter_rule *add);
/** The registers for `rules` (each already checked). FILTER_ERR_TABLE_FULL
 *  when VLANs or five-tuple entries run out. */
errval_t ixgbe_filter_compile(const struct ixgbe_filter_rule *rules, unsigned n,
                              struct ixgbe_filter_hw *hw);

/** The book's judgement of a Filter on the 82599 (drivers/net/nic/book.h:
 *  its rules are this compiler's pool and spec): ixgbe_filter_check, and
 *  ixgbe_filter_fits over the book's rules (at most IXGBE_FILTERS_MAX). */
extern const struct nic_filter_judge ixgbe_filter_judge;
/** The book's rules as this compiler's (n <= IXGBE_FILTERS_MAX). */
void ixgbe_filter_rules_of(const struct nic_filter_rule *rules, unsigned n,
                           struct ixgbe_filter_rule *out);

/** RTTBCNRC for a transmit rate limit of `mbps` on a `link_mbps` link
 *  (8.2.3.10.16, 7.7.2.2.x rate scheduler; Linux ixgbe_set_vf_rate_limit):
 *  rate factor = link / rate as 10.14 fixed point, with RS_ENA. 0 (no
 *  limit) for mbps 0. RATE_ERR_RANGE_10G for 1..10 or above the link. */
errval_t ixgbe_rate_factor(uint32_t link_mbps, uint32_t mbps, uint32_t *rttbcnrc);
#endif
