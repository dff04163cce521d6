/**
 * \file spawn.h
 * \brief Boot modules (the user programs GRUB loaded) and starting a new
 * domain from one, on the calling core (kernel/spawn.c).
 */
#ifndef KERNEL_SPAWN_H
#define KERNEL_SPAWN_H
#include <stdint.h>
#include <stdbool.h>
#include <stddef.h>
#include <kpi/errors.h>

#define MODULE_NAME_MAX 32

struct boot_program {
    char name[MODULE_NAME_MAX];
    uint64_t pa, size;
};

/** Record the boot modules (BSP, before other cores start; read-only after). */
void spawn_set_modules(const struct boot_program *p, size_t n);
size_t spawn_module_count(void);
const struct boot_program *spawn_module(size_t i);

/** Start `name` as a new domain on this core with argv = name + `args`;
 *  `monitor`: it gets the Kernel capability (init, monitors). */
errval_t spawn_domain(const char *name, const char *args, bool monitor, uint32_t *id);
struct cte;
struct spawn_vsa;
/** The same; its monitor endpoint carries `monitor_badge`, `frame`
 *  (a Frame slot of the caller's, checked by the caller, or NULL) moves to
 *  its TASKCN_SLOT_CHANNEL, mapped at USER_SHARED_FRAME_VADDR, and each of
 *  the TASKCN_VSAS grants in `vsa` (checked by cap_vsa_grants_check, or NULL)
 *  becomes a new CAP_VSA in its TASKCN_SLOT_VSA0 + i. */
errval_t spawn_domain_with(const char *name, const char *args, bool monitor,
                           uint32_t monitor_badge, struct cte *frame, uint64_t mem_bytes,
                           const struct spawn_vsa *vsa, uint32_t *id);
/** Whether this core can give a domain `mem_bytes` of RAM and keep
 *  SPAWN_MEM_RESERVE for its kernel objects (SPAWN_ERR_MEM_SIZE/_FREE). */
errval_t spawn_mem_check(uint64_t mem_bytes);
#define SPAWN_MEM_RESERVE (8ull << 20)
#define SPAWN_FRAME_MAX (64 * 1024)

/** Wall clock at boot (main.c): Unix seconds and the TSC at that moment. */
extern uint64_t boot_rtc_epoch_s, boot_rtc_tsc;
#endif
