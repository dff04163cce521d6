/*
 * test_vsatable.c: the VSA table's records (drivers/storage/nvme/shared/
 * vsatable.h) on the host: filled, killed and read as the kernel and the
 * VSIC service do, then by threads at once: a record killed is never read
 * live once the kill returned, and one slot's kills never kill another
 * slot's record (the generation in each state).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <pthread.h>
#include <cmocka.h>
#include <storage/nvme/shared/vsatable.h>

#define R  CAP_RIGHT_READ
#define RW (CAP_RIGHT_READ | CAP_RIGHT_WRITE)
#define HOLDER 0x20002u

static struct nvme_vsa_vsic row;
static struct vsatable_who who[NVME_VSA_SHOWN];

static uint64_t nm(const char *s)
{
    uint64_t n = 0;
    memcpy(&n, s, strlen(s));
    return n;
}

static int setup(void **state)
{
    (void)state;
    memset(&row, 0, sizeof(row));
    memset(who, 0, sizeof(who));
    row.holder = HOLDER;
    return 0;
}

static void test_fill_kill_read(void **state)
{
    (void)state;
    assert_int_equal(vsatable_fill(&row, who, 2, 0x1000, 7, nm("rv"), RW), ERR_OK);
    assert_int_equal(vsatable_fill(&row, who, 2, 0x2000, 8, nm("rv"), R), ERR_OK);
    assert_int_equal(vsatable_fill(&row, who, 2, 0x1000, 7, nm("rv"), RW), ERR_OK);  /* shown before */
    assert_int_equal(vsatable_rights(&row, HOLDER, nm("rv")), RW);
    assert_int_equal(vsatable_rights(&row, HOLDER, nm("other")), 0);
    assert_int_equal(vsatable_kill_slot(&row, who, 2, 0x1000, 7), 1);
    assert_int_equal(vsatable_rights(&row, HOLDER, nm("rv")), R);      /* the read-only one left */
    assert_int_equal(row.gone, 1);
    assert_int_equal(vsatable_kill_slot(&row, who, 2, 0x1000, 7), 0);  /* dead already */
    assert_int_equal(vsatable_kill_slot(&row, who, 1, 0x2000, 8), 0);  /* another core's slot */
    assert_int_equal(vsatable_kill_slot(&row, who, 2, 0x2000, 9), 0);  /* another capability */
    assert_int_equal(vsatable_kill_slot(&row, who, 2, 0x2000, 8), 1);
    assert_int_equal(vsatable_rights(&row, HOLDER, nm("rv")), 0);
    assert_int_equal(row.gone, 2);
}

static void test_full_and_holder(void **state)
{
    (void)state;
    for (uint64_t i = 0; i < NVME_VSA_SHOWN; i++)
        assert_int_equal(vsatable_fill(&row, who, 1, 0x1000 + i * 32, i, nm("a"), R), ERR_OK);
    assert_int_equal(vsatable_fill(&row, who, 1, 0x9000, 99, nm("a"), R), VSA_ERR_PRESENT_FULL);
    assert_int_equal(vsatable_kill_slot(&row, who, 1, 0x1000 + 3 * 32, 3), 1);
    assert_int_equal(vsatable_fill(&row, who, 1, 0x9000, 99, nm("a"), RW), ERR_OK);
    assert_int_equal(vsatable_rights(&row, HOLDER, nm("a")), RW);
    assert_int_equal(vsatable_rights(&row, HOLDER + 1, nm("a")), 0);   /* not that holder's */
    assert_int_equal(vsatable_rights(&row, 0, nm("a")), 0);
    assert_int_equal(vsatable_kill_all(&row), NVME_VSA_SHOWN);
    assert_int_equal(vsatable_rights(&row, HOLDER, nm("a")), 0);
}

static void test_generation(void **state)
{
    (void)state;
    assert_int_equal(vsatable_fill(&row, who, 1, 0x1000, 1, nm("a"), RW), ERR_OK);
    uint64_t seen = vsatable_state(&row, 0);
    assert_true(vsatable_kill(&row, 0, seen));
    /* record 0 filled again, for another domain's slot */
    assert_int_equal(vsatable_fill(&row, who, 3, 0x5000, 2, nm("b"), R), ERR_OK);
    assert_int_equal(VSATABLE_GEN(vsatable_state(&row, 0)), VSATABLE_GEN(seen) + 1);
    /* a kill still holding the old state must not kill the new record */
    assert_false(vsatable_kill(&row, 0, seen));
    assert_int_equal(vsatable_rights(&row, HOLDER, nm("b")), R);
    assert_int_equal(vsatable_kill_slot(&row, who, 1, 0x1000, 1), 0);
    assert_int_equal(vsatable_rights(&row, HOLDER, nm("b")), R);
}

/* Threads: a victim's record lives throughout; the attacker fills and kills
 * its own slot in a loop (phase odd: it may be live; even: its kill has
 * returned and no fill has begun); a third fills and kills other slots
 * (records are reused under everyone); the reader checks both. */
#define ROUNDS 200000
static uint32_t phase;
static volatile int stop;
static unsigned bad_dead, bad_victim, seen_dead;

static void *attacker(void *arg)
{
    (void)arg;
    for (uint32_t k = 0; k < ROUNDS; k++) {
        __atomic_store_n(&phase, 2 * k + 1, __ATOMIC_SEQ_CST);
        while (err_is_fail(vsatable_fill(&row, who, 2, 0x2000, 77, nm("rv"), RW)))
            ;                           /* the churner holds every free record: wait */
        vsatable_kill_slot(&row, who, 2, 0x2000, 77);
        __atomic_store_n(&phase, 2 * k + 2, __ATOMIC_SEQ_CST);
    }
    stop = 1;
    return NULL;
}

static void *churner(void *arg)
{
    (void)arg;
    for (uint64_t k = 0; !stop; k++) {
        uint64_t slot = 0x3000 + (k % 5) * 32;
        vsatable_fill(&row, who, 1, slot, k % 5, nm("zz"), R);
        if (k % 3 == 0)
            vsatable_kill_slot(&row, who, 1, slot, k % 5);
        if (k % 7 == 0)
            vsatable_kill_slot(&row, who, 1, 0x3000 + ((k + 2) % 5) * 32, (k + 2) % 5);
    }
    return NULL;
}

static void *reader(void *arg)
{
    (void)arg;
    while (!stop) {
        uint32_t p = __atomic_load_n(&phase, __ATOMIC_SEQ_CST);
        uint32_t r = vsatable_rights(&row, HOLDER, nm("rv"));
        uint32_t v = vsatable_rights(&row, HOLDER, nm("vv"));
        if (p == __atomic_load_n(&phase, __ATOMIC_SEQ_CST) && p % 2 == 0 && p) {
            seen_dead++;
            bad_dead += r != 0;
        }
        bad_victim += v != RW;
    }
    return NULL;
}

static void test_threads(void **state)
{
    (void)state;
    assert_int_equal(vsatable_fill(&row, who, 3, 0x7000, 5, nm("vv"), RW), ERR_OK);
    pthread_t t[3];
    pthread_create(&t[0], NULL, reader, NULL);
    pthread_create(&t[1], NULL, churner, NULL);
    pthread_create(&t[2], NULL, attacker, NULL);
    for (int i = 0; i < 3; i++)
        pthread_join(t[i], NULL);
    print_message("reader: %u looks after a kill returned\n", seen_dead);
    assert_int_equal(bad_dead, 0);      /* never live once its kill returned */
    assert_int_equal(bad_victim, 0);    /* the victim's record never cut */
    assert_true(seen_dead > 0);
    assert_int_equal(vsatable_rights(&row, HOLDER, nm("vv")), RW);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_fill_kill_read, setup),
        cmocka_unit_test_setup(test_full_and_holder, setup),
        cmocka_unit_test_setup(test_generation, setup),
        cmocka_unit_test_setup(test_threads, setup),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
