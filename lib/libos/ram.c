/*
 * ram.c: Frames from the domain's RAM capability (see libos/ram.h).
 * Retype and map are capability invocations checked by the kernel; this
 * file only keeps the two downward cursors (offset in the RAM, slot in
 * SLOTCN), under a spinlock because a domain may run on several cores.
 * The RAM's size is what spawn gave (mem=, DOMAIN_RAM_BYTES by default) and
 * its physical base is only aligned to its size up to 4 MiB, so both are
 * read once from Cap.identify and each Frame is aligned to its size in
 * physical memory, as retype requires.
 */
#include <libos/ram.h>
#include <stdbool.h>
#include <libos/syscall.h>
#include <kpi/cspace.h>
#include <kpi/syscall.h>

#define SLOTCN_SLOTS CAP_L2_SLOTS
#define PAGE 4096u

static volatile int ram_lock;
static bool ram_known;                          /* ram_base, ram_size, ram_top set */
static uint64_t ram_base, ram_size;             /* the RAM capability's range */
static uint64_t ram_top;                        /* offsets below this are free */
static unsigned slot_top = SLOTCN_SLOTS;        /* slots below this are free */

static unsigned log2_exact(size_t v)
{
    unsigned b = 0;
    while ((1ull << b) < v)
        b++;
    return b;
}

/* Under ram_lock. */
static errval_t ram_learn(void)
{
    if (ram_known)
        return ERR_OK;
    static struct cap_identity id;
    errval_t err = sys_invoke(CAP_TASK(TASKCN_SLOT_ROOTCN), CNODE_CMD_IDENTIFY,
                              CAP_TASK(TASKCN_SLOT_RAM), (uint64_t)(uintptr_t)&id, 0, 0).err;
    if (err_is_fail(err))
        return err;
    ram_base = id.base;
    ram_size = ram_top = id.bytes;
    ram_known = true;
    return ERR_OK;
}

uint64_t ram_bytes(void)
{
    while (__atomic_exchange_n(&ram_lock, 1, __ATOMIC_ACQUIRE))
        __asm__ volatile("pause");
    errval_t err = ram_learn();
    uint64_t n = ram_size;
    __atomic_store_n(&ram_lock, 0, __ATOMIC_RELEASE);
    return err_is_ok(err) ? n : DOMAIN_RAM_BYTES;
}

errval_t ram_map_new(uint64_t va, size_t bytes, capaddr_t *slot_out)
{
    if (bytes < PAGE || (bytes & (bytes - 1)))
        return LIBOS_ERR_BAD_ARG;
    while (__atomic_exchange_n(&ram_lock, 1, __ATOMIC_ACQUIRE))
        __asm__ volatile("pause");
    errval_t err = ram_learn();
    uint64_t pa = (ram_base + ram_top - bytes) & ~(uint64_t)(bytes - 1);  /* natural alignment */
    uint64_t offset = pa - ram_base;
    if (err_is_ok(err) && (bytes > ram_top || pa < ram_base || slot_top == 0))
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
