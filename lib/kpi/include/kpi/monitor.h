/**
 * \file monitor.h
 * \brief Messages to, from and between monitors, and who may send which.
 *
 * Every domain's TASKCN_SLOT_MONITOREP is an endpoint to its core's
 * monitor carrying a badge the kernel set when it built the cspace; a
 * domain cannot change it (no invocation mints badges). The kernel puts
 * the badge of the endpoint a message came through into lmp_msg.badge,
 * and LMP_BADGE_KERNEL into messages the CPU driver itself writes, which
 * no endpoint can carry. The monitor decides by that badge:
 *
 *   MONITOR_BADGE_CLIENT (every domain): MONITOR_MSG_VNIC_REQUEST (a VNIC
 *       for itself), MONITOR_MSG_SEND_CAP (move a Frame it holds to a
 *       domain on another core), MONITOR_MSG_PONG (answer a ping).
 *   MONITOR_BADGE_ADMIN (the shell and init: spawned with SPAWN_FLAG_ADMIN
 *       by a holder of the Kernel capability): also MONITOR_MSG_CMD_CHUNK,
 *       the text command lines a person types (spawn, kill, ps, caps, vnic
 *       ID, pair, ...; see usr/monitor/commands.c).
 *   LMP_BADGE_KERNEL (the CPU driver): MONITOR_MSG_EXIT, _EXPORT_REVOKED,
 *       _IMPORT_GONE; to the VSIC service, MONITOR_MSG_VSA_GONE.
 * Anything else is refused with MONITOR_ERR_NOT_PERMITTED (or
 * MONITOR_ERR_BAD_MESSAGE) and one log line; the monitor keeps serving.
 *
 * Local messages (LMP, 4 words: the type, then fixed fields):
 *   client -> monitor:
 *     CMD_CHUNK       3 words of text (libos/textmsg.h), admin only
 *     VNIC_REQUEST    tag                 -> MONITOR_MSG_CAP (tag, VF) with the
 *                                            VNIC in the receive slot, then RESULT;
 *                                            MONITOR_VNICS_PER_CLIENT in its life
 *     SEND_CAP        target domain, tag  (+ a Frame, Endpoint.send_cap)
 *     PONG            token, own id
 *   monitor -> client (Kernel.notify):
 *     REPLY_CHUNK     2 words of text;  REPLY_END  errval_t status
 *     RESULT          request type, errval_t status, value
 *     PING            token
 *   CPU driver -> domain:  CAP  tag, sender id (a capability in its receive slot)
 *   CPU driver -> monitor: EXIT  domain id, exit status, enum domain_state
 *                          EXPORT_REVOKED  export id, importing core
 *                          IMPORT_GONE     owner core, export id
 *
 * Between monitors: the boot-time UMP channels core 0 <-> N, 7 words a
 * message. Word 0 is the type | source core << 16 | destination core << 24;
 * monitor 0 relays typed messages whose destination is another core. Text
 * (CMD_CHUNK, REPLY_CHUNK: 6 words of text; REPLY_END: the status) carries
 * the command lines monitor 0 routes to core N. Capability moves are typed
 * and only ever between monitors (kernel/capmove.c):
 *   UMP_CAP_MOVE      type|rights<<8|flags<<16, base, bytes,
 *                     owner|export id<<32, target|sender<<32, tag
 *   UMP_CAP_DROP      owner core, export id          (owner -> importer)
 *   UMP_CAP_RELEASED  export id                      (importer -> owner)
 */
#ifndef KPI_MONITOR_H
#define KPI_MONITOR_H
enum monitor_msg {
    MONITOR_MSG_EXIT = 1,
    MONITOR_MSG_CMD_CHUNK,
    MONITOR_MSG_REPLY_CHUNK,
    MONITOR_MSG_REPLY_END,
    MONITOR_MSG_PING,
    MONITOR_MSG_PONG,
    MONITOR_MSG_SEND_CAP,
    MONITOR_MSG_CAP,
    MONITOR_MSG_FORWARD,        /* retired: was a text line from monitor N to 0 */
    MONITOR_MSG_VNIC_FAULT,     /* CPU driver -> VNIC holder: address, write, VF */
    MONITOR_MSG_VNIC_REQUEST,
    MONITOR_MSG_RESULT,
    MONITOR_MSG_EXPORT_REVOKED,
    MONITOR_MSG_IMPORT_GONE,
    MONITOR_MSG_UMP_CAP_MOVE,
    MONITOR_MSG_UMP_CAP_DROP,
    MONITOR_MSG_UMP_CAP_RELEASED,
    MONITOR_MSG_VSIC_REQUEST,   /* client -> monitor: tag -> MONITOR_MSG_CAP (tag,
                                   VSIC id) with the VSIC in the receive slot, then
                                   RESULT; MONITOR_VSICS_PER_CLIENT in its life */
    MONITOR_MSG_VSA_GRANT,      /* retired (VSAs are capabilities now, CAP_VSA):
                                   was monitor -> VSIC service, a name grant.
                                   Nobody sends it; a monitor refuses it, the
                                   service ignores it */
    MONITOR_MSG_VSA_RATE,       /* monitor -> VSIC service: domain, IOPS |
                                   KiB/s << 32 (0: no limit) */
    MONITOR_MSG_VSA_LIST,       /* monitor -> VSIC service: print the VSAs */
    MONITOR_MSG_VSA_GONE,       /* CPU driver -> VSIC service: VSIC id: a VSA
                                   capability shown to it went; a hint to ask
                                   NVMe.vsa_rights again (no authority) */
};

/* VSICs a client's VSIC_REQUESTs get in its life (then MONITOR_ERR_LIMIT). */
#define MONITOR_VSICS_PER_CLIENT 2u

/* VNICs a client's VNIC_REQUESTs get in its life (then MONITOR_ERR_LIMIT). */
#define MONITOR_VNICS_PER_CLIENT 4u

/* Badges of monitor endpoints (lmp_msg.badge). */
#define MONITOR_BADGE_CLIENT 0u
#define MONITOR_BADGE_ADMIN  1u
#define LMP_BADGE_KERNEL     0xffffffffu    /* written by the CPU driver itself */

/* Word 0 of a UMP message between monitors. */
#define MONITOR_UMP_WORD0(type, src, dst) \
    ((uint64_t)(type) | (uint64_t)(src) << 16 | (uint64_t)(dst) << 24)
#define MONITOR_UMP_TYPE(w0) ((unsigned)((w0) & 0xffff))
#define MONITOR_UMP_SRC(w0)  ((unsigned)(((w0) >> 16) & 0xff))
#define MONITOR_UMP_DST(w0)  ((unsigned)(((w0) >> 24) & 0xff))
#endif
