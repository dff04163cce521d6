/* chandel a|b: the channel Frame a domain gets at spawn (`pair chandel A
 * B`) is a capability like any other. Each side writes and reads its
 * channel page, deletes TASKCN_SLOT_CHANNEL, then touches the page again:
 * the kernel must have unmapped it, so the domain dies of a page fault at
 * USER_SHARED_FRAME_VADDR. Living on after the delete is the failure. */
#include <libos/debug.h>
#include <libos/libos.h>
#include <libos/syscall.h>
#include <kpi/cspace.h>
#include <kpi/dispatcher.h>
#include <kpi/syscall.h>

int main(int argc, char *argv[])
{
    const char *side = argc > 1 ? argv[1] : "?";
    volatile uint64_t *page = (volatile uint64_t *)(uintptr_t)USER_SHARED_FRAME_VADDR;
    struct cap_identity id;
    errval_t err = sys_invoke(CAP_TASK(TASKCN_SLOT_ROOTCN), CNODE_CMD_IDENTIFY,
                              CAP_TASK(TASKCN_SLOT_CHANNEL), (uint64_t)(uintptr_t)&id, 0, 0).err;
    if (err_is_fail(err)) {
        debug_err("chandel: identify the channel Frame", err);
        return 1;
    }
    page[8 + (side[0] == 'b')] = libos_domain_id();     /* each side its own word */
    debug_printf("chandel %s: core %u holds %s %#lx+%#lx, mapped at %#lx\n", side, libos_core_id(),
                 cap_type_name(id.type), id.base, id.bytes, (uint64_t)USER_SHARED_FRAME_VADDR);
    err = sys_invoke(CAP_TASK(TASKCN_SLOT_ROOTCN), CNODE_CMD_DELETE, CAP_TASK(TASKCN_SLOT_CHANNEL),
                     0, 0, 0).err;
    debug_printf("chandel %s: channel Frame deleted: %s; touching the page again\n", side,
                 err_name(err_no(err)));
    uint64_t v = page[0];
    debug_printf("chandel %s: STILL MAPPED after the delete (read %#lx)\n", side, v);
    return 1;
}
