/**
 * \file caps.h
 * \brief Capabilities as the kernel/user ABI sees them: types, rights,
 * capability addresses (cptrs) and the answer of identify.
 *
 * A cptr names a slot in a two-level cspace. The root (L1) CNode is indexed
 * by the high bits, an L2 CNode by the low CAP_L2_BITS bits:
 *
 *     31                          8 7        0
 *     +----------------------------+----------+
 *     |        L1 index            | L2 index |
 *     +----------------------------+----------+
 *
 * A level-1 lookup uses only the L1 index and names a slot of the root
 * CNode (typically an L2 CNode cap); a level-2 lookup goes through that slot
 * (which must hold a CNode) and takes the L2 index. An L2 CNode may have
 * fewer than 256 slots; indices past its end are refused.
 */
#ifndef KPI_CAPS_H
#define KPI_CAPS_H
#include <stdint.h>

/*
 * X(enum name, printed name). The reserved Arrakis objects come last; their
 * numbers are fixed now so the ABI does not move when they are implemented.
 */
#define CAP_TYPES(X)                        \
    X(CAP_NULL,         "Null")             \
    X(CAP_RAM,          "RAM")              \
    X(CAP_FRAME,        "Frame")            \
    X(CAP_DEVFRAME,     "DevFrame")         \
    X(CAP_CNODE,        "CNode")            \
    X(CAP_VNODE_PML4,   "VNode_PML4")       \
    X(CAP_VNODE_PDPT,   "VNode_PDPT")       \
    X(CAP_VNODE_PD,     "VNode_PD")         \
    X(CAP_VNODE_PT,     "VNode_PT")         \
    X(CAP_DISPATCHER,   "Dispatcher")       \
    X(CAP_ENDPOINT,     "Endpoint")         \
    X(CAP_IRQ_VECTOR,   "IRQVector")        \
    X(CAP_KERNEL,       "Kernel")           \
    X(CAP_VNIC,         "VNIC")             \
    X(CAP_FILTER,       "Filter")           \
    X(CAP_DOORBELL,     "Doorbell")         \
    X(CAP_RATE,         "Rate")             \
    X(CAP_VSA,          "VSA")              \
    X(CAP_VSIC,         "VSIC")             \
    X(CAP_NVME,         "NVMe")

enum cap_type {
#define CAP_TYPE_ENUM(name, str) name,
    CAP_TYPES(CAP_TYPE_ENUM)
#undef CAP_TYPE_ENUM
    CAP_TYPE_COUNT
};
_Static_assert(CAP_NULL == 0, "an all-zero slot must be empty");

/** The printed name of a type ("?" for a number that is not a type). */
static inline const char *cap_type_name(unsigned type)
{
    static const char *const names[CAP_TYPE_COUNT] = {
#define CAP_TYPE_NAME(name, str) [name] = str,
        CAP_TYPES(CAP_TYPE_NAME)
#undef CAP_TYPE_NAME
    };
    return type < CAP_TYPE_COUNT ? names[type] : "?";
}

/*
 * CAP_VSA: the authority to use the VSA of one name (usr/vsicd). Minted only
 * by the kernel, at spawn, from the spawn request a monitor makes for an
 * admin's `spawn P vsa=NAME[:r]` (kernel/spawn.c); identify tells the name
 * as `base` (the 8 bytes of the name, little-endian, zero-padded), `bytes`
 * is 0. Rights: CAP_RIGHT_READ, CAP_RIGHT_WRITE (a mint only removes them).
 * A domain shows it to the VSIC service by VSIC.present_vsa; the VSIC keeps
 * that VSA while the presented capability lives (drivers/storage/nvme).
 */
#define CAP_VSA_NAME_MAX 8

/* Rights: a mint may only remove them. */
#define CAP_RIGHT_READ      (1u << 0)
#define CAP_RIGHT_WRITE     (1u << 1)
#define CAP_RIGHT_EXECUTE   (1u << 2)
#define CAP_RIGHT_GRANT     (1u << 3)
#define CAP_RIGHT_ALL       (CAP_RIGHT_READ | CAP_RIGHT_WRITE | CAP_RIGHT_EXECUTE | \
                             CAP_RIGHT_GRANT)

/* Capability addresses (see the picture above). */
typedef uint32_t capaddr_t;
#define CAP_L2_BITS         8
#define CAP_L2_SLOTS        (1u << CAP_L2_BITS)
#define CAP_L1_BITS         (32 - CAP_L2_BITS)
#define CAP_CPTR(l1, l2)    ((capaddr_t)(((uint32_t)(l1) << CAP_L2_BITS) | \
                                         ((uint32_t)(l2) & (CAP_L2_SLOTS - 1))))
#define CAP_CPTR_L1(cptr)   ((uint32_t)(cptr) >> CAP_L2_BITS)
#define CAP_CPTR_L2(cptr)   ((uint32_t)(cptr) & (CAP_L2_SLOTS - 1))
enum cap_level { CAP_LEVEL_L1 = 1, CAP_LEVEL_L2 = 2 };

/* One CNode slot takes this many bytes: a CNode of B bytes has B / 64 slots. */
#define CAP_SLOT_BYTES      64

/** What identify returns: the object behind a capability. */
struct cap_identity {
    uint32_t type;      /* enum cap_type */
    uint32_t rights;    /* CAP_RIGHT_* */
    uint64_t base;      /* physical base of the object (0 if it has no memory) */
    uint64_t bytes;     /* size of the object in bytes (0 if it has no memory) */
};
_Static_assert(sizeof(struct cap_identity) == 24, "cap_identity is ABI");
#endif
