/** \file core_offsets.h \brief struct core fields used from assembly
 *  (checked by _Static_assert in core.h). */
#ifndef KERNEL_CORE_OFFSETS_H
#define KERNEL_CORE_OFFSETS_H
#define CORE_OFF_STACK_TOP 8
#define CORE_OFF_USER_RSP 16
#endif
