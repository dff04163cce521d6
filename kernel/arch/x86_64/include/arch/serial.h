/** \file serial.h \brief COM1, polled: the kernel console's wire. */
#ifndef ARCH_SERIAL_H
#define ARCH_SERIAL_H
void serial_init(void);
void serial_putc(char c);
/** A received byte, or -1 when none is waiting. */
int serial_getc(void);
#endif
