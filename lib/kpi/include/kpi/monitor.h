/**
 * \file monitor.h
 * \brief Messages to and between monitors.
 *
 * LMP from the CPU driver to its monitor (4 words):
 *   MONITOR_MSG_EXIT, domain id, exit status, enum domain_state
 * UMP between monitors (7 words), over the boot-time channel core 0 <-> N:
 *   MONITOR_MSG_SPAWN, request id, then the name and arguments packed
 *   into the remaining words (see usr/monitor)
 */
#ifndef KPI_MONITOR_H
#define KPI_MONITOR_H
enum monitor_msg {
    MONITOR_MSG_EXIT = 1,
    MONITOR_MSG_SPAWN,
    MONITOR_MSG_SPAWN_REPLY,
    MONITOR_MSG_PS,
    MONITOR_MSG_PS_REPLY,
    MONITOR_MSG_KILL,
    MONITOR_MSG_KILL_REPLY,
    MONITOR_MSG_EXITED,         /* monitor N -> 0: a domain on N ended */
};
#endif
