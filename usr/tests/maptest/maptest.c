/* maptest: Frame.map from user space. Map a Frame retyped from this
 * domain's RAM, write and read it through a copy mapped elsewhere, check
 * the refusals (outside the map window, a slot mapped twice, a mint
 * without the write right), then delete the capability and touch the old
 * address: the kernel must have taken the mapping down, so this domain
 * ends with a page fault at that address (the test expects it). */
#include <libos/debug.h>
#include <libos/syscall.h>
#include <kpi/cspace.h>
#include <kpi/dispatcher.h>
#include <kpi/syscall.h>

#define ROOTCN CAP_TASK(TASKCN_SLOT_ROOTCN)
#define VA_A USER_MAP_BASE
#define VA_B (USER_MAP_BASE + 0x100000)

static int passed, total;

static void check(const char *what, bool ok, errval_t err)
{
    total++;
    passed += ok;
    debug_printf("maptest: %-40s %s (%s)\n", what, ok ? "ok" : "FAILED", err_name(err_no(err)));
}

static errval_t invoke(capaddr_t c, uint64_t cmd, uint64_t a1, uint64_t a2, uint64_t a3, uint64_t a4)
{
    return sys_invoke(c, cmd, a1, a2, a3, a4).err;
}

int main(int argc, char *argv[])
{
    errval_t err = invoke(ROOTCN, CNODE_CMD_RETYPE, CAP_TASK(TASKCN_SLOT_RAM),
                          CAP_FRAME | 12 << 8, 1, CAP_SLOT(0));
    check("retype a 4 KiB Frame", err_is_ok(err), err);
    err = invoke(CAP_SLOT(0), FRAME_CMD_MAP, VA_A, FRAME_MAP_WRITE, 0, 0);
    check("map it read/write", err_is_ok(err), err);
    err = invoke(ROOTCN, CNODE_CMD_COPY, CAP_SLOT(0), CAP_SLOT(1), 0, 0);
    if (err_is_ok(err))
        err = invoke(CAP_SLOT(1), FRAME_CMD_MAP, VA_B, 0, 0, 0);
    check("map a copy read-only elsewhere", err_is_ok(err), err);
    volatile uint64_t *a = (volatile uint64_t *)(uintptr_t)VA_A;
    volatile const uint64_t *b = (volatile const uint64_t *)(uintptr_t)VA_B;
    a[7] = 0x5eed;
    check("a write shows through the other mapping", b[7] == 0x5eed, ERR_OK);
    err = invoke(CAP_SLOT(0), FRAME_CMD_MAP, VA_A + 0x200000, FRAME_MAP_WRITE, 0, 0);
    check("a slot mapped twice is refused", err_no(err) == MAP_ERR_ALREADY, err);
    err = invoke(CAP_SLOT(1), FRAME_CMD_UNMAP, 0, 0, 0, 0);
    if (err_is_ok(err))
        err = invoke(CAP_SLOT(1), FRAME_CMD_MAP, 0x400000, 0, 0, 0);
    check("mapping outside the map window is refused", err_no(err) == MAP_ERR_RANGE, err);
    err = invoke(ROOTCN, CNODE_CMD_MINT, CAP_SLOT(0), CAP_SLOT(2), CAP_RIGHT_READ, 0);
    if (err_is_ok(err))
        err = invoke(CAP_SLOT(2), FRAME_CMD_MAP, VA_B, FRAME_MAP_WRITE, 0, 0);
    check("writable map of a read-only mint is refused", err_no(err) == CAP_ERR_RIGHTS, err);
    err = invoke(ROOTCN, CNODE_CMD_DELETE, CAP_SLOT(0), 0, 0, 0);
    check("delete the mapped capability", err_is_ok(err), err);
    debug_printf("maptest: %d of %d mapping checks passed; now touching %#lx, "
                 "which must fault\n", passed, total, (unsigned long)VA_A);
    a[7] = 1;
    debug_printf("maptest: the write went through: the mapping outlived its capability\n");
    return 1;
}
