/* sys/cpuset.h: cpu_set_t and its macros, as glibc's <sched.h> gives them
 * (newlib's <sched.h> declares the affinity calls once this is included;
 * lib/posix/refused.c defines them). */
#ifndef _SYS_CPUSET_H_
#define _SYS_CPUSET_H_
#include <stddef.h>

#define CPU_SETSIZE 1024
typedef struct {
    unsigned long __bits[CPU_SETSIZE / (8 * sizeof(unsigned long))];
} cpu_set_t;

#define __CPU_WORD(cpu)  ((cpu) / (8 * sizeof(unsigned long)))
#define __CPU_BIT(cpu)   (1UL << ((cpu) % (8 * sizeof(unsigned long))))
#define CPU_ZERO(set)    __builtin_memset((set), 0, sizeof(cpu_set_t))
#define CPU_SET(cpu, set)   ((void)((cpu) < CPU_SETSIZE && ((set)->__bits[__CPU_WORD(cpu)] |= __CPU_BIT(cpu))))
#define CPU_CLR(cpu, set)   ((void)((cpu) < CPU_SETSIZE && ((set)->__bits[__CPU_WORD(cpu)] &= ~__CPU_BIT(cpu))))
#define CPU_ISSET(cpu, set) ((cpu) < CPU_SETSIZE && ((set)->__bits[__CPU_WORD(cpu)] & __CPU_BIT(cpu)) != 0)
int __cpu_count(const cpu_set_t *set);
#define CPU_COUNT(set)   __cpu_count(set)
#endif
