/*
 * pick.c: choosing slots for an invocation from the model, so that most
 * invocations are well-formed (a source that holds something, a
 * destination that is empty) and the rest are wrong on purpose in a way
 * the model can name (an occupied destination, a cptr no lookup resolves).
 */
#include "capfuzz.h"
#include <kpi/cspace.h>

/* The nodes random ops work on: the fuzz slots of SLOTCN and the receive slot. */
#define CANDIDATES (FUZZ_SLOTS + 1)
static int candidate(unsigned i) { return i < FUZZ_SLOTS ? (int)i : N_RECV; }

int pick_full(bool (*want)(const struct mnode *))
{
    int found[CANDIDATES], n = 0;
    for (unsigned i = 0; i < CANDIDATES; i++) {
        int c = candidate(i);
        if (node_full(c) && (!want || want(&F.n[c])))
            found[n++] = c;
    }
    return n ? found[rnd_below((uint64_t)n)] : NONE;
}

int pick_empty(void)
{
    int found[FUZZ_SLOTS], n = 0;
    for (int i = 0; i < FUZZ_SLOTS; i++)
        if (!node_full(i))
            found[n++] = i;
    return n ? found[rnd_below((uint64_t)n)] : NONE;
}

int pick_any(void)
{
    return candidate((unsigned)rnd_below(CANDIDATES));
}

/* A cptr whose level-2 lookup fails, and how (kernel/cap/cnode.c). */
capaddr_t pick_bad_cptr(errval_t *lookup_err)
{
    if (chance(50)) {           /* an empty slot of the root CNode */
        *lookup_err = err_push(CAP_ERR_SLOT_EMPTY, CAP_ERR_LOOKUP_L1);
        return CAP_CPTR(2 + rnd_below(CSPACE_L1_SLOTS - 2), rnd_below(CAP_L2_SLOTS));
    }
    *lookup_err = err_push(CAP_ERR_SLOT_OUT_OF_RANGE, CAP_ERR_LOOKUP_L1);
    return CAP_CPTR(CSPACE_L1_SLOTS + rnd_below(1u << 20), rnd_below(CAP_L2_SLOTS));
}
