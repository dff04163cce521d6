/*
 * test_libos.c: the pure bookkeeping of the library OS on the host: the
 * thread wait queues (lib/libos/waitq.c), which also serve as the run
 * queue and the park buckets (waitq_remove: a timed-out parker), and the consumer side of the dispatcher's LMP ring
 * (libos/lmp.h), including the wrap of its 32-bit counters.
 *
 * The scheduling around them (upcalls, disabled, register switching) needs
 * the kernel and is exercised by usr/tests/hello in the guest.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <cmocka.h>
#include <libos/lmp.h>
#include <libos/thread.h>
#include <string.h>

#define NTHREADS 5

static struct thread threads[NTHREADS];

static int setup_threads(void **state)
{
    memset(threads, 0, sizeof threads);
    for (int i = 0; i < NTHREADS; i++)
        threads[i].id = (uint32_t)i;
    return 0;
}

/* Does a queue hand threads back in the order they came? */
static void test_fifo_order(void **state)
{
    struct waitq q = WAITQ_INITIALIZER;
    assert_true(waitq_empty(&q));
    for (int i = 0; i < NTHREADS; i++)
        assert_true(waitq_push(&q, &threads[i]));
    assert_false(waitq_empty(&q));
    for (int i = 0; i < NTHREADS; i++) {
        struct thread *t = waitq_pop(&q);
        assert_non_null(t);
        if (t != &threads[i])
            fail_msg("pop %d returned thread %u, expected %d", i, t->id, i);
        assert_null(t->queue);
        assert_null(t->next);
    }
    assert_true(waitq_empty(&q));
    assert_null(waitq_pop(&q));
    assert_null(q.tail);
}

/* What if a thread is pushed while it is still on a queue? */
static void test_push_twice_refused(void **state)
{
    struct waitq a, b;
    waitq_init(&a);
    waitq_init(&b);
    assert_true(waitq_push(&a, &threads[0]));
    assert_false(waitq_push(&a, &threads[0]));
    assert_false(waitq_push(&b, &threads[0]));
    assert_true(waitq_empty(&b));
    assert_ptr_equal(waitq_pop(&a), &threads[0]);
    assert_true(waitq_empty(&a));
    /* Off the queue it may join another. */
    assert_true(waitq_push(&b, &threads[0]));
    assert_ptr_equal(threads[0].queue, &b);
}

/* Can a thread leave from the head, the middle and the tail, and is one
 * that is not on the queue (or is on another) refused? */
static void test_remove_anywhere(void **state)
{
    struct waitq q = WAITQ_INITIALIZER, other = WAITQ_INITIALIZER;
    for (int i = 0; i < NTHREADS; i++)
        assert_true(waitq_push(&q, &threads[i]));
    assert_true(waitq_remove(&q, &threads[2]));         /* middle */
    assert_null(threads[2].queue);
    assert_false(waitq_remove(&q, &threads[2]));        /* not on it any more */
    assert_true(waitq_remove(&q, &threads[0]));         /* head */
    assert_true(waitq_remove(&q, &threads[4]));         /* tail */
    assert_ptr_equal(q.tail, &threads[3]);
    assert_true(waitq_push(&other, &threads[2]));
    assert_false(waitq_remove(&q, &threads[2]));        /* on another queue */
    assert_ptr_equal(threads[2].queue, &other);
    assert_true(waitq_push(&q, &threads[0]));           /* the tail is still right */
    assert_ptr_equal(waitq_pop(&q), &threads[1]);
    assert_ptr_equal(waitq_pop(&q), &threads[3]);
    assert_ptr_equal(waitq_pop(&q), &threads[0]);
    assert_true(waitq_empty(&q));
    assert_null(q.tail);
}

/* Round-robin as the dispatcher does it: pop the head, run it, push it
 * back; with interleaved pushes the tail must stay right. */
static void test_round_robin(void **state)
{
    struct waitq q = WAITQ_INITIALIZER;
    for (int i = 0; i < 3; i++)
        assert_true(waitq_push(&q, &threads[i]));
    uint32_t order[9];
    for (int n = 0; n < 9; n++) {
        struct thread *t = waitq_pop(&q);
        assert_non_null(t);
        order[n] = t->id;
        assert_true(waitq_push(&q, t));
    }
    for (int n = 0; n < 9; n++)
        if (order[n] != (uint32_t)(n % 3))
            fail_msg("turn %d went to thread %u, expected %d", n, order[n], n % 3);
    /* Drain to one element and refill: head and tail must agree. */
    assert_non_null(waitq_pop(&q));
    assert_non_null(waitq_pop(&q));
    assert_ptr_equal(q.head, q.tail);
    assert_true(waitq_push(&q, &threads[3]));
    assert_ptr_equal(q.tail, &threads[3]);
    assert_ptr_equal(waitq_pop(&q), &threads[2]);
    assert_ptr_equal(waitq_pop(&q), &threads[3]);
    assert_true(waitq_empty(&q));
}

/* The kernel's side of the ring, as kpi/dispatcher.h describes it. */
static void ring_produce(struct dispatcher_shared *s, uint64_t w0)
{
    struct lmp_msg *m = &s->lmp[s->lmp_produced % LMP_RING_SLOTS];
    memset(m, 0, sizeof *m);
    m->words[0] = w0;
    m->seq = s->lmp_produced + 1;
    s->lmp_produced++;
}

/* Does the ring give each message once, in order, and nothing when empty? */
static void test_lmp_ring_order(void **state)
{
    static struct dispatcher_shared s;
    memset(&s, 0, sizeof s);
    struct lmp_msg m;
    assert_false(lmp_ring_take(&s, &m));
    for (uint64_t i = 0; i < LMP_RING_SLOTS; i++)
        ring_produce(&s, 100 + i);
    assert_int_equal(lmp_ring_pending(&s), LMP_RING_SLOTS);
    for (uint64_t i = 0; i < LMP_RING_SLOTS; i++) {
        assert_true(lmp_ring_take(&s, &m));
        if (m.words[0] != 100 + i)
            fail_msg("message %lu carried %lu, expected %lu", (unsigned long)i,
                     (unsigned long)m.words[0], (unsigned long)(100 + i));
    }
    assert_false(lmp_ring_take(&s, &m));
    assert_int_equal(lmp_ring_pending(&s), 0);
}

/* What happens when the 32-bit counters wrap past 2^32? */
static void test_lmp_ring_wrap(void **state)
{
    static struct dispatcher_shared s;
    memset(&s, 0, sizeof s);
    s.lmp_produced = s.lmp_consumed = UINT32_MAX - 2;
    for (uint64_t i = 0; i < 6; i++)
        ring_produce(&s, i);
    assert_int_equal(lmp_ring_pending(&s), 6);
    struct lmp_msg m;
    for (uint64_t i = 0; i < 6; i++) {
        assert_true(lmp_ring_take(&s, &m));
        assert_int_equal(m.words[0], i);
    }
    assert_false(lmp_ring_take(&s, &m));
    assert_int_equal(s.lmp_consumed, 3);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_fifo_order, setup_threads),
        cmocka_unit_test_setup(test_push_twice_refused, setup_threads),
        cmocka_unit_test_setup(test_round_robin, setup_threads),
        cmocka_unit_test_setup(test_remove_anywhere, setup_threads),
        cmocka_unit_test(test_lmp_ring_order),
        cmocka_unit_test(test_lmp_ring_wrap),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
