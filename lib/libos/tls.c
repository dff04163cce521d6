/*
 * tls.c: builds TLS blocks from the program's TLS template (libos/tls.h).
 *
 * hake/user.ld puts .tdata then .tbss in the PT_TLS segment and exports
 * their bounds and alignment as absolute symbols. The linker resolves a
 * local-exec access to a variable at offset o of that segment as
 * %fs:(o - align_up(memsz, align)); tls_block_init reproduces that layout.
 */
#include <libos/tls.h>
#include <string.h>

extern const char __tls_tdata_start[], __tls_tdata_end[], __tls_end[], __tls_align[];

static uintptr_t tls_align(void)
{
    uintptr_t a = (uintptr_t)__tls_align;
    return a < 16 ? 16 : a;
}

static uintptr_t tls_align_up(uintptr_t v, uintptr_t a)
{
    return (v + a - 1) & ~(a - 1);
}

size_t tls_static_bytes(void)
{
    /* The linker's static TLS size rounds to the segment's own alignment. */
    uintptr_t a = (uintptr_t)__tls_align ? (uintptr_t)__tls_align : 1;
    return tls_align_up((uintptr_t)(__tls_end - __tls_tdata_start), a);
}

size_t tls_block_bytes(void)
{
    return tls_static_bytes() + sizeof(struct tls_tcb) + tls_align() + 64;
}

struct tls_tcb *tls_block_init(void *mem)
{
    size_t bytes = tls_static_bytes();
    uintptr_t a = tls_align() > 64 ? tls_align() : 64;
    uintptr_t tp = tls_align_up((uintptr_t)mem + bytes, a);
    char *start = (char *)(tp - bytes);
    size_t filesz = (size_t)(__tls_tdata_end - __tls_tdata_start);
    memcpy(start, __tls_tdata_start, filesz);
    memset(start + filesz, 0, bytes - filesz);
    struct tls_tcb *tcb = (struct tls_tcb *)tp;
    memset(tcb, 0, sizeof *tcb);
    tcb->self = tcb;
    tcb->block = mem;
    return tcb;
}
