/**
 * \file igb.h
 * \brief drivers/net/igb/pf/: the kernel half of the 82576 driver (kernel
 * module igbpf): the control plane.
 *
 * Runs in the CPU driver of the core that owns PCI (core 0); driver.c
 * registers it with the kernel. pf.c brings
 * the PF up (reset, link, VMDq pools, Tx switching) and gives every
 * enabled VF a pool and a MAC address; mailbox.c answers the VFs' mailbox
 * requests from the timer tick. The data plane (VF rings) belongs to the
 * library OS of whoever holds the VF.
 *
 * vfmsg.c and the inline encoders here are pure: the host unit tests
 * (tests/unit/igb) compile them without the kernel.
 */
#ifndef NET_IGB_PF_IGB_H
#define NET_IGB_PF_IGB_H
#include <stdbool.h>
#include <stdint.h>
#include <net/igb/pf/regs.h>
#include <net/igb/shared/mbx.h>

#define IGB_PF_POOL     7       /* the PF's own VMDq pool; VFs take 0..6 */
#define IGB_MAX_VFS     7       /* so that pool 7 stays the PF's */

/** What the PF knows about one VF (owned by core 0). */
struct igb_vf {
    uint8_t mac[IGB_MAC_LEN];   /* assigned by the PF; the VF cannot change it */
    bool cts;                   /* VF_RESET answered since the last FLR */
    bool present;
};

enum igb_vfmsg_action {
    IGB_VFMSG_REPLY,            /* send reply (ACK or NACK) */
    IGB_VFMSG_RESET,            /* reset the VF's pool (VFRE/VFTE on, cts), then reply */
    IGB_VFMSG_IGNORE,           /* an ACK/NACK from the VF: nothing to answer */
};

struct igb_vfmsg_reply {
    enum igb_vfmsg_action action;
    uint32_t words[IGB_MBX_WORDS];
    unsigned n;                 /* words to write */
    const char *refusal;        /* NULL if ACKed; else why NACKed (for the log) */
    const char *name;           /* the request's name, "SET_VLAN" */
};

/** Decide the answer to a message `msg` (n words) from `vf`. Touches
 * nothing: the caller applies IGB_VFMSG_RESET and writes the reply. */
void igb_vfmsg_decide(const struct igb_vf *vf, const uint32_t *msg, unsigned n,
                      struct igb_vfmsg_reply *r);

/** RAL/RAH values for `mac` received into `pool` (0-7), entry valid. */
static inline void igb_rar_encode(const uint8_t *mac, unsigned pool, uint32_t *ral,
                                  uint32_t *rah)
{
    uint32_t w[2];
    igb_mac_to_words(mac, w);
    *ral = w[0];
    *rah = (w[1] & IGB_RAH_ADDR_MASK) |
           ((1u << (pool + IGB_RAH_POOL_SHIFT)) & IGB_RAH_POOL_MASK) | IGB_RAH_AV;
}

/** The locally administered MAC a VF gets: 02:00:00:00:01:NN. */
static inline void igb_vf_mac(unsigned vf, uint8_t *mac)
{
    static const uint8_t base[IGB_MAC_LEN] = {0x02, 0x00, 0x00, 0x00, 0x01, 0x00};
    for (int i = 0; i < IGB_MAC_LEN; i++)
        mac[i] = base[i];
    mac[5] = (uint8_t)vf;
}

struct pci_table;
/** Bring up the first 82576 PF in `t` and its enabled VFs; logs what it
 * did, and on failure one line with the reason (the boot goes on). */
void igb_pf_init(struct pci_table *t);
/** Timer tick hook: on the core that owns the NIC, answer pending VF
 * mailbox messages and FLRs. Does nothing elsewhere or before init. */
void igb_tick(void);
#endif
