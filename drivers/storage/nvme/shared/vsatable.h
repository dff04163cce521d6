/**
 * \file vsatable.h
 * \brief A row of the VSA table (kpi/syscall.h struct nvme_vsa_vsic): how
 * a record is filled, killed and read, with atomic operations only, by any
 * core at once. The kernel fills and kills (drivers/storage/nvme/kernel/
 * vsa.c, on the core that holds the slot); the VSIC service reads
 * (usr/vsicd/vsic.c, in its read-only mapping); tests/unit/vsatable runs
 * them against each other on the host, in threads.
 *
 * state = generation << 32 | BUSY | rights. Filling: CAS a free record
 * (no rights, not BUSY) to BUSY with the next generation, write who and
 * the name, store the rights. Killing: CAS the state seen (live, that
 * generation) to dead; a record that died and was filled again in between
 * has another generation, so it is never killed by mistake. Reading:
 * state, name, state again; the same state twice with rights in it is a
 * live record of that name.
 */
#ifndef STORAGE_NVME_SHARED_VSATABLE_H
#define STORAGE_NVME_SHARED_VSATABLE_H
#include <stdbool.h>
#include <stdint.h>
#include <kpi/errors.h>
#include <kpi/syscall.h>

/** Which slot a record is: the slot's core, its address there and the
 *  capability's id. The kernel's only: never in the shared page. */
struct vsatable_who {
    uint64_t id, slot;
    uint32_t core;
};

#define VSATABLE_LIVE(s) ((s) & NVME_VSA_STATE_RIGHTS)
#define VSATABLE_GEN(s)  ((s) >> 32)

static inline uint64_t vsatable_state(const struct nvme_vsa_vsic *row, unsigned i)
{
    return __atomic_load_n(&row->shown[i].state, __ATOMIC_ACQUIRE);
}

static inline bool vsatable_is(const struct vsatable_who *w, uint32_t core, uint64_t slot, uint64_t id)
{
    return __atomic_load_n(&w->core, __ATOMIC_RELAXED) == core &&
           __atomic_load_n(&w->slot, __ATOMIC_RELAXED) == slot &&
           __atomic_load_n(&w->id, __ATOMIC_RELAXED) == id;
}

/** Kill record i if it is still what was `seen`; true if this call did
 *  (the row's count of records gone moves). A locked instruction: seen by
 *  every core before the caller goes on. */
static inline bool vsatable_kill(struct nvme_vsa_vsic *row, unsigned i, uint64_t seen)
{
    uint64_t dead = seen & ~(NVME_VSA_STATE_RIGHTS | NVME_VSA_STATE_BUSY);
    if (!VSATABLE_LIVE(seen) ||
        !__atomic_compare_exchange_n(&row->shown[i].state, &seen, dead, false, __ATOMIC_SEQ_CST,
                                     __ATOMIC_SEQ_CST))
        return false;
    __atomic_add_fetch(&row->gone, 1, __ATOMIC_SEQ_CST);
    return true;
}

/** Kill every live record of that slot in the row: how many died. */
static inline unsigned vsatable_kill_slot(struct nvme_vsa_vsic *row, const struct vsatable_who *who,
                                          uint32_t core, uint64_t slot, uint64_t id)
{
    unsigned killed = 0;
    for (unsigned i = 0; i < NVME_VSA_SHOWN; i++) {
        uint64_t s = vsatable_state(row, i);
        if (VSATABLE_LIVE(s) && vsatable_is(&who[i], core, slot, id))
            killed += vsatable_kill(row, i, s);
    }
    return killed;
}

/** Kill every live record of the row: how many died. */
static inline unsigned vsatable_kill_all(struct nvme_vsa_vsic *row)
{
    unsigned killed = 0;
    for (unsigned i = 0; i < NVME_VSA_SHOWN; i++)
        killed += vsatable_kill(row, i, vsatable_state(row, i));
    return killed;
}

/** A live record of that slot with (name, rights): ERR_OK (also when the
 *  slot has one already), VSA_ERR_PRESENT_FULL when none is free. */
static inline errval_t vsatable_fill(struct nvme_vsa_vsic *row, struct vsatable_who *who,
                                     uint32_t core, uint64_t slot, uint64_t id, uint64_t name,
                                     uint32_t rights)
{
    for (unsigned i = 0; i < NVME_VSA_SHOWN; i++)
        if (VSATABLE_LIVE(vsatable_state(row, i)) && vsatable_is(&who[i], core, slot, id))
            return ERR_OK;              /* shown before */
    for (unsigned i = 0; i < NVME_VSA_SHOWN; i++) {
        uint64_t s = vsatable_state(row, i);
        uint64_t busy = (VSATABLE_GEN(s) + 1) << 32 | NVME_VSA_STATE_BUSY;
        if (VSATABLE_LIVE(s) || (s & NVME_VSA_STATE_BUSY) ||
            !__atomic_compare_exchange_n(&row->shown[i].state, &s, busy, false, __ATOMIC_SEQ_CST,
                                         __ATOMIC_SEQ_CST))
            continue;
        __atomic_store_n(&who[i].core, core, __ATOMIC_RELAXED);
        __atomic_store_n(&who[i].slot, slot, __ATOMIC_RELAXED);
        __atomic_store_n(&who[i].id, id, __ATOMIC_RELAXED);
        __atomic_store_n(&row->shown[i].name, name, __ATOMIC_RELAXED);
        __atomic_store_n(&row->shown[i].state,
                         (busy & ~NVME_VSA_STATE_BUSY) | (rights & NVME_VSA_STATE_RIGHTS),
                         __ATOMIC_SEQ_CST);
        return ERR_OK;
    }
    return VSA_ERR_PRESENT_FULL;
}

/** The OR of the rights of the row's live records of `name`; 0 if the
 *  row's VSIC is not `holder`'s (let go of, or never). */
static inline uint32_t vsatable_rights(const struct nvme_vsa_vsic *row, uint32_t holder, uint64_t name)
{
    if (!holder || __atomic_load_n(&row->holder, __ATOMIC_ACQUIRE) != holder)
        return 0;
    uint32_t rights = 0;
    for (unsigned i = 0; i < NVME_VSA_SHOWN; i++) {
        uint64_t s = vsatable_state(row, i);
        if (!VSATABLE_LIVE(s))
            continue;
        uint64_t n = __atomic_load_n(&row->shown[i].name, __ATOMIC_ACQUIRE);
        if (n == name && vsatable_state(row, i) == s)
            rights |= (uint32_t)VSATABLE_LIVE(s);
    }
    return rights;
}
#endif
