/* lendstress a|b [ROUNDS]: Frames lent across cores, again and again
 * (started with `pair lendstress A B [ROUNDS]`; kernel/capmove.c).
 * Each round a makes a Frame at one place in a pool of its RAM,
 * writes the round number in it and lends it to b (MONITOR_MSG_SEND_CAP);
 * b maps it, checks the number, writes its answer, and tells a. Then one
 * of them lets go, chosen by the round: b deletes it (the release path),
 * or a revokes its Frame and b waits until its own capability is gone
 * (the drop path; a delete alone leaves the lent copy, as any copy). A place is made anew while the last Frame there may
 * still be lent out: retype must then say CAP_ERR_RETYPE_PINNED until
 * the importing core let go (or CAP_ERR_RETYPE_OVERLAP while the kernel's
 * copy lives), and never hand the memory out twice. */
#include <libos/debug.h>
#include <libos/libos.h>
#include <libos/lmp.h>
#include <libos/syscall.h>
#include <libos/tsc.h>
#include <libos/ump.h>
#include <libos/words.h>
#include <kpi/cspace.h>
#include <kpi/dispatcher.h>
#include <kpi/monitor.h>
#include <kpi/syscall.h>
#include <string.h>

#define CHANNEL_BYTES (16 * 1024)
#define ROOTCN CAP_TASK(TASKCN_SLOT_ROOTCN)
#define RECV CAP_TASK(TASKCN_SLOT_RECV)
#define POOL CAP_SLOT(100)
#define PLACES 1            /* few: a place is remade soon after it was let go */
#define WAIT_S 30
#define MAGIC 0x1e4d000000000000ull

static volatile uint64_t *page(unsigned place)
{
    return (volatile uint64_t *)(uintptr_t)(USER_MAP_BASE + place * 4096ull);
}

static void recv_wait(struct ump_chan *c, uint64_t *w)
{
    while (err_is_fail(ump_recv(c, w)))
        sys_yield(SYS_YIELD_SLICE);
}

static void send_wait(struct ump_chan *c, uint64_t w0, uint64_t w1)
{
    uint64_t w[UMP_PAYLOAD_WORDS] = { w0, w1 };
    while (err_is_fail(ump_send(c, w)))
        sys_yield(SYS_YIELD_SLICE);
}

static errval_t invoke(capaddr_t cap, uint64_t cmd, uint64_t a, uint64_t b, uint64_t c, uint64_t d)
{
    return sys_invoke(cap, cmd, a, b, c, d).err;
}

static bool deadline_passed(uint64_t deadline) { return rdtsc_now() > deadline; }

/* The monitor's answer to MONITOR_MSG_SEND_CAP. */
static errval_t lend_result(void)
{
    for (;;) {
        struct lmp_msg m;
        errval_t err = lmp_recv(&m);
        if (err_is_fail(err))
            return err;
        if (m.words[0] == MONITOR_MSG_RESULT && m.words[1] == MONITOR_MSG_SEND_CAP)
            return (errval_t)m.words[2];
    }
}

/* A Frame at `place`. While the last one there is still lent out, the
 * memory is busy: CAP_ERR_RETYPE_OVERLAP while the kernel's copy of the
 * lent Frame lives (its release is on its way back), CAP_ERR_RETYPE_PINNED
 * once it was revoked and the borrower's core has not let go yet. */
static errval_t make_frame(unsigned place, unsigned *busy)
{
    uint64_t deadline = rdtsc_now() + WAIT_S * libos_tsc_hz();
    for (;;) {
        errval_t err = invoke(ROOTCN, CNODE_CMD_RETYPE, POOL, CAP_FRAME | 12 << 8 | (uint64_t)place << 16,
                              1, CAP_SLOT(place));
        if ((err_no(err) != CAP_ERR_RETYPE_PINNED && err_no(err) != CAP_ERR_RETYPE_OVERLAP) ||
            deadline_passed(deadline))
            return err;
        (*busy)++;
        sys_yield(SYS_YIELD_BLOCK);
    }
}

static int side_a(struct ump_chan *c, unsigned rounds)
{
    uint64_t w[UMP_PAYLOAD_WORDS];
    recv_wait(c, w);
    uint32_t b = (uint32_t)w[0];
    errval_t err = invoke(ROOTCN, CNODE_CMD_RETYPE, CAP_TASK(TASKCN_SLOT_RAM), CAP_RAM | 16 << 8 | 256 << 16,
                          1, POOL);
    unsigned pinned = 0, released = 0, revoked = 0;
    for (unsigned r = 0; r < rounds && err_is_ok(err); r++) {
        unsigned place = r % PLACES;
        if (err_is_ok(err = make_frame(place, &pinned)))
            err = invoke(CAP_SLOT(place), FRAME_CMD_MAP, (uint64_t)(uintptr_t)page(place), FRAME_MAP_WRITE, 0, 0);
        if (err_is_fail(err))
            break;
        page(place)[0] = MAGIC | r;
        err = invoke(CAP_TASK(TASKCN_SLOT_MONITOREP), ENDPOINT_CMD_SEND_CAP, MONITOR_MSG_SEND_CAP, b, r,
                     CAP_SLOT(place));
        if (err_is_ok(err))
            err = lend_result();
        if (err_is_fail(err))
            break;
        recv_wait(c, w);                /* b's check of round r */
        if (w[0] != r || w[1] != 1 || page(place)[1] != (MAGIC | r) + 1) {
            debug_printf("lendstress a: round %u: b's answer is wrong (%lu %lu %#lx)\n", r, w[0], w[1],
                         page(place)[1]);
            return 1;
        }
        bool b_lets_go = (r * 2654435761u) >> 31;
        if (!b_lets_go) {               /* the drop path: our revoke reaches b */
            err = invoke(ROOTCN, CNODE_CMD_REVOKE, CAP_SLOT(place), 0, 0, 0);
            if (err_is_ok(err))
                err = invoke(ROOTCN, CNODE_CMD_DELETE, CAP_SLOT(place), 0, 0, 0);
            revoked++;
        }
        send_wait(c, r, b_lets_go);
        recv_wait(c, w);                /* b has let go, or seen it taken */
        if (w[0] != r || w[1] != 1) {
            debug_printf("lendstress a: round %u: b still holds the Frame\n", r);
            return 1;
        }
        if (b_lets_go) {
            err = invoke(ROOTCN, CNODE_CMD_DELETE, CAP_SLOT(place), 0, 0, 0);
            released++;
        }
    }
    if (err_is_fail(err)) {
        debug_err("lendstress a", err);
        return 1;
    }
    debug_printf("lendstress: %u rounds: %u released by b, %u revoked by a, %u retypes refused while "
                 "still lent, every answer right\n", rounds, released, revoked, pinned);
    return 0;
}

static int side_b(struct ump_chan *c, unsigned rounds)
{
    uint64_t w[UMP_PAYLOAD_WORDS];
    send_wait(c, libos_domain_id(), 0);
    volatile uint64_t *mine = page(0);
    for (unsigned r = 0; r < rounds; r++) {
        struct lmp_msg m = { 0 };
        uint64_t until = rdtsc_now() + WAIT_S * libos_tsc_hz();
        while (m.words[0] != MONITOR_MSG_CAP) {
            if (err_is_ok(lmp_poll(&m)))
                continue;
            if (deadline_passed(until)) {
                debug_printf("lendstress b: round %u: no Frame came\n", r);
                return 1;
            }
            sys_yield(SYS_YIELD_BLOCK);
        }
        errval_t err = m.words[1] == r ? invoke(RECV, FRAME_CMD_MAP, (uint64_t)(uintptr_t)mine,
                                                FRAME_MAP_WRITE, 0, 0) : MONITOR_ERR_BAD_MESSAGE;
        bool good = err_is_ok(err) && mine[0] == (MAGIC | r);
        if (good)
            mine[1] = (MAGIC | r) + 1;
        send_wait(c, r, good);
        if (!good) {
            debug_printf("lendstress b: round %u: %s, read %#lx\n", r, err_name(err_no(err)),
                         err_is_ok(err) ? mine[0] : 0);
            return 1;
        }
        recv_wait(c, w);                /* who lets go */
        if (w[1])
            err = invoke(ROOTCN, CNODE_CMD_DELETE, RECV, 0, 0, 0);
        uint64_t deadline = rdtsc_now() + WAIT_S * libos_tsc_hz();
        struct cap_identity id;
        while (err_is_ok(invoke(ROOTCN, CNODE_CMD_IDENTIFY, RECV, (uint64_t)(uintptr_t)&id, 0, 0)) &&
               !deadline_passed(deadline))
            sys_yield(SYS_YIELD_BLOCK);
        bool gone = err_is_fail(invoke(ROOTCN, CNODE_CMD_IDENTIFY, RECV, (uint64_t)(uintptr_t)&id, 0, 0));
        send_wait(c, r, gone && err_is_ok(err));
        if (!gone)
            return 1;
    }
    return 0;
}

int main(int argc, char *argv[])
{
    bool a = argc > 1 && strcmp(argv[1], "a") == 0;
    uint64_t rounds = 64;
    if (argc > 2 && (!words_u64(argv[2], &rounds) || rounds == 0 || rounds > 100000))
        rounds = 64;
    struct ump_chan chan;
    errval_t err = ump_spawn_chan_open(&chan, a);
    if (err_is_fail(err)) {
        debug_err("lendstress: channel", err);
        return 1;
    }
    return a ? side_a(&chan, (unsigned)rounds) : side_b(&chan, (unsigned)rounds);
}
