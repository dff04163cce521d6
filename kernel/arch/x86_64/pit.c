/*
 * pit.c: the 8254 PIT used once, at boot, as a known clock to calibrate
 * the APIC timer and the TSC, and the 8259 PICs, which we only silence.
 */
#include <arch/cpu.h>
#include <arch/pit.h>

#define PIT_HZ          1193182
#define PIT_CH2_DATA    0x42
#define PIT_CMD         0x43
#define PIT_CMD_CH2_MODE0_LOHI 0xb0
#define PORT_B          0x61    /* bit 0: ch2 gate, bit 1: speaker, bit 5: ch2 out */
#define PORT_B_GATE     0x01
#define PORT_B_SPEAKER  0x02
#define PORT_B_OUT2     0x20

#define PIC1_CMD 0x20
#define PIC1_DATA 0x21
#define PIC2_CMD 0xa0
#define PIC2_DATA 0xa1

void pit_oneshot_start(unsigned ms)
{
    uint32_t count = (uint32_t)((uint64_t)PIT_HZ * ms / 1000);
    uint8_t b = inb(PORT_B);
    outb(PORT_B, (b & ~PORT_B_SPEAKER) & ~PORT_B_GATE);
    outb(PIT_CMD, PIT_CMD_CH2_MODE0_LOHI);
    outb(PIT_CH2_DATA, count & 0xff);
    outb(PIT_CH2_DATA, (count >> 8) & 0xff);
    outb(PORT_B, (inb(PORT_B) & ~PORT_B_SPEAKER) | PORT_B_GATE);   /* start counting */
}

bool pit_oneshot_done(void)
{
    return inb(PORT_B) & PORT_B_OUT2;
}

void pic_disable(void)
{
    /* Remap to 0xf0..0xff first so a spurious 8259 interrupt cannot look
     * like a CPU exception, then mask every line (ICW1..ICW4). */
    outb(PIC1_CMD, 0x11); outb(PIC2_CMD, 0x11);
    outb(PIC1_DATA, 0xf0); outb(PIC2_DATA, 0xf8);
    outb(PIC1_DATA, 0x04); outb(PIC2_DATA, 0x02);
    outb(PIC1_DATA, 0x01); outb(PIC2_DATA, 0x01);
    outb(PIC1_DATA, 0xff); outb(PIC2_DATA, 0xff);
}
