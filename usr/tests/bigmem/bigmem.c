/*
 * bigmem: does a domain get the memory spawn gave it (mem=)?
 *
 *     spawn bigmem core 0 mem=256M 200     -> "bigmem: 200 MiB in use"
 *     spawn bigmem core 0 200              -> "bigmem: malloc failed after
 *                                              N MiB: ENOMEM", one console line
 *                                              from newlib, status 0
 *
 * mallocs argv[1] MiB (default 200) one MiB at a time, writing a pattern into
 * each and checking it all afterwards, so the memory is really there (not
 * only a heap pointer moved). Exits 0 whether or not malloc failed, as long
 * as a failure was a clean NULL with ENOMEM; the console line says which.
 * Exits 1 on anything else (a wrong byte, another errno).
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

#define MIB (1u << 20)
#define MAX_MIB 4096

static unsigned char *blocks[MAX_MIB];

int main(int argc, char *argv[])
{
    long want = argc > 1 ? strtol(argv[1], NULL, 10) : 200;
    if (want < 1 || want > MAX_MIB) {
        printf("bigmem: want 1..%d MiB, not %s\n", MAX_MIB, argv[1]);
        return 1;
    }
    struct rlimit rl;
    if (getrlimit(RLIMIT_AS, &rl) == 0)
        printf("bigmem: the domain has %lu MiB of RAM\n", (unsigned long)(rl.rlim_cur / MIB));
    long got = 0;
    for (; got < want; got++) {
        errno = 0;
        blocks[got] = malloc(MIB);
        if (!blocks[got])
            break;
        memset(blocks[got], (int)(got & 0xff), MIB);
    }
    int saved = errno;
    for (long i = 0; i < got; i++)
        for (size_t off = 0; off < MIB; off += 4096)
            if (blocks[i][off] != (unsigned char)(i & 0xff)) {
                printf("bigmem: MiB %ld byte %zu is %u, not %u\n", i, off, blocks[i][off],
                       (unsigned)(i & 0xff));
                return 1;
            }
    if (got == want) {
        printf("bigmem: %ld MiB in use\n", got);
    } else if (saved == ENOMEM) {
        printf("bigmem: malloc failed after %ld MiB: ENOMEM\n", got);
    } else {
        printf("bigmem: malloc failed after %ld MiB with errno %d, not ENOMEM\n", got, saved);
        return 1;
    }
    for (long i = 0; i < got; i++)
        free(blocks[i]);
    return 0;
}
