/* captest: capabilities from user space, through real invocations.
 * Retype RAM into Frames, refuse an overlapping retype, mint with fewer
 * rights and refuse a mint that adds one, copy, send a capability over an
 * endpoint (LMP) and receive it, revoke and see every copy go.
 * Prints one line per check and "captest: N of N capability checks passed". */
#include <libos/debug.h>
#include <libos/libos.h>
#include <libos/lmp.h>
#include <libos/syscall.h>
#include <kpi/cspace.h>
#include <kpi/syscall.h>

#define ROOTCN CAP_TASK(TASKCN_SLOT_ROOTCN)
#define RAM    CAP_TASK(TASKCN_SLOT_RAM)
#define RECV   CAP_TASK(TASKCN_SLOT_RECV)
#define SELFEP CAP_TASK(TASKCN_SLOT_SELFEP)

static int passed, total;

static void check(const char *what, bool ok, errval_t err)
{
    total++;
    passed += ok;
    debug_printf("captest: %-44s %s (%s)\n", what, ok ? "ok" : "FAILED", err_name(err_no(err)));
}

static errval_t identify(capaddr_t slot, struct cap_identity *id)
{
    return sys_invoke(ROOTCN, CNODE_CMD_IDENTIFY, slot, (uint64_t)(uintptr_t)id, 0, 0).err;
}

static errval_t retype(uint64_t type, unsigned objbits, uint64_t offset_pages, uint64_t count,
                       capaddr_t dest)
{
    return sys_invoke(ROOTCN, CNODE_CMD_RETYPE, RAM, type | objbits << 8 | offset_pages << 16,
                      count, dest).err;
}

int main(int argc, char *argv[])
{
    struct cap_identity ram, id;
    errval_t err = identify(RAM, &ram);
    check("identify RAM (DOMAIN_RAM_BYTES)", err_is_ok(err) && ram.type == CAP_RAM &&
          ram.bytes == DOMAIN_RAM_BYTES, err);

    err = retype(CAP_FRAME, 12, 0, 4, CAP_SLOT(0));
    check("retype RAM into 4 Frames", err_is_ok(err), err);
    err = retype(CAP_FRAME, 12, 2, 1, CAP_SLOT(4));
    check("retype an overlapping range is refused", err_no(err) == CAP_ERR_RETYPE_OVERLAP, err);
    err = identify(CAP_SLOT(1), &id);
    check("second Frame is at RAM base + 4 KiB", err_is_ok(err) && id.type == CAP_FRAME &&
          id.base == ram.base + 4096 && id.bytes == 4096, err);

    err = sys_invoke(ROOTCN, CNODE_CMD_MINT, CAP_SLOT(0), CAP_SLOT(10), CAP_RIGHT_READ, 0).err;
    if (err_is_ok(err))
        err = identify(CAP_SLOT(10), &id);
    check("mint a read-only copy", err_is_ok(err) && id.rights == CAP_RIGHT_READ, err);
    err = sys_invoke(ROOTCN, CNODE_CMD_MINT, CAP_SLOT(10), CAP_SLOT(11),
                     CAP_RIGHT_READ | CAP_RIGHT_WRITE, 0).err;
    check("mint that adds a right is refused", err_no(err) == CAP_ERR_RIGHTS, err);

    err = sys_invoke(ROOTCN, CNODE_CMD_COPY, CAP_SLOT(1), CAP_SLOT(12), 0, 0).err;
    check("copy a Frame", err_is_ok(err), err);

    err = sys_invoke(SELFEP, ENDPOINT_CMD_SEND_CAP, 42, 0, 0, CAP_SLOT(1)).err;
    struct lmp_msg m = { 0 };
    bool got = err_is_ok(err) && lmp_ring_take(libos_disp(), &m);
    check("send a Frame over an endpoint", got && m.words[0] == 42 && m.cap_slot == RECV, err);
    err = identify(RECV, &id);
    check("it arrives in the receive slot", err_is_ok(err) && id.type == CAP_FRAME &&
          id.base == ram.base + 4096, err);
    err = sys_invoke(SELFEP, ENDPOINT_CMD_SEND_CAP, 43, 0, 0, CAP_SLOT(2)).err;
    check("a second send waits for the slot to be taken", err_no(err) == SYS_ERR_RECV_SLOT_FULL, err);

    err = sys_invoke(ROOTCN, CNODE_CMD_REVOKE, CAP_SLOT(1), 0, 0, 0).err;
    errval_t e1 = identify(RECV, &id), e2 = identify(CAP_SLOT(12), &id);
    check("revoke takes back the sent copy and the copy", err_is_ok(err) &&
          err_no(e1) == CAP_ERR_SLOT_EMPTY && err_no(e2) == CAP_ERR_SLOT_EMPTY, e1);

    err = sys_invoke(ROOTCN, CNODE_CMD_REVOKE, RAM, 0, 0, 0).err;
    e1 = identify(CAP_SLOT(0), &id);
    errval_t e3 = retype(CAP_FRAME, 12, 2, 1, CAP_SLOT(4));
    check("revoking RAM frees the range for a new retype", err_is_ok(err) &&
          err_no(e1) == CAP_ERR_SLOT_EMPTY && err_is_ok(e3), e3);

    debug_printf("captest: %d of %d capability checks passed\n", passed, total);
    return passed == total ? 0 : 1;
}
