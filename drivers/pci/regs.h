/**
 * \file regs.h
 * \brief PCI configuration space registers: the type 0 and type 1 headers,
 * BARs, the capability lists, MSI-X and SR-IOV.
 *
 * Sources: PCI Local Bus Specification 3.0 (LB 3.0), PCI-to-PCI Bridge
 * Architecture Specification 1.2 (PPB 1.2) and PCI Express Base
 * Specification 5.0 (PCIe 5.0); section numbers per register. Access:
 * RO read-only, RW read-write, RW1C write 1 to clear, HwInit set by
 * firmware or hardware.
 */
#ifndef DRIVERS_PCI_REGS_H
#define DRIVERS_PCI_REGS_H

/* ---- Common header, both types (LB 3.0 6.1, 6.2) ---- */
#define PCI_VENDOR_ID           0x00    /* RO 16: 0xffff = no function here */
#define PCI_DEVICE_ID           0x02    /* RO 16 */
#define PCI_COMMAND             0x04    /* RW 16: LB 3.0 6.2.2 */
#define PCI_COMMAND_IO          0x0001  /* 1: decode the I/O BARs */
#define PCI_COMMAND_MEMORY      0x0002  /* 1: decode the memory BARs */
#define PCI_COMMAND_MASTER      0x0004  /* 1: the function may master (DMA) */
#define PCI_STATUS              0x06    /* RO/RW1C 16: LB 3.0 6.2.3 */
#define PCI_STATUS_CAP_LIST     0x0010  /* RO: 1 = capability list at 0x34 */
#define PCI_CLASS_REV           0x08    /* RO 32: class 31:24, subclass 23:16, prog-if 15:8, rev 7:0 */
#define PCI_HEADER_TYPE         0x0e    /* RO 8: LB 3.0 6.2.1 */
#define PCI_HEADER_TYPE_MASK    0x7f    /* 0 = endpoint, 1 = PCI-to-PCI bridge, 2 = CardBus */
#define PCI_HEADER_MULTIFUNCTION 0x80   /* 1: functions 1-7 may exist */
#define PCI_HEADER_NORMAL       0
#define PCI_HEADER_BRIDGE       1
#define PCI_VENDOR_NONE         0xffff
#define PCI_CAP_PTR             0x34    /* RO 8: first standard capability (LB 3.0 6.7) */

/* ---- Base Address Registers (LB 3.0 6.2.5.1) ---- */
#define PCI_BAR0                0x10    /* RW 32 each, 6 in a type 0 header, 2 in type 1 */
#define PCI_BAR(n)              (PCI_BAR0 + 4 * (n))
#define PCI_BARS_NORMAL         6
#define PCI_BARS_BRIDGE         2
#define PCI_BAR_SPACE_IO        0x1     /* bit 0: 1 = I/O BAR, 0 = memory BAR */
#define PCI_BAR_IO_MASK         0xfffffffcu /* I/O address bits */
#define PCI_BAR_MEM_TYPE_SHIFT  1       /* bits 2:1: 00 = 32-bit, 10 = 64-bit (01, 11 reserved) */
#define PCI_BAR_MEM_TYPE_MASK   0x3
#define PCI_BAR_MEM_TYPE_32     0x0
#define PCI_BAR_MEM_TYPE_64     0x2
#define PCI_BAR_MEM_PREFETCH    0x8     /* bit 3: 1 = prefetchable (no read side effects) */
#define PCI_BAR_MEM_MASK        0xfffffff0u /* memory address bits */

/* ---- Type 1 header: PCI-to-PCI bridges (PPB 1.2 3.2) ---- */
#define PCI_PRIMARY_BUS         0x18    /* RW 8 */
#define PCI_SECONDARY_BUS       0x19    /* RW 8: the bus right below */
#define PCI_SUBORDINATE_BUS     0x1a    /* RW 8: the highest bus below */
#define PCI_IO_BASE             0x1c    /* RW 8: bits 7:4 = address 15:12; 3:0 = 1 if 32-bit I/O */
#define PCI_IO_LIMIT            0x1d    /* RW 8: same layout, limit is inclusive (| 0xfff) */
#define PCI_IO_32BIT            0x1
#define PCI_MEM_BASE            0x20    /* RW 16: bits 15:4 = address 31:20 (PPB 1.2 3.2.5.8) */
#define PCI_MEM_LIMIT           0x22    /* RW 16: same layout, inclusive (| 0xfffff) */
#define PCI_PREF_BASE           0x24    /* RW 16: bits 15:4 = address 31:20; 3:0 = 1 if 64-bit (3.2.5.9) */
#define PCI_PREF_LIMIT          0x26    /* RW 16 */
#define PCI_PREF_64BIT          0x1
#define PCI_PREF_BASE_UPPER     0x28    /* RW 32: address 63:32 of the prefetchable base */
#define PCI_PREF_LIMIT_UPPER    0x2c    /* RW 32 */
#define PCI_IO_BASE_UPPER       0x30    /* RW 16: I/O address 31:16 */
#define PCI_IO_LIMIT_UPPER      0x32    /* RW 16 */
#define PCI_WINDOW_SHIFT        16      /* base/limit registers hold address >> 16 (mem) */
#define PCI_WINDOW_MEM_GRAIN    0x100000u   /* memory windows are 1 MiB grained */
#define PCI_WINDOW_IO_GRAIN     0x1000u     /* I/O windows are 4 KiB grained */

/* ---- Standard capabilities (LB 3.0 6.7; PCI Code and ID Assignment 1.11) ---- */
#define PCI_CAP_ID              0x0     /* RO 8 */
#define PCI_CAP_NEXT            0x1     /* RO 8: 0 ends the list; bits 1:0 reserved */
#define PCI_CAP_FIRST           0x40    /* capabilities live in 0x40-0xff */
#define PCI_CAP_MAX             48      /* (256 - 64) / 4: more entries means a loop */
#define PCI_CAP_ID_PM           0x01
#define PCI_CAP_ID_MSI          0x05
#define PCI_CAP_ID_PCIE         0x10
#define PCI_CAP_ID_MSIX         0x11

/* MSI-X (PCIe 5.0 7.7.2) */
#define PCI_MSIX_CTRL           0x02    /* RW 16: Message Control */
#define PCI_MSIX_CTRL_SIZE_MASK 0x07ff  /* table size - 1 */
#define PCI_MSIX_CTRL_MASKALL   0x4000  /* 1: all vectors masked */
#define PCI_MSIX_CTRL_ENABLE    0x8000  /* 1: MSI-X on (INTx and MSI off) */
#define PCI_MSIX_TABLE          0x04    /* RO 32: offset 31:3, BIR 2:0 */
#define PCI_MSIX_PBA            0x08    /* RO 32: offset 31:3, BIR 2:0 */
#define PCI_MSIX_BIR_MASK       0x7
#define PCI_MSIX_OFFSET_MASK    0xfffffff8u

/* MSI-X table entry, in the BAR the capability names (PCIe 5.0 7.7.2.5-9):
 * message address, data, vector control. The address is the local APIC's
 * compatibility format (Intel SDM vol. 3, 11.11.1): destination APIC ID
 * in bits 19:12. */
#define PCI_MSIX_ENTRY_BYTES    16
#define PCI_MSIX_ADDR_LO        0x0
#define PCI_MSIX_ADDR_HI        0x4
#define PCI_MSIX_DATA           0x8     /* bits 7:0: the vector */
#define PCI_MSIX_VECTOR_CTRL    0xc
#define PCI_MSIX_VECTOR_MASKED  1u
#define PCI_MSI_ADDR_BASE       0xfee00000u
#define PCI_MSI_DEST_SHIFT      12

/* PCI Express capability (PCIe 5.0 7.5.3) */
#define PCI_EXP_FLAGS           0x02    /* RO 16: bits 7:4 device/port type */
#define PCI_EXP_TYPE_SHIFT      4
#define PCI_EXP_TYPE_MASK       0xf
#define PCI_EXP_TYPE_ROOT_PORT  0x4
#define PCI_EXP_TYPE_DOWNSTREAM 0x6
#define PCI_EXP_DEVCAP2         0x24    /* RO 32: Device Capabilities 2 (7.5.3.15) */
#define PCI_EXP_DEVCAP2_ARI     0x20    /* bit 5: ARI Forwarding Supported */
#define PCI_EXP_DEVCTL2         0x28    /* RW 16: Device Control 2 (7.5.3.16) */
#define PCI_EXP_DEVCTL2_ARI     0x20    /* bit 5: ARI Forwarding Enable */

/* ---- Extended capabilities (PCIe 5.0 7.6.3) ---- */
#define PCI_EXT_CAP_FIRST       0x100   /* the list starts here, in the 4 KiB ECAM space */
#define PCI_EXT_CAP_MAX         960     /* (4096 - 256) / 4 */
#define PCI_EXT_CAP_ID(h)       ((h) & 0xffff)          /* 15:0 */
#define PCI_EXT_CAP_NEXT(h)     (((h) >> 20) & 0xffc)   /* 31:20, dword aligned */
#define PCI_EXT_CAP_ID_AER      0x0001
#define PCI_EXT_CAP_ID_ARI      0x000e
#define PCI_EXT_CAP_ID_SRIOV    0x0010

/* SR-IOV extended capability (PCIe 5.0 9.3.3) */
#define PCI_SRIOV_CAP           0x04    /* RO 32: SR-IOV Capabilities (9.3.3.2) */
#define PCI_SRIOV_CTRL          0x08    /* RW 16: SR-IOV Control (9.3.3.3) */
#define PCI_SRIOV_CTRL_VFE      0x0001  /* VF Enable: 1 = the VFs exist */
#define PCI_SRIOV_CTRL_VFM      0x0002  /* VF Migration Enable */
#define PCI_SRIOV_CTRL_MIE      0x0004  /* VF Migration Interrupt Enable */
#define PCI_SRIOV_CTRL_MSE      0x0008  /* VF MSE: 1 = the VF BARs decode */
#define PCI_SRIOV_CTRL_ARI      0x0010  /* ARI Capable Hierarchy (lowest PF only) */
#define PCI_SRIOV_STATUS        0x0a    /* RW1C 16 (9.3.3.4) */
#define PCI_SRIOV_INITIAL_VF    0x0c    /* RO 16: InitialVFs (9.3.3.5) */
#define PCI_SRIOV_TOTAL_VF      0x0e    /* RO 16: TotalVFs (9.3.3.6) */
#define PCI_SRIOV_NUM_VF        0x10    /* RW 16: NumVFs (9.3.3.7); RO while VF Enable is 1 */
#define PCI_SRIOV_FUNC_LINK     0x12    /* RO 8 (9.3.3.8) */
#define PCI_SRIOV_VF_OFFSET     0x14    /* RO 16: First VF Offset (9.3.3.9); may change with NumVFs/ARI */
#define PCI_SRIOV_VF_STRIDE     0x16    /* RO 16: VF Stride (9.3.3.10); same */
#define PCI_SRIOV_VF_DID        0x1a    /* RO 16: VF Device ID (9.3.3.11) */
#define PCI_SRIOV_SUP_PGSIZE    0x1c    /* RO 32: Supported Page Sizes (9.3.3.12), bit n = 2^(n+12) */
#define PCI_SRIOV_SYS_PGSIZE    0x20    /* RW 32: System Page Size (9.3.3.13), one bit set */
#define PCI_SRIOV_PGSIZE_4K     0x1
#define PCI_SRIOV_BAR           0x24    /* RW 32 x 6: VF BAR0-5 (9.3.3.14), BAR layout as above */
#define PCI_SRIOV_BAR_N(n)      (PCI_SRIOV_BAR + 4 * (n))
#define PCI_SRIOV_VF_ENABLE_MS  100     /* 9.3.3.3.1: wait 100 ms after VF Enable before
                                           a config request to a VF */
#endif
