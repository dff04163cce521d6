/*
 * ump.c: inter-core message channels, in the manner of Barrelfish's UMP.
 *
 * Two domains on different cores share one frame and talk through it with
 * no kernel on the path. The creator formats the frame (ump_frame_format),
 * each end attaches as side A or side B (ump_chan_init), and then each end
 * sends 7-word messages on its own ring (ump_send) and receives on the
 * other (ump_recv); ump_can_send and ump_can_recv poll without changing
 * anything. Neither call blocks: a full ring is UMP_ERR_FULL and an empty
 * one UMP_ERR_EMPTY, and waiting (spinning, yielding, a doorbell) is the
 * caller's policy. Capabilities never travel here; the monitors move them.
 *
 * Invariants, per ring (one sender thread, one receiver thread):
 *  - Message s (counting from 0) goes to slot s mod N and is fresh exactly
 *    when that slot's control word is s + 1. The sender writes the payload
 *    with plain stores and then the control word with a release store; the
 *    receiver reads the control word with an acquire load and only then the
 *    payload. The control word is the only word of a slot both sides touch.
 *  - Acknowledgement: after each receive the receiver release-stores its
 *    count of consumed messages into the ring's header line, a line only
 *    it writes. The sender keeps its last reading of that count and
 *    re-reads it (acquire) only when that reading says the ring is full, so
 *    the line crosses cores about once per N messages under steady load.
 *    Hence the sender overwrites slot s mod N only after the receiver has
 *    finished copying message s - N out of it: sent - acked <= N always.
 *  - Nothing read from the frame is trusted to index memory: positions are
 *    local counters. A peer that writes garbage can make this end see a
 *    full or empty ring, never write outside the frame.
 * Capacity: a ring of H bytes holds H/64 - 1 messages (63 for a 4 KiB half).
 */
#include <libos/ump.h>
#include <string.h>

/* Half of the frame, in whole lines: the size of each ring. */
static size_t ring_bytes(size_t frame_bytes)
{
    return (frame_bytes / 2) & ~(size_t)(UMP_CACHELINE - 1);
}

static errval_t check_frame(const void *shared, size_t bytes)
{
    if (shared == NULL || ((uintptr_t)shared & (UMP_CACHELINE - 1)) != 0)
        return UMP_ERR_BAD_FRAME;
    if (bytes < UMP_FRAME_MIN_BYTES || bytes > UMP_FRAME_MAX_BYTES)
        return UMP_ERR_BAD_FRAME;
    return ERR_OK;
}

static struct ump_ring_hdr *ring_hdr(void *shared, size_t bytes, int ring)
{
    return (struct ump_ring_hdr *)((char *)shared + (size_t)ring * ring_bytes(bytes));
}

/* The slots follow the header line. */
static struct ump_msg *ring_slots(struct ump_ring_hdr *h)
{
    return (struct ump_msg *)(h + 1);
}

errval_t ump_frame_format(void *shared, size_t bytes)
{
    errval_t err = check_frame(shared, bytes);
    if (err_is_fail(err))
        return err;
    size_t rb = ring_bytes(bytes);
    memset(shared, 0, 2 * rb);
    for (int ring = 0; ring < 2; ring++) {
        struct ump_ring_hdr *h = ring_hdr(shared, bytes, ring);
        h->magic = UMP_RING_MAGIC;
        h->nslots = (uint32_t)(rb / UMP_CACHELINE - 1);
    }
    return ERR_OK;
}

errval_t ump_chan_init(struct ump_chan *c, void *shared, size_t bytes, bool side_a)
{
    errval_t err = check_frame(shared, bytes);
    if (err_is_fail(err))
        return err;
    uint32_t nslots = (uint32_t)(ring_bytes(bytes) / UMP_CACHELINE - 1);
    for (int ring = 0; ring < 2; ring++) {
        const struct ump_ring_hdr *h = ring_hdr(shared, bytes, ring);
        if (h->magic != UMP_RING_MAGIC || h->nslots != nslots)
            return UMP_ERR_NOT_FORMATTED;
    }
    struct ump_ring_hdr *a_to_b = ring_hdr(shared, bytes, 0);
    struct ump_ring_hdr *b_to_a = ring_hdr(shared, bytes, 1);
    *c = (struct ump_chan){
        .tx_hdr = side_a ? a_to_b : b_to_a,
        .rx_hdr = side_a ? b_to_a : a_to_b,
        .nslots = nslots,
    };
    c->tx_slots = ring_slots(c->tx_hdr);
    c->rx_slots = ring_slots(c->rx_hdr);
    return ERR_OK;
}

size_t ump_chan_capacity(const struct ump_chan *c)
{
    return c->nslots;
}

bool ump_can_send(struct ump_chan *c)
{
    if (c->tx_seq - c->tx_acked < c->nslots)
        return true;
    /* Looks full by our last reading: ask the receiver again. An `acked`
     * beyond what we sent (a broken peer) also reads as full. */
    c->tx_acked = __atomic_load_n(&c->tx_hdr->acked, __ATOMIC_ACQUIRE);
    return c->tx_seq - c->tx_acked < c->nslots;
}

errval_t ump_send(struct ump_chan *c, const uint64_t payload[UMP_PAYLOAD_WORDS])
{
    if (!ump_can_send(c))
        return UMP_ERR_FULL;
    struct ump_msg *m = &c->tx_slots[c->tx_pos];
    for (int i = 0; i < UMP_PAYLOAD_WORDS; i++)
        m->payload[i] = payload[i];
    __atomic_store_n(&m->ctrl, c->tx_seq + 1, __ATOMIC_RELEASE);
    c->tx_seq++;
    if (++c->tx_pos == c->nslots)
        c->tx_pos = 0;
    return ERR_OK;
}

bool ump_can_recv(const struct ump_chan *c)
{
    const struct ump_msg *m = &c->rx_slots[c->rx_pos];
    return __atomic_load_n(&m->ctrl, __ATOMIC_ACQUIRE) == c->rx_seq + 1;
}

errval_t ump_recv(struct ump_chan *c, uint64_t payload[UMP_PAYLOAD_WORDS])
{
    if (!ump_can_recv(c))
        return UMP_ERR_EMPTY;
    const struct ump_msg *m = &c->rx_slots[c->rx_pos];
    for (int i = 0; i < UMP_PAYLOAD_WORDS; i++)
        payload[i] = m->payload[i];
    c->rx_seq++;
    if (++c->rx_pos == c->nslots)
        c->rx_pos = 0;
    /* The copy above is done: the sender may now reuse the slot. */
    __atomic_store_n(&c->rx_hdr->acked, c->rx_seq, __ATOMIC_RELEASE);
    return ERR_OK;
}
