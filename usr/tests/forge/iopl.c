/*
 * iopl.c: the save area changes between the kernel's check and its use.
 *
 * This dispatcher marks itself disabled and yields, so the kernel saves
 * its registers in disabled_area and resumes it from there. A dispatcher
 * of the same domain on another core (same address space, so it can write
 * this dispatcher's shared page) keeps setting IOPL 3 in that area's
 * rflags and every bit of its MXCSR. If the kernel resumed from the user
 * page after checking it, some resume would hand this domain IOPL 3 (port
 * I/O) or fault in fxrstor inside the kernel. After each resume this
 * dispatcher reads its own IOPL with pushfq.
 */
#include "forge.h"
#include <libos/debug.h>
#include <libos/libos.h>
#include <libos/syscall.h>
#include <libos/thread.h>
#include <libos/tsc.h>
#include <kpi/dispatcher.h>

#define RFLAGS_IOPL 0x3000ull
#define MXCSR_OFFSET 24
#define START_WAIT_S 10

static volatile bool stop, writing;
static volatile uint64_t writes;

static int writer(void *arg)
{
    struct dispatcher_shared *s = (struct dispatcher_shared *)(uintptr_t)DISP_SHARED_VADDR;
    volatile struct dispatcher_regs *r = &s->disabled_area;
    writing = true;
    while (!stop) {
        r->rflags |= RFLAGS_IOPL;
        *(volatile uint32_t *)&r->fxsave[MXCSR_OFFSET] = 0xffffffffu;
        writes++;
    }
    return 0;
}

static uint64_t rflags_now(void)
{
    uint64_t f;
    __asm__ volatile("pushfq; popq %0" : "=r"(f));
    return f;
}

int forge_iopl(unsigned rounds, int *tried)
{
    uint32_t other = (libos_core_id() + 1) % (uint32_t)libos_ncores();
    errval_t err = disp_span(other, writer, NULL);
    uint64_t deadline = rdtsc_now() + START_WAIT_S * libos_tsc_hz();
    while (err_is_ok(err) && !writing && rdtsc_now() < deadline)
        sys_yield(SYS_YIELD_SLICE);
    *tried = 1;
    if (err_is_fail(err) || !writing) {
        debug_printf("forge: no dispatcher on core %u to write the save area: %s\n", other,
                     err_name(err_no(err)));
        return 0;
    }
    struct dispatcher_shared *s = (struct dispatcher_shared *)(uintptr_t)DISP_SHARED_VADDR;
    unsigned raised = 0;
    for (unsigned i = 0; i < rounds && !raised; i++) {
        s->disabled = 1;                /* resumed from disabled_area */
        sys_yield(SYS_YIELD_SLICE);
        raised += (rflags_now() & RFLAGS_IOPL) != 0;
        s->disabled = 0;
    }
    stop = true;
    debug_printf("forge: %u resumes while core %u rewrote the save area %lu times: IOPL %s\n",
                 rounds, other, writes, raised ? "RAISED TO 3" : "stayed 0");
    return raised ? 0 : 1;
}
