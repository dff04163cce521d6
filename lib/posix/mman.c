/*
 * mman.c: anonymous mmap and munmap on Frames from the domain's RAM.
 *
 * Each mapping is one Frame (the length rounded up to a power of two)
 * retyped from the domain's RAM capability and mapped with Frame.map in a
 * window above the malloc heap; munmap deletes the capability, which makes
 * the kernel take the mapping down. The RAM itself is not reused within
 * the domain's life (the allocator in libos/ram.c only moves down).
 */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <libos/ram.h>
#include <libos/syscall.h>
#include <kpi/cspace.h>
#include <kpi/dispatcher.h>
#include <kpi/syscall.h>

#define MMAP_BASE (USER_MAP_BASE + (1ull << 40))    /* far above the heap */
#define MMAP_MAX 32

static struct { uint64_t va, bytes; capaddr_t slot; } maps[MMAP_MAX];
static uint64_t mmap_next = MMAP_BASE;
static volatile int mmap_lock;

static void lock(void) { while (__atomic_exchange_n(&mmap_lock, 1, __ATOMIC_ACQUIRE)) __asm__ volatile("pause"); }
static void unlock(void) { __atomic_store_n(&mmap_lock, 0, __ATOMIC_RELEASE); }

void *mmap(void *addr, size_t length, int prot, int flags, int fd, off_t offset)
{
    if (length == 0 || (prot & PROT_EXEC) || (flags & (MAP_SHARED | MAP_FIXED))) {
        errno = EINVAL;
        return MAP_FAILED;
    }
    if (!(flags & MAP_ANONYMOUS) || fd != -1) {
        errno = ENOSYS;                 /* no files to map yet */
        return MAP_FAILED;
    }
    size_t bytes = 4096;
    while (bytes < length)
        bytes *= 2;
    lock();
    int free_entry = -1;
    for (int i = 0; i < MMAP_MAX && free_entry < 0; i++)
        if (maps[i].bytes == 0)
            free_entry = i;
    uint64_t va = (mmap_next + bytes - 1) & ~(uint64_t)(bytes - 1);
    capaddr_t slot;
    errval_t err = free_entry < 0 ? MM_ERR_OUT_OF_MEMORY : ram_map_new(va, bytes, &slot);
    if (err_is_ok(err)) {
        maps[free_entry].va = va;
        maps[free_entry].bytes = bytes;
        maps[free_entry].slot = slot;
        mmap_next = va + bytes;
    }
    unlock();
    if (err_is_fail(err)) {
        errno = ENOMEM;
        return MAP_FAILED;
    }
    return (void *)(uintptr_t)va;
}

int munmap(void *addr, size_t length)
{
    uint64_t va = (uint64_t)(uintptr_t)addr;
    lock();
    for (int i = 0; i < MMAP_MAX; i++) {
        if (maps[i].bytes && maps[i].va == va) {
            capaddr_t slot = maps[i].slot;
            maps[i].bytes = 0;
            unlock();
            errval_t err = sys_invoke(CAP_TASK(TASKCN_SLOT_ROOTCN), CNODE_CMD_DELETE, slot, 0, 0, 0).err;
            if (err_is_fail(err)) {
                errno = EINVAL;
                return -1;
            }
            return 0;
        }
    }
    unlock();
    errno = EINVAL;                     /* only whole mappings, by their start */
    return -1;
}

/* Is [va, va + n) inside one of the mappings? (the caller holds the lock) */
static bool mman_mapped(uint64_t va, size_t n)
{
    for (int i = 0; i < MMAP_MAX; i++)
        if (maps[i].bytes && va >= maps[i].va && va + n <= maps[i].va + maps[i].bytes)
            return true;
    return false;
}

#define MMAN_PAGE 4096

static int mman_fail(int err)
{
    errno = err;
    return -1;
}

int msync(void *addr, size_t length, int flags)
{
    if ((uintptr_t)addr % MMAN_PAGE || (flags & ~(MS_ASYNC | MS_INVALIDATE | MS_SYNC)) ||
        ((flags & MS_ASYNC) && (flags & MS_SYNC)))
        return mman_fail(EINVAL);
    lock();
    bool ok = mman_mapped((uint64_t)(uintptr_t)addr, length);
    unlock();
    return ok ? 0 : mman_fail(ENOMEM);  /* anonymous memory: nothing to write back */
}

int mlock(const void *addr, size_t length) { return 0; }     /* never paged out */
int munlock(const void *addr, size_t length) { return 0; }

int mlockall(int flags)
{
    return flags && !(flags & ~(MCL_CURRENT | MCL_FUTURE | MCL_ONFAULT)) ? 0 : mman_fail(EINVAL);
}

int munlockall(void) { return 0; }

int madvise(void *addr, size_t length, int advice)
{
    if ((uintptr_t)addr % MMAN_PAGE)
        return mman_fail(EINVAL);
    switch (advice) {
    case MADV_NORMAL:
    case MADV_RANDOM:
    case MADV_SEQUENTIAL:
    case MADV_WILLNEED:
        return 0;                       /* hints: all memory is resident already */
    case MADV_DONTNEED: {
        lock();
        bool ok = mman_mapped((uint64_t)(uintptr_t)addr, length);
        unlock();
        if (!ok)
            return mman_fail(ENOMEM);
        memset(addr, 0, length);        /* private anonymous: reads as zeroes after, as on Linux */
        return 0;
    }
    default:
        return mman_fail(EINVAL);
    }
}
