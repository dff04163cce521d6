/*
 * syscall.c: decode a system call and answer it.
 *
 * A table maps syscall numbers to handlers; SYS_INVOKE looks the named
 * capability up in the caller's cspace and goes through a second table,
 * [capability type][command], to a decoder that checks every argument and
 * then acts (kernel/invoke.c). A refusal is an error value and one log
 * line naming the domain, the call and the reason; nothing a domain passes
 * reaches kernel memory unchecked.
 */
#include <syscall_impl.h>
#include <dispatch.h>
#include <cspace.h>
#include <core.h>
#include <console.h>
#include <invoke.h>
#include <span.h>
#include <arch/trap.h>
#include <arch/serial.h>
#include <arch/cpu.h>
#include <string.h>
#include <fmt.h>

#define PRINT_MAX 1024

typedef struct sysret (*syscall_fn)(struct dcb *d, struct trap_frame *tf);

#define REFUSALS_LOGGED 16       /* per domain, then one notice */

void sys_refuse_log(struct dcb *d, const char *what, errval_t err)
{
    if (err_no(err) == SYS_ERR_ENDPOINT_FULL)
        return;                     /* flow control, not a bad argument */
    if (++d->refusals > REFUSALS_LOGGED) {
        if (d->refusals == REFUSALS_LOGGED + 1)
            kprintf("syscall: core %u domain %s (%#x): further refusals not logged\n",
                    this_core()->id, d->name, d->id);
        return;
    }
    kprintf("syscall: core %u domain %s (%#x): %s refused: %s\n", this_core()->id,
            d->name, d->id, what, err_name(err_no(err)));
}

static struct sysret sys_null(struct dcb *d, struct trap_frame *tf)
{
    return (struct sysret){ ERR_OK, 0 };
}

static struct sysret sys_print(struct dcb *d, struct trap_frame *tf)
{
    uint64_t buf = tf->rdi, len = tf->rsi;
    if (len > PRINT_MAX)
        return (struct sysret){ SYS_ERR_ARG_RANGE, PRINT_MAX };
    if (!vspace_user_range(&d->vspace, buf, len, false))
        return (struct sysret){ SYS_ERR_BAD_USER_POINTER, 0 };
    char text[PRINT_MAX + 1];
    errval_t err = vspace_copy_out(&d->vspace, text, buf, len);
    if (err_is_fail(err))
        return (struct sysret){ err, 0 };
    text[len] = '\0';
    kprintf("%s", text);
    return (struct sysret){ ERR_OK, len };
}

static struct sysret sys_yield(struct dcb *d, struct trap_frame *tf)
{
    tf->rax = ERR_OK;
    tf->rdx = 0;
    if (tf->rdi && d->wake_pending)
        d->wake_pending = false;    /* a SYS_WAKE came meanwhile: no sleep */
    else if (tf->rdi && d->disp->lmp_produced == d->disp->lmp_consumed)
        d->blocked = true;          /* until an LMP message arrives */
    dispatch_save(tf, false);
    dispatch_schedule();
}

/* Scope SYS_EXIT_DISPATCHER stops only a secondary (its threads are
 * done; the domain goes on); anything else ends the whole domain. */
static struct sysret sys_exit(struct dcb *d, struct trap_frame *tf)
{
    if (tf->rsi > SYS_EXIT_DISPATCHER)
        return (struct sysret){ SYS_ERR_ARG_RANGE, 0 };       /* syscall_dispatch logs it */
    if (tf->rsi == SYS_EXIT_DISPATCHER && d->secondary)
        dispatch_stop(d, DOMAIN_EXITED);
    else
        dispatch_kill(d, DOMAIN_EXITED, (int)tf->rdi, NULL);
    dispatch_schedule();
}

static struct sysret sys_getchar(struct dcb *d, struct trap_frame *tf)
{
    int c = serial_getc();
    if (c < 0)
        return (struct sysret){ SYS_ERR_NO_INPUT, 0 };
    return (struct sysret){ ERR_OK, (uint64_t)c };
}

static struct sysret sys_set_fs_base(struct dcb *d, struct trap_frame *tf)
{
    if (tf->rdi >= VSPACE_USER_TOP)
        return (struct sysret){ SYS_ERR_ARG_RANGE, 0 };
    wrmsr(MSR_FS_BASE, tf->rdi);        /* saved with the registers from now on */
    return (struct sysret){ ERR_OK, 0 };
}

static struct sysret sys_wake(struct dcb *d, struct trap_frame *tf)
{
    return span_wake(d, tf->rdi);
}

static struct sysret sys_invoke(struct dcb *d, struct trap_frame *tf)
{
    struct cte *slot;
    errval_t err = tf->rdi > UINT32_MAX ? SYS_ERR_ARG_RANGE : cspace_lookup(d, (capaddr_t)tf->rdi, &slot);
    if (err_is_ok(err) && slot->cap.type == CAP_NULL)
        err = CAP_ERR_SLOT_EMPTY;
    if (err_is_fail(err)) {
        sys_refuse_log(d, "invoke: capability lookup", err);
        return (struct sysret){ err, 0 };
    }
    struct invocation inv = {
        .d = d, .slot = slot, .cmd = tf->rsi,
        .arg = { tf->rdx, tf->r10, tf->r8, tf->r9 }, .tf = tf, .cptr = (capaddr_t)tf->rdi,
    };
    struct sysret r = invoke_dispatch(&inv);
    if (err_is_fail(r.err)) {
        char what[160];
        int n = fmt_snprintf(what, sizeof(what), "%s on capability %u.%u", inv.name,
                             CAP_CPTR_L1(inv.cptr), CAP_CPTR_L2(inv.cptr));
        if (inv.why.arg > 0 && n > 0 && (size_t)n < sizeof(what) &&
            err_no(r.err) == SYS_ERR_BAD_USER_POINTER)
            fmt_snprintf(what + n, sizeof(what) - (size_t)n,
                         " (argument %d = %#lx: not user memory this call may use)", inv.why.arg,
                         inv.why.value);
        else if (inv.why.arg > 0 && n > 0 && (size_t)n < sizeof(what))
            fmt_snprintf(what + n, sizeof(what) - (size_t)n,
                         " (argument %d = %#lx, allowed %#lx..%#lx)", inv.why.arg,
                         inv.why.value, inv.why.min, inv.why.max);
        sys_refuse_log(d, what, r.err);
    }
    return r;
}

static const syscall_fn syscalls[SYS_COUNT] = {
    [SYS_NULL] = sys_null,
    [SYS_PRINT] = sys_print,
    [SYS_YIELD] = sys_yield,
    [SYS_EXIT] = sys_exit,
    [SYS_INVOKE] = sys_invoke,
    [SYS_GETCHAR] = sys_getchar,
    [SYS_SET_FS_BASE] = sys_set_fs_base,
    [SYS_WAKE] = sys_wake,
};

static const char *const syscall_names[SYS_COUNT] = {
    "null", "print", "yield", "exit", "invoke", "getchar", "set_fs_base", "wake",
};

void syscall_dispatch(struct trap_frame *tf)
{
    struct dcb *d = this_core()->current;
    uint64_t no = tf->rax;
    struct sysret r;
    if (no >= SYS_COUNT || !syscalls[no]) {
        r = (struct sysret){ SYS_ERR_ILLEGAL_SYSCALL, 0 };
        sys_refuse_log(d, "syscall number", r.err);
    } else {
        r = syscalls[no](d, tf);
        if (err_is_fail(r.err) && no != SYS_GETCHAR && no != SYS_INVOKE)
            sys_refuse_log(d, syscall_names[no], r.err);
    }
    tf->rax = r.err;
    tf->rdx = r.value;
}
