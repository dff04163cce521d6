/**
 * \file monitor.h
 * \brief The monitor of one core (usr/monitor): its state and the parts
 * that talk to other monitors (channels.c) and run commands (commands.c).
 */
#ifndef USR_MONITOR_H
#define USR_MONITOR_H
#include <stdbool.h>
#include <stdint.h>
#include <kpi/errors.h>
#include <libos/textmsg.h>
#include <libos/tsc.h>
#include <kpi/cspace.h>
#include <libos/ump.h>

#define MON_MAX_CORES 64
#define MON_KERNEL CAP_TASK(TASKCN_SLOT_KERNEL)

/** Where the answer to the command being run goes. */
struct reply {
    char text[TEXTMSG_MAX];
    size_t len;
};

struct peer {
    struct ump_chan chan;
    bool up;
    struct textmsg_rx rx;           /* replies (core 0) or commands (core N) */
};

extern uint32_t mon_core, mon_ncores;
extern struct peer mon_peers[MON_MAX_CORES];

void reply_printf(struct reply *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

struct lmp_msg;
/** Handle one LMP message; `busy` while a command waits for an answer. */
void monitor_handle_lmp(const struct lmp_msg *m, bool busy);
/** Tell a local client how its typed request `op` ended. */
void monitor_result(uint32_t to, uint64_t op, errval_t status);
/** Empty this monitor's receive slot (a capability it will not keep). */
void monitor_recv_clear(void);

/* channels.c: the boot-time UMP channels between monitor 0 and the rest */
void channels_init(void);
/** Poll the channels once; handle commands (core N) or collect replies. */
bool channels_poll(void);
/** From core 0: run `cmd` on core `core` and wait for its reply text. */
errval_t channels_remote(uint32_t core, const char *cmd, struct reply *r);
/** Send a whole text over a UMP channel (type, then 6 words of text). */
void channels_send_text(struct peer *p, uint64_t type, const char *text);
/** Send a typed message to the monitor of core MONITOR_UMP_DST(w[0]):
 *  directly from core 0, through monitor 0 from the others. */
void channels_send_typed(const uint64_t w[UMP_PAYLOAD_WORDS]);

/* commands.c */
/** Run one command line on this core (or, on core 0, route it). */
errval_t commands_run(const char *line, struct reply *r);
/** Remember the names of domains this monitor started. */
const char *commands_domain_name(uint32_t id);
void commands_pong(uint64_t token, uint32_t from);
/** A client asks for a VNIC for itself. */
void commands_vnic_request(uint32_t sender, uint64_t tag);
void commands_vsic_request(uint32_t sender, uint64_t tag);

/* lend.c: Frames lent between cores (the monitors' half of kernel/capmove.c) */
/** A local domain sent a Frame (now in our receive slot) for `target`. */
void lend_send(uint32_t sender, uint64_t target, uint64_t tag);
/** Lend the Frame at `slot` to core `core`'s monitor itself, kept there
 *  in its stash under `tag` (for spawnch). */
errval_t lend_to_monitor(capaddr_t slot, uint32_t core, uint32_t tag);
/** The stash slot for `tag`. */
capaddr_t lend_stash_slot(uint32_t tag);
/** The stash slot for `tag` was used up (moved to a new domain), or is to
 *  be emptied (delete_it: its Frame goes back to its owner core). */
void lend_stash_taken(uint32_t tag, bool delete_it);
/** The CPU driver: the copy of export `id` (lent to `core`) was revoked. */
void lend_revoked(uint32_t id, uint32_t core);
/** The CPU driver: what `owner` lent us as `id` is gone here. */
void lend_gone(uint32_t owner, uint32_t id);
/** A typed UMP message for this monitor. */
void lend_handle_ump(const uint64_t w[UMP_PAYLOAD_WORDS]);
/** True for the UMP message types lend_handle_ump takes. */
bool lend_is_typed(uint64_t w0);
#endif
