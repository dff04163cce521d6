/**
 * \file mbx.h
 * \brief Intel 82599 (ixgbe): the PF-VF mailbox protocol as both halves
 * speak it: the kernel half answers (pf/vfmsg.c decides, pf/pf.c moves
 * the words), the user half asks (vf/mbx.c). The messages are Linux
 * ixgbe/ixgbevf's (ixgbe_mbx.h); codes 0x01-0x05 and the ACK/NACK/CTS bits
 * are the 82576's too (net/igb/shared/mbx.h, asserted in pf/vfmsg.c).
 * The buffer is 16 dwords (PFMBMEM on the PF side, VFMBMEM on the VF's).
 */
#ifndef NET_IXGBE_SHARED_MBX_H
#define NET_IXGBE_SHARED_MBX_H
#include <stdint.h>

#define IXGBE_VF_RESET          0x01u   /* reply: RESET|ACK, MAC in words 1-2, MC filter type in 3 */
#define IXGBE_VF_SET_MAC_ADDR   0x02u
#define IXGBE_VF_SET_MULTICAST  0x03u
#define IXGBE_VF_SET_VLAN       0x04u
#define IXGBE_VF_SET_LPE        0x05u
#define IXGBE_VF_SET_MACVLAN    0x06u
#define IXGBE_VF_API_NEGOTIATE  0x08u   /* word 1: an ixgbe_mbox_api value; ACK if the PF speaks it */
#define IXGBE_VF_GET_QUEUES     0x09u   /* API 1.1+: reply words 1-4 below */
#define IXGBE_VF_UPDATE_XCAST_MODE 0x0cu
#define IXGBE_VF_GET_LINK_STATE 0x10u
#define IXGBE_PF_CONTROL_MSG    0x0100u /* PF -> VF only */
#define IXGBE_VT_MSGTYPE_ACK    0x80000000u
#define IXGBE_VT_MSGTYPE_NACK   0x40000000u
#define IXGBE_VT_MSGTYPE_CTS    0x20000000u
#define IXGBE_VT_MSG_TYPE_MASK  0x0000ffffu
#define IXGBE_VF_RESET_REPLY_WORDS 4    /* IXGBE_VF_PERMADDR_MSG_LEN */

/* API versions, as Linux numbers them (enum ixgbe_pfvf_api_rev): the
 * order of invention, not of version (2.0 is Solaris' and sits second). */
enum ixgbe_mbox_api {
    IXGBE_MBOX_API_10 = 0,
    IXGBE_MBOX_API_20 = 1,
    IXGBE_MBOX_API_11 = 2,
    IXGBE_MBOX_API_12 = 3,
    IXGBE_MBOX_API_13 = 4,
    IXGBE_MBOX_API_14 = 5,
    IXGBE_MBOX_API_15 = 6,
};

/* GET_QUEUES reply words (ixgbe_mbx.h IXGBE_VF_TX_QUEUES ...) */
#define IXGBE_VF_TX_QUEUES      1
#define IXGBE_VF_RX_QUEUES      2
#define IXGBE_VF_TRANS_VLAN     3       /* a VLAN the PF inserts/strips for the VF */
#define IXGBE_VF_DEF_QUEUE      4       /* the queue unsteered frames go to */
#define IXGBE_VF_GET_QUEUES_WORDS 5
#endif
