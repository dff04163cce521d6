/*
 * suite_wake.c: waits that wake at once (libos sync_park, SYS_WAKE).
 *
 * A condition variable hand-off between threads on one core and on two
 * cores must complete every round by parking and unparking (the counters
 * of libos sync_park_stats say which path ran), never by a waiter finding
 * the change on its own at a later look. SYS_WAKE names only the caller's
 * own domain: a core it does not span is a no-op, a core that does not
 * exist is refused.
 */
#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <libos/libos.h>
#include <libos/sync.h>
#include <libos/syscall.h>
#include "suite.h"

#define WAKE_ROUNDS 200

struct wake_pingpong {
    pthread_mutex_t m;
    pthread_cond_t c;
    int turn;                   /* 0: main's turn, 1: the other thread's */
    int rounds;
};

static void *wake_partner(void *arg)
{
    struct wake_pingpong *p = arg;
    pthread_mutex_lock(&p->m);
    for (int i = 0; i < p->rounds; i++) {
        while (p->turn != 1)
            pthread_cond_wait(&p->c, &p->m);
        p->turn = 0;
        pthread_cond_signal(&p->c);
    }
    pthread_mutex_unlock(&p->m);
    return NULL;
}

/* WAKE_ROUNDS hand-offs each way with the partner on `core` (-1: this one);
 * returns how many rounds main saw. */
static int wake_run(int core)
{
    struct wake_pingpong p = { .rounds = WAKE_ROUNDS };
    pthread_mutex_init(&p.m, NULL);
    pthread_cond_init(&p.c, NULL);
    pthread_attr_t a;
    pthread_attr_init(&a);
    if (core >= 0)
        pthread_attr_setcore_np(&a, core);
    pthread_t t;
    if (pthread_create(&t, &a, wake_partner, &p) != 0)
        return -1;
    int seen = 0;
    pthread_mutex_lock(&p.m);
    for (int i = 0; i < WAKE_ROUNDS; i++) {
        p.turn = 1;
        pthread_cond_signal(&p.c);
        while (p.turn != 0)
            pthread_cond_wait(&p.c, &p.m);
        seen++;
    }
    pthread_mutex_unlock(&p.m);
    pthread_join(t, NULL);
    pthread_attr_destroy(&a);
    return seen;
}

void test_cond_wakes_at_once(void)
{
    struct sync_park_stats s0, s1, s2;
    sync_park_stats(&s0);
    ktap_check(wake_run(-1) == WAKE_ROUNDS, "%d hand-offs on one core", WAKE_ROUNDS);
    sync_park_stats(&s1);
    ktap_check(s1.parks - s0.parks >= WAKE_ROUNDS, "waiters parked: %lu",
               (unsigned long)(s1.parks - s0.parks));
    ktap_check(s1.local_wakes - s0.local_wakes >= WAKE_ROUNDS && s1.remote_wakes == s0.remote_wakes,
               "woken by a user-level switch: %lu local, %lu remote",
               (unsigned long)(s1.local_wakes - s0.local_wakes),
               (unsigned long)(s1.remote_wakes - s0.remote_wakes));

    uint32_t other = (libos_core_id() + 1) % (uint32_t)libos_ncores();
    ktap_check(libos_ncores() > 1, "a second core: %lu cores", (unsigned long)libos_ncores());
    ktap_check(wake_run((int)other) == WAKE_ROUNDS, "%d hand-offs between cores %u and %u",
               WAKE_ROUNDS, libos_core_id(), other);
    sync_park_stats(&s2);
    ktap_check(s2.remote_wakes - s1.remote_wakes >= WAKE_ROUNDS,
               "woken from the other core: %lu (%lu of them by SYS_WAKE to a sleeping core)",
               (unsigned long)(s2.remote_wakes - s1.remote_wakes),
               (unsigned long)(s2.sys_wakes - s1.sys_wakes));
    ktap_check(s2.sys_wakes > s1.sys_wakes, "a sleeping dispatcher was woken by SYS_WAKE");
    /* No check of sync_park_stats' timeouts here: pthread_cond_wait has no
     * deadline, and the counter is the domain's, so another thread's timed
     * wait ending meanwhile (lwIP's timers) failed it under load. */
}

void test_sys_wake_own_domain_only(void)
{
    /* The call names a core, never a domain: the kernel wakes the caller's
     * own dispatcher there, if any. */
    ktap_check(err_is_ok(sys_wake(libos_core_id())), "SYS_WAKE of its own core");
    ktap_check(err_is_ok(sys_wake((libos_core_id() + 2) % (uint32_t)libos_ncores())),
               "SYS_WAKE of a core it may not span: nothing to wake, no error");
    errval_t err = sys_wake(4096);
    ktap_check(err_no(err) == SYS_ERR_ARG_RANGE, "SYS_WAKE of core 4096 refused: %s",
               err_name(err_no(err)));
    err = sys_wake(UINT32_MAX);
    ktap_check(err_no(err) == SYS_ERR_ARG_RANGE, "SYS_WAKE of core 0xffffffff refused");
}
