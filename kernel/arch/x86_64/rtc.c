/*
 * rtc.c: the MC146818-compatible CMOS clock (ports 0x70/0x71). Read until
 * two reads in a row agree and no update was in progress, then decode BCD
 * and 12-hour forms as status register B says.
 */
#include <arch/rtc.h>
#include <arch/cpu.h>

#define CMOS_INDEX 0x70
#define CMOS_DATA  0x71
#define RTC_SECONDS 0x00
#define RTC_MINUTES 0x02
#define RTC_HOURS   0x04
#define RTC_DAY     0x07
#define RTC_MONTH   0x08
#define RTC_YEAR    0x09
#define RTC_CENTURY 0x32        /* ACPI FADT's usual century register */
#define RTC_STATUS_A 0x0a
#define RTC_STATUS_B 0x0b
#define STATUS_A_UIP 0x80       /* update in progress */
#define STATUS_B_24H 0x02
#define STATUS_B_BINARY 0x04
#define HOURS_PM 0x80
#define MAX_TRIES 1000

static uint8_t cmos(uint8_t reg)
{
    outb(CMOS_INDEX, reg);
    return inb(CMOS_DATA);
}

struct raw { uint8_t s, min, h, d, mon, y, c; };

static struct raw read_raw(void)
{
    while (cmos(RTC_STATUS_A) & STATUS_A_UIP)
        cpu_relax();
    return (struct raw){ cmos(RTC_SECONDS), cmos(RTC_MINUTES), cmos(RTC_HOURS), cmos(RTC_DAY),
                         cmos(RTC_MONTH), cmos(RTC_YEAR), cmos(RTC_CENTURY) };
}

static int bcd(uint8_t v, bool binary) { return binary ? v : (v >> 4) * 10 + (v & 0xf); }

bool rtc_read(struct civil_time *t)
{
    struct raw a = read_raw(), b;
    for (int i = 0; i < MAX_TRIES; i++, a = b) {
        b = read_raw();
        if (a.s == b.s && a.min == b.min && a.h == b.h && a.d == b.d && a.mon == b.mon && a.y == b.y)
            break;
    }
    uint8_t status = cmos(RTC_STATUS_B);
    bool binary = status & STATUS_B_BINARY;
    int hour = bcd(a.h & ~HOURS_PM, binary);
    if (!(status & STATUS_B_24H) && (a.h & HOURS_PM))
        hour = (hour % 12) + 12;
    else if (!(status & STATUS_B_24H) && hour == 12)
        hour = 0;
    int century = bcd(a.c, binary);
    *t = (struct civil_time){
        .year = (century >= 19 && century <= 21 ? century : 20) * 100 + bcd(a.y, binary),
        .month = bcd(a.mon, binary), .day = bcd(a.d, binary), .hour = hour,
        .minute = bcd(a.min, binary), .second = bcd(a.s, binary),
    };
    int64_t unused;
    return civil_to_unix(t, &unused);
}
