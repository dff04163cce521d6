/*
 * serial.c: the console's 16550 UART, polled: COM1 until the command
 * line names another (console=ttyS1 for IPMI serial-over-LAN, main.c).
 * The kernel console (console.c) writes through serial_putc(); nothing
 * here takes interrupts, so it works from the first instruction of
 * kmain() to the last line of a panic.
 */
#include <arch/cpu.h>
#include <arch/serial.h>

#define COM1        0x3f8
#define UART_CLOCK_BAUD 115200  /* divisor 1 */
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

static uint16_t com = COM1;

void serial_init(uint16_t port, uint32_t baud)
{
    uint32_t div = baud ? UART_CLOCK_BAUD / baud : 1;
    com = port;
    outb(com + UART_IER, 0x00);
    outb(com + UART_LCR, LCR_DLAB);
    outb(com + UART_DLL, (uint8_t)div);
    outb(com + UART_DLH, (uint8_t)(div >> 8));
    outb(com + UART_LCR, LCR_8N1);
    outb(com + UART_FCR, FCR_ENABLE_CLEAR);
    outb(com + UART_MCR, MCR_DTR_RTS_OUT2);
}

uint16_t serial_port(void) { return com; }

void serial_putc(char c)
{
    if (c == '\n')
        serial_putc('\r');
    while (!(inb(com + UART_LSR) & LSR_THR_EMPTY))
        cpu_relax();
    outb(com + UART_THR, (uint8_t)c);
}

int serial_getc(void)
{
    if (!(inb(com + UART_LSR) & LSR_DATA_READY))
        return -1;
    return inb(com + UART_THR);
}
