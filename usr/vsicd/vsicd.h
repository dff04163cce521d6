/**
 * \file vsicd.h
 * \brief The VSIC emulation service (usr/vsicd): internals shared by its
 * files. One domain, on a core of its own (core 3 by default; the shell
 * starts it at boot with the monitor's `nvme vsicd`), holding the NVMe
 * controller as a capability. See README.md.
 */
#ifndef VSICD_H
#define VSICD_H
#include <stdbool.h>
#include <stdint.h>
#include <kpi/caps.h>
#include <kpi/dispatcher.h>
#include <kpi/errors.h>
#include <storage/nvme/user/nvme.h>

/* Where things live in vsicd's address space. */
#define VSICD_REGS_VA   (USER_MAP_BASE + (3ull << 40))
#define VSICD_NVME_MEM_VA (VSICD_REGS_VA + (1ull << 20))
#define VSICD_BUF_VA    (VSICD_REGS_VA + (16ull << 20))
#define VSICD_TABLE_VA  (VSICD_REGS_VA + (2ull << 20))
#define VSICD_SHOWN_VA  (VSICD_REGS_VA + (3ull << 20))     /* the kernel's page, read-only */
#define VSICD_RING_VA   (VSICD_REGS_VA + (32ull << 20))     /* VSIC n's ring at + n * 64 KiB */

extern struct nvme_ctrl vsicd_nvme;
extern capaddr_t vsicd_nvme_cap;
/** The kernel's table of VSA capabilities shown to each VSIC
 *  (NVMe.map_vsas, read-only; kpi/syscall.h): NULL until mapped, and then
 *  nothing is granted. */
extern const struct nvme_vsa_table *vsicd_shown;
/** The controller's Doorbell (NVMe.doorbell_create): the I/O CQ interrupts
 *  on MSI-X entry VSICD_BELL_ENTRY (entry 0 is the admin CQ's, left
 *  masked: the control path polls), and clients' kicks ring it too. */
#define VSICD_BELL_ENTRY 1
extern capaddr_t vsicd_bell;
extern bool vsicd_have_bell;
extern uint32_t vsicd_monitor;     /* our core's monitor: the only sender of rates */
/** A sync command (VSICD_SYNC_COOKIE) completed. */
void vsicd_sync_done(errval_t status);

/** Take the controller from the receive slot, map it, bring it up and
 *  log what it found. */
errval_t vsicd_ctrl_open(void);
/** A Frame of `bytes` mapped at `va` and registered for the controller's
 *  DMA; its physical address in *pa. */
errval_t vsicd_dma_frame(uint64_t va, size_t bytes, uint64_t *pa, capaddr_t *slot);
/** Run one command and wait for it (control path and selftest). */
errval_t vsicd_io_sync(uint8_t opcode, uint64_t lba, uint32_t blocks, uint64_t pa);
/** The completion of every NVMe command vsicd issues (nvme_poll). */
void vsicd_complete(void *arg, uint64_t cookie, errval_t status);
#define VSICD_SYNC_COOKIE (1ull << 63)
/* VSICs (vsic.c) */
/** A client lent a hello Frame with tag VSIC_HELLO_TAG | id << 16. */
void vsic_hello(uint32_t sender, uint64_t tag);
void vsic_rate(uint32_t domain, uint32_t iops, uint32_t kbps);
void vsic_list(void);
/** Ask the kernel whether each VSIC's holder still holds it (forget the
 *  ones let go of) and whether a VSA capability shown to it went (its
 *  handles are checked again). */
void vsic_check(void);
/** The kernel's hint (MONITOR_MSG_VSA_GONE): a VSA capability shown to
 *  VSIC `id` went; its handles are checked again. */
void vsic_vsa_gone(uint32_t id);
/** Take requests from every VSIC's ring; true if any was taken. Rings the
 *  doorbell of each client that sleeps and got completions. */
bool vsic_poll(void);
/** Before sleeping (asleep true): tell every client to kick us; after
 *  (false): tell them not to. */
void vsic_sleeping(bool asleep);
/** True if some client wrote requests we have not looked at yet. */
bool vsic_pending(void);
/** Ring the doorbells of the clients that sleep and have new completions. */
void vsic_ring_clients(void);
/** `vsicd probe`: the refusals the kernel must give the service (ringing
 *  VSIC ids nobody holds, bad MSI-X entries, a second doorbell), logged. */
void vsic_bell_probe(void);
extern uint64_t vsicd_sleeps, vsicd_rings_sent, vsicd_ring_errors;
/** `vsicd selftest`: write, flush, read back a MiB near the end of the
 *  disk through every PRP form; two refusals by the controller. */
void vsicd_selftest(void);
#endif
