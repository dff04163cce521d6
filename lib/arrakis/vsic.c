/*
 * vsic.c: a VSIC from the library OS (arrakis/vsic.h). Opening takes
 * control calls (the monitor, the kernel's VSIC capability, the service's
 * hello); after that a request is a ring entry and its completion a ring
 * entry: this file enters the kernel only to kick the service when it
 * sleeps (service_asleep, arrakis/vsic_ring.h) and to sleep itself when it
 * has nothing to do: it polls for SPIN_US, then sets client_asleep, looks
 * once more and sleeps on its doorbell (the service rings the VSIC's bell
 * when it posts completions; the kernel counts it in this core's
 * dispatcher page). A sleep lasts at most SLEEP_MAX_MS, so a ring that
 * never comes (a service without doorbells) costs what a timer tick did.
 * Nothing the service writes is believed beyond the ring: a response
 * naming a cookie that is not in flight is dropped.
 */
#include <arrakis/vsic.h>
#include <libos/cyclestat.h>
#include <libos/debug.h>
#include <libos/doorbell.h>
#include <libos/libos.h>
#include <libos/lmp.h>
#include <libos/ram.h>
#include <libos/reqstage.h>
#include <libos/syscall.h>
#include <libos/tsc.h>
#include <kpi/cspace.h>
#include <kpi/dispatcher.h>
#include <kpi/monitor.h>
#include <kpi/syscall.h>
#include <string.h>

#define ROOTCN          CAP_TASK(TASKCN_SLOT_ROOTCN)
#define RECV            CAP_TASK(TASKCN_SLOT_RECV)
#define MONITOR         CAP_TASK(TASKCN_SLOT_MONITOREP)
#define VSIC_REQ_TAG    0x5c1e
#define OPEN_TIMEOUT_MS 10000
#define CTL_TIMEOUT_MS  10000
#define HELLO_TRIES     5
#define HELLO_WAIT_MS   2000
#define VSIC_WINDOW     (USER_MAP_BASE + (4ull << 40))   /* rings, hello, then the buffer */
#define VSIC_CAP_SLOT   CAP_TASK(TASKCN_SLOT_FIRST_FREE + 8)

static uint64_t ms_from_now(uint64_t ms) { return rdtsc_now() + libos_tsc_hz() / 1000 * ms; }

/* Wait for a message matching (type, w1); others are dropped. */
static errval_t await(uint64_t type, uint64_t w1, struct lmp_msg *out, uint64_t deadline)
{
    for (;;) {
        if (err_is_ok(lmp_poll(out))) {
            if (out->words[0] == type && out->words[1] == w1)
                return ERR_OK;
            if (out->words[0] == MONITOR_MSG_RESULT && err_is_fail((errval_t)out->words[2]))
                return (errval_t)out->words[2];
            continue;
        }
        if (rdtsc_now() > deadline)
            return VSIC_ERR_TIMEOUT;
        sys_yield(SYS_YIELD_BLOCK);
    }
}

errval_t vsic_open(struct vsic *v, uint32_t service, size_t buf_bytes)
{
    memset(v, 0, sizeof(*v));
    if (!service)
        return VSIC_ERR_NO_SERVICE;
    v->service = service;
    uint64_t deadline = ms_from_now(OPEN_TIMEOUT_MS);
    struct lmp_msg m;
    /* 1. the VSIC capability, moved out of the receive slot */
    errval_t err = lmp_send(MONITOR, MONITOR_MSG_VSIC_REQUEST, VSIC_REQ_TAG, 0, 0);
    if (err_is_ok(err))
        err = await(MONITOR_MSG_CAP, VSIC_REQ_TAG, &m, deadline);
    if (err_is_fail(err))
        return err;
    v->id = (uint32_t)m.words[2];
    v->cap = VSIC_CAP_SLOT;
    err = sys_invoke(ROOTCN, CNODE_CMD_COPY, RECV, v->cap, 0, 0).err;
    if (err_is_ok(err))
        err = sys_invoke(ROOTCN, CNODE_CMD_DELETE, RECV, 0, 0, 0).err;
    /* 2. our memory, registered with it */
    capaddr_t buf_slot, hello;
    uint64_t buf_va = VSIC_WINDOW + (1ull << 30);
    if (err_is_ok(err))
        err = ram_map_new(buf_va, buf_bytes, &buf_slot);
    if (err_is_ok(err))
        err = sys_invoke(v->cap, VSIC_CMD_REGISTER_DMA, buf_slot, 0, 0, 0).err;
    /* 3. hello: any Frame of ours lent to the service; it reads the tag.
     * Said again if no rings come: the service's receive slot may have
     * been busy with another client's hello (the import is then refused). */
    if (err_is_ok(err))
        err = ram_map_new(VSIC_WINDOW + VSIC_RING_BYTES, 4096, &hello);
    errval_t waited = VSIC_ERR_TIMEOUT;
    for (unsigned i = 0; i < HELLO_TRIES && err_is_ok(err) && err_no(waited) == VSIC_ERR_TIMEOUT; i++) {
        err = sys_invoke(MONITOR, ENDPOINT_CMD_SEND_CAP, MONITOR_MSG_SEND_CAP, service,
                         VSIC_HELLO_TAG | (uint64_t)v->id << 16, hello).err;
        /* 4. the rings, lent back: they stay in the receive slot, mapped */
        if (err_is_ok(err))
            waited = await(MONITOR_MSG_CAP, VSIC_RING_TAG | (uint64_t)v->id << 16, &m,
                           ms_from_now(HELLO_WAIT_MS));
    }
    if (err_is_ok(err))
        err = waited;
    if (err_is_ok(err) && m.words[2] != service)     /* who lent it (the monitors say) */
        err = VSIC_ERR_NO_SERVICE;
    /* Out of the receive slot (CNode.move: a Frame from another core
     * cannot be copied), so the domain can still be sent a VNIC. */
    if (err_is_ok(err))
        err = sys_invoke(ROOTCN, CNODE_CMD_MOVE, RECV, VSIC_RING_SLOT, 0, 0).err;
    if (err_is_ok(err))
        err = sys_invoke(VSIC_RING_SLOT, FRAME_CMD_MAP, VSIC_WINDOW, FRAME_MAP_WRITE, 0, 0).err;
    if (err_is_fail(err))
        return err;
    sys_invoke(ROOTCN, CNODE_CMD_DELETE, hello, 0, 0, 0);
    v->ring = (struct vsic_ring *)VSIC_WINDOW;
    v->core = libos_core_id();
    v->buf = (uint8_t *)buf_va;
    v->buf_bytes = buf_bytes;
    v->block_size = 512;
    return ERR_OK;
}

errval_t vsic_kick(struct vsic *v)
{
    struct sysret r = sys_invoke(v->cap, VSIC_CMD_KICK, 0, 0, 0, 0);
    v->kicks++;
    v->kicks_sent += err_is_ok(r.err) && r.value;
    return r.err;
}

/* Requests published: wake the service if it said it sleeps. */
static void kick(struct vsic *v)
{
    __atomic_thread_fence(__ATOMIC_SEQ_CST);    /* req_head out before the flag is read */
    if (v->ring->service_asleep)
        (void)vsic_kick(v);             /* a failed kick: the service's own deadline wakes it */
}

errval_t vsic_submit(struct vsic *v, unsigned op, uint32_t flags, unsigned handle, uint64_t block,
                     uint32_t count, uint64_t buf_off, blk_done_fn done, void *cookie)
{
    if (v->inflight >= VSIC_SLOTS)
        return VSIC_ERR_FULL;
    unsigned slot = 0;
    while (v->op[slot].used)
        slot++;
    v->op[slot].used = true;
    v->op[slot].io = true;
    v->op[slot].done = done;
    v->op[slot].cookie = cookie;
    struct vsic_req *q = &v->ring->req[v->head % VSIC_SLOTS];
    *q = (struct vsic_req){ .op = (uint16_t)op, .vsa = (uint16_t)handle, .count = count,
                            .cookie = slot, .block = block, .buf_off = buf_off, .flags = flags };
    v->head++;
    v->inflight++;
    __atomic_thread_fence(__ATOMIC_RELEASE);
    v->ring->req_head = v->head;
    reqstage_stamp(REQ_VSIC_POST);
    if (cyclestat_every) {
        cyclestat_stamp(CYC_VSIC_POST);
        cyclestat_add(CYCN_VSIC_REQS, 1);
    }
    kick(v);
    return ERR_OK;
}

unsigned vsic_poll(struct vsic *v)
{
    unsigned n = 0;
    for (;;) {
        uint32_t head = v->ring->resp_head;
        __atomic_thread_fence(__ATOMIC_ACQUIRE);
        if (v->resp_tail == head || head - v->resp_tail > VSIC_SLOTS)
            break;
        struct vsic_resp r = v->ring->resp[v->resp_tail % VSIC_SLOTS];
        v->resp_tail++;
        v->ring->resp_tail = v->resp_tail;
        if (r.cookie >= VSIC_SLOTS || !v->op[r.cookie].used)
            continue;                   /* not ours: dropped */
        v->op[r.cookie].used = false;
        v->inflight--;
        if (reqstage_every && v->op[r.cookie].io && r.value) {
            reqstage_at(REQ_VSIC_TAKEN, r.value);
            reqstage_at(REQ_NVME_DONE, r.posted_tsc);
            reqstage_stamp(REQ_VSIC_SEEN);
        }
        if (cyclestat_every && v->op[r.cookie].io && r.value) {
            cyclestat_at(CYC_VSIC_TAKEN, r.value);
            cyclestat_at(CYC_NVME_DONE, r.posted_tsc);
            cyclestat_stamp(CYC_VSIC_SEEN);
        }
        n++;
        if (v->op[r.cookie].done)
            v->op[r.cookie].done(v->op[r.cookie].cookie, (errval_t)r.status);
        else
            *(struct vsic_resp *)v->op[r.cookie].cookie = r;
    }
    return n;
}

#define SPIN_US 100                     /* poll this long before sleeping */
#define SLEEP_MAX_MS 10                 /* a ring that does not come costs a tick */

errval_t vsic_wait(struct vsic *v, uint64_t deadline_tsc)
{
    uint64_t spin = rdtsc_now() + libos_tsc_hz() / 1000000 * SPIN_US;
    do {
        if (vsic_poll(v))
            return ERR_OK;
        __builtin_ia32_pause();
    } while (rdtsc_now() < spin);
    uint64_t now = rdtsc_now();
    if (deadline_tsc && now > deadline_tsc)
        return VSIC_ERR_TIMEOUT;
    if (libos_core_id() != v->core) {   /* the VSIC's bell rings on the core that opened it */
        sys_yield(SYS_YIELD_BLOCK);
        vsic_poll(v);
        return ERR_OK;
    }
    uint32_t seen = libos_doorbell_count();
    v->ring->client_asleep = 1;
    __atomic_thread_fence(__ATOMIC_SEQ_CST);    /* the flag out before the ring is looked at */
    if (vsic_poll(v)) {
        v->ring->client_asleep = 0;
        return ERR_OK;
    }
    uint64_t until = now + libos_tsc_hz() / 1000 * SLEEP_MAX_MS;
    if (deadline_tsc && deadline_tsc < until)
        until = deadline_tsc;
    v->sleeps++;
    cyclestat_count(CYCN_VSIC_SLEEPS, 1);
    errval_t err = libos_doorbell_wait(&seen, until);
    v->ring->client_asleep = 0;
    v->woken += err_is_ok(err);
    vsic_poll(v);
    return ERR_OK;
}

/* A request waited for; its response in *r. */
static errval_t call(struct vsic *v, const struct vsic_req *q, struct vsic_resp *r)
{
    if (v->inflight >= VSIC_SLOTS)
        return VSIC_ERR_FULL;
    unsigned slot = 0;
    while (v->op[slot].used)
        slot++;
    const uint64_t pending = ~0ull;
    r->cookie = pending;
    v->op[slot].used = true;
    v->op[slot].io = q->op == VSIC_OP_READ || q->op == VSIC_OP_WRITE || q->op == VSIC_OP_FLUSH;
    v->op[slot].done = NULL;            /* the response is copied to *r */
    v->op[slot].cookie = r;
    struct vsic_req *w = &v->ring->req[v->head % VSIC_SLOTS];
    *w = *q;
    w->cookie = slot;
    v->head++;
    v->inflight++;
    __atomic_thread_fence(__ATOMIC_RELEASE);
    v->ring->req_head = v->head;
    if (v->op[slot].io)
        reqstage_stamp(REQ_VSIC_POST);
    kick(v);
    uint64_t deadline = ms_from_now(CTL_TIMEOUT_MS);
    while (r->cookie == pending)
        if (err_is_fail(vsic_wait(v, deadline)))
            return VSIC_ERR_TIMEOUT;
    return (errval_t)r->status;
}

/* A VSA name into a request: 1 to VSIC_NAME_MAX characters, never cut
 * short (a truncated name is another VSA's). */
static errval_t name_copy(char out[VSIC_NAME_MAX], const char *name)
{
    memset(out, 0, VSIC_NAME_MAX);
    size_t len = 0;
    while (name && name[len] && len <= VSIC_NAME_MAX)
        len++;
    if (len == 0 || len > VSIC_NAME_MAX)
        return VSA_ERR_BAD_NAME;
    memcpy(out, name, len);
    return ERR_OK;
}

/*
 * The VSA capabilities the spawn gave (TASKCN_SLOT_VSA0 on, filled from the
 * first), looked at once: identify is a system call, and each empty slot a
 * refusal the kernel logs (a domain's first 16 only), so the first empty
 * one ends the list. A slot whose capability the program deleted since is
 * dropped from the list when the kernel says so.
 */
static struct { uint64_t name; unsigned rights; bool live; } spawn_vsa[TASKCN_VSAS];
static bool spawn_vsa_read;

static void spawn_vsas(void)
{
    for (unsigned i = 0; !spawn_vsa_read && i < TASKCN_VSAS; i++) {
        struct cap_identity id;
        if (err_is_fail(sys_invoke(ROOTCN, CNODE_CMD_IDENTIFY, CAP_TASK(TASKCN_SLOT_VSA0 + i),
                                   (uint64_t)(uintptr_t)&id, 0, 0).err) ||
            id.type != CAP_VSA)
            break;
        spawn_vsa[i].name = id.base;
        spawn_vsa[i].rights = id.rights & (VSIC_RIGHT_READ | VSIC_RIGHT_WRITE);
        spawn_vsa[i].live = true;
    }
    spawn_vsa_read = true;
}

errval_t vsic_vsa_present(struct vsic *v, capaddr_t slot)
{
    return sys_invoke(v->cap, VSIC_CMD_PRESENT_VSA, slot, 0, 0, 0).err;
}

/*
 * Show the VSIC the spawn's VSA capability for `name` with the most rights
 * (rw over w over r). Without one the request still goes: the service asks
 * the kernel and refuses it (VSA_ERR_NO_AUTHORITY) unless the program
 * showed a capability of its own (vsic_vsa_present).
 */
static errval_t present(struct vsic *v, const char name[VSIC_NAME_MAX])
{
    uint64_t n64 = 0;
    memcpy(&n64, name, VSIC_NAME_MAX < 8 ? VSIC_NAME_MAX : 8);
    spawn_vsas();
    for (;;) {
        int best = -1;
        for (int i = 0; i < TASKCN_VSAS; i++)
            if (spawn_vsa[i].live && spawn_vsa[i].name == n64 &&
                (best < 0 || spawn_vsa[i].rights > spawn_vsa[best].rights))
                best = i;
        if (best < 0)
            return ERR_OK;
        errval_t err = vsic_vsa_present(v, CAP_TASK(TASKCN_SLOT_VSA0 + best));
        if (err_no(err) != CAP_ERR_SLOT_EMPTY && err_no(err) != VSA_ERR_CAP_TYPE)
            return err;
        spawn_vsa[best].live = false;   /* deleted (or replaced) by the program */
    }
}

static void from_value(struct vsic *v, uint64_t value, unsigned *handle, uint64_t *blocks)
{
    *handle = (unsigned)(value & 0xff);
    v->block_size = 1u << ((value >> 8) & 0xff);
    if (blocks)
        *blocks = value >> 16;
}

errval_t vsic_vsa_create(struct vsic *v, const char *name, uint64_t blocks, unsigned *handle)
{
    struct vsic_req q = { .op = VSIC_OP_VSA_CREATE, .arg = blocks };
    struct vsic_resp r;
    errval_t err = name_copy(q.name, name);
    if (err_is_ok(err))
        err = present(v, q.name);
    if (err_is_ok(err))
        err = call(v, &q, &r);
    if (err_is_ok(err))
        from_value(v, r.value, handle, NULL);
    return err;
}

errval_t vsic_vsa_acquire(struct vsic *v, const char *name, unsigned rights, unsigned *handle,
                          uint64_t *blocks)
{
    struct vsic_req q = { .op = VSIC_OP_VSA_ACQUIRE, .rights = rights };
    struct vsic_resp r;
    errval_t err = name_copy(q.name, name);
    if (err_is_ok(err))
        err = present(v, q.name);
    if (err_is_ok(err))
        err = call(v, &q, &r);
    if (err_is_ok(err))
        from_value(v, r.value, handle, blocks);
    return err;
}

errval_t vsic_vsa_resize(struct vsic *v, unsigned handle, uint64_t blocks)
{
    struct vsic_req q = { .op = VSIC_OP_VSA_RESIZE, .vsa = (uint16_t)handle, .arg = blocks };
    struct vsic_resp r;
    return call(v, &q, &r);
}

errval_t vsic_vsa_delete(struct vsic *v, unsigned handle)
{
    struct vsic_req q = { .op = VSIC_OP_VSA_DELETE, .vsa = (uint16_t)handle };
    struct vsic_resp r;
    return call(v, &q, &r);
}

errval_t vsic_io(struct vsic *v, unsigned op, uint32_t flags, unsigned handle, uint64_t block,
                 uint32_t count, uint64_t buf_off)
{
    struct vsic_req q = { .op = (uint16_t)op, .vsa = (uint16_t)handle, .block = block,
                          .count = count, .buf_off = buf_off, .flags = flags };
    struct vsic_resp r;
    return call(v, &q, &r);
}

/* Registered memory is the VSIC's for life (the service checks requests
 * against it), so the libraries' buffers are runs of it: a freed run is
 * reused by the best-fitting later allocation (split when larger), the
 * runs at the top go back to the bump pointer. */
void *vsic_buf_alloc(struct vsic *v, size_t bytes)
{
    uint64_t b = (bytes + 4095) & ~4095ull;
    if (!v->buf || b == 0)
        return NULL;
    int best = -1, spare = -1;
    for (int i = 0; i < VSIC_BUF_RUNS; i++) {
        if (!v->run[i].bytes) {
            if (spare < 0)
                spare = i;
        } else if (!v->run[i].used && v->run[i].bytes >= b &&
                   (best < 0 || v->run[i].bytes < v->run[best].bytes)) {
            best = i;
        }
    }
    uint64_t off;
    if (best >= 0) {
        off = v->run[best].off;
        if (v->run[best].bytes > b && spare >= 0) {       /* the rest stays free */
            v->run[spare].off = off + b;
            v->run[spare].bytes = v->run[best].bytes - b;
            v->run[spare].used = false;
            v->run[best].bytes = b;
        }
        v->run[best].used = true;
        b = v->run[best].bytes;
    } else {
        if (spare < 0 || b > v->buf_bytes - v->buf_next)
            return NULL;
        off = v->buf_next;
        v->run[spare].off = off;
        v->run[spare].bytes = b;
        v->run[spare].used = true;
        v->buf_next += b;
    }
    memset(v->buf + off, 0, bytes);
    return v->buf + off;
}

void vsic_buf_free(struct vsic *v, void *p)
{
    if (!p || !v->buf)
        return;
    uint64_t off = (uint64_t)((uint8_t *)p - v->buf);
    for (int i = 0; i < VSIC_BUF_RUNS; i++)
        if (v->run[i].bytes && v->run[i].used && v->run[i].off == off)
            v->run[i].used = false;
    /* Free runs at the top go back to the bump pointer. */
    for (bool again = true; again;) {
        again = false;
        for (int i = 0; i < VSIC_BUF_RUNS; i++)
            if (v->run[i].bytes && !v->run[i].used && v->run[i].off + v->run[i].bytes == v->buf_next) {
                v->buf_next = v->run[i].off;
                v->run[i].bytes = 0;
                again = true;
            }
    }
}

/* newlib's, when the program has one (a minic program has no environment). */
extern char **environ __attribute__((weak));

uint32_t vsic_service(void)
{
    static uint32_t service;
    const char *text = NULL;
    for (int i = 1; i < libos_argc; i++)
        if (libos_argv[i] && strncmp(libos_argv[i], "vsicd=", 6) == 0) {
            text = libos_argv[i] + 6;
            for (int j = i; j < libos_argc; j++)        /* main does not see it */
                libos_argv[j] = libos_argv[j + 1];
            libos_argc--;
            break;
        }
    for (char **e = &environ ? environ : NULL; !text && e && *e; e++)
        if (strncmp(*e, "vsicd=", 6) == 0)
            text = *e + 6;
    if (text) {
        uint32_t id = 0;
        const char *c = text[0] == '0' && (text[1] | 0x20) == 'x' ? text + 2 : text;
        for (; (*c >= '0' && *c <= '9') || ((*c | 0x20) >= 'a' && (*c | 0x20) <= 'f'); c++)
            id = id * 16 + (uint32_t)(*c <= '9' ? *c - '0' : (*c | 0x20) - 'a' + 10);
        service = *c ? 0 : id;
    }
    return service;
}
