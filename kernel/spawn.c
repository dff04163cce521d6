/*
 * spawn.c: start a domain from a boot module on this core.
 *
 * Builds, from this core's memory only: the address space (ELF segments
 * with their permissions, a stack, the argument block, the dispatcher's
 * shared page), the cspace of kpi/cspace.h with the domain's own RAM (and
 * the VSA capabilities its spawn request names), and the dispatcher, which starts disabled at the ELF entry. Any failure
 * undoes everything built so far. The new domain maps nothing it was not
 * given by capability: a channel frame comes as a Frame the caller held.
 */
#include <spawn.h>
#include <cspace.h>
#include <dispatch.h>
#include <core.h>
#include <elf.h>
#include <console.h>
#include <memlayout.h>
#include <string.h>
#include <arch/apic.h>
#include <arch/paging.h>
#include <syscall_impl.h>
#include <mapping.h>
#include <capmove.h>
#include <kpi/monitor.h>

#define MAX_PROGRAMS 64

static struct boot_program programs[MAX_PROGRAMS];
static size_t nprograms;

void spawn_set_modules(const struct boot_program *p, size_t n)
{
    nprograms = n < MAX_PROGRAMS ? n : MAX_PROGRAMS;
    memcpy(programs, p, nprograms * sizeof(*p));
}

size_t spawn_module_count(void) { return nprograms; }
const struct boot_program *spawn_module(size_t i) { return i < nprograms ? &programs[i] : NULL; }

static const struct boot_program *find(const char *name)
{
    for (size_t i = 0; i < nprograms; i++)
        if (strcmp(programs[i].name, name) == 0)
            return &programs[i];
    return NULL;
}

static errval_t load_segments(struct dcb *d, const struct elf_image *img)
{
    for (unsigned i = 0; i < img->nsegments; i++) {
        struct elf_segment seg;
        errval_t err = elf_segment(img, i, &seg);
        if (err_is_fail(err))
            return err;
        unsigned flags = (seg.flags & ELF_PF_W ? VSPACE_WRITE : 0) |
                         (seg.flags & ELF_PF_X ? VSPACE_EXEC : 0);
        uint64_t first = seg.vaddr & ~(PAGE_SIZE - 1);
        uint64_t end = (seg.vaddr + seg.memsz + PAGE_SIZE - 1) & ~(PAGE_SIZE - 1);
        for (uint64_t va = first; va < end; va += PAGE_SIZE) {
            uint64_t pa;
            if (vspace_lookup(&d->vspace, va, &pa))
                continue;               /* shared with the previous segment */
            if (err_is_fail(err = vspace_map_new(&d->vspace, va, PAGE_SIZE, flags)))
                return err;
        }
        err = vspace_load(&d->vspace, seg.vaddr, img->data + seg.offset, seg.filesz);
        if (err_is_fail(err))
            return err;
    }
    return ERR_OK;
}

static errval_t build_args(struct dcb *d, const char *name, const char *args)
{
    struct spawn_args a;
    memset(&a, 0, sizeof(a));
    size_t pos = 0;
    const char *words[2] = { name, args };
    for (int w = 0; w < 2; w++) {
        for (const char *p = words[w]; p && *p;) {
            while (*p == ' ')
                p++;
            if (!*p)
                break;
            if (a.argc == sizeof(a.argv) / sizeof(a.argv[0]))
                return SPAWN_ERR_ARGS;
            a.argv[a.argc++] = USER_ARGS_VADDR + __builtin_offsetof(struct spawn_args, strings) + pos;
            while (*p && *p != ' ') {
                if (pos + 2 > sizeof(a.strings))
                    return SPAWN_ERR_ARGS;
                a.strings[pos++] = *p++;
            }
            a.strings[pos++] = '\0';
            if (w == 0)
                break;                  /* the name is one word */
        }
    }
    errval_t err = vspace_map_new(&d->vspace, USER_ARGS_VADDR, PAGE_SIZE, VSPACE_WRITE);
    if (err_is_ok(err))
        err = vspace_copy_in(&d->vspace, USER_ARGS_VADDR, &a, sizeof(a));
    return err;
}

static errval_t build_dispatcher(struct dcb *d, uint64_t entry)
{
    struct core *c = this_core();
    errval_t err = pmm_alloc(&c->pmm, 1, 1, &d->disp_pa);
    if (err_is_fail(err))
        return err;
    d->disp = phys_to_virt(d->disp_pa);
    d->gs_base = DISP_SHARED_VADDR;
    dispatch_page_init(d->disp, c->id, d->id, entry, USER_STACK_TOP, DISP_SHARED_VADDR,
                       USER_ARGS_VADDR);
    d->resume_disabled = true;
    return vspace_map(&d->vspace, DISP_SHARED_VADDR, d->disp_pa, VSPACE_WRITE | VSPACE_BORROWED);
}

/* Monitors get the boot-time inter-monitor channel frames (core 0: all). */
static errval_t map_urpc(struct dcb *d)
{
    struct core *c = this_core();
    for (uint32_t i = 1; i < ncores; i++) {
        if (c->id != 0 && i != c->id)
            continue;
        uint64_t pa = cores[i]->urpc_pa;
        uint64_t va = USER_SHARED_FRAME_VADDR + (uint64_t)i * URPC_FRAME_BYTES;
        for (uint64_t off = 0; pa && off < URPC_FRAME_BYTES; off += PAGE_SIZE) {
            errval_t err = vspace_map(&d->vspace, va + off, pa + off, VSPACE_WRITE | VSPACE_BORROWED);
            if (err_is_fail(err))
                return err;
        }
    }
    return ERR_OK;
}

/*
 * The domain's RAM: one run of this core's pages, aligned to its size up to
 * SPAWN_MEM_ALIGN (the library OS aligns its Frames to their size in
 * physical memory, which it learns from Cap.identify).
 */
#define SPAWN_MEM_ALIGN (4ull << 20)

errval_t spawn_mem_check(uint64_t mem_bytes)
{
    if (mem_bytes < SPAWN_MEM_UNIT || mem_bytes > SPAWN_MEM_MAX || mem_bytes % SPAWN_MEM_UNIT)
        return SPAWN_ERR_MEM_SIZE;
    uint64_t free = this_core()->pmm.free_pages * PAGE_SIZE;
    return free < SPAWN_MEM_RESERVE || mem_bytes > free - SPAWN_MEM_RESERVE ? SPAWN_ERR_MEM_FREE
                                                                            : ERR_OK;
}

static errval_t alloc_ram(struct dcb *d, uint64_t bytes)
{
    uint64_t align = bytes;
    while (align & (align - 1))
        align &= align - 1;             /* the largest power of two in it */
    if (align > SPAWN_MEM_ALIGN)
        align = SPAWN_MEM_ALIGN;
    errval_t err = pmm_alloc(&this_core()->pmm, bytes / PAGE_SIZE, align / PAGE_SIZE, &d->ram_pa);
    if (err_is_fail(err))
        return err_no(err) == MM_ERR_OUT_OF_MEMORY ? SPAWN_ERR_MEM_FREE : err;
    d->ram_bytes = bytes;
    return ERR_OK;
}

static errval_t build(struct dcb *d, const struct boot_program *prog, const char *args, bool monitor,
                      uint32_t monitor_badge, uint64_t mem_bytes)
{
    struct core *c = this_core();
    struct elf_image img;
    errval_t err = elf_open(&img, phys_to_virt(prog->pa), prog->size, USER_IMAGE_LIMIT);
    if (err_is_fail(err))
        return err;
    if (err_is_fail(err = vspace_create(&d->vspace, &c->pmm)) ||
        err_is_fail(err = load_segments(d, &img)) ||
        err_is_fail(err = vspace_map_new(&d->vspace, USER_STACK_TOP - USER_STACK_BYTES,
                                         USER_STACK_BYTES, VSPACE_WRITE)) ||
        err_is_fail(err = build_args(d, prog->name, args)) ||
        err_is_fail(err = build_dispatcher(d, img.entry)) ||
        err_is_fail(err = alloc_ram(d, mem_bytes)))
        return err;
    if (err_is_fail(err = cspace_create(d, monitor, monitor_badge)))
        return err;
    if (monitor && err_is_fail(err = map_urpc(d)))
        return err;
    return ERR_OK;
}

/*
 * The channel Frame the caller gave (Kernel.spawn, SPAWN_FLAG_FRAME): moved,
 * not copied, into the new domain's TASKCN_SLOT_CHANNEL and mapped at
 * USER_SHARED_FRAME_VADDR, tracked by that slot like any Frame.map, so
 * deleting or revoking it takes the mapping down. On failure it goes back.
 */
static errval_t give_frame(struct dcb *d, struct cte *frame)
{
    struct mdb *mdb = &this_core()->mdb;
    struct cte *dest;
    errval_t err = cspace_lookup(d, CAP_TASK(TASKCN_SLOT_CHANNEL), &dest);
    if (err_is_ok(err))
        err = cap_move(mdb, frame, dest);
    if (err_is_fail(err))
        return err;
    capmove_slot_moved(frame, dest);
    err = mapping_record(d, dest, USER_SHARED_FRAME_VADDR, dest->cap.base, dest->cap.bytes,
                         VSPACE_WRITE);
    if (err_is_fail(err)) {
        cap_move(mdb, dest, frame);
        capmove_slot_moved(dest, frame);
    }
    return err;
}

/*
 * The VSA capabilities of a spawn (checked by cap_vsa_grants_check): new roots
 * in the domain's TASKCN_SLOT_VSA0 + i. The only place a CAP_VSA is made:
 * every other one is a copy or mint of these. Each gets an id of its own
 * (this core, a count), so that two grants of one name are two objects.
 */
static errval_t give_vsas(struct dcb *d, const struct spawn_vsa *vsa)
{
    static uint64_t minted[MAX_CORES];          /* a row per core, its own */
    struct core *c = this_core();
    for (unsigned i = 0; vsa && i < TASKCN_VSAS && vsa[i].name; i++) {
        struct cte *dest;
        errval_t err = cspace_lookup(d, CAP_TASK(TASKCN_SLOT_VSA0 + i), &dest);
        struct capability cap = cap_vsa(vsa[i].name, vsa[i].rights,
                                        (uint64_t)c->id << 48 | ++minted[c->id]);
        if (err_is_ok(err))
            err = cap_create_root(&c->mdb, dest, &cap);
        if (err_is_fail(err))
            return err;
    }
    return ERR_OK;
}

errval_t spawn_domain(const char *name, const char *args, bool monitor, uint32_t *id)
{
    return spawn_domain_with(name, args, monitor, MONITOR_BADGE_CLIENT, NULL, DOMAIN_RAM_BYTES,
                             NULL, id);
}

errval_t spawn_domain_with(const char *name, const char *args, bool monitor,
                           uint32_t monitor_badge, struct cte *frame, uint64_t mem_bytes,
                           const struct spawn_vsa *vsa, uint32_t *id)
{
    const struct boot_program *prog = find(name);
    if (!prog)
        return SPAWN_ERR_NO_MODULE;
    struct dcb *d = dispatch_alloc();
    if (!d)
        return SPAWN_ERR_TOO_MANY;
    size_t n = strlen(name);
    memcpy(d->name, name, n < sizeof(d->name) - 1 ? n : sizeof(d->name) - 1);
    errval_t err = build(d, prog, args, monitor, monitor_badge, mem_bytes);
    if (err_is_ok(err))
        err = give_vsas(d, vsa);
    if (err_is_ok(err) && frame)
        err = give_frame(d, frame);
    if (err_is_fail(err)) {
        dispatch_kill(d, DOMAIN_KILLED, -1, NULL);
        return err;
    }
    *id = d->id;
    d->monitor = monitor && strcmp(name, "monitor") == 0;
    dispatch_make_runnable(d);
    return ERR_OK;
}
