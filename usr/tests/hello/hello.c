/*
 * hello.c: the smallest test of the library OS: start-up and arguments,
 * console output, and user-level threads sharing a mutex.
 *
 * Prints who and where it is and its arguments, then runs HELLO_THREADS
 * threads that each add HELLO_ROUNDS to a shared counter under a mutex,
 * yielding while they hold it (so the others queue on it) and after each
 * round. It joins them, prints the total and whether it is the expected
 * one, and exits with 0 only if it is.
 */
#include <libos/debug.h>
#include <libos/libos.h>
#include <libos/thread.h>

#define HELLO_THREADS   4
#define HELLO_ROUNDS    5

static struct thread_mutex hello_lock = THREAD_MUTEX_INITIALIZER;
static unsigned hello_counter;

static int hello_worker(void *arg)
{
    unsigned n = (unsigned)(uintptr_t)arg;
    for (int i = 0; i < HELLO_ROUNDS; i++) {
        thread_mutex_lock(&hello_lock);
        unsigned seen = hello_counter;
        thread_yield();                 /* the others now block on the lock */
        hello_counter = seen + 1;
        thread_mutex_unlock(&hello_lock);
        thread_yield();
    }
    return (int)n;
}

int main(int argc, char *argv[])
{
    debug_printf("hello from domain %u on core %u, argc %d\n", libos_domain_id(),
                 libos_core_id(), argc);
    for (int i = 0; i < argc; i++)
        debug_printf("hello: argv[%d] = \"%s\"\n", i, argv[i]);

    struct thread *workers[HELLO_THREADS];
    for (unsigned i = 0; i < HELLO_THREADS; i++) {
        errval_t err = thread_create(hello_worker, (void *)(uintptr_t)i, &workers[i]);
        if (err_is_fail(err)) {
            debug_err("hello: thread_create", err);
            return 1;
        }
    }
    int status = 0;
    for (unsigned i = 0; i < HELLO_THREADS; i++) {
        int ret = -1;
        errval_t err = thread_join(workers[i], &ret);
        if (err_is_fail(err)) {
            debug_err("hello: thread_join", err);
            return 1;
        }
        if (ret != (int)i) {
            debug_printf("hello: thread %u returned %d, expected %u\n", i, ret, i);
            status = 1;
        }
    }
    unsigned expected = HELLO_THREADS * HELLO_ROUNDS;
    debug_printf("hello: counter %u (expected %u): %s\n", hello_counter, expected,
                 hello_counter == expected ? "ok" : "FAIL");
    return hello_counter == expected ? status : 1;
}
