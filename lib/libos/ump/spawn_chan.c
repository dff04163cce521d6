/*
 * spawn_chan.c: the channel a domain was spawned with (`pair NAME A B`):
 * the Frame in TASKCN_SLOT_CHANNEL, mapped at USER_SHARED_FRAME_VADDR.
 * Side a formats it, side b waits until a has; both then attach.
 */
#include <libos/ump.h>
#include <libos/syscall.h>
#include <kpi/cspace.h>
#include <kpi/dispatcher.h>
#include <kpi/syscall.h>

errval_t ump_spawn_chan_open(struct ump_chan *c, bool side_a)
{
    struct cap_identity id;
    errval_t err = sys_invoke(CAP_TASK(TASKCN_SLOT_ROOTCN), CNODE_CMD_IDENTIFY,
                              CAP_TASK(TASKCN_SLOT_CHANNEL), (uint64_t)(uintptr_t)&id, 0, 0).err;
    if (err_is_fail(err))
        return err;
    void *frame = (void *)(uintptr_t)USER_SHARED_FRAME_VADDR;
    size_t bytes = id.bytes > UMP_FRAME_MAX_BYTES ? UMP_FRAME_MAX_BYTES : (size_t)id.bytes;
    if (side_a && err_is_fail(err = ump_frame_format(frame, bytes)))
        return err;
    while (err_is_fail(err = ump_chan_init(c, frame, bytes, side_a))) {
        if (err_no(err) != UMP_ERR_NOT_FORMATTED)
            return err;
        sys_yield(SYS_YIELD_SLICE);     /* side a has not formatted it yet */
    }
    return ERR_OK;
}
