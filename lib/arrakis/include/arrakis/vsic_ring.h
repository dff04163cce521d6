/**
 * \file vsic_ring.h
 * \brief The VSIC's rings: what an application and the VSIC service
 * (usr/vsicd) write to each other, in a Frame of the service's that it
 * lends to the application (the monitors carry it); the data moves by DMA
 * straight to and from the one Frame of the application's own memory it
 * registered with its VSIC capability (VSIC.register_dma), which requests
 * name by offset (buf_off). Single
 * producer, single consumer each way: the application writes requests and
 * bumps req_head; the service copies each out before it looks at it,
 * bumps req_tail, and writes a response (same cookie) and bumps
 * resp_head; the application reads it and bumps resp_tail. Neither side
 * believes the other's indices beyond VSIC_SLOTS apart.
 *
 * Wake-ups (event suppression, as virtio's and io_uring's): each side
 * that is about to sleep sets its `asleep` flag, then (after a full
 * fence) looks at the rings once more, and only then sleeps. The other
 * side, after publishing its index and a full fence, reads the flag: the
 * application kicks the service (VSIC.kick) only while service_asleep is
 * set; the service clears client_asleep and rings the client's doorbell
 * (NVMe.vsic_ring) only while it is set. While both poll, nobody enters
 * the kernel. The flags are hints: the kernel coalesces kicks, and each
 * side's own sleep has a deadline.
 */
#ifndef ARRAKIS_VSIC_RING_H
#define ARRAKIS_VSIC_RING_H
#include <stdint.h>

#define VSIC_RING_BYTES     (64u * 1024)
#define VSIC_SLOTS          256u    /* requests (and responses) a ring holds */
#define VSIC_MAX_IO_BYTES   (256u * 1024)   /* the largest request the service takes */
#define VSIC_NAME_MAX       8       /* a VSA name: up to 8 bytes (one monitor message word) */
/* Lend tags (MONITOR_MSG_SEND_CAP; | VSIC id << 16): the client's hello
 * (any Frame: the service only reads the tag and the kernel-given sender),
 * and the service's ring Frame in answer. */
#define VSIC_HELLO_TAG      0x5c1c
#define VSIC_RING_TAG       0x5c1d

enum vsic_op {
    VSIC_OP_READ = 1,       /* vsa, block, count, buf_off */
    VSIC_OP_WRITE,          /* vsa, block, count, buf_off */
    VSIC_OP_FLUSH,          /* vsa */
    VSIC_OP_VSA_CREATE,     /* name, arg: blocks -> value: VSA handle */
    VSIC_OP_VSA_ACQUIRE,    /* name, rights -> value: handle | blocks << 16 */
    VSIC_OP_VSA_RESIZE,     /* vsa, arg: blocks */
    VSIC_OP_VSA_DELETE,     /* vsa (the VSA goes from the disk) */
};

/* Request flags (vsic_req.flags). VSIC_REQ_FUA, on a write only: the
 * response comes once this write's blocks are durable (not merely in a
 * volatile cache), as NVMe's Force Unit Access; it says nothing of other
 * writes, which still need a flush. */
#define VSIC_REQ_FUA        1u

/* Rights on an acquired VSA (vsic_req.rights). */
#define VSIC_RIGHT_READ     1u
#define VSIC_RIGHT_WRITE    2u

struct vsic_req {
    uint16_t op;
    uint16_t vsa;           /* handle from CREATE/ACQUIRE in this VSIC */
    uint32_t count;         /* blocks */
    uint64_t cookie;        /* echoed in the response */
    uint64_t block;         /* the VSA's block (virtual) */
    uint64_t buf_off;       /* offset of the data in the lent Frame */
    uint64_t arg;
    uint32_t rights;
    char name[VSIC_NAME_MAX];
    uint32_t flags;         /* VSIC_REQ_*; any other bit is refused */
    uint8_t pad[8];
};
_Static_assert(sizeof(struct vsic_req) == 64, "a request is one cache line");

struct vsic_resp {
    uint64_t cookie;
    uint64_t status;        /* errval_t */
    uint64_t value;         /* READ/WRITE/FLUSH: the service's TSC when it took the request */
    uint64_t posted_tsc;    /* the service's TSC when it posted this response (for
                               libos/reqstage.h; the TSC is one clock on every core) */
};
_Static_assert(sizeof(struct vsic_resp) == 32, "two responses a cache line");

struct vsic_ring {
    volatile uint32_t req_head;     /* application: requests written */
    uint8_t pad0[60];
    volatile uint32_t req_tail;     /* service: requests taken */
    volatile uint32_t service_asleep;   /* service: 1: kick me after writing requests */
    uint8_t pad1[56];
    volatile uint32_t resp_head;    /* service: responses written */
    uint8_t pad2[60];
    volatile uint32_t resp_tail;    /* application: responses read */
    volatile uint32_t client_asleep;    /* application (the service clears it when it
                                           rings): 1: ring me after posting responses */
    uint8_t pad3[56];
    struct vsic_req req[VSIC_SLOTS];
    struct vsic_resp resp[VSIC_SLOTS];
};
_Static_assert(sizeof(struct vsic_ring) <= VSIC_RING_BYTES, "the rings fit their part of the Frame");
#endif
