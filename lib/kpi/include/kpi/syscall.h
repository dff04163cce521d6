/**
 * \file syscall.h
 * \brief The system call interface, defined once for the CPU driver and
 * the library OS.
 *
 * Calling convention (`syscall` instruction):
 *   rax  syscall number (enum sys_no)
 *   rdi, rsi, rdx, r10, r8, r9   arguments 1..6
 * Returns rax = errval_t, rdx = a value; rcx and r11 are clobbered.
 *
 * Everything except the few calls below is a capability invocation
 * (SYS_INVOKE): argument 1 is the cptr of the invoked capability, argument
 * 2 the command of that capability's type, and 3..6 its arguments. The
 * kernel decodes and checks every argument before it changes anything;
 * a bad one gets a named error, never a crash.
 */
#ifndef KPI_SYSCALL_H
#define KPI_SYSCALL_H
#include <stdint.h>
#include <kpi/errors.h>
#include <kpi/caps.h>
#include <kpi/cspace.h>

enum sys_no {
    SYS_NULL = 0,       /* nothing: measures the syscall path */
    SYS_PRINT,          /* (const char *buf, size_t len): to the console */
    SYS_YIELD,          /* (block): give the rest of this time slice away;
                           block = 1: sleep until an LMP message or the
                           next timer tick (at most 10 ms) */
    SYS_EXIT,           /* (int status, scope): end the caller's domain on
                           every core it spans (scope 0), or only this
                           dispatcher (SYS_EXIT_DISPATCHER: a dispatcher on
                           another core whose threads are done; the first
                           one's end is always the domain's) */
    SYS_INVOKE,         /* (cptr, cmd, a1, a2, a3, a4): invoke a capability */
    SYS_GETCHAR,        /* (): a console byte, or ERR with SYS_ERR_NO_INPUT */
    SYS_SET_FS_BASE,    /* (base): this thread's TLS pointer, where the CPU
                           has no wrfsbase (see DISP_FEATURE_FSGSBASE) */
    SYS_WAKE,           /* (core): wake the caller's own domain's dispatcher
                           on that core (a thread there was made runnable):
                           it runs at once, or its next SYS_YIELD(block)
                           returns at once. Names no other domain. */
    SYS_COUNT
};
#define SYS_EXIT_DOMAIN     0
#define SYS_EXIT_DISPATCHER 1

/* Invocation commands, per capability type. */
enum cnode_cmd {
    CNODE_CMD_COPY = 1,     /* (src cptr, dest cptr) */
    CNODE_CMD_MINT,         /* (src cptr, dest cptr, rights) */
    CNODE_CMD_DELETE,       /* (cptr) */
    CNODE_CMD_REVOKE,       /* (cptr) */
    CNODE_CMD_RETYPE,       /* (src cptr, type | objbits << 8 | offset << 16,
                               count, dest cptr): offset in pages from the
                               source's base */
    CNODE_CMD_IDENTIFY,     /* (cptr, struct cap_identity *out) */
    CNODE_CMD_MOVE,         /* (src cptr, dest cptr): a capability lent by
                               another core (which cannot be copied), not
                               mapped, to an empty slot: the receive slot
                               is free again */
};

enum kernel_cmd {
    KERNEL_CMD_SPAWN = 1,   /* (const struct spawn_request *req): on this core */
    KERNEL_CMD_CORE_INFO,   /* (): value = this core id | ncores << 32 */
    KERNEL_CMD_DOMAINS,     /* (struct domain_info *out, max): value = count */
    KERNEL_CMD_KILL,        /* (domain id) */
    KERNEL_CMD_MODULES,     /* (char *names, size): value = bytes written */
    KERNEL_CMD_START_MONITOR, /* (core): start the monitor on that core */
    KERNEL_CMD_NOTIFY,      /* (domain id, w1, w2, w3): an LMP message with
                               w0 = MONITOR_MSG_* to a domain on this core */
    KERNEL_CMD_CAPS,        /* (domain id, struct cap_info *out, max):
                               value = number of entries written */
    KERNEL_CMD_CAP_IMPORT,  /* (const struct cap_desc *, target domain id,
                               dest cptr, tag): monitor only. The Frame that
                               core desc->owner exported (KERNEL_CMD_CAP_EXPORT)
                               becomes a capability on this core: in the
                               target's receive slot, announced by
                               MONITOR_MSG_CAP (tag, desc->sender), or, when
                               the target is the monitor itself, in its slot
                               `dest cptr`. See kernel/capmove.c */
    KERNEL_CMD_NICS,        /* (struct nic_info *out, max): the SR-IOV NIC's PF
                               and VFs, on the core that owns it; value =
                               entries written */
    KERNEL_CMD_VNIC_CREATE, /* (domain id, tag): a free VF as a VNIC
                               capability in that domain's receive slot
                               (announced by MONITOR_MSG_CAP, tag, VF);
                               on any core: other cores forward it, and
                               every VNIC call, to the NIC's core */
    KERNEL_CMD_FILTERS,     /* (struct filter_info *out, max): every Filter
                               on the NIC, on the core that owns it; value =
                               entries written */
    KERNEL_CMD_CAP_EXPORT,  /* (cptr, dest core, struct cap_desc *out):
                               monitor only. Lend the Frame at cptr to core
                               `dest`: the kernel keeps a copy of it (revoked
                               with the original) and pins its memory until
                               that core releases it; out describes it for
                               KERNEL_CMD_CAP_IMPORT there */
    KERNEL_CMD_CAP_DROP,    /* (owner core, export id): monitor only. The
                               owner revoked it: delete the import here
                               (unmapped at once) */
    KERNEL_CMD_CAP_RELEASE, /* (export id): monitor only. The importing core
                               holds nothing of it any more: unpin */
    KERNEL_CMD_NVME_CREATE, /* (domain id, tag): the NVMe controller as an
                               NVMe capability in that domain's receive slot
                               (MONITOR_MSG_CAP: tag, vendor << 16 | device |
                               PCI rid << 32); one holder at a time (the VSIC
                               service); on any core, forwarded to the core
                               that owns PCI */
    KERNEL_CMD_VSIC_CREATE, /* (domain id, tag): a VSIC capability in that
                               domain's receive slot (MONITOR_MSG_CAP: tag,
                               VSIC id); needs the VSIC service to hold the
                               NVMe controller. A monitor's call, for a
                               client's MONITOR_MSG_VSIC_REQUEST */
};

enum nvme_cmd {
    NVME_CMD_MAP_REGS = 1,  /* (vaddr): the controller's registers and
                               doorbells (BAR0, first NVME_REGS_BYTES),
                               uncached; its MSI-X table stays with the kernel */
    NVME_CMD_REGISTER_DMA,  /* (frame cptr): the controller may DMA to and
                               from that Frame (IOVA = physical address);
                               nothing else is reachable through its IOMMU
                               domain */
    NVME_CMD_UNREGISTER_DMA,/* (frame cptr) */
    NVME_CMD_VSIC_INFO,     /* (VSIC id, struct vsic_info *out): who holds
                               that VSIC and the memory it registered; for
                               the VSIC service's checks. This core then
                               remembers the holder for NVME_CMD_VSIC_RING */
    NVME_CMD_DOORBELL_CREATE, /* (MSI-X entry, dest cptr): a Doorbell
                               capability (one-shot: the entry is masked
                               when it rings, DOORBELL_CMD_ARM unmasks it);
                               the controller's MSI-X entry now interrupts
                               the holder's core, which counts it in the
                               dispatcher page (`doorbells`) and wakes the
                               holder; VSIC_CMD_KICK rings it too. value =
                               the vector. The holder creates its I/O CQs
                               with IEN and IV = entry. */
    NVME_CMD_VSIC_RING,     /* (VSIC id): ring the doorbell of that VSIC's
                               holder (as NVME_CMD_VSIC_INFO last told this
                               core) on its core: the service posted
                               completions. VSIC_ERR_NOT_HELD if nobody */
    NVME_CMD_VSA_RIGHTS,    /* (VSIC id, name as 8 bytes): the rights of the
                               live VSA capabilities of that name presented
                               to that VSIC (VSIC_CMD_PRESENT_VSA), OR-ed;
                               value = rights | VSIC's revocation count << 32
                               (it grows each time a presented VSA goes) */
    NVME_CMD_MAP_VSAS,      /* (vaddr): the page of VSA capabilities shown to
                               every VSIC (struct nvme_vsa_table) mapped
                               read-only at vaddr, for the VSIC service's
                               check of each request it takes */
};

enum vsic_cmd {
    VSIC_CMD_REGISTER_DMA = 1, /* (frame cptr): the VSIC's memory: mapped into
                               the NVMe controller's IOMMU domain (IOVA =
                               physical address); one Frame per VSIC; the
                               VSIC service lets requests name only it */
    VSIC_CMD_UNREGISTER_DMA,/* (frame cptr) */
    VSIC_CMD_KICK,          /* (): wake the VSIC service (its NVMe Doorbell,
                               on its core): requests wait in the ring.
                               Coalesced: at most one interrupt between two
                               of the service's DOORBELL_CMD_ARM; value 1 if
                               this kick sent one */
    VSIC_CMD_PRESENT_VSA,   /* (VSA cptr): show the VSIC service a VSA
                               capability of the caller's: the VSIC may use
                               that name with its rights while that very
                               capability lives (its deletion, a revoke of
                               it, or the holder's end takes it back).
                               VSA_ERR_CAP_TYPE, VSA_ERR_PRESENT_FULL */
};

enum doorbell_cmd {
    DOORBELL_CMD_ARM = 1,   /* (): the holder is about to sleep: a one-shot
                               bell's MSI-X entry is unmasked (what came
                               while masked is delivered now), and the
                               next kick may interrupt again */
    DOORBELL_CMD_STATS,     /* (struct doorbell_stats *out): its counts on
                               this core */
};

/** What DOORBELL_CMD_STATS tells. */
struct doorbell_stats {
    uint64_t rings;                 /* counted and woken */
    uint64_t spurious;              /* rang when nobody listened */
    uint64_t arms;                  /* DOORBELL_CMD_ARM */
    uint64_t kicks;                 /* kicks that were sent (an IPI or a local ring) */
    uint64_t coalesced;             /* kicks that sent nothing: one was posted */
};

/**
 * The VSA capabilities shown to each VSIC (VSIC_CMD_PRESENT_VSA), as the
 * kernel keeps them in one page that NVME_CMD_MAP_VSAS maps read-only into
 * the VSIC service (drivers/storage/nvme/kernel/vsa.c). The kernel of the
 * core holding a shown capability makes its record dead (rights 0) before
 * the delete, revoke or end that removed it returns, so a request the
 * service takes after that, and checks here, is never served under it.
 * A record is read as state, name, state again: the same state twice with
 * rights in it is a live record of that name. state >> 32 is a generation,
 * new each time a record is filled.
 */
#define NVME_VSA_VSICS       16     /* VSIC n is vsic[n - 1] */
#define NVME_VSA_SHOWN       8      /* records a VSIC */
#define NVME_VSA_STATE_RIGHTS 0xffull   /* CAP_RIGHT_READ | CAP_RIGHT_WRITE; 0: not live */
#define NVME_VSA_STATE_BUSY  0x100ull   /* being filled: not live */
struct nvme_vsa_shown {
    uint64_t state, name;           /* name: the capability's 8 bytes (identify's base) */
};
struct nvme_vsa_vsic {
    uint32_t holder;                /* the domain holding the VSIC; 0: none */
    uint32_t gone;                  /* records that died: moves on every revocation */
    struct nvme_vsa_shown shown[NVME_VSA_SHOWN];
};
struct nvme_vsa_table {
    struct nvme_vsa_vsic vsic[NVME_VSA_VSICS];
};

/** What NVME_CMD_VSIC_INFO tells. */
struct vsic_info {
    uint32_t vsic, holder;          /* holder 0: no such VSIC */
    uint64_t base, bytes;           /* registered memory; bytes 0: none */
};

/** A Frame lent to another core (KERNEL_CMD_CAP_EXPORT fills it on the
 *  owner core, the monitors carry it, KERNEL_CMD_CAP_IMPORT takes it). */
struct cap_desc {
    uint32_t type, rights;          /* enum cap_type (CAP_FRAME), CAP_RIGHT_* */
    uint64_t base, bytes;
    uint32_t owner, export_id;      /* the core that lent it, its record there */
    uint32_t flags, sender;         /* provenance (kernel's CAP_FLAG_*); the
                                       domain that sent it (monitors fill it) */
};

enum vnic_cmd {
    VNIC_CMD_MAP_REGS = 1,  /* (vaddr): the VF's 16 KiB register BAR,
                               uncached, in [USER_MAP_BASE, USER_MAP_END);
                               its MSI-X BAR stays with the kernel;
                               value = the VF's PCI device id, by
                               which the library picks its NIC driver */
    VNIC_CMD_REGISTER_DMA,  /* (frame cptr): the VF may DMA to and from that
                               Frame (IOVA = its physical address); nothing
                               else is reachable through the IOMMU */
    VNIC_CMD_UNREGISTER_DMA,/* (frame cptr) */
    VNIC_CMD_RATE_SET,      /* (bytes per second, 0: no limit): the NIC's
                               transmit rate limiter for the VF's queue;
                               refused where the NIC has none */
    VNIC_CMD_FILTER_CREATE, /* (const struct filter_spec *, dest cptr): a
                               Filter capability in an empty slot; the NIC's
                               filter tables now send matching frames to this
                               VNIC. A predicate the NIC cannot express is
                               refused (FILTER_ERR_*), never emulated.
                               Deleting the Filter takes it out of the NIC. */
    VNIC_CMD_DOORBELL_CREATE, /* (MSI-X entry, dest cptr): a Doorbell
                               capability; the VF's MSI-X entry now
                               interrupts the holder's core, which counts it
                               in the dispatcher page (`doorbells`) and wakes
                               or upcalls the holder; value = the vector.
                               The holder routes queue events to the entry
                               (VF IVAR, EIMS). Deleting it masks the entry. */
};

/* What a Filter admits (struct filter_spec.flags). A VNIC receives nothing
 * until a Filter admits something. Address and tag combine: the frame's
 * destination must be one the filter names (its MAC, broadcast), and its
 * 802.1Q tag must be `vlan` (FILTER_VLAN) or absent (no FILTER_VLAN). */
#define FILTER_MAC          0x01u   /* frames to the VNIC's own MAC */
#define FILTER_BROADCAST    0x02u   /* broadcast frames */
#define FILTER_VLAN         0x04u   /* tagged with vlan (1..4094), not untagged */
#define FILTER_ETHERTYPE    0x08u   /* only this ethertype */
#define FILTER_PROTO        0x10u   /* only this IP protocol (services) */
#define FILTER_PORTS        0x20u   /* only these local ports (services) */
#define FILTER_PEERS        0x40u   /* only from these IPv4 peers */
#define FILTER_KNOWN        0x7fu

/** What VNIC_CMD_FILTER_CREATE is given: Arrakis' filter(flags, peers,
 *  services). */
struct filter_spec {
    uint32_t flags;                 /* FILTER_* */
    uint16_t vlan;                  /* FILTER_VLAN */
    uint16_t ethertype;             /* FILTER_ETHERTYPE */
    uint8_t proto;                  /* FILTER_PROTO: 6 TCP, 17 UDP */
    uint8_t reserved[3];
    uint32_t peer_ip, peer_mask;    /* FILTER_PEERS, network byte order */
    uint16_t port_lo, port_hi;      /* FILTER_PORTS, host byte order */
};

/** What KERNEL_CMD_FILTERS tells about each Filter. */
struct filter_info {
    uint32_t id;
    uint32_t vf;                    /* the VNIC's VF (= VMDq pool) */
    uint32_t holder;                /* the domain holding that VNIC */
    uint32_t flags;
    uint16_t vlan, reserved;
};

/** What KERNEL_CMD_NICS tells about the PF and each VF. */
struct nic_info {
    uint32_t rid;                   /* PCI requester id: bus << 8 | devfn */
    int32_t vf;                     /* -1 for the PF */
    uint16_t vendor, device;
    uint8_t mac[6];
    uint8_t link_up, reserved;
    uint32_t pool;                  /* VMDq pool */
    uint32_t holder;                /* domain holding it as a VNIC, 0: none */
};

/** What KERNEL_CMD_CAPS tells about each capability a domain holds. */
struct cap_info {
    uint32_t cptr;                  /* level 2, or the L1 index << 8 for L1 slots */
    uint32_t level;
    struct cap_identity id;
};

enum dispatcher_cmd {
    DISPATCHER_CMD_SPAN = 1, /* (core, entry, stack, arg): a dispatcher of this
                                domain on another core, sharing the address
                                space; it starts disabled at entry with
                                rdi = its page (DISP_SPAN_VADDR(core), also
                                its GS base) and rsi = arg */
};

enum frame_cmd {
    FRAME_CMD_MAP = 1,      /* (vaddr, FRAME_MAP_* flags): map the whole frame
                               at vaddr in [USER_MAP_BASE, USER_MAP_END); one
                               mapping per capability slot (copy it to map it
                               again); unmapped when the slot is deleted or
                               revoked */
    FRAME_CMD_UNMAP,        /* (): undo this slot's mapping */
};
#define FRAME_MAP_WRITE 0x1     /* needs CAP_RIGHT_WRITE */
#define FRAME_MAP_EXEC  0x2     /* needs CAP_RIGHT_EXECUTE */

enum endpoint_cmd {
    ENDPOINT_CMD_SEND = 1,  /* (w0, w1, w2, w3): a local message (LMP) */
    ENDPOINT_CMD_SEND_CAP,  /* (w0, w1, w2, cptr): the same carrying a copy of
                               the capability at cptr (the endpoint needs the
                               GRANT right); it lands in the receiver's
                               TASKCN_SLOT_RECV, which must be empty */
};

#define SPAWN_NAME_MAX 32
#define SPAWN_ARGS_MAX 256

/** What KERNEL_CMD_SPAWN is given. */
struct spawn_request {
    char name[SPAWN_NAME_MAX];      /* boot module to run */
    char args[SPAWN_ARGS_MAX];      /* space-separated; argv[0] is the name */
    uint32_t flags;                 /* SPAWN_FLAG_* */
    uint32_t frame;                 /* SPAWN_FLAG_FRAME: cptr of a Frame the
                                       caller holds, unmapped, <= 64 KiB: moved
                                       to the new domain's TASKCN_SLOT_CHANNEL
                                       and mapped at USER_SHARED_FRAME_VADDR */
    uint64_t mem_bytes;             /* the domain's RAM (TASKCN_SLOT_RAM): 0 for
                                       DOMAIN_RAM_BYTES, else a multiple of
                                       SPAWN_MEM_UNIT the core can spare
                                       (SPAWN_ERR_MEM_SIZE, SPAWN_ERR_MEM_FREE) */
    struct spawn_vsa {              /* VSA capabilities the kernel mints into
                                       TASKCN_SLOT_VSA0 + i; name 0 ends the
                                       list (SPAWN_ERR_VSA if malformed) */
        uint64_t name;              /* 1-8 printable bytes, zero-padded */
        uint32_t rights;            /* CAP_RIGHT_READ [| CAP_RIGHT_WRITE] */
        uint32_t _pad;
    } vsa[TASKCN_VSAS];
};
#define SPAWN_MEM_UNIT (1ull << 20)     /* mem= is a whole number of MiB */
#define SPAWN_MEM_MAX  (1ull << 40)     /* beyond any core: refused before looking */
#define SPAWN_FLAG_ADMIN 0x1        /* its monitor endpoint carries
                                       MONITOR_BADGE_ADMIN (kpi/monitor.h) */
#define SPAWN_FLAG_FRAME 0x2        /* `frame` names a channel Frame */
#define SPAWN_FLAGS_KNOWN 0x3

/** What KERNEL_CMD_DOMAINS tells about each domain on this core. */
struct domain_info {
    uint32_t id, core;
    char name[SPAWN_NAME_MAX];
    uint32_t state;                 /* enum domain_state */
    uint32_t exit_status;
};

/* 2 was a blocked state nothing ever set; the values stay for the ABI.
 * ENDING: a domain that spans cores has ended and runs no more, but its
 * memory is held until its dispatchers on the other cores have stopped
 * (kernel/span.c); then it is EXITED or KILLED. */
enum domain_state { DOMAIN_RUNNABLE = 1, DOMAIN_EXITED = 3, DOMAIN_KILLED = 4, DOMAIN_ENDING = 5 };

struct sysret {
    errval_t err;
    uint64_t value;
};
#endif
