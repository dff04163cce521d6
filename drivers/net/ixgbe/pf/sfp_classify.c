/*
 * sfp_classify.c: which SFP+ module is in the X520's cage, from its
 * SFF-8472 ID bytes, as Linux ixgbe_identify_sfp_module decides it
 * (cable technology first, then 10 GbE codes, then 1 GbE codes). Pure:
 * tests/unit/ixgbe.
 */
#include <net/ixgbe/pf/sfp.h>

errval_t ixgbe_sfp_classify(uint8_t identifier, uint8_t comp10g, uint8_t comp1g,
                            uint8_t cable_tech, struct ixgbe_sfp *out)
{
    *out = (struct ixgbe_sfp){ .type = IXGBE_SFP_UNKNOWN, .name = "unknown" };
    if (identifier != SFF_IDENTIFIER_SFP)
        return IXGBE_ERR_SFP_UNSUPPORTED;
    if (cable_tech & SFF_DA_PASSIVE)
        *out = (struct ixgbe_sfp){ IXGBE_SFP_DA_CU_CORE0, true, "direct-attach copper (passive)" };
    else if (cable_tech & SFF_DA_ACTIVE)
        *out = (struct ixgbe_sfp){ IXGBE_SFP_DA_ACT_LMT_CORE0, true, "direct-attach (active, limiting)" };
    else if (comp10g & (SFF_10GBASE_SR | SFF_10GBASE_LR))
        *out = (struct ixgbe_sfp){ IXGBE_SFP_SRLR_CORE0, true,
                                   comp10g & SFF_10GBASE_SR ? "10GBASE-SR" : "10GBASE-LR" };
    else if (comp1g & SFF_1GBASE_T)
        *out = (struct ixgbe_sfp){ IXGBE_SFP_1G_CU_CORE0, false, "1000BASE-T" };
    else if (comp1g & SFF_1GBASE_SX)
        *out = (struct ixgbe_sfp){ IXGBE_SFP_1G_SX_CORE0, false, "1000BASE-SX" };
    else if (comp1g & SFF_1GBASE_LX)
        *out = (struct ixgbe_sfp){ IXGBE_SFP_1G_LX_CORE0, false, "1000BASE-LX" };
    return out->ten_gig ? ERR_OK : IXGBE_ERR_SFP_UNSUPPORTED;
}

uint16_t ixgbe_sfp_init_id(const struct ixgbe_sfp *s, unsigned lan)
{
    uint16_t t = (uint16_t)s->type;
    if (t == IXGBE_SFP_DA_ACT_LMT_CORE0 || t == IXGBE_SFP_1G_CU_CORE0 ||
        t == IXGBE_SFP_1G_SX_CORE0 || t == IXGBE_SFP_1G_LX_CORE0)
        t = IXGBE_SFP_SRLR_CORE0;
    return (uint16_t)(t + (lan ? 1 : 0));
}
