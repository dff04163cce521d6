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
    struct textmsg_rx fwd;          /* core 0: command lines forwarded by N */
    bool fwd_ready;                 /* core 0: fwd holds a whole line to run */
};

extern uint32_t mon_core, mon_ncores;
extern uint32_t mon_requester;
extern struct peer mon_peers[MON_MAX_CORES];

void reply_printf(struct reply *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

struct lmp_msg;
/** Handle one LMP message; `busy` while a command waits for an answer. */
void monitor_handle_lmp(const struct lmp_msg *m, bool busy);

/* channels.c: the boot-time UMP channels between monitor 0 and the rest */
void channels_init(void);
/** Poll the channels once; handle commands (core N) or collect replies. */
bool channels_poll(void);
/** From core 0: run `cmd` on core `core` and wait for its reply text. */
errval_t channels_remote(uint32_t core, const char *cmd, struct reply *r);
/** Send a whole text over a UMP channel (type, then 6 words of text). */
void channels_send_text(struct peer *p, uint64_t type, const char *text);

/* commands.c */
/** Run one command line on this core (or, on core 0, route it). */
errval_t commands_run(const char *line, struct reply *r);
/** Remember the names of domains this monitor started. */
const char *commands_domain_name(uint32_t id);
void commands_pong(uint64_t token, uint32_t from);
/** A local domain sent us a capability for `target` (any core): move it. */
void commands_move_cap(uint32_t target, uint64_t tag, uint32_t sender);
/** Core N: ask monitor 0 to run a command line (no reply is awaited). */
void channels_forward(const char *cmd);
#endif
