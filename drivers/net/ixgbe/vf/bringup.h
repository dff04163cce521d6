/**
 * \file bringup.h
 * \brief The 82599 VF's mailbox conversation at open, as a state machine
 * (vf/bringup.c: pure, host-tested against the replies Linux's ixgbe PF
 * and this OS's PF give): VF_RESET (the MAC), API_NEGOTIATE from 1.4 down
 * to 1.0 as Linux ixgbevf does (newest first, the next on NACK), then
 * GET_QUEUES when 1.1 or later was agreed.
 */
#ifndef NET_IXGBE_VF_BRINGUP_H
#define NET_IXGBE_VF_BRINGUP_H
#include <stdbool.h>
#include <stdint.h>
#include <kpi/errors.h>
#include <net/ixgbe/shared/mbx.h>

enum ixgbevf_step {
    IXGBEVF_STEP_RESET,
    IXGBEVF_STEP_NEGOTIATE,
    IXGBEVF_STEP_GET_QUEUES,
    IXGBEVF_STEP_READY,
    IXGBEVF_STEP_FAILED,
};

#define IXGBEVF_MAX_QUEUES 8            /* Linux IXGBE_VF_MAX_{TX,RX}_QUEUES */

struct ixgbevf_bringup {
    enum ixgbevf_step step;
    unsigned try_i;                     /* index into the API list being offered */
    int api;                            /* agreed enum ixgbe_mbox_api, -1 before */
    uint8_t mac[6];
    uint32_t mc_filter_type;
    unsigned tx_queues, rx_queues, def_queue;
    errval_t err;                       /* IXGBEVF_STEP_FAILED: why */
};

void ixgbevf_bringup_init(struct ixgbevf_bringup *b);
/** The next message: its words in msg (room for 16), count in *n; false
 *  once READY or FAILED. */
bool ixgbevf_bringup_next(const struct ixgbevf_bringup *b, uint32_t *msg, unsigned *n);
/** The PF's reply to the message last given by _next. */
void ixgbevf_bringup_reply(struct ixgbevf_bringup *b, const uint32_t *reply, unsigned n);
#endif
