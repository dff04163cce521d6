/* vnicdma KERNEL_PA VICTIM_PA: a domain with a VNIC programs its VF to DMA
 * outside the memory it registered. Its transmit ring lives in a
 * registered Frame, but the one descriptor points the packet buffer at
 * another domain's memory (VICTIM_PA) and the head write-back at kernel
 * memory (KERNEL_PA). The IOMMU must stop both; the CPU driver tells this
 * domain (MONITOR_MSG_VNIC_FAULT), which prints what it was told. */
#include <libos/debug.h>
#include <libos/libos.h>
#include <libos/lmp.h>
#include <libos/syscall.h>
#include <libos/tsc.h>
#include <libos/vnic.h>
#include <kpi/cspace.h>
#include <kpi/dispatcher.h>
#include <kpi/monitor.h>
#include <kpi/syscall.h>
#include <net/igb/shared/mbx.h>
#include <net/igb/shared/vfregs.h>
#include <net/vf/desc.h>
#include <net/igb/vf/mbx.h>

#define ROOTCN CAP_TASK(TASKCN_SLOT_ROOTCN)
#define VNIC CAP_TASK(TASKCN_SLOT_RECV)
#define REGS_VA USER_MAP_BASE
#define RING_VA (USER_MAP_BASE + 0x100000)
#define PKT_LEN 64
#define WAIT_S 5

static uint64_t parse(const char *s)
{
    uint64_t v = 0;
    if (s[0] == '0' && s[1] == 'x')
        s += 2;
    for (; *s; s++)
        v = v * 16 + (uint64_t)(*s <= '9' ? *s - '0' : (*s | 0x20) - 'a' + 10);
    return v;
}

static void wr(unsigned off, uint32_t v) { *(volatile uint32_t *)(uintptr_t)(REGS_VA + off) = v; }

int main(int argc, char *argv[])
{
    if (argc != 3) {
        debug_printf("usage: vnicdma KERNEL_PA VICTIM_PA\n");
        return 2;
    }
    uint64_t kernel_pa = parse(argv[1]), victim_pa = parse(argv[2]);
    unsigned vf;
    errval_t err = vnic_acquire(&vf);
    struct cap_identity ring;
    if (err_is_ok(err))
        err = sys_invoke(VNIC, VNIC_CMD_MAP_REGS, REGS_VA, 0, 0, 0).err;
    uint32_t msg = IGB_VF_RESET, reply[4];
    if (err_is_ok(err))
        err = igbvf_mbx_call((volatile uint8_t *)(uintptr_t)REGS_VA, &msg, 1, reply);
    if (err_is_ok(err))
        err = sys_invoke(ROOTCN, CNODE_CMD_RETYPE, CAP_TASK(TASKCN_SLOT_RAM), CAP_FRAME | 12 << 8, 1,
                         CAP_SLOT(0)).err;
    if (err_is_ok(err))
        err = sys_invoke(CAP_SLOT(0), FRAME_CMD_MAP, RING_VA, FRAME_MAP_WRITE, 0, 0).err;
    if (err_is_ok(err))
        err = sys_invoke(ROOTCN, CNODE_CMD_IDENTIFY, CAP_SLOT(0), (uint64_t)(uintptr_t)&ring, 0, 0).err;
    if (err_is_ok(err))
        err = sys_invoke(VNIC, VNIC_CMD_REGISTER_DMA, CAP_SLOT(0), 0, 0, 0).err;
    if (err_is_fail(err)) {
        debug_err("vnicdma: set-up", err);
        return 1;
    }
    debug_printf("vnicdma: VF %u reset (PF replied %#x); ring at %#lx (registered); buffer at "
                 "%#lx and head write-back at %#lx (not registered)\n", vf, reply[0], ring.base,
                 victim_pa, kernel_pa);
    volatile uint64_t *desc = (volatile uint64_t *)(uintptr_t)RING_VA;
    desc[0] = victim_pa;
    desc[1] = PKT_LEN | IGB_TXD_DTYP_DATA | IGB_TXD_DCMD_EOP | IGB_TXD_DCMD_IFCS |
              IGB_TXD_DCMD_RS | IGB_TXD_DCMD_DEXT | (uint64_t)PKT_LEN << IGB_TXD_PAYLEN_SHIFT;
    wr(IGBVF_TDBAL(0), (uint32_t)ring.base);
    wr(IGBVF_TDBAH(0), (uint32_t)(ring.base >> 32));
    wr(IGBVF_TDLEN(0), 4096);
    wr(IGBVF_TDH(0), 0);
    wr(IGBVF_TDT(0), 0);
    wr(IGBVF_TDWBAL(0), (uint32_t)kernel_pa | IGBVF_TDWBAL_HEAD_WB_EN);
    wr(IGBVF_TDWBAH(0), (uint32_t)(kernel_pa >> 32));
    wr(IGBVF_TXDCTL(0), IGBVF_TXDCTL_ENABLE);
    wr(IGBVF_TDT(0), 1);                /* go */
    uint64_t deadline = rdtsc_now() + WAIT_S * libos_tsc_hz();
    unsigned told = 0;
    while (rdtsc_now() < deadline) {
        struct lmp_msg m;
        if (err_is_ok(lmp_poll(&m)) && m.words[0] == MONITOR_MSG_VNIC_FAULT) {
            debug_printf("vnicdma: told of a DMA %s fault at %#lx by VF %lu\n",
                         m.words[2] ? "write" : "read", m.words[1], m.words[3]);
            told++;
        } else {
            sys_yield(SYS_YIELD_BLOCK);
        }
    }
    debug_printf("vnicdma: %u faults reported to this domain\n", told);
    return told ? 0 : 1;
}
