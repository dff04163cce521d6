/*
 * suite_threads.c: the pthread tests of libos_suite (see suite.c).
 *
 * Threads are spread over the domain's cores with the non-portable
 * pthread_attr_setcore_np(), so the mutexes, condition variables and
 * joins below work between cores, not just between threads of one
 * dispatcher.
 */
#include <errno.h>
#include <stdbool.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/mman.h>

#include <libos/libos.h>
#include <libos/sync.h>
#include "suite.h"

#define MUTEX_THREADS 8
#define MUTEX_CORES 4
#define MUTEX_ITERS 20000

static int suite_ncores(void)
{
    int n = (int)libos_ncores();
    return n < MUTEX_CORES ? n : MUTEX_CORES;
}

static pthread_mutex_t counter_lock = PTHREAD_MUTEX_INITIALIZER;
static volatile long counter;

struct counter_arg {
    int core;           /* where it was asked to run */
    int ran_on;         /* where it found itself */
};

static void *counter_worker(void *p)
{
    struct counter_arg *a = p;
    a->ran_on = pthread_getcore_np();
    for (int i = 0; i < MUTEX_ITERS; i++) {
        pthread_mutex_lock(&counter_lock);
        long v = counter;           /* a read-modify-write the mutex must protect */
        counter = v + 1;
        pthread_mutex_unlock(&counter_lock);
    }
    return a;
}

/* Starts `fn(arg)` on `core`. */
static int start_on(pthread_t *t, int core, void *(*fn)(void *), void *arg)
{
    pthread_attr_t attr;
    pthread_attr_init(&attr);
    pthread_attr_setcore_np(&attr, core);
    int err = pthread_create(t, &attr, fn, arg);
    pthread_attr_destroy(&attr);
    return err;
}

void test_mutex_counter(void)
{
    pthread_t t[MUTEX_THREADS];
    struct counter_arg args[MUTEX_THREADS];
    int ncores = suite_ncores(), started = 0;
    counter = 0;
    for (int i = 0; i < MUTEX_THREADS; i++) {
        args[i] = (struct counter_arg){ .core = i % ncores, .ran_on = -1 };
        int err = start_on(&t[i], args[i].core, counter_worker, &args[i]);
        if (ktap_check(err == 0, "pthread_create %d on core %d: %d", i, args[i].core, err))
            started++;
    }
    unsigned cores_seen = 0;
    for (int i = 0; i < started; i++) {
        void *ret = NULL;
        ktap_check(pthread_join(t[i], &ret) == 0 && ret == &args[i], "join %d", i);
        ktap_check(args[i].ran_on == args[i].core, "thread %d ran on core %d, not %d", i,
                    args[i].ran_on, args[i].core);
        if (args[i].ran_on >= 0)
            cores_seen |= 1u << args[i].ran_on;
    }
    long want = (long)MUTEX_THREADS * MUTEX_ITERS;
    ktap_check(counter == want, "counter %ld, expected %ld", counter, want);
    ktap_check(__builtin_popcount(cores_seen) == ncores, "threads ran on %d cores",
                __builtin_popcount(cores_seen));
    printf("# %d threads on %d cores: counter %ld, expected %ld\n", started,
           __builtin_popcount(cores_seen), counter, want);
}

/* The heap and mmap from every core: a thread on a core other than the
 * domain's first grows the heap (the Frame retype and map are capability
 * invocations, which only the first dispatcher can make: libos forwards
 * them) and keeps what it got until main has seen it. */
#define HEAP_BLOCK (2u << 20)   /* more than the heap has mapped spare this early */

struct heap_arg {
    int core;
    long phys_pages;            /* sysconf(_SC_PHYS_PAGES) there */
    unsigned char *block;       /* HEAP_BLOCK bytes from malloc, filled */
    int mmap_ok, munmap_ok;
};

static void *heap_worker(void *p)
{
    struct heap_arg *a = p;
    a->phys_pages = sysconf(_SC_PHYS_PAGES);
    a->block = malloc(HEAP_BLOCK);
    if (a->block)
        memset(a->block, a->core, HEAP_BLOCK);
    unsigned char *m = mmap(NULL, 65536, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (m != MAP_FAILED) {
        memset(m, 0x5a, 65536);
        a->mmap_ok = m[65535] == 0x5a;
        a->munmap_ok = munmap(m, 65536) == 0;
    }
    return a;
}

void test_heap_other_cores(void)
{
    int ncores = suite_ncores(), here = pthread_getcore_np(), n = 0;
    pthread_t t[MUTEX_CORES];
    struct heap_arg args[MUTEX_CORES];
    long phys = sysconf(_SC_PHYS_PAGES);
    for (int c = 0; c < ncores; c++) {
        if (c == here)
            continue;
        args[n] = (struct heap_arg){ .core = c };
        if (ktap_check(start_on(&t[n], c, heap_worker, &args[n]) == 0, "start on core %d", c))
            n++;
    }
    for (int i = 0; i < n; i++) {
        struct heap_arg *a = &args[i];
        pthread_join(t[i], NULL);
        ktap_check(a->phys_pages == phys, "core %d: sysconf(_SC_PHYS_PAGES) %ld, main's %ld",
                   a->core, a->phys_pages, phys);
        bool same = a->block != NULL;
        for (size_t k = 0; same && k < HEAP_BLOCK; k += 4096)
            same = a->block[k] == a->core && a->block[k + 4095] == a->core;
        ktap_check(same, "core %d: malloc(%u) %s", a->core, HEAP_BLOCK,
                   a->block ? "lost its contents" : "failed");
        ktap_check(a->mmap_ok && a->munmap_ok, "core %d: mmap %d munmap %d", a->core, a->mmap_ok,
                   a->munmap_ok);
    }
    for (int i = 0; i < n; i++)
        free(args[i].block);
    printf("# %d threads on other cores than %d each grew the heap by %u KiB and mapped 64 KiB\n",
           n, here, HEAP_BLOCK >> 10);
}

void test_mutex_kinds(void)
{
    pthread_mutexattr_t a;
    pthread_mutex_t rec, chk;
    pthread_mutexattr_init(&a);
    pthread_mutexattr_settype(&a, PTHREAD_MUTEX_RECURSIVE);
    pthread_mutex_init(&rec, &a);
    pthread_mutexattr_settype(&a, PTHREAD_MUTEX_ERRORCHECK);
    pthread_mutex_init(&chk, &a);
    ktap_check(pthread_mutex_lock(&rec) == 0 && pthread_mutex_lock(&rec) == 0 &&
                pthread_mutex_trylock(&rec) == 0, "recursive: locked three times");
    ktap_check(pthread_mutex_unlock(&rec) == 0 && pthread_mutex_unlock(&rec) == 0 &&
                pthread_mutex_unlock(&rec) == 0, "recursive: unlocked three times");
    ktap_check(pthread_mutex_unlock(&rec) == EPERM, "recursive: a fourth unlock is EPERM");
    ktap_check(pthread_mutex_lock(&chk) == 0 && pthread_mutex_lock(&chk) == EDEADLK,
                "errorcheck: relock is EDEADLK");
    ktap_check(pthread_mutex_unlock(&chk) == 0 && pthread_mutex_unlock(&chk) == EPERM,
                "errorcheck: unlock of a free mutex is EPERM");
    pthread_mutex_t n = PTHREAD_MUTEX_INITIALIZER;
    ktap_check(pthread_mutex_trylock(&n) == 0 && pthread_mutex_trylock(&n) == EBUSY,
                "normal: trylock of a held mutex is EBUSY");
    pthread_mutex_unlock(&n);
    ktap_check(pthread_mutex_destroy(&rec) == 0 && pthread_mutex_destroy(&chk) == 0, "destroy");
}

/* A bounded buffer: one producer and two consumers on different cores. */
#define PC_ITEMS 3000
#define PC_SLOTS 8
static struct {
    pthread_mutex_t lock;
    pthread_cond_t not_empty, not_full;
    int buf[PC_SLOTS];
    int head, count, produced_done;
    long sum;
    int taken;
} pc = { .lock = PTHREAD_MUTEX_INITIALIZER, .not_empty = PTHREAD_COND_INITIALIZER,
         .not_full = PTHREAD_COND_INITIALIZER };

static void *producer(void *arg)
{
    for (int i = 1; i <= PC_ITEMS; i++) {
        pthread_mutex_lock(&pc.lock);
        while (pc.count == PC_SLOTS)
            pthread_cond_wait(&pc.not_full, &pc.lock);
        pc.buf[(pc.head + pc.count) % PC_SLOTS] = i;
        pc.count++;
        pthread_cond_signal(&pc.not_empty);
        pthread_mutex_unlock(&pc.lock);
    }
    pthread_mutex_lock(&pc.lock);
    pc.produced_done = 1;
    pthread_cond_broadcast(&pc.not_empty);
    pthread_mutex_unlock(&pc.lock);
    return NULL;
}

static void *consumer(void *arg)
{
    long mine = 0;
    for (;;) {
        pthread_mutex_lock(&pc.lock);
        while (pc.count == 0 && !pc.produced_done)
            pthread_cond_wait(&pc.not_empty, &pc.lock);
        if (pc.count == 0) {
            pthread_mutex_unlock(&pc.lock);
            break;
        }
        int v = pc.buf[pc.head];
        pc.head = (pc.head + 1) % PC_SLOTS;
        pc.count--;
        pc.sum += v;
        pc.taken++;
        pthread_cond_signal(&pc.not_full);
        pthread_mutex_unlock(&pc.lock);
        mine++;
    }
    return (void *)mine;
}

void test_condvar(void)
{
    int ncores = suite_ncores();
    pthread_t p, c1, c2;
    ktap_check(start_on(&c1, 1 % ncores, consumer, NULL) == 0, "start consumer 1");
    ktap_check(start_on(&c2, 2 % ncores, consumer, NULL) == 0, "start consumer 2");
    ktap_check(start_on(&p, 3 % ncores, producer, NULL) == 0, "start producer");
    void *n1 = 0, *n2 = 0;
    pthread_join(p, NULL);
    pthread_join(c1, &n1);
    pthread_join(c2, &n2);
    long want = (long)PC_ITEMS * (PC_ITEMS + 1) / 2;
    ktap_check(pc.taken == PC_ITEMS && pc.sum == want, "consumed %d items summing to %ld, "
                "expected %d and %ld", pc.taken, pc.sum, PC_ITEMS, want);
    ktap_check((long)n1 + (long)n2 == PC_ITEMS, "consumers took %ld + %ld", (long)n1, (long)n2);
    printf("# %d items through %d slots: consumers took %ld and %ld, sum %ld\n", PC_ITEMS,
           PC_SLOTS, (long)n1, (long)n2, pc.sum);
}

void test_cond_timeout(void)
{
    pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;
    pthread_cond_t c;
    pthread_condattr_t ca;
    pthread_condattr_init(&ca);
    pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
    pthread_cond_init(&c, &ca);
    struct timespec dl;
    clock_gettime(CLOCK_MONOTONIC, &dl);
    dl.tv_nsec += 20 * 1000 * 1000;
    if (dl.tv_nsec >= 1000000000L) {
        dl.tv_nsec -= 1000000000L;
        dl.tv_sec++;
    }
    long long t0 = ktap_now_ns();
    pthread_mutex_lock(&m);
    int ret = pthread_cond_timedwait(&c, &m, &dl);
    long long waited = ktap_now_ns() - t0;
    ktap_check(ret == ETIMEDOUT, "timedwait (monotonic) returned %d, not ETIMEDOUT", ret);
    ktap_check(waited >= 19000000LL, "timedwait waited %lld ns of 20 ms", waited);
    ktap_check(pthread_mutex_unlock(&m) == 0, "the mutex is held again after the timeout");
    pthread_cond_t rc = PTHREAD_COND_INITIALIZER;   /* realtime deadline, already past */
    clock_gettime(CLOCK_REALTIME, &dl);
    dl.tv_sec -= 1;
    pthread_mutex_lock(&m);
    ktap_check(pthread_cond_timedwait(&rc, &m, &dl) == ETIMEDOUT, "past realtime deadline");
    pthread_mutex_unlock(&m);
    printf("# timedwait for 20 ms (CLOCK_MONOTONIC) returned ETIMEDOUT after %lld us\n",
           waited / 1000);
}

/* __thread: .tdata (initialised) and .tbss (zero) in every thread. */
static __thread int tls_value = 42;
static __thread char tls_zero[100];
static __thread long tls_big[16] __attribute__((aligned(64)));

static void *tls_worker(void *arg)
{
    int id = (int)(intptr_t)arg;
    int bad = 0;
    bad += tls_value != 42;                 /* the template, not another thread's */
    for (size_t i = 0; i < sizeof tls_zero; i++)
        bad += tls_zero[i] != 0;
    bad += ((uintptr_t)tls_big & 63) != 0;
    tls_value = 1000 + id;
    tls_zero[0] = (char)id;
    tls_big[15] = id;
    errno = 500 + id;                       /* errno is per thread too */
    for (int round = 0; round < 20; round++) {
        struct timespec ts = { 0, 1000 * 1000 };
        nanosleep(&ts, NULL);               /* others run and write theirs */
        bad += tls_value != 1000 + id || tls_zero[0] != (char)id || tls_big[15] != id;
        bad += errno != 500 + id;
    }
    return (void *)(intptr_t)bad;
}

void test_tls(void)
{
    int ncores = suite_ncores();
    enum { N = 6 };
    pthread_t t[N];
    tls_value = 7;
    errno = 0;
    for (int i = 0; i < N; i++)
        ktap_check(start_on(&t[i], i % ncores, tls_worker, (void *)(intptr_t)i) == 0,
                    "start tls thread %d", i);
    for (int i = 0; i < N; i++) {
        void *bad = (void *)1;
        pthread_join(t[i], &bad);
        ktap_check(bad == NULL, "thread %d saw %ld wrong TLS values", i, (long)bad);
    }
    ktap_check(tls_value == 7, "main's tls_value %d, expected 7", tls_value);
    ktap_check(errno == 0, "main's errno %d, expected 0", errno);
    printf("# %d threads on %d cores each kept their own __thread values and errno\n", N, ncores);
}

static pthread_rwlock_t rw = PTHREAD_RWLOCK_INITIALIZER;
static long rw_data[2];
static pthread_once_t once = PTHREAD_ONCE_INIT;
static int once_runs;
static pthread_key_t key;
static int key_dtor_runs;

static void once_fn(void) { once_runs++; }
static void key_dtor(void *v) { __atomic_add_fetch(&key_dtor_runs, 1, __ATOMIC_RELAXED); }

static void *rw_worker(void *arg)
{
    int id = (int)(intptr_t)arg, bad = 0;
    pthread_once(&once, once_fn);
    pthread_setspecific(key, (void *)(intptr_t)(id + 1));
    for (int i = 0; i < 2000; i++) {
        if (id == 0) {
            pthread_rwlock_wrlock(&rw);
            rw_data[0]++;
            rw_data[1]++;
            pthread_rwlock_unlock(&rw);
        } else {
            pthread_rwlock_rdlock(&rw);
            bad += rw_data[0] != rw_data[1];    /* never half an update */
            pthread_rwlock_unlock(&rw);
        }
    }
    bad += pthread_getspecific(key) != (void *)(intptr_t)(id + 1);
    return (void *)(intptr_t)bad;
}

void test_rwlock_once_keys(void)
{
    int ncores = suite_ncores();
    ktap_check(pthread_key_create(&key, key_dtor) == 0, "pthread_key_create");
    pthread_setspecific(key, NULL);
    enum { N = 4 };
    pthread_t t[N];
    for (int i = 0; i < N; i++)
        start_on(&t[i], i % ncores, rw_worker, (void *)(intptr_t)i);
    for (int i = 0; i < N; i++) {
        void *bad = (void *)1;
        pthread_join(t[i], &bad);
        ktap_check(bad == NULL, "rwlock/key worker %d: %ld bad reads", i, (long)bad);
    }
    ktap_check(rw_data[0] == 2000 && rw_data[1] == 2000, "writer's updates %ld %ld", rw_data[0],
                rw_data[1]);
    ktap_check(once_runs == 1, "pthread_once ran %d times", once_runs);
    ktap_check(key_dtor_runs == N, "key destructor ran %d times, expected %d", key_dtor_runs, N);
    ktap_check(pthread_getspecific(key) == NULL, "main's key value is its own");
    ktap_check(pthread_key_delete(key) == 0, "pthread_key_delete");
    /* a detached thread ends on its own */
    pthread_attr_t a;
    pthread_t d;
    pthread_attr_init(&a);
    pthread_attr_setdetachstate(&a, PTHREAD_CREATE_DETACHED);
    ktap_check(pthread_create(&d, &a, rw_worker, (void *)(intptr_t)1) == 0, "detached thread");
    ktap_check(pthread_equal(pthread_self(), pthread_self()) && !pthread_equal(pthread_self(), d),
                "pthread_equal");
}

/* Waits that park: a thread on another core blocks in each kind of wait
 * while main holds what it waits for; main sees it parked (the domain's
 * park count grows: a wait that spins or sleeps to the next tick never
 * parks), lets go, and the waiter returns, woken by an unpark (the wake
 * counts grow) and not by a deadline. No timings: only who woke whom. */
enum wait_kind { WAIT_RDLOCK, WAIT_WRLOCK, WAIT_ONCE, WAIT_JOIN, WAIT_TIMEDLOCK, WAIT_TIMEDWAIT,
                 WAIT_KINDS };
static const char *const wait_names[WAIT_KINDS] = {
    "pthread_rwlock_rdlock", "pthread_rwlock_wrlock", "pthread_once", "pthread_join",
    "pthread_mutex_timedlock", "pthread_cond_timedwait",
};

static struct {
    pthread_rwlock_t rw;
    pthread_once_t once;
    pthread_mutex_t m;
    pthread_cond_t c;
    volatile int go, cond_ready;
    pthread_t target;           /* WAIT_JOIN: the thread the waiter joins */
} w;

static void wait_once_fn(void)
{
    while (!__atomic_load_n(&w.go, __ATOMIC_ACQUIRE))
        sched_yield();          /* spins: holds the others in pthread_once */
}

static void *wait_once_runner(void *arg)
{
    pthread_once(&w.once, wait_once_fn);
    return NULL;
}

static void *wait_join_target(void *arg)
{
    while (!__atomic_load_n(&w.go, __ATOMIC_ACQUIRE))
        sched_yield();
    return (void *)(intptr_t)7;
}

/* The far future on `clk`, for a timed wait that must not time out. */
static struct timespec wait_far(clockid_t clk)
{
    struct timespec t;
    clock_gettime(clk, &t);
    t.tv_sec += 600;
    return t;
}

static void *waiter(void *arg)
{
    enum wait_kind k = (enum wait_kind)(intptr_t)arg;
    int r = -1;
    struct timespec far;
    void *ret = NULL;
    switch (k) {
    case WAIT_RDLOCK:
        r = pthread_rwlock_rdlock(&w.rw);
        pthread_rwlock_unlock(&w.rw);
        break;
    case WAIT_WRLOCK:
        r = pthread_rwlock_wrlock(&w.rw);
        pthread_rwlock_unlock(&w.rw);
        break;
    case WAIT_ONCE:
        r = pthread_once(&w.once, wait_once_fn);
        break;
    case WAIT_JOIN:
        r = pthread_join(w.target, &ret);
        if (r == 0 && ret != (void *)(intptr_t)7)
            r = -2;
        break;
    case WAIT_TIMEDLOCK:
        far = wait_far(CLOCK_REALTIME);
        r = pthread_mutex_timedlock(&w.m, &far);
        if (r == 0)
            pthread_mutex_unlock(&w.m);
        break;
    case WAIT_TIMEDWAIT:
        far = wait_far(CLOCK_REALTIME);
        pthread_mutex_lock(&w.m);
        w.cond_ready = 1;
        while (w.go == 0 && (r = pthread_cond_timedwait(&w.c, &w.m, &far)) == 0)
            ;
        if (w.go)
            r = 0;
        pthread_mutex_unlock(&w.m);
        break;
    default:
        break;
    }
    return (void *)(intptr_t)r;
}

/* Until the domain's park count passes `n`, or a (generous) bound. */
static bool wait_parked(uint64_t n)
{
    long long t0 = ktap_now_ns();
    struct sync_park_stats st;
    do {
        sched_yield();
        sync_park_stats(&st);
        if (st.parks > n)
            return true;
    } while (ktap_now_ns() - t0 < 20000000000LL);
    return false;
}

static void test_one_wait(enum wait_kind k, int core, int other)
{
    memset(&w, 0, sizeof w);
    w.rw = (pthread_rwlock_t)PTHREAD_RWLOCK_INITIALIZER;
    w.once = (pthread_once_t)PTHREAD_ONCE_INIT;
    w.m = (pthread_mutex_t)PTHREAD_MUTEX_INITIALIZER;
    w.c = (pthread_cond_t)PTHREAD_COND_INITIALIZER;
    pthread_t helper = NULL, t;
    /* What the waiter will wait for, held by main or a helper. */
    if (k == WAIT_RDLOCK)
        pthread_rwlock_wrlock(&w.rw);
    else if (k == WAIT_WRLOCK)
        pthread_rwlock_rdlock(&w.rw);
    else if (k == WAIT_TIMEDLOCK)
        pthread_mutex_lock(&w.m);
    else if (k == WAIT_ONCE) {
        start_on(&helper, other, wait_once_runner, NULL);
        while (__atomic_load_n(&w.once.__state, __ATOMIC_ACQUIRE) != 1)
            sched_yield();      /* the helper is inside once's function */
    } else if (k == WAIT_JOIN) {
        start_on(&w.target, other, wait_join_target, NULL);
    }
    struct sync_park_stats before, after;
    sync_park_stats(&before);
    if (!ktap_check(start_on(&t, core, waiter, (void *)(intptr_t)k) == 0, "%s: start the waiter",
                    wait_names[k]))
        return;
    bool parked = wait_parked(before.parks);
    if (k == WAIT_TIMEDWAIT) {
        while (!__atomic_load_n(&w.cond_ready, __ATOMIC_ACQUIRE))
            sched_yield();
        pthread_mutex_lock(&w.m);
        w.go = 1;
        pthread_cond_signal(&w.c);
        pthread_mutex_unlock(&w.m);
    }
    /* Let go. */
    __atomic_store_n(&w.go, 1, __ATOMIC_RELEASE);
    if (k == WAIT_RDLOCK || k == WAIT_WRLOCK)
        pthread_rwlock_unlock(&w.rw);
    else if (k == WAIT_TIMEDLOCK)
        pthread_mutex_unlock(&w.m);
    void *r = (void *)1;
    pthread_join(t, &r);
    if (helper)
        pthread_join(helper, NULL);
    sync_park_stats(&after);
    ktap_check(parked, "%s: the waiter on core %d parked (parks %llu, then %llu)", wait_names[k],
               core, (unsigned long long)before.parks, (unsigned long long)after.parks);
    ktap_check(r == NULL, "%s returned %ld", wait_names[k], (long)(intptr_t)r);
    ktap_check(after.local_wakes + after.remote_wakes > before.local_wakes + before.remote_wakes,
               "%s: the waiter was unparked", wait_names[k]);
    ktap_check(after.timeouts == before.timeouts, "%s: no wait ended on its deadline (%llu)",
               wait_names[k], (unsigned long long)(after.timeouts - before.timeouts));
}

void test_waits_park(void)
{
    int ncores = suite_ncores(), here = pthread_getcore_np();
    int core = (here + 1) % ncores, other = (here + 2) % ncores;
    for (int k = 0; k < WAIT_KINDS; k++)
        test_one_wait((enum wait_kind)k, core, other);
    printf("# each of the %d waits parked on core %d and was unparked when let go\n", WAIT_KINDS,
           core);
}
