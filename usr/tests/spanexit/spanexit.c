/*
 * spanexit.c: a domain that spans cores ends while all its dispatchers
 * touch its heap (tests/system/test_spanexit.py).
 *
 *   spanexit MODE CORE...
 *
 * main() mallocs one block per core and starts a thread on each CORE
 * (another dispatcher of this domain there: Dispatcher.span). Every
 * thread, and main too, then reads and writes its block without pause,
 * so a dispatcher still running when the domain's memory goes would take
 * a page fault at once. Once all are in, main prints "spanexit: N
 * dispatchers running" and the domain ends as MODE says:
 *
 *   return  main returns 7 (newlib's exit: the atexit handler runs)
 *   exit    main calls exit(8)
 *   thread  the thread on the last CORE calls exit(9), main goes on
 *   both    main and the thread on the last CORE call _exit(10) and
 *           _exit(11) at the same moment (no atexit handlers, whose lock
 *           would order them: the first to reach its kernel wins)
 *   fault   the thread on the last CORE reads address 0: the kernel stops
 *           the domain (a fault ends it like a kill), main goes on
 *   hold    nobody ends: the shell kills it
 *
 * The atexit handler prints which core ran exit(), which is where the
 * domain's end began.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <libos/libos.h>
#include <libos/thread.h>
#include <unistd.h>

#define MAX_SPAN   8
#define BLOCK_WORDS (16 * 1024)          /* 128 KiB a dispatcher: several pages */

enum mode { M_RETURN, M_EXIT, M_THREAD, M_BOTH, M_FAULT, M_HOLD };
static const char *const mode_names[] = { "return", "exit", "thread", "both", "fault", "hold" };

struct worker {
    volatile uint64_t *block;
    uint32_t core;
    bool ender;                         /* the thread that may call exit() */
    volatile uint64_t *nothing;         /* fault: 8, read through a pointer
                                           the compiler cannot see is bad */
};

static enum mode mode;
static volatile uint32_t running;       /* workers touching their block */
static volatile uint32_t go;            /* set: the enders call exit() */

/* One pass over the block: every word read and written. */
static void touch(volatile uint64_t *b)
{
    for (size_t i = 0; i < BLOCK_WORDS; i += 8)
        b[i] = b[i] + 1;
}

static void said_at_exit(void)
{
    printf("spanexit: atexit handler ran on core %u\n", libos_core_id());
}

static int work(void *arg)
{
    struct worker *w = arg;
    touch(w->block);
    __atomic_add_fetch(&running, 1, __ATOMIC_RELEASE);
    for (;;) {
        touch(w->block);
        if (w->ender && __atomic_load_n(&go, __ATOMIC_ACQUIRE)) {
            if (mode == M_THREAD)
                exit(9);
            if (mode == M_BOTH)
                _exit(11);
            if (mode == M_FAULT)
                (void)*w->nothing;      /* page 0 is never mapped */
        }
    }
}

int main(int argc, char *argv[])
{
    static struct worker workers[MAX_SPAN];
    int n = 0;
    if (argc < 3)
        goto usage;
    for (mode = 0; mode <= M_HOLD && strcmp(argv[1], mode_names[mode]) != 0; mode++)
        ;
    if (mode > M_HOLD)
        goto usage;
    atexit(said_at_exit);
    volatile uint64_t *mine = calloc(BLOCK_WORDS, sizeof(uint64_t));
    for (int i = 2; i < argc && n < MAX_SPAN; i++, n++) {
        struct worker *w = &workers[n];
        w->core = (uint32_t)strtoul(argv[i], NULL, 0);
        w->block = calloc(BLOCK_WORDS, sizeof(uint64_t));
        w->ender = i == argc - 1;
        w->nothing = (volatile uint64_t *)(uintptr_t)8;
        if (!mine || !w->block) {
            printf("spanexit: out of memory\n");
            return 2;
        }
        struct thread *t;
        errval_t err = thread_create_on(w->core, work, w, 0, true, &t);
        if (err_is_fail(err)) {
            printf("spanexit: no thread on core %u: %s\n", w->core, err_msg(err_no(err)));
            return 3;
        }
    }
    while (__atomic_load_n(&running, __ATOMIC_ACQUIRE) < (uint32_t)n)
        touch(mine);
    printf("spanexit: %d dispatchers running, mode %s\n", n + 1, mode_names[mode]);
    fflush(stdout);
    if (mode == M_RETURN)
        return 7;
    __atomic_store_n(&go, 1, __ATOMIC_RELEASE);
    if (mode == M_EXIT)
        exit(8);
    if (mode == M_BOTH)
        _exit(10);
    for (;;)
        touch(mine);
usage:
    printf("usage: spanexit return|exit|thread|both|fault|hold CORE...\n");
    return 1;
}
