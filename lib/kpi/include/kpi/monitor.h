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
 *   domain -> monitor: MONITOR_MSG_SEND_CAP, target domain id, tag, with a
 *       capability (Endpoint.send_cap); the monitors move it to the
 *       target's core, whose CPU driver gives it to the target with
 *       MONITOR_MSG_CAP, tag, sender id (the capability in its receive slot)
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
    MONITOR_MSG_SEND_CAP,
    MONITOR_MSG_CAP,
    MONITOR_MSG_FORWARD,        /* UMP, monitor N -> 0: run this command line */
    MONITOR_MSG_VNIC_FAULT,     /* CPU driver -> VNIC holder: address, write, VF */
};
#endif
