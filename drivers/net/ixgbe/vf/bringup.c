/*
 * bringup.c: the 82599 VF's side of the mailbox at open (bringup.h),
 * with no register access: vf/vf.c moves the words through VFMBMEM.
 * Replies are checked as Linux ixgbevf checks them (vf.c, mbx.c): CTS is
 * ignored, the code must be the request's with ACK; the reset reply must
 * be RESET|ACK (RESET|NACK: the PF has no address for us); a GET_QUEUES
 * reply's counts are clamped to 1..8 and a default queue outside them is 0.
 */
#include <net/ixgbe/vf/bringup.h>
#include <string.h>

static const int api_offer[] = {
    IXGBE_MBOX_API_14, IXGBE_MBOX_API_13, IXGBE_MBOX_API_12, IXGBE_MBOX_API_11, IXGBE_MBOX_API_10,
};
#define N_OFFER (sizeof(api_offer) / sizeof(api_offer[0]))

void ixgbevf_bringup_init(struct ixgbevf_bringup *b)
{
    memset(b, 0, sizeof(*b));
    b->step = IXGBEVF_STEP_RESET;
    b->api = -1;
}

bool ixgbevf_bringup_next(const struct ixgbevf_bringup *b, uint32_t *msg, unsigned *n)
{
    switch (b->step) {
    case IXGBEVF_STEP_RESET:
        msg[0] = IXGBE_VF_RESET;
        *n = 1;
        return true;
    case IXGBEVF_STEP_NEGOTIATE:
        msg[0] = IXGBE_VF_API_NEGOTIATE;
        msg[1] = (uint32_t)api_offer[b->try_i];
        msg[2] = 0;
        *n = 3;
        return true;
    case IXGBEVF_STEP_GET_QUEUES:
        memset(msg, 0, IXGBE_VF_GET_QUEUES_WORDS * sizeof(*msg));
        msg[0] = IXGBE_VF_GET_QUEUES;
        *n = IXGBE_VF_GET_QUEUES_WORDS;
        return true;
    default:
        return false;
    }
}

static void fail(struct ixgbevf_bringup *b, errval_t err)
{
    b->step = IXGBEVF_STEP_FAILED;
    b->err = err;
}

static unsigned clamp_queues(uint32_t v)
{
    return v == 0 || v > IXGBEVF_MAX_QUEUES ? IXGBEVF_MAX_QUEUES : v;
}

void ixgbevf_bringup_reply(struct ixgbevf_bringup *b, const uint32_t *reply, unsigned n)
{
    uint32_t head = n ? reply[0] & ~IXGBE_VT_MSGTYPE_CTS : 0;
    switch (b->step) {
    case IXGBEVF_STEP_RESET:
        if (head == (IXGBE_VF_RESET | IXGBE_VT_MSGTYPE_NACK))
            return fail(b, VF_ERR_RESET);
        if (head != (IXGBE_VF_RESET | IXGBE_VT_MSGTYPE_ACK) || n < IXGBE_VF_RESET_REPLY_WORDS)
            return fail(b, VF_ERR_MBX_REPLY);
        for (int i = 0; i < 4; i++)
            b->mac[i] = (uint8_t)(reply[1] >> (8 * i));
        b->mac[4] = (uint8_t)reply[2];
        b->mac[5] = (uint8_t)(reply[2] >> 8);
        if (!(b->mac[0] | b->mac[1] | b->mac[2] | b->mac[3] | b->mac[4] | b->mac[5]) ||
            (b->mac[0] & 1))
            return fail(b, VF_ERR_RESET);           /* no address, or a multicast one */
        b->mc_filter_type = reply[3];
        b->step = IXGBEVF_STEP_NEGOTIATE;
        return;
    case IXGBEVF_STEP_NEGOTIATE:
        if (head == (IXGBE_VF_API_NEGOTIATE | IXGBE_VT_MSGTYPE_ACK)) {
            b->api = api_offer[b->try_i];
            b->step = b->api == IXGBE_MBOX_API_10 ? IXGBEVF_STEP_READY : IXGBEVF_STEP_GET_QUEUES;
            if (b->step == IXGBEVF_STEP_READY)
                b->tx_queues = b->rx_queues = 1;    /* what 1.0 implies */
            return;
        }
        if (head != (IXGBE_VF_API_NEGOTIATE | IXGBE_VT_MSGTYPE_NACK))
            return fail(b, VF_ERR_MBX_REPLY);
        if (++b->try_i == N_OFFER)
            return fail(b, VF_ERR_MBX_API);
        return;
    case IXGBEVF_STEP_GET_QUEUES:
        if (head != (IXGBE_VF_GET_QUEUES | IXGBE_VT_MSGTYPE_ACK) || n < IXGBE_VF_GET_QUEUES_WORDS)
            return fail(b, VF_ERR_MBX_REPLY);
        b->tx_queues = clamp_queues(reply[IXGBE_VF_TX_QUEUES]);
        b->rx_queues = clamp_queues(reply[IXGBE_VF_RX_QUEUES]);
        b->def_queue = reply[IXGBE_VF_DEF_QUEUE] < b->rx_queues ? reply[IXGBE_VF_DEF_QUEUE] : 0;
        b->step = IXGBEVF_STEP_READY;
        return;
    default:
        return;
    }
}
