/**
 * \file monitor.h
 * \brief Messages to, from and between monitors.
 *
 * Clients talk to their core's monitor in text lines ("spawn hello",
 * "ps", ...; see usr/monitor), cut into chunks (libos/textmsg.h):
 *   client -> monitor, LMP through TASKCN_SLOT_MONITOREP:
 *       MONITOR_MSG_CMD_CHUNK, 3 words of text
 *   monitor -> client, Kernel.notify:
 *       MONITOR_MSG_REPLY_CHUNK, 2 words of text
 *       MONITOR_MSG_REPLY_END, errval_t status
 *   monitor -> domain: MONITOR_MSG_PING, token; the domain answers
 *       MONITOR_MSG_PONG, token, its id (LMP to its monitor)
 *   CPU driver -> monitor, LMP:
 *       MONITOR_MSG_EXIT, domain id, exit status, enum domain_state
 * Between monitors, over the boot-time UMP channel core 0 <-> N
 * (7 words): the type, then 6 words of text (or the status for REPLY_END).
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
};
#endif
