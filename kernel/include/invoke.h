/**
 * \file invoke.h
 * \brief Capability invocations: the table [type][command] of decoders
 * (kernel/invoke.c). A decoder checks everything, then acts.
 */
#ifndef KERNEL_INVOKE_H
#define KERNEL_INVOKE_H
#include <stdint.h>
#include <kpi/syscall.h>
#include <cap/cap.h>

struct dcb;
struct trap_frame;

struct invocation {
    struct dcb *d;              /* the caller */
    struct cte *slot;           /* the invoked capability */
    uint64_t cmd;
    uint64_t arg[4];
    struct trap_frame *tf;
    const char *name;           /* "CNode.copy", set by invoke_dispatch */
};

struct sysret invoke_dispatch(struct invocation *inv);
#endif
