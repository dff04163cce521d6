/**
 * \file vfmsg.h
 * \brief The PF's answer to each 82599 VF mailbox message (pf/vfmsg.c:
 * pure, host-tested against the sequences Linux ixgbevf sends).
 */
#ifndef NET_IXGBE_PF_VFMSG_H
#define NET_IXGBE_PF_VFMSG_H
#include <stdbool.h>
#include <stdint.h>
#include <net/ixgbe/shared/mbx.h>

#define IXGBE_MAC_LEN 6

/** What the PF knows about one VF (owned by the NIC's core). */
struct ixgbe_vf {
    uint8_t mac[IXGBE_MAC_LEN];         /* assigned by the PF; the VF cannot change it */
    bool present;
    bool cts;                           /* VF_RESET answered since the last FLR */
    int api;                            /* negotiated enum ixgbe_mbox_api; API_10 after reset */
};

enum ixgbe_vfmsg_action {
    IXGBE_VFMSG_REPLY,                  /* write reply words */
    IXGBE_VFMSG_RESET,                  /* re-enable the pool (PFVFRE/PFVFTE), cts, api 1.0; reply */
    IXGBE_VFMSG_SET_API,                /* record r->api; reply */
    IXGBE_VFMSG_IGNORE,                 /* an ACK/NACK from the VF */
};

struct ixgbe_vfmsg_reply {
    enum ixgbe_vfmsg_action action;
    uint32_t words[IXGBE_VF_GET_QUEUES_WORDS];
    unsigned n;
    int api;                            /* IXGBE_VFMSG_SET_API */
    const char *name;                   /* "API_NEGOTIATE" */
    const char *refusal;                /* NULL when ACKed; else why NACKed (one log line) */
};

/** Decide the reply to `msg` (n words) from `vf`. Touches nothing. */
void ixgbe_vfmsg_decide(const struct ixgbe_vf *vf, const uint32_t *msg, unsigned n,
                        struct ixgbe_vfmsg_reply *r);
/** Does this PF speak API `api` (1.0-1.4; not Solaris' 2.0, not 1.5)? */
bool ixgbe_api_supported(int api);
#endif
