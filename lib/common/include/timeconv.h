/** \file timeconv.h \brief Calendar dates to Unix time (pure logic). */
#ifndef COMMON_TIMECONV_H
#define COMMON_TIMECONV_H
#include <stdint.h>
#include <stdbool.h>

struct civil_time { int year, month, day, hour, minute, second; };

/** Seconds since 1970-01-01 00:00:00 UTC, or false if the date is invalid. */
bool civil_to_unix(const struct civil_time *t, int64_t *out);
#endif
