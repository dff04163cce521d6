/* badsys: system calls with garbage arguments. Each must come back as a
 * named error (and a kernel log line), never crash or hang the CPU driver.
 * Prints one line per call and a summary; status 0 if every call was
 * refused with the expected error. */
#include <libos/debug.h>
#include <libos/syscall.h>
#include <kpi/cspace.h>
#include <kpi/syscall.h>

#define KERNEL_ADDR 0xffffffff80100000ull
int main(int argc, char *argv[]);

struct bad_call {
    const char *what;
    uint64_t no, a[4];
    enum err_code expect;
};

static const struct bad_call calls[] = {
    { "print from a kernel address", SYS_PRINT, { KERNEL_ADDR, 16 }, SYS_ERR_BAD_USER_POINTER },
    { "print from an unmapped address", SYS_PRINT, { 0x1000, 16 }, SYS_ERR_BAD_USER_POINTER },
    { "print a huge length", SYS_PRINT, { 0x400000, 1ull << 40 }, SYS_ERR_ARG_RANGE },
    { "syscall number 999", 999, { 1, 2, 3, 4 }, SYS_ERR_ILLEGAL_SYSCALL },
    { "invoke an empty slot", SYS_INVOKE, { CAP_TASK(200), 1 }, CAP_ERR_SLOT_EMPTY },
    { "invoke past the root CNode", SYS_INVOKE, { CAP_CPTR(9999, 0), 1 }, CAP_ERR_LOOKUP_L1 },
    { "invoke a Kernel cap it lacks", SYS_INVOKE, { CAP_TASK(TASKCN_SLOT_KERNEL), KERNEL_CMD_SPAWN },
      CAP_ERR_SLOT_EMPTY },
    { "unknown CNode command", SYS_INVOKE, { CAP_TASK(TASKCN_SLOT_ROOTCN), 77 },
      SYS_ERR_ILLEGAL_INVOCATION },
    { "identify into kernel memory", SYS_INVOKE,
      { CAP_TASK(TASKCN_SLOT_ROOTCN), CNODE_CMD_IDENTIFY, CAP_TASK(TASKCN_SLOT_RAM), KERNEL_ADDR },
      SYS_ERR_BAD_USER_POINTER },
    { "identify into its own code", SYS_INVOKE,
      { CAP_TASK(TASKCN_SLOT_ROOTCN), CNODE_CMD_IDENTIFY, CAP_TASK(TASKCN_SLOT_RAM),
        (uint64_t)(uintptr_t)main }, SYS_ERR_BAD_USER_POINTER },
    { "delete its own root CNode", SYS_INVOKE,
      { CAP_TASK(TASKCN_SLOT_ROOTCN), CNODE_CMD_DELETE, CAP_TASK(TASKCN_SLOT_ROOTCN) },
      CAP_ERR_WRONG_TYPE },
};

int main(int argc, char *argv[])
{
    int ok = 0, n = (int)(sizeof(calls) / sizeof(calls[0]));
    for (int i = 0; i < n; i++) {
        const struct bad_call *c = &calls[i];
        struct sysret r = syscall6(c->no, c->a[0], c->a[1], c->a[2], c->a[3], 0, 0);
        bool good = err_no(r.err) == c->expect;
        ok += good;
        debug_printf("badsys: %-30s -> %s%s\n", c->what, err_name(err_no(r.err)),
                     good ? "" : " (UNEXPECTED)");
    }
    debug_printf("badsys: %d of %d bad calls refused as expected\n", ok, n);
    return ok == n ? 0 : 1;
}
