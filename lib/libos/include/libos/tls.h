/**
 * \file tls.h
 * \brief Thread-local storage blocks in the x86-64 ELF TLS layout
 * (variant II, "ELF Handling For Thread-Local Storage", Drepper, 4.1.2):
 *
 *        mem ...  [ .tdata copy | .tbss zeroes | pad ] [ struct tls_tcb ]
 *                 ^ tp - tls_static_bytes()            ^ tp = FS base
 *
 * The FS base (thread_set_tls) points at the TCB, whose first word points
 * to itself (what %fs:0 gives compiled code); the static TLS block ends
 * exactly there, so the linker's negative %fs offsets land in it. The
 * template comes from link-script symbols (hake/user.ld), not from the
 * PT_TLS header, which the kernel's loader ignores. A block is a plain
 * piece of memory: the caller allocates and frees it (the C library uses
 * malloc; lib/newlib/threads.c).
 */
#ifndef LIBOS_TLS_H
#define LIBOS_TLS_H
#include <stddef.h>
#include <stdint.h>

/** The thread control block at the FS base. */
struct tls_tcb {
    struct tls_tcb *self;       /* %fs:0, by the ABI */
    void *libc;                 /* the C library's per-thread state (struct _reent) */
    void *thread;               /* the threads library's (struct posix_thread) */
    void *block;                /* the memory given to tls_block_init */
    uint64_t reserved[4];
};
_Static_assert(sizeof(struct tls_tcb) == 64, "one cache line");
_Static_assert(offsetof(struct tls_tcb, self) == 0, "%fs:0 is the TCB itself");

/** Bytes of the program's static TLS (.tdata and .tbss, aligned). */
size_t tls_static_bytes(void);
/** Bytes a block needs: static TLS, TCB and alignment slack. */
size_t tls_block_bytes(void);
/** Lays a block out in `mem` (tls_block_bytes() long): copies .tdata,
 *  zeroes .tbss and the TCB; returns the TCB (the FS base to load). */
struct tls_tcb *tls_block_init(void *mem);

/** The calling thread's TCB (only once it has one: FS base not 0). */
static inline struct tls_tcb *tls_tcb_self(void)
{
    struct tls_tcb *t;
    __asm__("movq %%fs:0, %0" : "=r"(t));
    return t;
}
#endif
