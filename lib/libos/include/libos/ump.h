/**
 * \file ump.h
 * \brief Inter-core message channels (UMP): two one-way rings of
 * cache-line messages in a frame shared by two domains on different cores.
 *
 * The frame layout below is an ABI between the two ends (which may be
 * different programs), so it lives here and not in ump.c. Each ring is
 *
 *     line 0        struct ump_ring_hdr   written by the ring's receiver
 *     lines 1..N    struct ump_msg        written by the ring's sender
 *
 * The first half of the frame is the ring from side A to side B, the second
 * half the ring from B to A. Nothing here blocks or takes a lock; one thread
 * sends and one thread receives on each struct ump_chan.
 */
#ifndef LIBOS_UMP_H
#define LIBOS_UMP_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <kpi/errors.h>

/* x86-64 cache line. A message is exactly one line, so a send moves one
 * line between the cores and the receiver never sees half a message's line
 * owned by the other side. */
#define UMP_CACHELINE       64
/* Words a sender may fill: the line minus the control word. */
#define UMP_PAYLOAD_WORDS   7
/* Smallest frame: each ring needs its header line and one message slot. */
#define UMP_FRAME_MIN_BYTES (2 * 2 * UMP_CACHELINE)
/* Largest frame: keeps a ring's slot count well inside its 32-bit field. */
#define UMP_FRAME_MAX_BYTES ((size_t)1 << 36)
/* "UMPring1": written by ump_frame_format, checked by ump_chan_init. */
#define UMP_RING_MAGIC      0x31676e69724d5055ull

/** One message: the payload, then the control word, which the sender writes
 *  last with a release store. The control word is the message's sequence
 *  number on its ring plus one (0 = slot never written), so a receiver
 *  expecting message s sees ctrl == s + 1 exactly when the slot is fresh,
 *  and the slot's previous occupant (s + 1 - N) can never be mistaken for
 *  it. It is the Barrelfish epoch bit, widened to the whole count. */
struct ump_msg {
    uint64_t payload[UMP_PAYLOAD_WORDS];
    uint64_t ctrl;
} __attribute__((aligned(UMP_CACHELINE)));
_Static_assert(sizeof(struct ump_msg) == UMP_CACHELINE, "a UMP message is one cache line");
_Static_assert(_Alignof(struct ump_msg) == UMP_CACHELINE, "a UMP message is line-aligned");

/** The first line of each ring: the receiver's acknowledgement, and two
 *  read-only fields set by ump_frame_format. Only the ring's receiver
 *  writes this line (after formatting), only its sender reads `acked`. */
struct ump_ring_hdr {
    uint64_t acked;     /* messages consumed so far (release store by receiver) */
    uint64_t magic;     /* UMP_RING_MAGIC */
    uint32_t nslots;    /* message slots that follow this line */
    uint32_t reserved;
} __attribute__((aligned(UMP_CACHELINE)));
_Static_assert(sizeof(struct ump_ring_hdr) == UMP_CACHELINE, "a ring header is one cache line");

/** One end of a channel. Private to the endpoint; the send fields belong
 *  to the sending thread and the receive fields to the receiving thread. */
struct ump_chan {
    /* Sending side (ring this end writes messages into). */
    struct ump_msg *tx_slots;
    struct ump_ring_hdr *tx_hdr;
    uint64_t tx_seq;        /* messages sent */
    uint64_t tx_acked;      /* last `acked` read from tx_hdr (a lower bound) */
    uint32_t tx_pos;        /* slot of the next send: tx_seq mod nslots */
    /* Receiving side (ring this end reads messages from). */
    uint32_t rx_pos;        /* slot of the next receive: rx_seq mod nslots */
    struct ump_msg *rx_slots;
    struct ump_ring_hdr *rx_hdr;
    uint64_t rx_seq;        /* messages received */
    /* Both rings have the same number of slots. */
    uint32_t nslots;
};

/** Lay out and zero a shared frame of `bytes` (the creator calls this once,
 *  before either end attaches). `shared` must be cache-line aligned and
 *  bytes within [UMP_FRAME_MIN_BYTES, UMP_FRAME_MAX_BYTES]; a tail that
 *  does not fill a whole line of either half is unused. */
errval_t ump_frame_format(void *shared, size_t bytes);

/** Attach one end to a formatted frame: side A sends on the first half and
 *  receives on the second, side B the reverse. Both ends must pass the same
 *  `bytes`. Each end attaches once, before any message is sent. */
errval_t ump_chan_init(struct ump_chan *c, void *shared, size_t bytes, bool side_a);

/** Open the channel this domain was spawned with (`pair`: the Frame in
 *  TASKCN_SLOT_CHANNEL at USER_SHARED_FRAME_VADDR): side a formats it,
 *  side b waits for that; lib/libos/ump/spawn_chan.c. */
errval_t ump_spawn_chan_open(struct ump_chan *c, bool side_a);

/** Messages a ring holds before the sender gets UMP_ERR_FULL. */
size_t ump_chan_capacity(const struct ump_chan *c);

/** Copy one message into the send ring; UMP_ERR_FULL if the receiver has
 *  not yet consumed the slot it would reuse. Never blocks. */
errval_t ump_send(struct ump_chan *c, const uint64_t payload[UMP_PAYLOAD_WORDS]);

/** Take the next message off the receive ring and acknowledge it;
 *  UMP_ERR_EMPTY if none has arrived. Never blocks. */
errval_t ump_recv(struct ump_chan *c, uint64_t payload[UMP_PAYLOAD_WORDS]);

/** Would ump_send succeed now? (It stays true until this end sends.) */
bool ump_can_send(struct ump_chan *c);

/** Would ump_recv succeed now? (It stays true until this end receives.) */
bool ump_can_recv(const struct ump_chan *c);
#endif
