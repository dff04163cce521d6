/** \file rtc.h \brief The CMOS real-time clock, read once at boot. */
#ifndef ARCH_RTC_H
#define ARCH_RTC_H
#include <stdint.h>
#include <timeconv.h>
/** Read the date and time (UTC, as QEMU's RTC keeps it by default). */
bool rtc_read(struct civil_time *t);
#endif
