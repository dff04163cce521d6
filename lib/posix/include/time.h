/* time.h: newlib's, plus the XSI variables glibc declares: the RTC is UTC
 * and there is no zone database, so timezone is 0 and daylight 0
 * (lib/posix/sysinfo.c). */
#ifndef POSIX_TIME_H
#define POSIX_TIME_H
#include_next <time.h>
extern long timezone;
extern int daylight;
#endif
