/*
 * sfp.c: reading the SFP+ module's ID EEPROM (SFF-8472, I2C address
 * 0xA0) through the 82599's bit-banged I2C (I2CCTL, 8.2.3.1.5
 * unverified), under the PHY semaphore of this port, as Linux
 * ixgbe_phy.c does: start, address+W, offset, repeated start, address+R,
 * one byte, NACK, stop; standard-mode timing (100 kHz: 5 us halves).
 * NOT RUN ON HARDWARE here.
 */
#include <net/ixgbe/pf/ixgbe.h>

#define SFF_ADDR_WRITE  0xa0
#define SFF_ADDR_READ   0xa1
#define I2C_HALF_US     5

static uint32_t ctl;

static void set_pins(bool clk, bool data)
{
    ctl = clk ? ctl | IXGBE_I2C_CLK_OUT : ctl & ~IXGBE_I2C_CLK_OUT;
    ctl = data ? ctl | IXGBE_I2C_DATA_OUT : ctl & ~IXGBE_I2C_DATA_OUT;
    ixgbe_wr(IXGBE_I2CCTL, ctl);
    ixgbe_delay_us(I2C_HALF_US);
}

static bool data_in(void)
{
    return ixgbe_rd(IXGBE_I2CCTL) & IXGBE_I2C_DATA_IN;
}

static void i2c_start(void)
{
    set_pins(true, true);
    set_pins(true, false);          /* data falls while the clock is high */
    set_pins(false, false);
}

static void i2c_stop(void)
{
    set_pins(false, false);
    set_pins(true, false);
    set_pins(true, true);           /* data rises while the clock is high */
}

static bool i2c_write_byte(uint8_t b)
{
    for (int i = 7; i >= 0; i--) {
        bool bit = b >> i & 1;
        set_pins(false, bit);
        set_pins(true, bit);
        set_pins(false, bit);
    }
    set_pins(false, true);          /* release data: the module acknowledges by pulling it low */
    set_pins(true, true);
    bool ack = !data_in();
    set_pins(false, true);
    return ack;
}

static uint8_t i2c_read_byte(void)
{
    uint8_t b = 0;
    for (int i = 0; i < 8; i++) {
        set_pins(false, true);
        set_pins(true, true);
        b = (uint8_t)(b << 1 | data_in());
    }
    set_pins(false, true);
    set_pins(true, true);           /* NACK: the only byte we want */
    set_pins(false, true);
    return b;
}

errval_t ixgbe_sfp_read(unsigned offset, uint8_t *out)
{
    uint32_t sem = ixgbe_pf.lan ? IXGBE_GSSR_PHY1_SM : IXGBE_GSSR_PHY0_SM;
    errval_t err = ixgbe_swfw_acquire(sem);
    if (err_is_fail(err))
        return err;
    ctl = ixgbe_rd(IXGBE_I2CCTL);
    i2c_start();
    bool ok = i2c_write_byte(SFF_ADDR_WRITE) && i2c_write_byte((uint8_t)offset);
    if (ok) {
        i2c_start();
        ok = i2c_write_byte(SFF_ADDR_READ);
        if (ok)
            *out = i2c_read_byte();
    }
    i2c_stop();
    ixgbe_swfw_release(sem);
    return ok ? ERR_OK : IXGBE_ERR_I2C;
}
