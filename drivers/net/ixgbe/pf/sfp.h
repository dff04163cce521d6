/**
 * \file sfp.h
 * \brief The X520's SFP+ module: what sits in the cage (sfp.c reads its
 * ID EEPROM, SFF-8472 at I2C address 0xA0, through the 82599's bit-banged
 * I2CCTL) and which of the NIC's init sequences it needs. Classification
 * is pure (host-tested); as Linux ixgbe_identify_sfp_module.
 */
#ifndef NET_IXGBE_PF_SFP_H
#define NET_IXGBE_PF_SFP_H
#include <stdbool.h>
#include <stdint.h>
#include <kpi/errors.h>

/* SFF-8472 ID EEPROM bytes (address 0xA0) */
#define SFF_IDENTIFIER      0x00    /* 0x03: SFP or SFP+ */
#define SFF_IDENTIFIER_SFP  0x03
#define SFF_10GBE_COMP      0x03    /* bit 4 10GBASE-SR, bit 5 10GBASE-LR, bit 6 LRM */
#define SFF_10GBASE_SR      (1u << 4)
#define SFF_10GBASE_LR      (1u << 5)
#define SFF_1GBE_COMP       0x06    /* bit 0 1000BASE-SX, 1 LX, 3 1000BASE-T */
#define SFF_1GBASE_SX       (1u << 0)
#define SFF_1GBASE_LX       (1u << 1)
#define SFF_1GBASE_T        (1u << 3)
#define SFF_CABLE_TECH      0x08    /* bit 2 passive, bit 3 active direct-attach */
#define SFF_DA_PASSIVE      (1u << 2)
#define SFF_DA_ACTIVE       (1u << 3)

/* Linux ixgbe_type.h enum ixgbe_sfp_type: the ids the NIC's EEPROM uses
 * to list its SFP init sequences (per port: core0/core1). */
enum ixgbe_sfp_type {
    IXGBE_SFP_DA_CU_CORE0 = 3,
    IXGBE_SFP_SRLR_CORE0 = 5,
    IXGBE_SFP_DA_ACT_LMT_CORE0 = 7,
    IXGBE_SFP_1G_CU_CORE0 = 9,
    IXGBE_SFP_1G_SX_CORE0 = 11,
    IXGBE_SFP_1G_LX_CORE0 = 13,
    IXGBE_SFP_NOT_PRESENT = 0xfffe,
    IXGBE_SFP_UNKNOWN = 0xffff,
};

struct ixgbe_sfp {
    enum ixgbe_sfp_type type;       /* for port 0; port 1 is type + 1 */
    bool ten_gig;                   /* a 10 GbE module or cable */
    const char *name;               /* "10GBASE-SR/LR", "direct-attach copper" ... */
};

/** Classify by the three ID bytes (identifier, 10G/1G compliance, cable
 *  technology). IXGBE_ERR_SFP_UNSUPPORTED for what is not an SFP+ module
 *  this driver brings up at 10 GbE (1 GbE modules are named, then refused). */
errval_t ixgbe_sfp_classify(uint8_t identifier, uint8_t comp10g, uint8_t comp1g,
                            uint8_t cable_tech, struct ixgbe_sfp *out);
/** The init-sequence id Linux uses for this module on port `lan` (0/1):
 *  limiting active cables and 1 GbE modules use the SR/LR sequence. */
uint16_t ixgbe_sfp_init_id(const struct ixgbe_sfp *s, unsigned lan);

/** Read one byte of the module's ID EEPROM (kernel only: sfp.c). */
errval_t ixgbe_sfp_read(unsigned offset, uint8_t *out);
#endif
