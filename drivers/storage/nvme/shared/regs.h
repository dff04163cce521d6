/**
 * \file regs.h
 * \brief NVMe controller registers, queue entries and status codes used by
 * both halves of the driver (drivers/storage/nvme/kernel: the controller as
 * a capability; drivers/storage/nvme/user: the queues, in usr/vsicd).
 *
 * NVM Express Base Specification 1.4 (QEMU's nvme reports 1.4). Section
 * numbers are of that revision. QEMU (hw/nvme/ctrl.c): CAP.MQES 2047,
 * DSTRD 0, MDTS 7, MSI-X table at BAR0 + 0x2000 (REFERENCES.md).
 */
#ifndef STORAGE_NVME_SHARED_REGS_H
#define STORAGE_NVME_SHARED_REGS_H
#include <stdint.h>

/* 3.1 Controller registers (BAR0, offsets) */
#define NVME_CAP        0x00    /* RO 64: Controller Capabilities */
#define NVME_VS         0x08    /* RO: Version */
#define NVME_INTMS      0x0c    /* RW1S: Interrupt Mask Set */
#define NVME_INTMC      0x10    /* RW1C: Interrupt Mask Clear */
#define NVME_CC         0x14    /* RW: Controller Configuration */
#define NVME_CSTS       0x1c    /* RO: Controller Status */
#define NVME_AQA        0x24    /* RW: Admin Queue Attributes */
#define NVME_ASQ        0x28    /* RW 64: Admin Submission Queue Base */
#define NVME_ACQ        0x30    /* RW 64: Admin Completion Queue Base */
#define NVME_DOORBELLS  0x1000  /* 3.1.24: SQ y tail at 0x1000 + 2y(4 << DSTRD), CQ y head next */
#define NVME_REGS_BYTES 0x2000  /* registers and doorbells a holder maps: the MSI-X table
                                   (QEMU: BAR0 + 0x2000) stays with the kernel */

/* 3.1.1 CAP fields */
#define NVME_CAP_MQES(c)    ((uint32_t)((c) & 0xffff) + 1)  /* entries per queue (0-based field) */
#define NVME_CAP_TO_MS(c)   ((uint32_t)(((c) >> 24) & 0xff) * 500)  /* ready timeout */
#define NVME_CAP_DSTRD(c)   ((unsigned)(((c) >> 32) & 0xf))
#define NVME_CAP_CSS_NVM(c) (((c) >> 37) & 1)                  /* NVM command set */
#define NVME_CAP_MPSMIN(c)  ((unsigned)(((c) >> 48) & 0xf))    /* 2^(12 + MPSMIN) */

/* 3.1.5 CC: EN; CSS 6:4 (0 NVM); MPS 10:7 (2^(12+MPS)); AMS 13:11; SHN 15:14;
 * IOSQES 19:16, IOCQES 23:20 (log2 of the entry sizes) */
#define NVME_CC_EN          (1u << 0)
#define NVME_CC_MPS_SHIFT   7
#define NVME_CC_SHN_NORMAL  (1u << 14)
#define NVME_CC_IOSQES(n)   ((uint32_t)(n) << 16)
#define NVME_CC_IOCQES(n)   ((uint32_t)(n) << 20)
/* 3.1.6 CSTS */
#define NVME_CSTS_RDY       (1u << 0)
#define NVME_CSTS_CFS       (1u << 1)   /* controller fatal status */
/* 3.1.8 AQA: ASQS 11:0, ACQS 27:16, both 0-based */
#define NVME_AQA_SIZES(sq, cq) ((uint32_t)((sq) - 1) | (uint32_t)((cq) - 1) << 16)

/* 4.2 Submission queue entry (64 bytes) */
struct nvme_sqe {
    uint8_t opcode;
    uint8_t flags;              /* FUSE 1:0, PSDT 7:6 (0: PRPs) */
    uint16_t cid;               /* command identifier, echoed in the completion */
    uint32_t nsid;
    uint32_t cdw2, cdw3;
    uint64_t mptr;
    uint64_t prp1, prp2;        /* 4.3 data pointer: PRP entry 1, entry 2 or a PRP list */
    uint32_t cdw10, cdw11, cdw12, cdw13, cdw14, cdw15;
};
_Static_assert(sizeof(struct nvme_sqe) == 64, "NVMe 4.2: a submission queue entry is 64 bytes");

/* 4.6 Completion queue entry (16 bytes) */
struct nvme_cqe {
    uint32_t result;            /* DW0: command specific */
    uint32_t rsvd;
    uint16_t sqhd, sqid;        /* the SQ's head as the controller saw it */
    uint16_t cid;
    uint16_t status;            /* bit 0: phase tag; 15:1 status field */
};
_Static_assert(sizeof(struct nvme_cqe) == 16, "NVMe 4.6: a completion queue entry is 16 bytes");
#define NVME_SQES_LOG2      6
#define NVME_CQES_LOG2      4

/* 4.6.1 status field (cqe.status >> 1): SC 7:0, SCT 10:8, CRD 12:11, M 13, DNR 14 */
#define NVME_STATUS_PHASE       1u
#define NVME_STATUS_SC(s)       ((unsigned)(((s) >> 1) & 0xff))
#define NVME_STATUS_SCT(s)      ((unsigned)(((s) >> 9) & 0x7))
#define NVME_STATUS_DNR(s)      (((s) >> 15) & 1)
/* 4.6.1.1 status code types */
#define NVME_SCT_GENERIC        0
#define NVME_SCT_CMD_SPECIFIC   1
#define NVME_SCT_MEDIA          2

/* 5 Admin commands */
#define NVME_ADMIN_DELETE_SQ    0x00
#define NVME_ADMIN_CREATE_SQ    0x01
#define NVME_ADMIN_DELETE_CQ    0x04
#define NVME_ADMIN_CREATE_CQ    0x05
#define NVME_ADMIN_IDENTIFY     0x06
#define NVME_ADMIN_SET_FEATURES 0x09
#define NVME_FEAT_NUM_QUEUES    0x07    /* 5.21.1.7 */
/* 5.3 Create I/O CQ CDW11: PC (physically contiguous), IEN, IV 31:16;
 * 5.4 Create I/O SQ CDW11: PC, QPRIO 2:1, CQID 31:16 */
#define NVME_QUEUE_PC           1u
#define NVME_QUEUE_IEN          2u      /* CQ: interrupts enabled, on vector IV */
#define NVME_QUEUE_IV_SHIFT     16
/* 5.15 Identify CNS */
#define NVME_CNS_NAMESPACE      0x00
#define NVME_CNS_CONTROLLER     0x01

/* 6 NVM commands */
#define NVME_CMD_FLUSH          0x00
#define NVME_CMD_WRITE          0x01
#define NVME_CMD_READ           0x02
/* 6.9 Read, 6.15 Write: CDW12 is NLB 15:0 (0-based), then control bits */
#define NVME_RW_FUA             (1u << 30)  /* Force Unit Access: 0: the data may stay
                                               in a volatile write cache; 1: the
                                               controller writes it (this command's
                                               blocks only) to non-volatile media
                                               before it posts the completion */

/* 5.15.2.1 Identify Controller data structure (offsets used) */
#define NVME_IDC_VID            0       /* PCI vendor id, 16 */
#define NVME_IDC_SN             4       /* serial number, 20 ASCII */
#define NVME_IDC_MN             24      /* model number, 40 ASCII */
#define NVME_IDC_FR             64      /* firmware revision, 8 ASCII */
#define NVME_IDC_MDTS           77      /* max data transfer: 2^MDTS min pages, 0: none */
#define NVME_IDC_VWC            525     /* bit 0: volatile write cache present */
#define NVME_IDC_NN             516     /* number of namespaces, 32 */
/* 5.15.2.2 Identify Namespace data structure */
#define NVME_IDN_NSZE           0       /* size in logical blocks, 64 */
#define NVME_IDN_FLBAS          26      /* formatted LBA size: index 3:0 */
#define NVME_IDN_LBAF           128     /* LBA formats, 4 bytes each: LBADS 23:16 */

#define NVME_PAGE_BYTES         4096u   /* the memory page size this driver sets (CC.MPS 0) */
#endif
