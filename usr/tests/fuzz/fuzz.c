/* fuzz [COUNT] [SEED]: COUNT (default 100000) system calls with random
 * numbers and arguments. The numbers include unknown ones; arguments mix
 * small values, slot addresses, user and kernel pointers and noise. Exit
 * and blocking yield are left out (they would end or stall the run), all
 * else is fair game, including this domain's own capabilities. The CPU
 * driver must survive; this prints how many calls it refused. */
#include <libos/debug.h>
#include <libos/syscall.h>
#include <kpi/cspace.h>
#include <kpi/syscall.h>

static uint64_t state;

static uint64_t next(void)             /* xorshift64* */
{
    state ^= state >> 12;
    state ^= state << 25;
    state ^= state >> 27;
    return state * 2685821657736338717ull;
}

static uint64_t arg(void)
{
    static const uint64_t interesting[] = {
        0, 1, 2, 3, 4, 5, 6, 7, 8, 255, 4096, 0x400000, 0x7f0000000000ull,
        0x7ff000000000ull - 8, 0xffff800000000000ull, 0xffffffff80100000ull,
        UINT64_MAX, (uint64_t)INT64_MIN,
    };
    switch (next() % 4) {
    case 0: return interesting[next() % (sizeof(interesting) / sizeof(interesting[0]))];
    case 1: return CAP_CPTR(next() % 3, next() % 260);
    case 2: return next() % 64;
    default: return next();
    }
}

static uint64_t parse(const char *s, uint64_t dflt)
{
    uint64_t v = 0;
    if (!s)
        return dflt;
    for (; *s >= '0' && *s <= '9'; s++)
        v = v * 10 + (uint64_t)(*s - '0');
    return v;
}

int main(int argc, char *argv[])
{
    uint64_t count = parse(argc > 1 ? argv[1] : NULL, 100000);
    state = parse(argc > 2 ? argv[2] : NULL, 0x9e3779b97f4a7c15ull) | 1;
    uint64_t refused = 0;
    for (uint64_t i = 0; i < count; i++) {
        uint64_t no = next() % (SYS_COUNT + 3);
        if (no == SYS_EXIT)
            no = SYS_NULL;
        uint64_t a1 = arg(), a2 = arg(), a3 = arg(), a4 = arg(), a5 = arg(), a6 = arg();
        if (no == SYS_YIELD)
            a1 = 0;
        if (no == SYS_PRINT)
            a2 %= 4;                    /* keep the console readable */
        struct sysret r = syscall6(no, a1, a2, a3, a4, a5, a6);
        refused += err_is_fail(r.err);
    }
    debug_printf("fuzz: %lu random system calls done, %lu refused, kernel still up\n", count, refused);
    return 0;
}
