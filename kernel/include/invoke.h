/**
 * \file invoke.h
 * \brief Capability invocations: the table [type][command] of decoders
 * (kernel/invoke.c). A decoder checks everything, then acts. The kernel's
 * own types have their rows in invoke.c; a driver registers the rows of
 * the types (or commands) it serves with invoke_register().
 */
#ifndef KERNEL_INVOKE_H
#define KERNEL_INVOKE_H
#include <stdint.h>
#include <kpi/syscall.h>
#include <cap/cap.h>

struct dcb;
struct trap_frame;

/**
 * What a refusal names, as seL4's syscall_error does: which argument was
 * wrong (1 = the first after the command; 0: none named), the value it had
 * and the range that would have been accepted. Printed in the refusal's one
 * log line (kernel/syscall.c).
 */
struct refusal {
    int arg;
    uint64_t value, min, max;
};

struct invocation {
    struct dcb *d;              /* the caller */
    struct cte *slot;           /* the invoked capability */
    uint64_t cmd;
    uint64_t arg[4];
    struct trap_frame *tf;
    const char *name;           /* "CNode.copy", set by invoke_dispatch */
    capaddr_t cptr;             /* the invoked capability's address */
    struct refusal why;         /* set by a decoder that refuses an argument */
};

/** Refuse argument `arg` (1-based) of `inv` with `err`, naming its value
 *  and the allowed range [min, max]; returns `err`. */
static inline errval_t invoke_refuse_arg(struct invocation *inv, int arg, errval_t err,
                                         uint64_t min, uint64_t max)
{
    inv->why = (struct refusal){ arg, arg >= 1 && arg <= 4 ? inv->arg[arg - 1] : 0, min, max };
    return err;
}

typedef struct sysret (*invoke_fn)(struct invocation *inv);

/** One command of a capability type: its decoder, its name for the logs
 *  ("CNode.copy") and the rights the invoked capability must hold. */
struct invoke_entry {
    invoke_fn fn;
    const char *name;
    uint8_t rights;
};

#define INVOKE_MAX_CMD 24

struct sysret invoke_dispatch(struct invocation *inv);
/** A driver serves commands of capability type `type`: cmds[c] is command
 *  c (entries without fn are skipped; n <= INVOKE_MAX_CMD). At boot, before
 *  user space runs; a command already served is a kernel bug (panic). */
void invoke_register(unsigned type, const struct invoke_entry *cmds, unsigned n);
#endif
