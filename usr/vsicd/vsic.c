/*
 * vsic.c: serving VSICs. Every VSIC has a request and a response ring in
 * a Frame of ours lent to the client; its data moves by DMA straight into
 * the one Frame of its own memory it registered with its VSIC capability
 * (the kernel tells us which: NVMe.vsic_info).
 *
 * A VSIC starts with the client's hello (a Frame lent with
 * VSIC_HELLO_TAG | VSIC id << 16): the kernel names the sender, and the
 * VSIC must be that domain's and have memory registered. Then we lend it
 * the rings (VSIC_RING_TAG | id << 16) and poll them.
 *
 * Each request is copied out of the ring before it is looked at, and
 * checked against the VSIC's VSA handles (bounds, rights) and its memory;
 * a refused one gets an error response and nothing touches the disk. A
 * good one becomes one NVMe command per extent it crosses (virtual to
 * physical blocks, vsa.c). Authority for a VSA is a capability (CAP_VSA,
 * minted by the kernel at spawn for `spawn ... vsa=NAME[:r]`): the client
 * shows it to its VSIC (VSIC.present_vsa) and we ask the kernel
 * (NVMe.vsa_rights) what the VSIC was shown for a name before a create or
 * acquire; a handle keeps at most those rights. When a shown capability
 * goes, the kernel's count of records gone for that VSIC moves and the
 * kernel sends us a hint (MONITOR_MSG_VSA_GONE): we ask again for every
 * handle of that VSIC (on the hint, at its next create/acquire, and once
 * a second in vsic_check), and a handle whose name lost its rights is
 * refused from then on (VSA_ERR_REVOKED). Rate specifiers (IOPS and
 * KiB/s, per domain) are token buckets: a VSIC out of tokens is not
 * served until they refill. A write flagged VSIC_REQ_FUA goes with NVMe's
 * FUA bit, and where the controller ignores it (QEMU's:
 * nvme_ctrl.fua_needs_flush) a Flush follows once every piece completed;
 * the answer waits for it (README.md, "FUA writes").
 *
 * Wake-ups (arrakis/vsic_ring.h): after completions are posted to a VSIC
 * whose client sleeps (client_asleep), the flag is cleared and the
 * client's doorbell rung (NVMe.vsic_ring: the kernel rings the VSIC's
 * holder on its core), once per batch; before vsicd sleeps it sets
 * service_asleep in every ring so that clients kick it (main.c).
 */
#include "vsicd.h"
#include "vsa.h"
#include <storage/nvme/shared/vsatable.h>
#include <libos/debug.h>
#include <libos/libos.h>
#include <libos/ram.h>
#include <libos/syscall.h>
#include <libos/tsc.h>
#include <kpi/cspace.h>
#include <kpi/monitor.h>
#include <kpi/syscall.h>
#include <string.h>
#include <fmt.h>

#define ROOTCN          CAP_TASK(TASKCN_SLOT_ROOTCN)
#define RECV            CAP_TASK(TASKCN_SLOT_RECV)
#define MONITOR         CAP_TASK(TASKCN_SLOT_MONITOREP)
#define VSICS           16          /* = the kernel's NVME_VSICS: VSIC id n is vsics[n - 1] */
#define HANDLES         4
#define RATES           32
#define PENDING         128
#define REVOKED         (-2)        /* h[].vsa of a handle whose capability went */

struct vsic {
    uint32_t holder;                /* 0: free */
    capaddr_t ring_slot;            /* our Frame of its rings (lent to it) */
    bool broken;
    struct vsic_ring *ring;
    uint64_t buf_pa, buf_bytes;     /* its registered memory */
    uint32_t tail, resp_head;       /* ours: the ring's copies are only told */
    uint32_t seen_head;             /* req_head when we last looked */
    bool posted;                    /* responses since its doorbell was last considered */
    uint32_t outstanding;           /* requests taken, not answered */
    struct { int vsa; uint32_t rights; uint64_t name; } h[HANDLES];    /* vsa -1: free */
    uint32_t vsa_gone;              /* the kernel's count of shown VSAs gone, as last seen */
    uint32_t iops, kbps;            /* 0: no limit */
    uint64_t tok_ops, tok_bytes, last;
    uint64_t ios, bytes, errors;
};

static struct vsic vsics[VSICS];
static struct { uint32_t domain, iops, kbps; } rates[RATES];
/* A request in flight: its NVMe commands (left), then, for a FUA write on
 * a controller that ignores FUA, the Flush that makes it durable. */
static struct {
    bool used, then_flush;
    uint16_t vsic;
    uint64_t cookie;
    unsigned left;
    errval_t st;
    uint64_t taken;
} pend[PENDING];
static uint64_t fua_writes, fua_flushes;

static uint64_t now(void) { return rdtsc_now(); }

static void post(struct vsic *v, uint64_t cookie, errval_t st, uint64_t value)
{
    struct vsic_resp *r = &v->ring->resp[v->resp_head % VSIC_SLOTS];
    r->cookie = cookie;
    r->status = st;
    r->value = value;
    r->posted_tsc = now();
    v->resp_head++;
    __atomic_thread_fence(__ATOMIC_RELEASE);
    v->ring->resp_head = v->resp_head;
    v->posted = true;
}

uint64_t vsicd_sleeps, vsicd_rings_sent, vsicd_ring_errors;

void vsic_ring_clients(void)
{
    bool any = false;
    for (unsigned i = 0; i < VSICS; i++)
        any |= vsics[i].posted;
    if (!any)
        return;
    __atomic_thread_fence(__ATOMIC_SEQ_CST);    /* responses out before the flag is read */
    for (unsigned i = 0; i < VSICS; i++) {
        struct vsic *v = &vsics[i];
        if (!v->posted)
            continue;
        v->posted = false;
        if (!v->holder || !__atomic_exchange_n(&v->ring->client_asleep, 0, __ATOMIC_SEQ_CST))
            continue;
        errval_t err = sys_invoke(vsicd_nvme_cap, NVME_CMD_VSIC_RING, i + 1, 0, 0, 0).err;
        if (err_is_ok(err))
            vsicd_rings_sent++;
        else if (vsicd_ring_errors++ < 4)
            debug_printf("vsicd: VSIC %u: ringing its doorbell: %s\n", i + 1, err_name(err_no(err)));
    }
}

void vsic_sleeping(bool asleep)
{
    for (unsigned i = 0; i < VSICS; i++)
        if (vsics[i].holder)
            vsics[i].ring->service_asleep = asleep;
    __atomic_thread_fence(__ATOMIC_SEQ_CST);    /* the flag out before the rings are looked at */
}

bool vsic_pending(void)
{
    for (unsigned i = 0; i < VSICS; i++)
        if (vsics[i].holder && !vsics[i].broken && vsics[i].ring->req_head != vsics[i].seen_head)
            return true;
    return false;
}

void vsic_bell_probe(void)
{
    const uint32_t ids[] = { 0, VSICS + 1, VSICS };
    errval_t got[3];
    for (unsigned i = 0; i < 3; i++)
        got[i] = sys_invoke(vsicd_nvme_cap, NVME_CMD_VSIC_RING, ids[i], 0, 0, 0).err;
    const capaddr_t spare = CAP_TASK(TASKCN_SLOT_FIRST_FREE + 2);
    errval_t far = sys_invoke(vsicd_nvme_cap, NVME_CMD_DOORBELL_CREATE, 4096, spare, 0, 0).err;
    errval_t wide = sys_invoke(vsicd_nvme_cap, NVME_CMD_DOORBELL_CREATE, 0x10000, spare, 0, 0).err;
    errval_t twice = sys_invoke(vsicd_nvme_cap, NVME_CMD_DOORBELL_CREATE, 2, spare, 0, 0).err;
    if (err_is_ok(far) || err_is_ok(wide) || err_is_ok(twice))
        sys_invoke(ROOTCN, CNODE_CMD_DELETE, spare, 0, 0, 0);
    debug_printf("vsicd: refused: ring VSIC 0: %s; ring VSIC %u: %s; ring VSIC %u (nobody's): %s; "
                 "doorbell on MSI-X entry 4096: %s; entry 65536: %s; a second doorbell: %s\n",
                 err_name(err_no(got[0])), VSICS + 1, err_name(err_no(got[1])), VSICS,
                 err_name(err_no(got[2])), err_name(err_no(far)), err_name(err_no(wide)),
                 err_name(err_no(twice)));
}

static void rate_apply(struct vsic *v)
{
    for (unsigned i = 0; i < RATES; i++)
        if (rates[i].domain && rates[i].domain == v->holder) {
            v->iops = rates[i].iops;
            v->kbps = rates[i].kbps;
            v->tok_ops = v->tok_bytes = 0;
            v->last = now();
        }
}

#define ORPHAN 0xffff                   /* pend[].vsic of a dropped VSIC */

/* The VSIC's holder let go of it: forget it, and answer nobody for what
 * it still has in flight (the kernel unmapped its memory already). */
static void vsic_drop(struct vsic *v)
{
    unsigned idx = (unsigned)(v - vsics);
    for (unsigned p = 0; p < PENDING; p++)
        if (pend[p].used && pend[p].vsic == idx)
            pend[p].vsic = ORPHAN;
    sys_invoke(ROOTCN, CNODE_CMD_DELETE, v->ring_slot, 0, 0, 0);     /* unmapped with it */
    debug_printf("vsicd: VSIC %u of domain %#x is gone (%lu I/Os, %lu KiB)\n", idx + 1, v->holder,
                 v->ios, v->bytes / 1024);
    *v = (struct vsic){ 0 };
}

/* What VSIC v is shown now for VSA `name` (0: nothing), read from the
 * kernel's table (NVMe.map_vsas; storage/nvme/shared/vsatable.h reads it),
 * and its count of records gone. The kernel makes a record dead before the
 * delete, revoke or end that removed its capability returns, and we read
 * the table after the request we check, so a request written after that
 * return is never served under it (README.md, "VSAs as capabilities"). */
static uint32_t shown(const struct vsic *v, uint64_t name, uint32_t *gone)
{
    unsigned n = (unsigned)(v - vsics);
    const struct nvme_vsa_vsic *t = vsicd_shown ? &vsicd_shown->vsic[n] : NULL;
    *gone = t ? __atomic_load_n(&t->gone, __ATOMIC_ACQUIRE) : 0;
    if (!t)
        return 0;                       /* never mapped: nothing */
    return vsatable_rights(t, v->holder, name) & (VSIC_RIGHT_READ | VSIC_RIGHT_WRITE);
}

/* Handle h keeps only what its name is still shown for; one left with
 * nothing is refused from now on. */
static void handle_recheck(struct vsic *v, unsigned h)
{
    uint32_t gone, rights = shown(v, v->h[h].name, &gone);
    if ((v->h[h].rights & rights) == v->h[h].rights)
        return;
    char name[VSIC_NAME_MAX + 1] = { 0 };
    memcpy(name, &v->h[h].name, VSIC_NAME_MAX);
    v->h[h].rights &= rights;
    if (!v->h[h].rights)
        v->h[h].vsa = REVOKED;
    debug_printf("vsicd: VSIC %ld of domain %#x: handle %u (VSA %s) %s: its capability went\n",
                 (long)(v - vsics) + 1, v->holder, h, name,
                 v->h[h].rights ? "is read-only now" : "is revoked");
}

/* Whether the kernel's count moved since we last looked: if so, every
 * handle is checked (for the log line at once; each request is checked
 * anyway). */
static void gone_check(struct vsic *v)
{
    uint32_t gone;
    (void)shown(v, 0, &gone);
    if (gone == v->vsa_gone)
        return;
    v->vsa_gone = gone;
    for (unsigned h = 0; h < HANDLES; h++)
        if (v->h[h].vsa >= 0)
            handle_recheck(v, h);
}

void vsic_vsa_gone(uint32_t id)
{
    if (id >= 1 && id <= VSICS && vsics[id - 1].holder)
        gone_check(&vsics[id - 1]);
}

void vsic_check(void)
{
    for (unsigned i = 0; i < VSICS; i++) {
        struct vsic_info info;
        if (vsics[i].holder &&
            err_is_ok(sys_invoke(vsicd_nvme_cap, NVME_CMD_VSIC_INFO, i + 1,
                                 (uint64_t)(uintptr_t)&info, 0, 0).err) &&
            info.holder != vsics[i].holder) {
            vsic_drop(&vsics[i]);
            continue;
        }
        if (vsics[i].holder)
            gone_check(&vsics[i]);
    }
}

void vsic_hello(uint32_t sender, uint64_t tag)
{
    sys_invoke(ROOTCN, CNODE_CMD_DELETE, RECV, 0, 0, 0);   /* only its tag and sender count */
    uint32_t id = (uint32_t)(tag >> 16);
    struct vsic_info info;
    errval_t err = id >= 1 && id <= VSICS ? ERR_OK : VSA_ERR_BAD_HANDLE;
    if (err_is_ok(err))
        err = sys_invoke(vsicd_nvme_cap, NVME_CMD_VSIC_INFO, id, (uint64_t)(uintptr_t)&info, 0, 0).err;
    if (err_is_ok(err) && info.holder != sender)
        err = CAP_ERR_WRONG_TYPE;       /* someone else's VSIC: not to be named */
    if (err_is_ok(err) && (!info.bytes || info.bytes > (1ull << 30)))
        err = VSIC_ERR_BUF;             /* nothing registered (or absurd) */
    if (err_is_ok(err) && vsics[id - 1].holder == sender)
        err = VSIC_ERR_TOO_MANY;        /* served already */
    if (err_is_ok(err) && vsics[id - 1].holder)
        vsic_drop(&vsics[id - 1]);      /* the kernel gave the id anew: its holder is gone */
    struct vsic *v = err_is_ok(err) ? &vsics[id - 1] : NULL;
    capaddr_t slot;
    uint64_t va = VSICD_RING_VA + (uint64_t)(id - 1) * VSIC_RING_BYTES;
    if (err_is_ok(err))
        err = ram_map_new(va, VSIC_RING_BYTES, &slot);
    if (err_is_ok(err)) {
        memset((void *)va, 0, VSIC_RING_BYTES);
        err = sys_invoke(MONITOR, ENDPOINT_CMD_SEND_CAP, MONITOR_MSG_SEND_CAP, sender,
                         VSIC_RING_TAG | (uint64_t)id << 16, slot).err;
    }
    if (err_is_fail(err)) {
        debug_printf("vsicd: VSIC %u from domain %#x refused: %s\n", id, sender,
                     err_name(err_no(err)));
        return;
    }
    *v = (struct vsic){ .holder = sender, .ring_slot = slot, .ring = (struct vsic_ring *)va,
                        .buf_pa = info.base, .buf_bytes = info.bytes };
    for (unsigned i = 0; i < HANDLES; i++)
        v->h[i].vsa = -1;
    rate_apply(v);
    debug_printf("vsicd: VSIC %u of domain %#x: rings lent, %lu KiB of its memory registered\n",
                 id, sender, info.bytes / 1024);
}

void vsic_rate(uint32_t domain, uint32_t iops, uint32_t kbps)
{
    unsigned i = 0;
    while (i < RATES && rates[i].domain && rates[i].domain != domain)
        i++;
    if (i == RATES)
        i = 0;
    rates[i].domain = domain;
    rates[i].iops = iops;
    rates[i].kbps = kbps;
    for (unsigned v = 0; v < VSICS; v++)
        if (vsics[v].holder == domain)
            rate_apply(&vsics[v]);
    debug_printf("vsicd: domain %#x limited to %u I/Os and %u KiB a second%s\n", domain, iops,
                 kbps, iops || kbps ? "" : " (no limit)");
}

void vsic_list(void)
{
    vsic_check();
    struct doorbell_stats st;
    errval_t err = vsicd_have_bell ? sys_invoke(vsicd_bell, DOORBELL_CMD_STATS,
                                                (uint64_t)(uintptr_t)&st, 0, 0, 0).err
                                   : DOORBELL_ERR_NOT_HOLDER;
    if (err_is_ok(err))
        debug_printf("vsicd: doorbell: %lu rings (%lu kicks sent, %lu coalesced), %lu sleeps, "
                     "%lu arms; %lu client doorbells rung\n", st.rings, st.kicks, st.coalesced,
                     vsicd_sleeps, st.arms, vsicd_rings_sent);
    else
        debug_printf("vsicd: doorbell: none (%s); %lu sleeps\n", err_name(err_no(err)), vsicd_sleeps);
    debug_printf("vsicd: %lu FUA writes, %lu flushes after them\n", fua_writes, fua_flushes);
    debug_printf("vsicd: %u VSAs on the disk (table generation %lu):\n", vsa_table->count,
                 vsa_table->generation);
    for (int i = 0; i < VSA_MAX; i++) {
        const struct vsa_entry *e = &vsa_table->vsa[i];
        if (!e->name[0])
            continue;
        char line[256];
        int n = fmt_snprintf(line, sizeof(line), "vsicd:   vsa %.8s owner %#x %lu blocks (%lu KiB) extents",
                             e->name, e->creator, e->blocks, e->blocks * vsicd_nvme.block_bytes / 1024);
        for (unsigned x = 0; x < e->nextents && n < (int)sizeof(line); x++)
            n += fmt_snprintf(line + n, sizeof(line) - n, " %lu+%lu", e->ext[x].start, e->ext[x].count);
        n += fmt_snprintf(line + n, n < (int)sizeof(line) ? sizeof(line) - n : 0, " vsics");
        unsigned att = 0;
        for (unsigned v = 0; v < VSICS; v++)
            for (unsigned h = 0; vsics[v].holder && h < HANDLES; h++)
                if (vsics[v].h[h].vsa == i && n < (int)sizeof(line)) {
                    n += fmt_snprintf(line + n, sizeof(line) - n, " %u(domain %#x %s)", v + 1,
                                      vsics[v].holder, vsics[v].h[h].rights & VSIC_RIGHT_WRITE ? "rw" : "r");
                    att++;
                }
        debug_printf("%s%s\n", line, att ? "" : " none");
    }
}

/* Tokens for one I/O of `bytes`; refilled from the time gone by. */
static bool rate_take(struct vsic *v, uint64_t bytes)
{
    if (!v->iops && !v->kbps)
        return true;
    uint64_t t = now(), hz = libos_tsc_hz(), el = t - v->last;
    if (el > hz)
        el = hz;
    v->last = t;
    /* tokens in units of 1/hz: an op is hz, a byte is hz */
    uint64_t burst_ops = (v->iops / 10 ? v->iops / 10 : 1) * hz;
    uint64_t burst_bytes = (uint64_t)vsicd_nvme.max_xfer_bytes * hz;
    if (v->iops) {
        v->tok_ops += el * v->iops;
        if (v->tok_ops > burst_ops)
            v->tok_ops = burst_ops;
        if (v->tok_ops < hz)
            return false;
    }
    if (v->kbps) {
        unsigned __int128 add = (unsigned __int128)el * v->kbps * 1024;
        v->tok_bytes = add + v->tok_bytes > burst_bytes ? burst_bytes : (uint64_t)(add + v->tok_bytes);
        if (v->tok_bytes < bytes * hz)
            return false;
        v->tok_bytes -= bytes * hz;
    }
    if (v->iops)
        v->tok_ops -= hz;
    return true;
}

static int handle_attach(struct vsic *v, int vsa, uint32_t rights, uint64_t name)
{
    for (int h = 0; h < HANDLES; h++)
        if (v->h[h].vsa < 0) {
            v->h[h].vsa = vsa;
            v->h[h].rights = rights;
            v->h[h].name = name;
            return h;
        }
    return -1;
}

/* The VSA behind handle `h` of a request, or <0 with why in *err; its
 * rights cut first to what the kernel's table shows now (every request). */
static int handle_vsa(struct vsic *v, unsigned h, errval_t *err)
{
    if (h < HANDLES && v->h[h].vsa >= 0)
        handle_recheck(v, h);
    int vsa = h < HANDLES ? v->h[h].vsa : -1;
    *err = vsa == REVOKED ? VSA_ERR_REVOKED : vsa < 0 ? VSA_ERR_BAD_HANDLE : ERR_OK;
    return vsa;
}

enum verdict { DONE, SUBMITTED, LATER };

/* Create or acquire: the VSA capabilities shown to the VSIC decide (the
 * kernel says which). */
static enum verdict named(struct vsic *v, const struct vsic_req *q, errval_t *err, uint64_t *value)
{
    char name[VSIC_NAME_MAX + 1];
    if (!vsa_name_ok(q->name, name)) {
        *err = VSA_ERR_BAD_NAME;
        return DONE;
    }
    uint32_t want = q->op == VSIC_OP_VSA_CREATE ? VSIC_RIGHT_READ | VSIC_RIGHT_WRITE : q->rights;
    if (!want || (want & ~(VSIC_RIGHT_READ | VSIC_RIGHT_WRITE))) {
        *err = VSA_ERR_RIGHTS;
        return DONE;
    }
    uint64_t n64 = 0;
    memcpy(&n64, name, vsa_name_len(name));
    gone_check(v);
    uint32_t gone, rights = shown(v, n64, &gone);
    *err = ERR_OK;
    if ((rights & want) != want) {
        debug_printf("vsicd: domain %#x holds no authority for VSA %s: refused\n", v->holder, name);
        *err = VSA_ERR_NO_AUTHORITY;
    }
    if (err_is_fail(*err))
        return DONE;
    int vsa = -1;
    if (q->op == VSIC_OP_VSA_CREATE) {
        *err = vsa_create(name, q->arg, v->holder, &vsa);
    } else {
        vsa = vsa_find(name);
        *err = vsa < 0 ? VSA_ERR_NOT_FOUND : ERR_OK;
    }
    int h = err_is_ok(*err) ? handle_attach(v, vsa, want, n64) : -1;
    if (err_is_ok(*err) && h < 0)
        *err = VSA_ERR_BAD_HANDLE;
    if (err_is_ok(*err)) {
        unsigned lg = 0;
        while ((1u << lg) < vsicd_nvme.block_bytes)
            lg++;
        *value = (uint64_t)h | (uint64_t)lg << 8 | vsa_table->vsa[vsa].blocks << 16;
        debug_printf("vsicd: VSIC %ld of domain %#x: VSA %s %s (%lu blocks) as handle %d\n",
                     (long)(v - vsics) + 1, v->holder, name,
                     q->op == VSIC_OP_VSA_CREATE ? "created" : "acquired",
                     vsa_table->vsa[vsa].blocks, h);
    }
    return DONE;
}

/* Read, write or flush: checked, then one NVMe command per extent. */
static enum verdict io(struct vsic *v, const struct vsic_req *q, errval_t *err)
{
    struct nvme_ctrl *c = &vsicd_nvme;
    int vsa = handle_vsa(v, q->vsa, err);
    uint32_t need = q->op == VSIC_OP_WRITE ? VSIC_RIGHT_WRITE : VSIC_RIGHT_READ;
    uint64_t bytes = (uint64_t)q->count * c->block_bytes;
    if (vsa < 0)
        ;                               /* *err says why */
    else if (q->flags & ~VSIC_REQ_FUA || (q->flags && q->op != VSIC_OP_WRITE))
        *err = VSIC_ERR_BAD_FLAGS;
    else if (q->op != VSIC_OP_FLUSH && !(v->h[q->vsa].rights & need))
        *err = VSA_ERR_RIGHTS;
    else if (q->op != VSIC_OP_FLUSH && (q->count == 0 || bytes > c->max_xfer_bytes ||
                                        bytes > VSIC_MAX_IO_BYTES))
        *err = VSIC_ERR_TOO_LONG;
    else if (q->op != VSIC_OP_FLUSH &&
             ((q->buf_off & 3) || q->buf_off >= v->buf_bytes || bytes > v->buf_bytes - q->buf_off))
        *err = VSIC_ERR_BUF;
    else if (q->op != VSIC_OP_FLUSH && (q->block >= vsa_table->vsa[vsa].blocks ||
                                        q->count > vsa_table->vsa[vsa].blocks - q->block))
        *err = VSA_ERR_BOUNDS;
    else
        *err = ERR_OK;
    if (err_is_fail(*err)) {
        if (v->errors++ < 8)
            debug_printf("vsicd: VSIC %ld of domain %#x: request refused: %s\n",
                         (long)(v - vsics) + 1, v->holder, err_name(err_no(*err)));
        return DONE;
    }
    unsigned pieces = 1;
    uint64_t pb, run;
    if (q->op != VSIC_OP_FLUSH) {
        pieces = 0;
        for (uint64_t b = q->block, left = q->count; left; pieces++) {
            vsa_translate(vsa, b, &pb, &run);
            uint64_t n = run < left ? run : left;
            b += n;
            left -= n;
        }
    }
    if (c->inflight + pieces + 2 > c->io.depth)
        return LATER;
    unsigned p = 0;
    while (p < PENDING && pend[p].used)
        p++;
    if (p == PENDING)
        return LATER;
    if (!rate_take(v, q->op == VSIC_OP_FLUSH ? 0 : bytes))
        return LATER;
    bool fua = q->flags & VSIC_REQ_FUA;
    pend[p].used = true;
    pend[p].then_flush = fua && c->fua_needs_flush;
    pend[p].vsic = (uint16_t)(v - vsics);
    pend[p].cookie = q->cookie;
    pend[p].left = pieces;
    pend[p].st = ERR_OK;
    pend[p].taken = now();
    if (q->op == VSIC_OP_FLUSH) {
        errval_t e = nvme_submit(c, NVME_CMD_FLUSH, 0, 0, 0, p);
        if (err_is_fail(e))
            vsicd_complete(NULL, p, e);
    } else {
        uint64_t off = q->buf_off;
        for (uint64_t b = q->block, left = q->count; left;) {
            vsa_translate(vsa, b, &pb, &run);
            uint64_t n = run < left ? run : left;
            errval_t e = nvme_submit_rw(c, q->op == VSIC_OP_WRITE ? NVME_CMD_WRITE : NVME_CMD_READ,
                                        pb, (uint32_t)n, v->buf_pa + off, fua ? NVME_RW_FUA : 0, p);
            if (err_is_fail(e))
                vsicd_complete(NULL, p, e);
            b += n;
            left -= n;
            off += n * c->block_bytes;
        }
        v->bytes += bytes;
        fua_writes += fua;
    }
    v->ios++;
    v->outstanding++;
    return SUBMITTED;
}

static void drop_handles(int vsa)
{
    for (unsigned i = 0; i < VSICS; i++)
        for (unsigned h = 0; h < HANDLES; h++)
            if (vsics[i].h[h].vsa == vsa)
                vsics[i].h[h].vsa = -1;
}

static enum verdict serve(struct vsic *v, const struct vsic_req *q)
{
    errval_t err = ERR_OK;
    uint64_t value = 0;
    enum verdict d = DONE;
    errval_t herr;
    int vsa = handle_vsa(v, q->vsa, &herr);
    bool w = q->vsa < HANDLES && (v->h[q->vsa].rights & VSIC_RIGHT_WRITE);
    bool is_io = q->op == VSIC_OP_READ || q->op == VSIC_OP_WRITE || q->op == VSIC_OP_FLUSH;
    switch (is_io || !q->flags ? (int)q->op : -1) {    /* io() checks the flags of I/O */
    case -1:
        err = VSIC_ERR_BAD_FLAGS;
        if (v->errors++ < 8)
            debug_printf("vsicd: VSIC %ld of domain %#x: request refused: %s\n",
                         (long)(v - vsics) + 1, v->holder, err_name(err_no(err)));
        break;
    case VSIC_OP_READ:
    case VSIC_OP_WRITE:
    case VSIC_OP_FLUSH:
        d = io(v, q, &err);
        break;
    case VSIC_OP_VSA_CREATE:
    case VSIC_OP_VSA_ACQUIRE:
        d = named(v, q, &err, &value);
        break;
    case VSIC_OP_VSA_RESIZE:
        err = vsa < 0 ? herr : !w ? VSA_ERR_RIGHTS : vsa_resize(vsa, q->arg);
        break;
    case VSIC_OP_VSA_DELETE:
        err = vsa < 0 ? herr : !w ? VSA_ERR_RIGHTS : vsa_delete(vsa);
        if (err_is_ok(err))
            drop_handles(vsa);
        break;
    default:
        err = VSIC_ERR_BAD_OP;
    }
    if (d == DONE)
        post(v, q->cookie, err, value);
    return d;
}

bool vsic_poll(void)
{
    bool work = false;
    for (unsigned i = 0; i < VSICS; i++) {
        struct vsic *v = &vsics[i];
        if (!v->holder || v->broken)
            continue;
        uint32_t head = v->ring->req_head;
        __atomic_thread_fence(__ATOMIC_ACQUIRE);
        v->seen_head = head;
        if (head - v->tail > VSIC_SLOTS) {
            debug_printf("vsicd: VSIC %u of domain %#x: request index %u is %u past ours: "
                         "no longer served\n", i + 1, v->holder, head, head - v->tail);
            v->broken = true;
            continue;
        }
        if (vsicd_shown && __atomic_load_n(&vsicd_shown->vsic[i].holder, __ATOMIC_ACQUIRE) != v->holder) {
            vsic_drop(v);               /* let go of (its end): the kernel's table says so at once */
            continue;
        }
        while (v->tail != head) {
            uint32_t unread = v->resp_head - v->ring->resp_tail;
            if (unread > VSIC_SLOTS || v->outstanding + unread >= VSIC_SLOTS)
                break;                  /* no room for its answer yet */
            struct vsic_req q = v->ring->req[v->tail % VSIC_SLOTS];     /* ours from here on */
            if (serve(v, &q) == LATER)
                break;
            v->tail++;
            v->ring->req_tail = v->tail;
            work = true;
        }
    }
    return work;
}

void vsicd_complete(void *arg, uint64_t cookie, errval_t st)
{
    (void)arg;
    if (cookie == VSICD_SYNC_COOKIE) {
        vsicd_sync_done(st);
        return;
    }
    if (cookie >= PENDING || !pend[cookie].used)
        return;
    if (err_is_fail(st) && err_is_ok(pend[cookie].st))
        pend[cookie].st = st;
    if (--pend[cookie].left)
        return;
    if (pend[cookie].then_flush && err_is_ok(pend[cookie].st)) {
        /* Every piece of the FUA write completed: a Flush queued now
         * covers them (the controller ignores FUA: ctrl.c). Room for it
         * was kept when the write was taken (io: inflight + pieces + 2). */
        pend[cookie].then_flush = false;
        pend[cookie].left = 1;
        fua_flushes++;
        errval_t e = nvme_submit(&vsicd_nvme, NVME_CMD_FLUSH, 0, 0, 0, cookie);
        if (err_is_ok(e))
            return;
        pend[cookie].st = e;
        pend[cookie].left = 0;
    }
    pend[cookie].used = false;
    if (pend[cookie].vsic == ORPHAN)
        return;
    struct vsic *v = &vsics[pend[cookie].vsic];
    if (err_is_fail(pend[cookie].st) && v->errors++ < 8)
        debug_printf("vsicd: VSIC %u: the controller refused: %s\n", pend[cookie].vsic + 1,
                     err_name(err_no(pend[cookie].st)));
    v->outstanding--;
    post(v, pend[cookie].cookie, pend[cookie].st, pend[cookie].taken);
}
