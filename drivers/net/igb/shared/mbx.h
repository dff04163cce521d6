/**
 * \file mbx.h
 * \brief Intel 82576 (igb): the PF-VF mailbox protocol, as both halves
 * speak it: the kernel half answers (pf/mailbox.c, pf/vfmsg.c), the user
 * half asks (vf/mbx.c). The messages are Linux igb/igbvf's (e1000_mbx.h);
 * each travels in one mailbox buffer of IGB_MBX_WORDS dwords (PF side:
 * VMBMEM(n), pf/regs.h; VF side: IGBVF_VMBMEM, shared/vfregs.h).
 */
#ifndef NET_IGB_SHARED_MBX_H
#define NET_IGB_SHARED_MBX_H
#include <stdint.h>

#define IGB_MBX_WORDS   16      /* dwords in one mailbox buffer */
#define IGB_MAC_LEN     6

/* ---- Mailbox messages (the Linux igb/igbvf protocol, e1000_mbx.h) ---- */
#define IGB_VF_RESET            0x01u   /* VF -> PF: reset me; reply ACK + MAC */
#define IGB_VF_SET_MAC_ADDR     0x02u   /* words 1-2: the MAC the VF wants */
#define IGB_VF_SET_MULTICAST    0x03u   /* info: hash count (<= 30) */
#define IGB_VF_SET_VLAN         0x04u   /* info: 1 add, 0 remove; word 1 VLAN id */
#define IGB_VF_SET_LPE          0x05u   /* word 1: max frame size */
#define IGB_VF_SET_PROMISC      0x06u
#define IGB_PF_CONTROL_MSG      0x0100u /* PF -> VF only */
#define IGB_VT_MSG_TYPE_MASK    0x0000ffffu
#define IGB_VT_MSGINFO_SHIFT    16
#define IGB_VT_MSGINFO_MASK     0x00ff0000u
#define IGB_VT_MSGTYPE_ACK      0x80000000u
#define IGB_VT_MSGTYPE_NACK     0x40000000u
#define IGB_VT_MSGTYPE_CTS      0x20000000u  /* the PF has reset the VF: clear to send */

/** MAC bytes as the mailbox carries them: bytes 0-3 in word 0, 4-5 in
 * the low half of word 1 (little-endian, as memcpy on x86). */
static inline void igb_mac_to_words(const uint8_t *mac, uint32_t *w)
{
    w[0] = (uint32_t)mac[0] | (uint32_t)mac[1] << 8 | (uint32_t)mac[2] << 16 |
           (uint32_t)mac[3] << 24;
    w[1] = (uint32_t)mac[4] | (uint32_t)mac[5] << 8;
}

static inline void igb_words_to_mac(const uint32_t *w, uint8_t *mac)
{
    for (int i = 0; i < 4; i++)
        mac[i] = (uint8_t)(w[0] >> (8 * i));
    mac[4] = (uint8_t)w[1];
    mac[5] = (uint8_t)(w[1] >> 8);
}
#endif
