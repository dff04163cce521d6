/**
 * \file vsicd.h
 * \brief The VSIC emulation service (usr/vsicd): internals shared by its
 * files. One domain, on a core of its own (core 3 by default; the shell
 * starts it at boot with the monitor's `nvme vsicd`), holding the NVMe
 * controller as a capability. See README.md.
 */
#ifndef VSICD_H
#define VSICD_H
#include <stdint.h>
#include <kpi/caps.h>
#include <kpi/dispatcher.h>
#include <kpi/errors.h>
#include <storage/nvme/user/nvme.h>

/* Where things live in vsicd's address space. */
#define VSICD_REGS_VA   (USER_MAP_BASE + (3ull << 40))
#define VSICD_NVME_MEM_VA (VSICD_REGS_VA + (1ull << 20))
#define VSICD_BUF_VA    (VSICD_REGS_VA + (16ull << 20))

extern struct nvme_ctrl vsicd_nvme;
extern capaddr_t vsicd_nvme_cap;

/** Take the controller from the receive slot, map it, bring it up and
 *  log what it found. */
errval_t vsicd_ctrl_open(void);
/** A Frame of `bytes` mapped at `va` and registered for the controller's
 *  DMA; its physical address in *pa. */
errval_t vsicd_dma_frame(uint64_t va, size_t bytes, uint64_t *pa, capaddr_t *slot);
/** Run one command and wait for it (control path and selftest). */
errval_t vsicd_io_sync(uint8_t opcode, uint64_t lba, uint32_t blocks, uint64_t pa);
/** `vsicd selftest`: write, flush, read back a MiB near the end of the
 *  disk through every PRP form; two refusals by the controller. */
void vsicd_selftest(void);
#endif
