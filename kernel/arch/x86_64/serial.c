/*
 * serial.c: the COM1 16550 UART, polled. The kernel console (console.c)
 * writes through serial_putc(); nothing here takes interrupts, so it works
 * from the first instruction of kmain() to the last line of a panic.
 */
#include <arch/cpu.h>
#include <arch/serial.h>

#define COM1        0x3f8
#define UART_THR    0       /* transmit holding register (DLAB=0) */
#define UART_IER    1       /* interrupt enable (DLAB=0) */
#define UART_DLL    0       /* divisor latch low (DLAB=1) */
#define UART_DLH    1       /* divisor latch high (DLAB=1) */
#define UART_FCR    2       /* FIFO control */
#define UART_LCR    3       /* line control */
#define UART_MCR    4       /* modem control */
#define UART_LSR    5       /* line status */
#define LCR_8N1     0x03
#define LCR_DLAB    0x80
#define FCR_ENABLE_CLEAR 0x07
#define MCR_DTR_RTS_OUT2 0x0b
#define LSR_DATA_READY   0x01
#define LSR_THR_EMPTY    0x20
#define BAUD_115200_DIVISOR 1

void serial_init(void)
{
    outb(COM1 + UART_IER, 0x00);
    outb(COM1 + UART_LCR, LCR_DLAB);
    outb(COM1 + UART_DLL, BAUD_115200_DIVISOR);
    outb(COM1 + UART_DLH, 0);
    outb(COM1 + UART_LCR, LCR_8N1);
    outb(COM1 + UART_FCR, FCR_ENABLE_CLEAR);
    outb(COM1 + UART_MCR, MCR_DTR_RTS_OUT2);
}

void serial_putc(char c)
{
    if (c == '\n')
        serial_putc('\r');
    while (!(inb(COM1 + UART_LSR) & LSR_THR_EMPTY))
        cpu_relax();
    outb(COM1 + UART_THR, (uint8_t)c);
}

int serial_getc(void)
{
    if (!(inb(COM1 + UART_LSR) & LSR_DATA_READY))
        return -1;
    return inb(COM1 + UART_THR);
}
