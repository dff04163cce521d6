/*
 * math.h: newlib's, plus the long-double functions lib/posix/mathl.c adds
 * (newlib declares its long-double set only where long double is double,
 * which it is not on x86-64).
 */
#ifndef POSIX_MATH_H
#define POSIX_MATH_H
#include_next <math.h>

long double ceill(long double x);
long long llroundl(long double x);
#endif
