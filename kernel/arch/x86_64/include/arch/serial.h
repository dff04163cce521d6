/** \file serial.h \brief A 16550 UART, polled: the kernel console's wire
 *  (COM1 unless the command line says console=...). */
#ifndef ARCH_SERIAL_H
#define ARCH_SERIAL_H
#include <stdint.h>
/** Use the UART at I/O `port` at `baud` (115200 / an integer) from now on. */
void serial_init(uint16_t port, uint32_t baud);
uint16_t serial_port(void);
void serial_putc(char c);
/** A received byte, or -1 when none is waiting. */
int serial_getc(void);
#endif
