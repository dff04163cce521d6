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

#define ROOTCN CAP_TASK(TASKCN_SLOT_ROOTCN)
#define VNIC CAP_TASK(TASKCN_SLOT_RECV)
#define REGS_VA USER_MAP_BASE
#define RING_VA (USER_MAP_BASE + 0x100000)
/* 82576 VF transmit queue 0 (REFERENCES: TX q at 0x3800 + 0x100 q) */
#define TDBAL  0x3800
#define TDBAH  0x3804
#define TDLEN  0x3808
#define TDH    0x3810
#define TDT    0x3818
#define TXDCTL 0x3828
#define TDWBAL 0x3838
#define TDWBAH 0x383c
#define TXDCTL_ENABLE (1u << 25)
#define TDWBAL_HEAD_WB_EN 0x1
/* advanced transmit data descriptor: DTYP 0011, DCMD EOP|IFCS|RS|DEXT */
#define ADV_DTYP_DATA (3ull << 20)
#define ADV_DCMD ((0x01ull | 0x02ull | 0x08ull | 0x20ull) << 24)
#define ADV_PAYLEN_SHIFT 46
#define PKT_LEN 64
#define IGB_VF_RESET 0x01u
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
        err = vnic_mailbox((volatile uint8_t *)(uintptr_t)REGS_VA, &msg, 1, reply);
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
    desc[1] = PKT_LEN | ADV_DTYP_DATA | ADV_DCMD | (uint64_t)PKT_LEN << ADV_PAYLEN_SHIFT;
    wr(TDBAL, (uint32_t)ring.base);
    wr(TDBAH, (uint32_t)(ring.base >> 32));
    wr(TDLEN, 4096);
    wr(TDH, 0);
    wr(TDT, 0);
    wr(TDWBAL, (uint32_t)kernel_pa | TDWBAL_HEAD_WB_EN);
    wr(TDWBAH, (uint32_t)(kernel_pa >> 32));
    wr(TXDCTL, TXDCTL_ENABLE);
    wr(TDT, 1);                         /* go */
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
