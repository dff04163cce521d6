/* forge monitor VICTIM_ID VICTIM_PA | forge iopl [ROUNDS]: an ordinary
 * domain's attempts at authority it was never given (see forge.h).
 *   monitor: the privileged monitor operations (capimport of the victim's
 *            memory, spawnch with a raw range, kill, vnic for another
 *            domain, ps), kernel-only messages passed off as its own, an
 *            unknown message type, the Kernel capability it lacks;
 *   iopl:    a dispatcher on another core rewrites this one's save area
 *            (IOPL 3 in rflags, reserved MXCSR bits) while the kernel
 *            resumes it, ROUNDS times (default 20000).
 * Status 0 if every attempt was refused with the named error it must get. */
#include "forge.h"
#include <libos/debug.h>
#include <libos/words.h>
#include <string.h>

bool forge_report(const char *what, errval_t got, enum err_code expect)
{
    bool ok = err_no(got) == expect;
    debug_printf("forge: %s: %s%s\n", what, err_name(err_no(got)), ok ? "" : " (NOT REFUSED AS IT MUST BE)");
    return ok;
}

int main(int argc, char *argv[])
{
    int tried = 0, refused = -1;
    uint64_t a = 0, b = 0;
    if (argc >= 4 && strcmp(argv[1], "monitor") == 0 && words_u64(argv[2], &a) &&
        words_u64(argv[3], &b))
        refused = forge_monitor((uint32_t)a, b, &tried);
    else if (argc >= 2 && strcmp(argv[1], "iopl") == 0)
        refused = forge_iopl(argc > 2 && words_u64(argv[2], &a) ? (unsigned)a : 20000, &tried);
    if (refused < 0) {
        debug_printf("forge: usage: forge monitor VICTIM_ID VICTIM_PA | forge iopl [ROUNDS]\n");
        return 2;
    }
    debug_printf("forge: %d of %d attempts refused as they must be\n", refused, tried);
    return refused == tried ? 0 : 1;
}
