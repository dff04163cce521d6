/**
 * \file string.h
 * \brief The few string and memory functions of the freestanding worlds:
 * the kernel and user programs on minic (lib/common/string.c). A program
 * on newlib sees newlib's string.h instead (this folder is not on its
 * include path); the prototypes are the standard ones, so code written
 * against this file compiles against either.
 * GCC may emit calls to memcpy/memset/memmove/memcmp on its own.
 */
#ifndef COMMON_STRING_H
#define COMMON_STRING_H
#include <stddef.h>

void *memcpy(void *dst, const void *src, size_t n);
void *memmove(void *dst, const void *src, size_t n);
void *memset(void *dst, int c, size_t n);
int memcmp(const void *a, const void *b, size_t n);
size_t strlen(const char *s);
int strcmp(const char *a, const char *b);
int strncmp(const char *a, const char *b, size_t n);
char *strchr(const char *s, int c);
char *strncpy(char *dst, const char *src, size_t n);
#endif
