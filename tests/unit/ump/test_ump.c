/*
 * test_ump.c: the inter-core message channel (lib/libos/ump/ump.c) on the
 * host.
 *
 * Most tests drive both ends of one channel from a single thread, which
 * makes full, empty and wrap-around exact. The last two put the ends on two
 * threads (two cores, as in the OS) and move 100000 messages each way; they
 * collect any mismatch while running and assert only after both threads
 * have stopped, so a failure never leaves a thread spinning on freed
 * memory. Spins are bounded, so a lost message fails instead of hanging.
 */
#define _POSIX_C_SOURCE 200809L
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <pthread.h>
#include <sched.h>
#include <cmocka.h>
#include <libos/ump.h>
#include <string.h>

#define FRAME_BYTES (2 * 4096)      /* two pages: 63 messages each way */
#define THREAD_MSGS 100000
/* Failed attempts in a row before a threaded test gives up on its peer. */
#define SPIN_LIMIT  50000000L

struct chan_pair {
    void *frame;
    struct ump_chan a, b;
};

/* Fail naming the call, what it returned and what was expected. */
static void expect_err(const char *call, errval_t got, enum err_code want)
{
    if (err_no(got) != want)
        fail_msg("%s returned %s (%s), expected %s", call, err_name(err_no(got)),
                 err_msg(err_no(got)), err_name(want));
}

static int setup_pair(void **state)
{
    struct chan_pair *p = calloc(1, sizeof(*p));
    assert_non_null(p);
    p->frame = aligned_alloc(4096, FRAME_BYTES);
    assert_non_null(p->frame);
    memset(p->frame, 0xa5, FRAME_BYTES);    /* formatting must clear this */
    expect_err("ump_frame_format", ump_frame_format(p->frame, FRAME_BYTES), ERR_OK);
    expect_err("ump_chan_init(A)", ump_chan_init(&p->a, p->frame, FRAME_BYTES, true), ERR_OK);
    expect_err("ump_chan_init(B)", ump_chan_init(&p->b, p->frame, FRAME_BYTES, false), ERR_OK);
    *state = p;
    return 0;
}

static int teardown_pair(void **state)
{
    struct chan_pair *p = *state;
    free(p->frame);
    free(p);
    return 0;
}

/* Message number `seq`: recognisable words, the last a checksum of the rest. */
static void make_msg(uint64_t seq, uint64_t m[UMP_PAYLOAD_WORDS])
{
    uint64_t sum = 0;
    for (int i = 0; i < UMP_PAYLOAD_WORDS - 1; i++) {
        m[i] = i == 0 ? seq : seq * 0x9e3779b97f4a7c15ull + (uint64_t)i;
        sum = (sum << 7 | sum >> 57) ^ m[i];
    }
    m[UMP_PAYLOAD_WORDS - 1] = sum;
}

static bool msg_ok(uint64_t seq, const uint64_t m[UMP_PAYLOAD_WORDS])
{
    uint64_t want[UMP_PAYLOAD_WORDS];
    make_msg(seq, want);
    return memcmp(want, m, sizeof(want)) == 0;
}

static void send_ok(struct ump_chan *c, uint64_t seq)
{
    uint64_t m[UMP_PAYLOAD_WORDS];
    make_msg(seq, m);
    expect_err("ump_send", ump_send(c, m), ERR_OK);
}

static void recv_ok(struct ump_chan *c, uint64_t seq)
{
    uint64_t m[UMP_PAYLOAD_WORDS];
    expect_err("ump_recv", ump_recv(c, m), ERR_OK);
    if (!msg_ok(seq, m))
        fail_msg("ump_recv: message %llu arrived as seq %llu with wrong words",
                 (unsigned long long)seq, (unsigned long long)m[0]);
}

/* Does one message cross from A to B with all seven words intact, and the
 * reply come back from B to A? */
static void test_round_trip(void **state)
{
    struct chan_pair *p = *state;
    uint64_t out[UMP_PAYLOAD_WORDS] = { 1, 2, 3, 0xffffffffffffffffull, 0, 6, 0x8000000000000000ull };
    uint64_t in[UMP_PAYLOAD_WORDS] = { 0 };
    assert_false(ump_can_recv(&p->b));
    expect_err("ump_send(A)", ump_send(&p->a, out), ERR_OK);
    assert_true(ump_can_recv(&p->b));
    expect_err("ump_recv(B)", ump_recv(&p->b, in), ERR_OK);
    assert_memory_equal(in, out, sizeof(out));

    in[0] += 100;
    expect_err("ump_send(B)", ump_send(&p->b, in), ERR_OK);
    expect_err("ump_recv(A)", ump_recv(&p->a, out), ERR_OK);
    assert_int_equal(out[0], 101);
    assert_int_equal(out[6], 0x8000000000000000ull);
}

/* Does an end never receive its own message (each direction its own ring)? */
static void test_directions_are_separate(void **state)
{
    struct chan_pair *p = *state;
    uint64_t m[UMP_PAYLOAD_WORDS];
    send_ok(&p->a, 7);
    expect_err("ump_recv(A) after A sent", ump_recv(&p->a, m), UMP_ERR_EMPTY);
    assert_false(ump_can_recv(&p->a));
    recv_ok(&p->b, 7);
}

/* Does receiving from a fresh or drained channel say EMPTY and leave the
 * caller's buffer alone? */
static void test_empty(void **state)
{
    struct chan_pair *p = *state;
    uint64_t m[UMP_PAYLOAD_WORDS] = { 42, 42, 42, 42, 42, 42, 42 };
    expect_err("ump_recv(B) on fresh channel", ump_recv(&p->b, m), UMP_ERR_EMPTY);
    expect_err("ump_recv(A) on fresh channel", ump_recv(&p->a, m), UMP_ERR_EMPTY);
    assert_int_equal(m[0], 42);
    assert_int_equal(m[6], 42);
    send_ok(&p->a, 0);
    recv_ok(&p->b, 0);
    expect_err("ump_recv(B) after draining", ump_recv(&p->b, m), UMP_ERR_EMPTY);
}

/* Does a two-page frame hold 63 messages per direction (one line per ring
 * goes to the acknowledgement)? */
static void test_capacity_of_two_pages(void **state)
{
    struct chan_pair *p = *state;
    assert_int_equal(ump_chan_capacity(&p->a), FRAME_BYTES / 2 / UMP_CACHELINE - 1);
    assert_int_equal(ump_chan_capacity(&p->b), 63);
}

/* Is the ring FULL after exactly `capacity` sends, and does one receive
 * (which acknowledges) free exactly one slot? */
static void test_full_then_ack_frees_a_slot(void **state)
{
    struct chan_pair *p = *state;
    size_t cap = ump_chan_capacity(&p->a);
    uint64_t m[UMP_PAYLOAD_WORDS];
    for (size_t i = 0; i < cap; i++) {
        assert_true(ump_can_send(&p->a));
        send_ok(&p->a, i);
    }
    assert_false(ump_can_send(&p->a));
    make_msg(cap, m);
    expect_err("ump_send on a full ring", ump_send(&p->a, m), UMP_ERR_FULL);
    /* The other direction is unaffected. */
    send_ok(&p->b, 1000);

    recv_ok(&p->b, 0);
    assert_true(ump_can_send(&p->a));
    send_ok(&p->a, cap);
    expect_err("ump_send after one slot was reused", ump_send(&p->a, m), UMP_ERR_FULL);

    /* Everything arrives, in order, including the message sent after FULL. */
    for (size_t i = 1; i <= cap; i++)
        recv_ok(&p->b, i);
    expect_err("ump_recv after draining", ump_recv(&p->b, m), UMP_ERR_EMPTY);
    recv_ok(&p->a, 1000);
}

/* Do ten laps of the ring, in batches of every size from 1 to capacity,
 * arrive in order, so a slot's previous lap is never taken for new? */
static void test_wraparound(void **state)
{
    struct chan_pair *p = *state;
    size_t cap = ump_chan_capacity(&p->a);
    uint64_t sent = 0, got = 0, m[UMP_PAYLOAD_WORDS];
    for (size_t batch = 1; sent < 10 * cap; batch = batch % cap + 1) {
        for (size_t i = 0; i < batch; i++)
            send_ok(&p->a, sent++);
        while (got < sent)
            recv_ok(&p->b, got++);
        expect_err("ump_recv between batches", ump_recv(&p->b, m), UMP_ERR_EMPTY);
    }
    assert_true(got >= 10 * cap);
}

/* Does the smallest frame (one slot per ring) still alternate correctly? */
static void test_min_frame(void **state)
{
    void *f = aligned_alloc(UMP_CACHELINE, UMP_FRAME_MIN_BYTES);
    struct ump_chan a, b;
    uint64_t m[UMP_PAYLOAD_WORDS];
    assert_non_null(f);
    expect_err("ump_frame_format(min)", ump_frame_format(f, UMP_FRAME_MIN_BYTES), ERR_OK);
    expect_err("ump_chan_init(A)", ump_chan_init(&a, f, UMP_FRAME_MIN_BYTES, true), ERR_OK);
    expect_err("ump_chan_init(B)", ump_chan_init(&b, f, UMP_FRAME_MIN_BYTES, false), ERR_OK);
    assert_int_equal(ump_chan_capacity(&a), 1);
    for (uint64_t i = 0; i < 5; i++) {
        send_ok(&a, i);
        make_msg(i + 1, m);
        expect_err("ump_send to a one-slot ring", ump_send(&a, m), UMP_ERR_FULL);
        recv_ok(&b, i);
    }
    free(f);
}

/* Are frames that are too small, too big, NULL or misaligned refused by
 * both format and init, without touching the memory? */
static void test_bad_frame(void **state)
{
    static const size_t sizes[] = { 0, 64, UMP_FRAME_MIN_BYTES - 1, UMP_FRAME_MAX_BYTES + 1 };
    uint8_t *f = aligned_alloc(4096, FRAME_BYTES);
    struct ump_chan c;
    assert_non_null(f);
    memset(f, 0x5a, FRAME_BYTES);
    for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
        expect_err("ump_frame_format(bad size)", ump_frame_format(f, sizes[i]), UMP_ERR_BAD_FRAME);
        expect_err("ump_chan_init(bad size)", ump_chan_init(&c, f, sizes[i], true), UMP_ERR_BAD_FRAME);
    }
    expect_err("ump_frame_format(misaligned)", ump_frame_format(f + 8, 4096), UMP_ERR_BAD_FRAME);
    expect_err("ump_chan_init(misaligned)", ump_chan_init(&c, f + 32, 4096, false), UMP_ERR_BAD_FRAME);
    expect_err("ump_frame_format(NULL)", ump_frame_format(NULL, 4096), UMP_ERR_BAD_FRAME);
    for (size_t i = 0; i < FRAME_BYTES; i++)
        if (f[i] != 0x5a)
            fail_msg("a refused call wrote byte %zu of the frame", i);
    free(f);
}

/* Does init refuse a frame nobody formatted, or one formatted for another
 * size (the two ends disagree on the layout)? */
static void test_not_formatted(void **state)
{
    void *f = aligned_alloc(4096, FRAME_BYTES);
    struct ump_chan c;
    assert_non_null(f);
    memset(f, 0, FRAME_BYTES);
    expect_err("ump_chan_init(zeroed frame)", ump_chan_init(&c, f, FRAME_BYTES, true), UMP_ERR_NOT_FORMATTED);
    expect_err("ump_frame_format", ump_frame_format(f, FRAME_BYTES), ERR_OK);
    expect_err("ump_chan_init(half the size)", ump_chan_init(&c, f, FRAME_BYTES / 2, false), UMP_ERR_NOT_FORMATTED);
    /* Re-formatted smaller: the old second header survives past the new
     * end, so both magics are found, but the slot counts disagree. */
    expect_err("ump_frame_format(half)", ump_frame_format(f, FRAME_BYTES / 2), ERR_OK);
    expect_err("ump_chan_init(stale size)", ump_chan_init(&c, f, FRAME_BYTES, true), UMP_ERR_NOT_FORMATTED);
    free(f);
}

/* Does format stay inside `bytes`, leaving an odd tail and what follows
 * untouched? */
static void test_format_stays_in_bounds(void **state)
{
    enum { USED = 4096 + 100, ALLOC = 8192 };
    uint8_t *f = aligned_alloc(4096, ALLOC);
    struct ump_chan a;
    assert_non_null(f);
    memset(f, 0x77, ALLOC);
    expect_err("ump_frame_format(odd size)", ump_frame_format(f, USED), ERR_OK);
    expect_err("ump_chan_init(odd size)", ump_chan_init(&a, f, USED, true), ERR_OK);
    assert_int_equal(ump_chan_capacity(&a), 2048 / UMP_CACHELINE - 1);
    for (size_t i = 4096; i < ALLOC; i++)
        if (f[i] != 0x77)
            fail_msg("ump_frame_format(%d bytes) wrote byte %zu", USED, i);
    free(f);
}

/* --- Two threads, one per end --- */

struct producer {
    struct ump_chan *c;
    long gave_up_at;        /* message it could not send, or -1 */
};

static void *producer_main(void *arg)
{
    struct producer *pr = arg;
    pr->gave_up_at = -1;
    for (uint64_t seq = 0; seq < THREAD_MSGS; seq++) {
        uint64_t m[UMP_PAYLOAD_WORDS];
        make_msg(seq, m);
        long spins = 0;
        while (err_no(ump_send(pr->c, m)) == UMP_ERR_FULL) {
            if (++spins == SPIN_LIMIT) {
                pr->gave_up_at = (long)seq;
                return NULL;
            }
            sched_yield();
        }
    }
    return NULL;
}

/* Receive one message, spinning at most SPIN_LIMIT times. */
static bool recv_spin(struct ump_chan *c, uint64_t m[UMP_PAYLOAD_WORDS])
{
    for (long spins = 0; spins < SPIN_LIMIT; spins++) {
        if (err_is_ok(ump_recv(c, m)))
            return true;
        sched_yield();
    }
    return false;
}

/* With A's sender on one thread and B's receiver on another, do 100000
 * messages all arrive, in order, each with its checksum intact? */
static void test_threads_stream(void **state)
{
    struct chan_pair *p = *state;
    struct producer pr = { .c = &p->a };
    pthread_t t;
    long received = 0, first_bad = -1;
    uint64_t m[UMP_PAYLOAD_WORDS];
    assert_int_equal(pthread_create(&t, NULL, producer_main, &pr), 0);
    while (received < THREAD_MSGS && recv_spin(&p->b, m)) {
        if (first_bad < 0 && !msg_ok((uint64_t)received, m))
            first_bad = received;
        received++;
    }
    assert_int_equal(pthread_join(t, NULL), 0);
    if (pr.gave_up_at >= 0)
        fail_msg("producer stuck on FULL at message %ld", pr.gave_up_at);
    if (received != THREAD_MSGS)
        fail_msg("received %ld of %d messages", received, THREAD_MSGS);
    if (first_bad >= 0)
        fail_msg("message %ld arrived out of order or corrupted", first_bad);
    expect_err("ump_recv after the stream", ump_recv(&p->b, m), UMP_ERR_EMPTY);
}

struct echo {
    struct ump_chan *c;
    long failed_at;         /* round trip it could not complete, or -1 */
};

/* Side B: send every message back with each word incremented. */
static void *echo_main(void *arg)
{
    struct echo *e = arg;
    e->failed_at = -1;
    for (long i = 0; i < THREAD_MSGS; i++) {
        uint64_t m[UMP_PAYLOAD_WORDS];
        if (!recv_spin(e->c, m)) {
            e->failed_at = i;
            return NULL;
        }
        for (int w = 0; w < UMP_PAYLOAD_WORDS; w++)
            m[w]++;
        /* A waits for each reply, so B's ring can never be full here. */
        if (err_is_fail(ump_send(e->c, m))) {
            e->failed_at = i;
            return NULL;
        }
    }
    return NULL;
}

/* Do 100000 round trips between two threads each come back as the reply
 * to the message just sent? */
static void test_threads_ping_pong(void **state)
{
    struct chan_pair *p = *state;
    struct echo e = { .c = &p->b };
    pthread_t t;
    long done = 0, first_bad = -1;
    assert_int_equal(pthread_create(&t, NULL, echo_main, &e), 0);
    for (; done < THREAD_MSGS; done++) {
        uint64_t out[UMP_PAYLOAD_WORDS], in[UMP_PAYLOAD_WORDS];
        make_msg((uint64_t)done, out);
        if (err_is_fail(ump_send(&p->a, out)) || !recv_spin(&p->a, in))
            break;
        for (int w = 0; w < UMP_PAYLOAD_WORDS; w++)
            if (first_bad < 0 && in[w] != out[w] + 1)
                first_bad = done;
    }
    assert_int_equal(pthread_join(t, NULL), 0);
    if (e.failed_at >= 0)
        fail_msg("echo thread failed at round trip %ld", e.failed_at);
    if (done != THREAD_MSGS)
        fail_msg("completed %ld of %d round trips", done, THREAD_MSGS);
    if (first_bad >= 0)
        fail_msg("reply %ld does not match its request", first_bad);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_round_trip, setup_pair, teardown_pair),
        cmocka_unit_test_setup_teardown(test_directions_are_separate, setup_pair, teardown_pair),
        cmocka_unit_test_setup_teardown(test_empty, setup_pair, teardown_pair),
        cmocka_unit_test_setup_teardown(test_capacity_of_two_pages, setup_pair, teardown_pair),
        cmocka_unit_test_setup_teardown(test_full_then_ack_frees_a_slot, setup_pair, teardown_pair),
        cmocka_unit_test_setup_teardown(test_wraparound, setup_pair, teardown_pair),
        cmocka_unit_test(test_min_frame),
        cmocka_unit_test(test_bad_frame),
        cmocka_unit_test(test_not_formatted),
        cmocka_unit_test(test_format_stays_in_bounds),
        cmocka_unit_test_setup_teardown(test_threads_stream, setup_pair, teardown_pair),
        cmocka_unit_test_setup_teardown(test_threads_ping_pong, setup_pair, teardown_pair),
    };
    return cmocka_run_group_tests_name("ump", tests, NULL, NULL);
}
