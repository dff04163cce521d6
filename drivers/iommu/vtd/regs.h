/**
 * \file regs.h
 * \brief Intel VT-d remapping hardware: registers and in-memory entry
 * layouts, from the Intel Virtualization Technology for Directed I/O
 * Architecture Specification, rev. 3.3 (Intel order no. D51397); section
 * numbers are that revision's (chapter 10 registers, chapter 9 entry
 * formats, appendix A fault reasons).
 *
 * Only legacy (non-scalable) mode is described: root table -> context
 * tables -> second-level page tables. Access: RO read-only, RW read-write,
 * WO write-only, RW1C write 1 to clear, RsvdZ reserved (write 0).
 * Multi-bit fields are _SHIFT/_MASK pairs; the mask is in place.
 */
#ifndef IOMMU_VTD_REGS_H
#define IOMMU_VTD_REGS_H
#include <stdint.h>

/* 10.4: register offsets from the DRHD register base (a 4 KiB page). */
#define VTD_VER      0x000  /* 32 RO  Version (10.4.1) */
#define VTD_CAP      0x008  /* 64 RO  Capability (10.4.2) */
#define VTD_ECAP     0x010  /* 64 RO  Extended Capability (10.4.3) */
#define VTD_GCMD     0x018  /* 32 WO  Global Command (10.4.4) */
#define VTD_GSTS     0x01c  /* 32 RO  Global Status (10.4.5) */
#define VTD_RTADDR   0x020  /* 64 RW  Root Table Address (10.4.6) */
#define VTD_CCMD     0x028  /* 64 RW  Context Command (10.4.7) */
#define VTD_FSTS     0x034  /* 32 RW1C Fault Status (10.4.9) */
#define VTD_FECTL    0x038  /* 32 RW  Fault Event Control (10.4.10) */
#define VTD_FEDATA   0x03c  /* 32 RW  Fault Event Data (10.4.11) */
#define VTD_FEADDR   0x040  /* 32 RW  Fault Event Address (10.4.12) */
#define VTD_FEUADDR  0x044  /* 32 RW  Fault Event Upper Address (10.4.13) */
#define VTD_IQH      0x080  /* 64 RO  Invalidation Queue Head (10.4.22) */
#define VTD_IQT      0x088  /* 64 RW  Invalidation Queue Tail (10.4.23) */
#define VTD_IQA      0x090  /* 64 RW  Invalidation Queue Address (10.4.24) */
/* 10.4.8: the IOTLB registers sit at ECAP.IRO * 16 (QEMU: 0xf0). */
#define VTD_IVA(iro)   ((iro) + 0x0)   /* 64 WO Invalidate Address (10.4.8.2) */
#define VTD_IOTLB(iro) ((iro) + 0x8)   /* 64 RW IOTLB Invalidate (10.4.8.1) */
/* 10.4.14: fault recording register n (128 bits) at CAP.FRO * 16 + 16 n. */
#define VTD_FRCD_LO(fro, n) ((fro) + 16 * (n))       /* 64 RO: fault info */
#define VTD_FRCD_HI(fro, n) ((fro) + 16 * (n) + 8)   /* 64 RW1C (bit 63) */

/* 10.4.1 VER_REG */
#define VTD_VER_MAJOR_SHIFT 4
#define VTD_VER_MAJOR_MASK  0xf0u
#define VTD_VER_MINOR_SHIFT 0
#define VTD_VER_MINOR_MASK  0x0fu

/* 10.4.2 CAP_REG */
#define VTD_CAP_ND_SHIFT     0      /* domains: 2^(4 + 2 ND) ids */
#define VTD_CAP_ND_MASK      0x7ull
#define VTD_CAP_RWBF         (1ull << 4)  /* 1: flush write buffer before ... */
#define VTD_CAP_CM           (1ull << 7)  /* 1: not-present entries may be cached */
#define VTD_CAP_SAGAW_SHIFT  8      /* bit 1: 39-bit 3-level, bit 2: 48-bit 4-level */
#define VTD_CAP_SAGAW_MASK   (0x1full << 8)
#define VTD_SAGAW_39         0x2u
#define VTD_SAGAW_48         0x4u
#define VTD_CAP_MGAW_SHIFT   16     /* max guest address width - 1 */
#define VTD_CAP_MGAW_MASK    (0x3full << 16)
#define VTD_CAP_FRO_SHIFT    24     /* fault recording offset / 16 */
#define VTD_CAP_FRO_MASK     (0x3ffull << 24)
#define VTD_CAP_SLLPS_SHIFT  34     /* bit 0: 2 MiB, bit 1: 1 GiB pages */
#define VTD_CAP_SLLPS_MASK   (0xfull << 34)
#define VTD_CAP_PSI          (1ull << 39) /* page-selective invalidation */
#define VTD_CAP_NFR_SHIFT    40     /* fault recording registers - 1 */
#define VTD_CAP_NFR_MASK     (0xffull << 40)
#define VTD_CAP_MAMV_SHIFT   48
#define VTD_CAP_MAMV_MASK    (0x3full << 48)
#define VTD_CAP_DWD          (1ull << 54) /* write draining (IOTLB_REG.DW) */
#define VTD_CAP_DRD          (1ull << 55) /* read draining (IOTLB_REG.DR) */

/* 10.4.3 ECAP_REG */
#define VTD_ECAP_C           (1ull << 0)  /* 0: table walks not snooped (flush) */
#define VTD_ECAP_QI          (1ull << 1)  /* queued invalidation */
#define VTD_ECAP_DT          (1ull << 2)  /* device TLBs */
#define VTD_ECAP_IR          (1ull << 3)  /* interrupt remapping */
#define VTD_ECAP_EIM         (1ull << 4)  /* extended interrupt mode (x2APIC) */
#define VTD_ECAP_PT          (1ull << 6)  /* pass-through */
#define VTD_ECAP_SC          (1ull << 7)  /* snoop control */
#define VTD_ECAP_IRO_SHIFT   8      /* IOTLB register offset / 16 */
#define VTD_ECAP_IRO_MASK    (0x3ffull << 8)
#define VTD_ECAP_SMTS        (1ull << 43) /* scalable mode */

/* 10.4.4 GCMD_REG / 10.4.5 GSTS_REG: the same bit positions. */
#define VTD_GCMD_TE          (1u << 31)   /* translation enable / TES */
#define VTD_GCMD_SRTP        (1u << 30)   /* set root table pointer / RTPS */
#define VTD_GCMD_SFL         (1u << 29)   /* set fault log / FLS */
#define VTD_GCMD_EAFL        (1u << 28)   /* advanced fault logging / AFLS */
#define VTD_GCMD_WBF         (1u << 27)   /* write buffer flush / WBFS */
#define VTD_GCMD_QIE         (1u << 26)   /* queued invalidation / QIES */
#define VTD_GCMD_IRE         (1u << 25)   /* interrupt remapping / IRES */
#define VTD_GCMD_SIRTP       (1u << 24)   /* set IR table pointer / IRTPS */
#define VTD_GCMD_CFI         (1u << 23)   /* compatibility format IRQs / CFIS */
/* 10.4.4: GCMD is written with the persistent GSTS bits it keeps, without
 * the one-shot status bits (RTPS, FLS, WBFS, IRTPS) that would re-fire. */
#define VTD_GSTS_PERSISTENT  (VTD_GCMD_TE | VTD_GCMD_EAFL | VTD_GCMD_QIE | \
                              VTD_GCMD_IRE | VTD_GCMD_CFI)

/* 10.4.6 RTADDR_REG */
#define VTD_RTADDR_TTM_SHIFT 10     /* 00: legacy, 01: scalable */
#define VTD_RTADDR_TTM_MASK  (0x3ull << 10)
#define VTD_RTADDR_ADDR_MASK (~0xfffull)

/* 10.4.7 CCMD_REG */
#define VTD_CCMD_ICC         (1ull << 63) /* 1: invalidate; HW clears when done */
#define VTD_CCMD_CIRG_SHIFT  61     /* requested granularity */
#define VTD_CCMD_CIRG_MASK   (0x3ull << 61)
#define VTD_CCMD_CAIG_SHIFT  59     /* actual granularity (RO) */
#define VTD_CCMD_CAIG_MASK   (0x3ull << 59)
#define VTD_CCMD_GLOBAL      1ull   /* CIRG/CAIG values */
#define VTD_CCMD_DOMAIN      2ull
#define VTD_CCMD_DEVICE      3ull
#define VTD_CCMD_FM_SHIFT    32
#define VTD_CCMD_SID_SHIFT   16
#define VTD_CCMD_DID_SHIFT   0
#define VTD_CCMD_DID_MASK    0xffffull

/* 10.4.8.1 IOTLB_REG */
#define VTD_IOTLB_IVT        (1ull << 63) /* 1: invalidate; HW clears when done */
#define VTD_IOTLB_IIRG_SHIFT 60     /* requested granularity */
#define VTD_IOTLB_IIRG_MASK  (0x3ull << 60)
#define VTD_IOTLB_IAIG_SHIFT 57     /* actual granularity (RO) */
#define VTD_IOTLB_IAIG_MASK  (0x3ull << 57)
#define VTD_IOTLB_GLOBAL     1ull   /* IIRG/IAIG values */
#define VTD_IOTLB_DOMAIN     2ull
#define VTD_IOTLB_PAGE       3ull
#define VTD_IOTLB_DR         (1ull << 49) /* drain reads */
#define VTD_IOTLB_DW         (1ull << 48) /* drain writes */
#define VTD_IOTLB_DID_SHIFT  32
#define VTD_IOTLB_DID_MASK   (0xffffull << 32)

/* 10.4.9 FSTS_REG */
#define VTD_FSTS_PFO         (1u << 0)    /* RW1C primary fault overflow */
#define VTD_FSTS_PPF         (1u << 1)    /* RO   primary pending fault */
#define VTD_FSTS_IQE         (1u << 4)    /* RW1C invalidation queue error */
#define VTD_FSTS_ICE         (1u << 5)    /* RW1C invalidation completion error */
#define VTD_FSTS_ITE         (1u << 6)    /* RW1C invalidation time-out error */
#define VTD_FSTS_FRI_SHIFT   8      /* index of the first pending record */
#define VTD_FSTS_FRI_MASK    (0xffu << 8)
#define VTD_FSTS_W1C         (VTD_FSTS_PFO | VTD_FSTS_IQE | VTD_FSTS_ICE | VTD_FSTS_ITE)

/* 10.4.10 FECTL_REG */
#define VTD_FECTL_IM         (1u << 31)   /* 1: fault interrupt masked (reset) */
#define VTD_FECTL_IP         (1u << 30)   /* RO interrupt pending */

/* 10.4.12 FEADDR_REG: an MSI address (Intel SDM Vol. 3A, 11.11.1). */
#define VTD_MSI_ADDR_BASE    0xfee00000u
#define VTD_MSI_DEST_SHIFT   12     /* destination APIC id, 8 bits */

/* 10.4.14 FRCD_REG, high 64 bits */
#define VTD_FRCD_F           (1ull << 63) /* RW1C: the record holds a fault */
#define VTD_FRCD_T           (1ull << 62) /* 1: read request, 0: write */
#define VTD_FRCD_AT_SHIFT    60
#define VTD_FRCD_AT_MASK     (0x3ull << 60)
#define VTD_FRCD_FR_SHIFT    32     /* fault reason, appendix A */
#define VTD_FRCD_FR_MASK     (0xffull << 32)
#define VTD_FRCD_SID_MASK    0xffffull    /* source id: bus << 8 | devfn */
/* low 64 bits: faulting page address in bits 63:12 */
#define VTD_FRCD_FI_MASK     (~0xfffull)

/* 9.1 Root entry (legacy mode): 256 per 4 KiB root table, one per bus. */
struct vtd_root_entry {
    uint64_t lo;                /* bit 0 P, bits 63:12 context table pointer */
    uint64_t hi;                /* reserved */
};
_Static_assert(sizeof(struct vtd_root_entry) == 16, "VT-d 9.1");
#define VTD_ROOT_P           (1ull << 0)
#define VTD_ROOT_CTP_MASK    (~0xfffull)
#define VTD_ROOT_ENTRIES     256

/* 9.3 Context entry (legacy mode): 256 per context table, one per devfn. */
struct vtd_context_entry {
    uint64_t lo;                /* P, FPD, TT, second-level table pointer */
    uint64_t hi;                /* AW, domain id */
};
_Static_assert(sizeof(struct vtd_context_entry) == 16, "VT-d 9.3");
#define VTD_CTX_P            (1ull << 0)
#define VTD_CTX_FPD          (1ull << 1)  /* 1: fault processing disabled */
#define VTD_CTX_TT_SHIFT     2      /* translation type */
#define VTD_CTX_TT_MASK      (0x3ull << 2)
#define VTD_CTX_TT_SLONLY    0ull   /* untranslated requests, second level only */
#define VTD_CTX_TT_DEVTLB    1ull   /* plus device TLB (ATS) */
#define VTD_CTX_TT_PASSTHRU  2ull   /* untranslated pass through */
#define VTD_CTX_SLPTPTR_MASK (~0xfffull)
#define VTD_CTX_AW_SHIFT     0      /* hi: 1: 39-bit 3-level, 2: 48-bit 4-level */
#define VTD_CTX_AW_MASK      0x7ull
#define VTD_CTX_DID_SHIFT    8      /* hi: domain id */
#define VTD_CTX_DID_MASK     (0xffffull << 8)
#define VTD_CTX_ENTRIES      256

/* 9.8 Second-level paging entries (all levels alike for 4 KiB leaves). */
#define VTD_SL_R             (1ull << 0)  /* read allowed */
#define VTD_SL_W             (1ull << 1)  /* write allowed */
#define VTD_SL_PS            (1ull << 7)  /* leaf at level 2/3 (large page) */
#define VTD_SL_SNP           (1ull << 11) /* snoop (reserved unless ECAP.SC) */
#define VTD_SL_ADDR_MASK     0x000ffffffffff000ull
#define VTD_SL_ENTRIES       512

/* Appendix A: non-recoverable fault reasons (legacy-mode DMA remapping). */
#define VTD_FR_ROOT_NOT_PRESENT   0x1
#define VTD_FR_CTX_NOT_PRESENT    0x2
#define VTD_FR_CTX_INVALID        0x3
#define VTD_FR_BEYOND_AW          0x4
#define VTD_FR_WRITE              0x5
#define VTD_FR_READ               0x6
#define VTD_FR_PTE_ACCESS         0x7
#define VTD_FR_ROOT_ACCESS        0x8
#define VTD_FR_CTX_ACCESS         0x9
#define VTD_FR_ROOT_RSVD          0xa
#define VTD_FR_CTX_RSVD           0xb
#define VTD_FR_PTE_RSVD           0xc
#define VTD_FR_TT_BLOCKED         0xd
#endif
