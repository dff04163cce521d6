/*
 * ram.c: Frames from the domain's RAM capability (see libos/ram.h).
 * Retype and map are capability invocations checked by the kernel; this
 * file only keeps the two downward cursors (offset in the RAM, slot in
 * SLOTCN), under a spinlock because a domain may run on several cores.
 */
#include <libos/ram.h>
#include <libos/syscall.h>
#include <kpi/cspace.h>
#include <kpi/syscall.h>

#define SLOTCN_SLOTS CAP_L2_SLOTS
#define PAGE 4096u

static volatile int ram_lock;
static uint64_t ram_top = DOMAIN_RAM_BYTES;     /* offsets below this are free */
static unsigned slot_top = SLOTCN_SLOTS;        /* slots below this are free */

static unsigned log2_exact(size_t v)
{
    unsigned b = 0;
    while ((1ull << b) < v)
        b++;
    return b;
}

errval_t ram_map_new(uint64_t va, size_t bytes, capaddr_t *slot_out)
{
    if (bytes < PAGE || (bytes & (bytes - 1)))
        return LIBOS_ERR_BAD_ARG;
    while (__atomic_exchange_n(&ram_lock, 1, __ATOMIC_ACQUIRE))
        __asm__ volatile("pause");
    errval_t err = ERR_OK;
    uint64_t offset = (ram_top - bytes) & ~(uint64_t)(bytes - 1);   /* natural alignment */
    if (bytes > ram_top || slot_top == 0)
        err = MM_ERR_OUT_OF_MEMORY;
    capaddr_t slot = CAP_SLOT(slot_top - 1);
    if (err_is_ok(err))
        err = sys_invoke(CAP_TASK(TASKCN_SLOT_ROOTCN), CNODE_CMD_RETYPE, CAP_TASK(TASKCN_SLOT_RAM),
                         CAP_FRAME | (uint64_t)log2_exact(bytes) << 8 | (offset / PAGE) << 16, 1,
                         slot).err;
    if (err_is_ok(err)) {
        ram_top = offset;
        slot_top--;
    }
    __atomic_store_n(&ram_lock, 0, __ATOMIC_RELEASE);
    if (err_is_fail(err))
        return err;
    err = sys_invoke(slot, FRAME_CMD_MAP, va, FRAME_MAP_WRITE, 0, 0).err;
    if (err_is_fail(err))
        return err;                     /* the frame stays retyped: it is still ours */
    *slot_out = slot;
    return ERR_OK;
}
