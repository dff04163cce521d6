/*
 * mathl.c: the long-double functions Redis needs that newlib lacks on
 * x86-64 (ceill for PFCOUNT, llroundl for blocking-command timeouts).
 *
 * long double is the x87 80-bit format, whose 64-bit mantissa holds every
 * integer below 2^63 exactly, so a value of that size truncates to long
 * long and back without loss; a larger one (or an infinity, or NaN) is
 * already an integer and comes back as it is.
 */
#include <errno.h>
#include <limits.h>
#include <math.h>

#define MATHL_2_63 9223372036854775808.0L

long double ceill(long double x)
{
    if (!(x > -MATHL_2_63 && x < MATHL_2_63))
        return x;                       /* huge, infinite or NaN */
    long double t = (long double)(long long)x;   /* toward zero */
    if (t < x)
        t += 1.0L;
    if (t == 0.0L && x < 0.0L)
        return -0.0L;                   /* ceil(-0.5) is -0 */
    return t;
}

long long llroundl(long double x)
{
    if (!(x > -MATHL_2_63 && x < MATHL_2_63)) {
        errno = EDOM;                   /* C: unspecified; Linux says EDOM */
        return x > 0 ? LLONG_MAX : LLONG_MIN;
    }
    long long i = (long long)x;         /* toward zero */
    long double rest = x - (long double)i;          /* exact */
    if (rest >= 0.5L && i == LLONG_MAX) {
        errno = EDOM;                   /* 2^63 - 0.5 rounds to 2^63 */
        return LLONG_MAX;
    }
    if (rest >= 0.5L)
        i++;
    else if (rest <= -0.5L)
        i--;
    return i;
}
