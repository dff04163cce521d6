/*
 * main.c: the VSIC emulation service. Started by the shell at boot on its
 * own core (`nvme vsicd` through that core's monitor, which gives it the
 * NVMe controller as a capability); brings the controller up and logs what
 * it found. `vsicd selftest` then exercises the driver (selftest.c).
 */
#include "vsicd.h"
#include <libos/debug.h>
#include <libos/libos.h>
#include <libos/syscall.h>
#include <string.h>

int main(int argc, char *argv[])
{
    errval_t err = vsicd_ctrl_open();
    if (err_is_fail(err)) {
        debug_err("vsicd: no NVMe controller", err);
        return 1;
    }
    for (int i = 1; i < argc; i++)
        if (strcmp(argv[i], "selftest") == 0)
            vsicd_selftest();
    for (;;)
        sys_yield(SYS_YIELD_BLOCK);     /* VSICs come in the next step */
}
