/**
 * \file book.h
 * \brief The VNIC book of one SR-IOV NIC: which VF is whose, its Filters,
 * which bell its doorbell rings, and what a VNIC or Filter capability
 * names. Pure (book.c: no registers, no capabilities, no IOMMU), so that
 * the host tests (tests/unit/nic) check every refusal; the kernel parts
 * around it (vnic.c, filter.c, dma.c, doorbell.c) act on what it says.
 * One book per registered NIC, touched only on that NIC's core.
 */
#ifndef NET_NIC_BOOK_H
#define NET_NIC_BOOK_H
#include <stdbool.h>
#include <stdint.h>
#include <kpi/errors.h>
#include <kpi/syscall.h>

#define NIC_VFS_MAX         64      /* the 82599's pools; the 82576 has 8 */
#define NIC_FILTERS_MAX     96      /* live Filters per NIC (a NIC may keep fewer) */
#define NIC_MAX             2       /* NIC drivers that may register (igb, ixgbe): each
                                       costs ~54 KiB of kernel BSS, mostly DMA sets */

/** A Filter as the NIC's compiler sees it: the VF's pool and the predicate. */
struct nic_filter_rule {
    uint8_t pool;                   /* = the VF */
    struct filter_spec spec;
};

/** The NIC's own judgement of a filter (its hardware's words). */
struct nic_filter_judge {
    /** Can the NIC steer by `s` at all? ERR_OK or a FILTER_ERR_*. */
    errval_t (*check)(const struct filter_spec *s);
    /** Would adding `add` to the live rules keep them exact? */
    errval_t (*fits)(const struct nic_filter_rule *rules, unsigned n,
                     const struct nic_filter_rule *add);
};

struct nic_filter {
    bool used;
    uint16_t gen;                   /* bumped at each reuse of the entry */
    uint8_t vf;
    uint32_t id;                    /* shown by `filters` */
    struct nic_filter_rule rule;
};

struct nic_book {
    unsigned nic;                   /* this NIC's number (in every capability it makes) */
    unsigned nvfs;                  /* VFs 0..nvfs-1 exist */
    unsigned filters_max;           /* <= NIC_FILTERS_MAX: the NIC's own limit */
    unsigned nbells;                /* VFs 0..nbells-1 have a doorbell bell */
    uint32_t holder[NIC_VFS_MAX];   /* domain id, 0: free */
    struct nic_filter filter[NIC_FILTERS_MAX];
    uint32_t next_id;
};

/** An empty book for NIC `nic` with `nvfs` VFs, `filters_max` Filters and
 *  bells for the first `nbells` VFs (each clipped to the book's size). */
void nic_book_init(struct nic_book *b, unsigned nic, unsigned nvfs, unsigned filters_max,
                   unsigned nbells);

/* ---- VNICs ---- */
/** The lowest free VF (VNIC_ERR_NONE_FREE if every VF is held). */
errval_t nic_book_pick(const struct nic_book *b, unsigned *vf);
/** VF `vf` becomes `holder`'s: VNIC_ERR_TAKEN if someone holds it,
 *  SYS_ERR_ARG_RANGE for a VF that does not exist or holder 0. */
errval_t nic_book_bind(struct nic_book *b, unsigned vf, uint32_t holder);
/** Does `holder` (non-zero) hold VF `vf`? False for foreign VF numbers. */
bool nic_book_held(const struct nic_book *b, unsigned vf, uint32_t holder);
/** The domain holding VF `vf`, or 0 (also for a VF that does not exist). */
uint32_t nic_book_holder(const struct nic_book *b, unsigned vf);
/** `holder` lets go of VF `vf` (and its Filters): false if it did not hold it. */
bool nic_book_unbind(struct nic_book *b, unsigned vf, uint32_t holder);

/* ---- Filters ---- */
/** Record a Filter for VF `vf` of `holder` after the NIC's judgement:
 *  CAP_ERR_WRONG_TYPE if the holder does not hold the VF, the NIC's
 *  FILTER_ERR_* refusal, FILTER_ERR_TABLE_FULL past filters_max. *key
 *  names the entry (capability), *id is what `filters` shows. */
errval_t nic_book_filter_add(struct nic_book *b, const struct nic_filter_judge *j, unsigned vf,
                             uint32_t holder, const struct filter_spec *s, uint64_t *key,
                             uint32_t *id);
/** The live Filter a key names (NULL: gone, reused, another NIC's, garbage). */
struct nic_filter *nic_book_filter_of_key(struct nic_book *b, uint64_t key);
/** Drop the Filter a key names; false if it names none. */
bool nic_book_filter_drop(struct nic_book *b, uint64_t key);
/** Drop every Filter of VF `vf`; how many went. */
unsigned nic_book_filters_drop_vf(struct nic_book *b, unsigned vf);
/** The live rules, in table order (out: NIC_FILTERS_MAX entries). */
unsigned nic_book_rules(const struct nic_book *b, struct nic_filter_rule *out);

/* ---- Doorbells ---- */
/** Which of the NIC's bells VF `vf` rings (its offset from the first):
 *  DOORBELL_ERR_NO_BELLS for a VF past the bells the NIC could take. */
errval_t nic_book_bell(const struct nic_book *b, unsigned vf, unsigned *bell);

/* ---- Rates ---- */
/** VNIC.rate_set's bytes per second in Mbit/s, the unit both NICs' rate
 *  factors take: false for a rate that is not 0 yet rounds to 0 Mbit/s
 *  (it must not become "no limit") or would wrap when multiplied by 8.
 *  Each NIC refuses those with its own RATE_ERR_* (and checks its range). */
bool nic_rate_mbps(uint64_t bytes_per_s, uint64_t *mbps);

/* ---- What capabilities name ---- */
/** A VNIC capability's word: NIC, VF and holder (a stale one never
 *  reaches a VF given to someone else, nor another NIC's VF). */
uint64_t nic_vnic_word(unsigned nic, unsigned vf, uint32_t holder);
unsigned nic_vnic_word_nic(uint64_t w);
unsigned nic_vnic_word_vf(uint64_t w);
uint32_t nic_vnic_word_holder(uint64_t w);
/** The NIC a Filter key names. */
unsigned nic_filter_key_nic(uint64_t key);
#endif
