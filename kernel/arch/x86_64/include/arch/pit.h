/** \file pit.h \brief The legacy 8254 timer (boot calibration) and 8259 PICs. */
#ifndef ARCH_PIT_H
#define ARCH_PIT_H
#include <stdbool.h>
/** Start PIT channel 2 counting down `ms` milliseconds (at most 54). */
void pit_oneshot_start(unsigned ms);
bool pit_oneshot_done(void);
/** Remap and mask both 8259s: the local APICs take over. */
void pic_disable(void);
#endif
