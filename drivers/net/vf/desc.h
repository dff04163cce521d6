/**
 * \file desc.h
 * \brief Intel 82576 (igb): the advanced receive and transmit descriptor
 * formats (datasheet 82576EB rev. 2.61, 7.1.5 receive, 7.2.2 transmit),
 * used only by the user half that owns the rings (vf/vfring.c) and by
 * test programs that build descriptors by hand.
 */
#ifndef NET_IGB_VF_DESC_H
#define NET_IGB_VF_DESC_H
#include <stdint.h>

/* Advanced transmit data descriptor, second quadword (7.2.2.3) */
#define IGB_TXD_DTYP_DATA     (3ull << 20)
#define IGB_TXD_DCMD_EOP      (0x01ull << 24)
#define IGB_TXD_DCMD_IFCS     (0x02ull << 24)
#define IGB_TXD_DCMD_RS       (0x08ull << 24)
#define IGB_TXD_DCMD_DEXT     (0x20ull << 24)
#define IGB_TXD_PAYLEN_SHIFT  46

/* Advanced receive descriptor (7.1.5): the driver writes the read format,
 * the NIC overwrites it with the write-back format, status word last (DD). */
union igb_adv_rx_desc {
    struct {
        uint64_t pkt_addr;          /* packet buffer (IOVA) */
        uint64_t hdr_addr;          /* header buffer (split modes only); bit 0 reads back as DD */
    } read;
    struct {
        uint16_t pkt_info;          /* RSS type 3:0, packet type 16:4 */
        uint16_t hdr_info;          /* header length (split modes) */
        uint32_t rss;               /* RSS hash, or IP id and checksum */
        uint32_t status_error;      /* IGB_RXD_STAT_* | IGB_RXD_ERR_* */
        uint16_t length;            /* bytes written to this buffer (with the CRC unless RCTL.SECRC) */
        uint16_t vlan;              /* stripped VLAN tag when IGB_RXD_STAT_VP */
    } wb;
};
_Static_assert(sizeof(union igb_adv_rx_desc) == 16, "advanced Rx descriptors are 16 bytes");
#define IGB_RXD_STAT_DD     (1u << 0)   /* descriptor done: the NIC wrote it back */
#define IGB_RXD_STAT_EOP    (1u << 1)   /* last descriptor of the frame */
#define IGB_RXD_STAT_VP     (1u << 3)   /* a VLAN tag was stripped into wb.vlan */
#define IGB_RXD_STAT_UDPCS  (1u << 4)   /* the L4 checksum checked was UDP's */
#define IGB_RXD_STAT_L4CS   (1u << 5)   /* TCP/UDP checksum checked (TCPCS): see ERR_TCPE */
#define IGB_RXD_STAT_IPCS   (1u << 6)   /* IPv4 header checksum checked: see ERR_IPE */
#define IGB_RXD_ERR_HBO     (1u << 23)  /* header buffer overflow (split modes) */
#define IGB_RXD_ERR_CE      (1u << 24)  /* CRC or alignment error */
#define IGB_RXD_ERR_SE      (1u << 25)  /* symbol error */
#define IGB_RXD_ERR_SEQ     (1u << 26)  /* sequence error */
#define IGB_RXD_ERR_CXE     (1u << 28)  /* carrier extension error */
#define IGB_RXD_ERR_TCPE    (1u << 29)  /* TCP/UDP checksum error (offload only) */
#define IGB_RXD_ERR_IPE     (1u << 30)  /* IP checksum error (offload only) */
#define IGB_RXD_ERR_RXE     (1u << 31)  /* Rx data error */
#define IGB_RXD_ERR_FRAME   (IGB_RXD_ERR_CE | IGB_RXD_ERR_SE | IGB_RXD_ERR_SEQ | \
                             IGB_RXD_ERR_CXE | IGB_RXD_ERR_RXE)  /* the frame is bad: drop it */

/* Advanced transmit data descriptor (7.2.2.3): read format as the
 * IGB_TXD_* bits above; write-back (with DCMD.RS) sets DD in wb.status. */
union igb_adv_tx_desc {
    struct {
        uint64_t buffer_addr;       /* data (IOVA) */
        uint32_t cmd_type_len;      /* length 15:0, DTYP 23:20, DCMD 31:24 */
        uint32_t olinfo_status;     /* PAYLEN 31:14, POPTS, IDX */
    } read;
    struct {
        uint64_t reserved;
        uint32_t nxtseq_seed;
        uint32_t status;            /* IGB_TXD_STAT_DD */
    } wb;
};
_Static_assert(sizeof(union igb_adv_tx_desc) == 16, "advanced Tx descriptors are 16 bytes");
#define IGB_TXD_STAT_DD     (1u << 0)   /* descriptor done: the NIC has read the frame */
/* Checksum offload (7.2.2.3, 7.2.5): a context descriptor (DTYP 0010)
 * describes the headers in one of two context slots (IDX); a data
 * descriptor with POPTS IXSM/TXSM asks for the IPv4 header / TCP-UDP
 * checksum using the context its IDX names. */
struct igb_adv_tx_context {
    uint32_t vlan_macip_lens;       /* IPLEN 8:0, MACLEN 15:9, VLAN 31:16 */
    uint32_t seqnum_seed;
    uint32_t type_tucmd_mlhl;       /* DEXT | DTYP_CTXT | TUCMD */
    uint32_t mss_l4len_idx;         /* IDX 6:4, L4LEN 15:8, MSS 31:16 */
};
_Static_assert(sizeof(struct igb_adv_tx_context) == 16, "context descriptors are 16 bytes");
#define IGB_TXCTX_MACLEN_SHIFT  9
#define IGB_TXCTX_DTYP_CTXT     (2u << 20)
#define IGB_TXCTX_DEXT          (1u << 29)
#define IGB_TXCTX_TUCMD_IPV4    (1u << 10)  /* the L3 header is IPv4 */
#define IGB_TXCTX_TUCMD_L4T_TCP (1u << 11)  /* L4 is TCP (0: UDP) */
#define IGB_TXCTX_IDX_SHIFT     4
#define IGB_TXD_POPTS_IXSM      (1u << 8)   /* olinfo_status: insert the IPv4 header checksum */
#define IGB_TXD_POPTS_TXSM      (1u << 9)   /* olinfo_status: insert the TCP/UDP checksum */
#define IGB_TXD_OLINFO_IDX_SHIFT 4          /* olinfo_status: the context slot */
#define IGB_TXD_LEN_MASK    0x0000ffffu
#define IGB_TXD_OLINFO_PAYLEN_SHIFT 14  /* IGB_TXD_PAYLEN_SHIFT - 32 */
_Static_assert(IGB_TXD_OLINFO_PAYLEN_SHIFT + 32 == IGB_TXD_PAYLEN_SHIFT, "PAYLEN in olinfo_status");


#endif
