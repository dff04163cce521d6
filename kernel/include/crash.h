/** \file crash.h \brief Deliberate faults for testing the panic path. */
#ifndef KERNEL_CRASH_H
#define KERNEL_CRASH_H
/** Fault on purpose if the command line says crash=pagefault|divide. */
void crash_if_asked(void);
void crash_page_fault(void);
void crash_divide_error(void);
#endif
