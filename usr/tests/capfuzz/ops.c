/*
 * ops.c: one random operation, chosen by weight. Most invoke a
 * capability; touching mapped memory and draining messages do not, and
 * are not counted as invocations.
 */
#include "capfuzz.h"

static void op_retype_or_vnic(void) { F.vnic ? op_vnic() : op_retype(); }
static void op_copy_(void) { op_copy(false); }
static void op_mint(void) { op_copy(true); }
static void op_delete_(void) { op_delete(false); }
static void op_revoke(void) { op_delete(true); }
static void op_send_(void) { op_send(false); }
static void op_send_cap(void) { op_send(true); }

static const struct { unsigned weight; void (*fn)(void); } ops[] = {
    { 22, op_retype },
    { 8, op_copy_ },
    { 7, op_mint },
    { 10, op_delete_ },
    { 5, op_revoke },
    { 6, op_identify },
    { 12, op_map },
    { 6, op_unmap },
    { 3, op_touch },
    { 4, op_send_ },
    { 5, op_send_cap },
    { 2, op_drain },
    { 1, op_span },
    { 3, op_illegal },
    { 6, op_retype_or_vnic },
};

void op_random(void)
{
    unsigned total = 0;
    for (unsigned i = 0; i < sizeof ops / sizeof ops[0]; i++)
        total += ops[i].weight;
    unsigned r = (unsigned)rnd_below(total);
    for (unsigned i = 0; i < sizeof ops / sizeof ops[0]; i++) {
        if (r < ops[i].weight) {
            ops[i].fn();
            return;
        }
        r -= ops[i].weight;
    }
}
