/*
 * test_pci.c: drivers/pci on the host, over a fake configuration space.
 *
 * The fake holds a few functions, each a 4 KiB config array and a write
 * mask of the same size (as QEMU models a device: a write changes only
 * the bits its mask lets through), so BAR sizing really writes all ones
 * and reads the mask back. Any other routing ID reads all ones. One
 * function may be an SR-IOV PF: setting VF Enable makes NumVFs VFs appear
 * at PF + 0x80 + 2i, as QEMU's igb does. kprintf collects the log.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <cmocka.h>
#include <pci/pci.h>
#include <console.h>
#include <fmt.h>
#include <string.h>

#define NFUNCS 16

struct fake_fn {
    pci_rid_t rid;
    uint8_t cfg[4096], wmask[4096];
};

static struct {
    struct fake_fn fn[NFUNCS];
    unsigned n;
    unsigned waited_ms;
    pci_rid_t pf;               /* the SR-IOV PF, 0 if none */
    uint16_t sriov;             /* its capability offset */
    char log[16384];
    size_t loglen;
} fk;

static struct pci_table table;

int kprintf(const char *fmt, ...)
{
    char buf[512];
    va_list ap;
    va_start(ap, fmt);
    int n = fmt_vsnprintf(buf, sizeof(buf), fmt, ap);
    va_end(ap);
    size_t len = strlen(buf);
    if (fk.loglen + len < sizeof(fk.log)) {
        memcpy(fk.log + fk.loglen, buf, len + 1);
        fk.loglen += len;
    }
    if (getenv("PCI_TEST_VERBOSE"))
        fputs(buf, stdout);
    return n;
}

/* Fail unless the log so far holds `s`. */
static void assert_logged(const char *s)
{
    size_t n = strlen(s);
    for (const char *p = fk.log; *p; p++)
        if (strncmp(p, s, n) == 0)
            return;
    fail_msg("log lacks \"%s\"; it is:\n%s", s, fk.log);
}

static struct fake_fn *find(pci_rid_t rid)
{
    for (unsigned i = 0; i < fk.n; i++)
        if (fk.fn[i].rid == rid)
            return &fk.fn[i];
    return NULL;
}

static uint32_t get(const uint8_t *a, uint16_t off, unsigned width)
{
    uint32_t v = 0;
    for (unsigned i = 0; i < width; i++)
        v |= (uint32_t)a[off + i] << (8 * i);
    return v;
}

static void put(uint8_t *a, uint16_t off, unsigned width, uint32_t v)
{
    for (unsigned i = 0; i < width; i++)
        a[off + i] = (uint8_t)(v >> (8 * i));
}

static struct fake_fn *fake_add(pci_rid_t rid, uint16_t vendor, uint16_t device, uint32_t class_rev,
                                uint8_t header)
{
    assert_true(fk.n < NFUNCS);
    struct fake_fn *f = &fk.fn[fk.n++];
    memset(f, 0, sizeof(*f));
    f->rid = rid;
    put(f->cfg, PCI_VENDOR_ID, 2, vendor);
    put(f->cfg, PCI_DEVICE_ID, 2, device);
    put(f->cfg, PCI_CLASS_REV, 4, class_rev);
    put(f->cfg, PCI_HEADER_TYPE, 1, header);
    put(f->wmask, PCI_COMMAND, 2, 0x0547);
    return f;
}

static void fake_bar(struct fake_fn *f, uint16_t reg, uint64_t value, uint64_t size)
{
    bool io = value & PCI_BAR_SPACE_IO;
    bool is64 = !io && ((value >> 1) & 3) == PCI_BAR_MEM_TYPE_64;
    uint64_t mask = ~(size - 1) & (io ? ~3ull : ~15ull);
    put(f->cfg, reg, 4, (uint32_t)value);
    put(f->wmask, reg, 4, (uint32_t)mask);
    if (is64) {
        put(f->cfg, reg + 4, 4, (uint32_t)(value >> 32));
        put(f->wmask, reg + 4, 4, (uint32_t)(mask >> 32));
    }
}

/* Standard capability `id` at off, linked to next. */
static void fake_cap(struct fake_fn *f, uint8_t off, uint8_t id, uint8_t next)
{
    put(f->cfg, PCI_STATUS, 2, get(f->cfg, PCI_STATUS, 2) | PCI_STATUS_CAP_LIST);
    if (get(f->cfg, PCI_CAP_PTR, 1) == 0)
        put(f->cfg, PCI_CAP_PTR, 1, off);
    put(f->cfg, off, 1, id);
    put(f->cfg, off + 1, 1, next);
}

static void fake_ext_cap(struct fake_fn *f, uint16_t off, uint16_t id, uint16_t next)
{
    put(f->cfg, off, 4, (uint32_t)id | 1u << 16 | (uint32_t)next << 20);
}

static void vfs_appear(void)
{
    struct fake_fn *pf = find(fk.pf);
    uint16_t ctrl = get(pf->cfg, fk.sriov + PCI_SRIOV_CTRL, 2);
    uint16_t num = get(pf->cfg, fk.sriov + PCI_SRIOV_NUM_VF, 2);
    if (!(ctrl & PCI_SRIOV_CTRL_VFE) || find(fk.pf + 0x80))
        return;
    put(pf->wmask, fk.sriov + PCI_SRIOV_NUM_VF, 2, 0);     /* RO while VF Enable */
    for (unsigned i = 0; i < num; i++)
        fake_add(fk.pf + 0x80 + 2 * i, 0xffff, 0xffff, 0x02000001, 0);
}

static uint32_t fake_read(void *ctx, pci_rid_t rid, uint16_t off, unsigned width)
{
    struct fake_fn *f = find(rid);
    assert_true(off % width == 0 && off + width <= 4096);
    if (!f)
        return width == 4 ? 0xffffffffu : width == 2 ? 0xffff : 0xff;
    return get(f->cfg, off, width);
}

static void fake_write(void *ctx, pci_rid_t rid, uint16_t off, unsigned width, uint32_t v)
{
    struct fake_fn *f = find(rid);
    assert_true(off % width == 0 && off + width <= 4096);
    if (!f)
        return;
    for (unsigned i = 0; i < width; i++) {
        uint8_t m = f->wmask[off + i];
        f->cfg[off + i] = (uint8_t)((f->cfg[off + i] & ~m) | ((v >> (8 * i)) & m));
    }
    unsigned ctrl = fk.sriov + PCI_SRIOV_CTRL;
    if (fk.pf && rid == fk.pf && off <= ctrl && ctrl < off + width)
        vfs_appear();
}

static void fake_wait(void *ctx, unsigned ms)
{
    fk.waited_ms += ms;
}

static const struct pci_ops ops = { fake_read, fake_write, fake_wait, NULL };

static int reset(void **state)
{
    memset(&fk, 0, sizeof(fk));
    memset(&table, 0, sizeof(table));
    return 0;
}

/* ---- BAR decoding from the all-ones readback ---- */

static void test_bar_decode_mem32(void **state)
{
    // A 128 KiB register BAR, as the 82576's BAR 0.
    struct pci_bar b;
    assert_int_equal(pci_bar_decode(0xfe800000, 0, 0xfffe0000, 0, &b), 1);
    assert_int_equal(b.kind, PCI_BAR_MEM32);
    assert_int_equal(b.addr, 0xfe800000);
    assert_int_equal(b.size, 0x20000);
    assert_false(b.prefetch);
}

static void test_bar_decode_mem64_prefetch(void **state)
{
    // A 16 KiB 64-bit prefetchable BAR takes two registers.
    struct pci_bar b;
    assert_int_equal(pci_bar_decode(0xfe84000c, 0x1, 0xffffc00c, 0xffffffff, &b), 2);
    assert_int_equal(b.kind, PCI_BAR_MEM64);
    assert_int_equal(b.addr, 0x1fe840000ull);
    assert_int_equal(b.size, 0x4000);
    assert_true(b.prefetch);
    // What if the region is bigger than 4 GiB? The size is in the upper half.
    assert_int_equal(pci_bar_decode(0x4, 0x0, 0x4, 0xfffffffe, &b), 2);
    assert_int_equal(b.size, 0x200000000ull);
}

static void test_bar_decode_io(void **state)
{
    // 32 bytes of I/O; a device may hardwire address bits 31:16 to zero.
    struct pci_bar b;
    assert_int_equal(pci_bar_decode(0xc001, 0, 0xffffffe1, 0, &b), 1);
    assert_int_equal(b.kind, PCI_BAR_IO);
    assert_int_equal(b.addr, 0xc000);
    assert_int_equal(b.size, 0x20);
    assert_int_equal(pci_bar_decode(0xc001, 0, 0x0000ffe1, 0, &b), 1);
    assert_int_equal(b.size, 0x20);
}

static void test_bar_decode_unimplemented(void **state)
{
    // A BAR that keeps no bit is not there, whatever its type bits say.
    struct pci_bar b;
    assert_int_equal(pci_bar_decode(0, 0, 0, 0, &b), 1);
    assert_int_equal(b.kind, PCI_BAR_NONE);
    assert_int_equal(b.size, 0);
    assert_int_equal(pci_bar_decode(0x4, 0, 0x4, 0, &b), 2);
    assert_int_equal(b.size, 0);
}

static void test_bars_probe_restores(void **state)
{
    // Does sizing through config writes find the 82576's four BARs and
    // leave every register as it was?
    struct fake_fn *f = fake_add(PCI_RID(1, 0, 0), 0x8086, 0x10c9, 0x02000001, 0x80);
    fake_bar(f, PCI_BAR(0), 0xfe800000, 0x20000);
    fake_bar(f, PCI_BAR(1), 0xfe820000, 0x20000);
    fake_bar(f, PCI_BAR(2), 0xc001, 0x20);
    fake_bar(f, PCI_BAR(3), 0xfe840004, 0x4000);
    uint8_t before[64];
    memcpy(before, f->cfg, sizeof(before));
    struct pci_bar bar[6];
    pci_bars_probe(&ops, f->rid, PCI_BAR0, 6, bar);
    assert_memory_equal(before, f->cfg, sizeof(before));
    assert_int_equal(bar[0].size, 0x20000);
    assert_int_equal(bar[1].addr, 0xfe820000);
    assert_int_equal(bar[2].kind, PCI_BAR_IO);
    assert_int_equal(bar[2].size, 0x20);
    assert_int_equal(bar[3].kind, PCI_BAR_MEM64);
    assert_int_equal(bar[3].size, 0x4000);
    assert_int_equal(bar[4].kind, PCI_BAR_NONE);    /* BAR 3's upper half */
    assert_int_equal(bar[5].size, 0);
}

/* ---- Capability lists ---- */

static void test_caps_found(void **state)
{
    // The 82576's list: PM 0x40 -> MSI 0x50 -> MSI-X 0x70 -> PCIe 0xa0;
    // AER 0x100 -> ARI 0x150 -> SR-IOV 0x160.
    struct fake_fn *f = fake_add(PCI_RID(1, 0, 0), 0x8086, 0x10c9, 0x02000001, 0x80);
    fake_cap(f, 0x40, PCI_CAP_ID_PM, 0x50);
    fake_cap(f, 0x50, PCI_CAP_ID_MSI, 0x70);
    fake_cap(f, 0x70, PCI_CAP_ID_MSIX, 0xa0);
    fake_cap(f, 0xa0, PCI_CAP_ID_PCIE, 0);
    put(f->cfg, 0x70 + PCI_MSIX_CTRL, 2, 9);
    put(f->cfg, 0x70 + PCI_MSIX_TABLE, 4, 3);
    put(f->cfg, 0x70 + PCI_MSIX_PBA, 4, 0x2003);
    fake_ext_cap(f, 0x100, PCI_EXT_CAP_ID_AER, 0x150);
    fake_ext_cap(f, 0x150, PCI_EXT_CAP_ID_ARI, 0x160);
    fake_ext_cap(f, 0x160, PCI_EXT_CAP_ID_SRIOV, 0);
    assert_int_equal(pci_cap_find(&ops, f->rid, PCI_CAP_ID_MSIX), 0x70);
    assert_int_equal(pci_cap_find(&ops, f->rid, PCI_CAP_ID_PCIE), 0xa0);
    assert_int_equal(pci_cap_find(&ops, f->rid, 0x09), 0);
    assert_int_equal(pci_ext_cap_find(&ops, f->rid, PCI_EXT_CAP_ID_SRIOV), 0x160);
    assert_int_equal(pci_ext_cap_find(&ops, f->rid, 0x0b), 0);
    struct pci_caps c;
    pci_caps_scan(&ops, f->rid, &c);
    assert_int_equal(c.pm, 0x40);
    assert_int_equal(c.msi, 0x50);
    assert_int_equal(c.msix, 0x70);
    assert_int_equal(c.pcie, 0xa0);
    assert_int_equal(c.aer, 0x100);
    assert_int_equal(c.ari, 0x150);
    assert_int_equal(c.sriov, 0x160);
    assert_true(c.std & (1u << PCI_CAP_ID_MSIX));
    assert_true(c.ext & (1u << PCI_EXT_CAP_ID_SRIOV));
    struct pci_msix m;
    pci_msix_read(&ops, f->rid, c.msix, &m);
    assert_int_equal(m.vectors, 10);
    assert_int_equal(m.table_bir, 3);
    assert_int_equal(m.table_off, 0);
    assert_int_equal(m.pba_bir, 3);
    assert_int_equal(m.pba_off, 0x2000);
}

static void test_caps_absent(void **state)
{
    // No Status.CapList: 0x34 is not read as a pointer. No PCIe capability:
    // 0x100 is not read as an extended list.
    struct fake_fn *f = fake_add(PCI_RID(0, 1, 0), 0x1234, 0x1111, 0x03000002, 0);
    put(f->cfg, PCI_CAP_PTR, 1, 0x40);
    put(f->cfg, 0x40, 1, PCI_CAP_ID_MSIX);
    fake_ext_cap(f, 0x100, PCI_EXT_CAP_ID_SRIOV, 0);
    assert_int_equal(pci_cap_find(&ops, f->rid, PCI_CAP_ID_MSIX), 0);
    struct pci_caps c;
    pci_caps_scan(&ops, f->rid, &c);
    assert_int_equal(c.std, 0);
    assert_int_equal(c.ext, 0);
    assert_int_equal(c.sriov, 0);
}

static void test_caps_loop_terminates(void **state)
{
    // What if a device's list points back at itself? The walk must end.
    struct fake_fn *f = fake_add(PCI_RID(0, 2, 0), 0x1b36, 0x000c, 0x06040000, 1);
    fake_cap(f, 0x40, PCI_CAP_ID_PM, 0x50);
    fake_cap(f, 0x50, PCI_CAP_ID_PCIE, 0x40);           /* 0x40 -> 0x50 -> 0x40 ... */
    fake_ext_cap(f, 0x100, PCI_EXT_CAP_ID_AER, 0x140);
    fake_ext_cap(f, 0x140, PCI_EXT_CAP_ID_ARI, 0x100);  /* and the extended list too */
    assert_int_equal(pci_cap_find(&ops, f->rid, PCI_CAP_ID_MSIX), 0);
    assert_int_equal(pci_ext_cap_find(&ops, f->rid, PCI_EXT_CAP_ID_SRIOV), 0);
    struct pci_caps c;
    pci_caps_scan(&ops, f->rid, &c);
    assert_int_equal(c.pm, 0x40);
    assert_int_equal(c.pcie, 0x50);
    assert_int_equal(c.ari, 0x140);
    // A self-loop, and pointers into the header or below 0x100, end it too.
    fake_cap(f, 0x40, PCI_CAP_ID_PM, 0x40);
    assert_int_equal(pci_cap_find(&ops, f->rid, PCI_CAP_ID_MSIX), 0);
    fake_cap(f, 0x40, PCI_CAP_ID_PM, 0x10);
    assert_int_equal(pci_cap_find(&ops, f->rid, PCI_CAP_ID_MSIX), 0);
    fake_ext_cap(f, 0x100, PCI_EXT_CAP_ID_AER, 0x40);
    assert_int_equal(pci_ext_cap_find(&ops, f->rid, PCI_EXT_CAP_ID_SRIOV), 0);
}

/* ---- SR-IOV ---- */

static void test_vf_rid(void **state)
{
    // 82576 in QEMU: offset 0x80, stride 2, PF at 01:00.0.
    pci_rid_t pf = PCI_RID(1, 0, 0), vf;
    static const pci_rid_t want[] = { PCI_RID(1, 16, 0), PCI_RID(1, 16, 2), PCI_RID(1, 16, 4),
                                      PCI_RID(1, 16, 6), PCI_RID(1, 17, 0) };
    for (unsigned i = 0; i < 5; i++) {
        assert_true(pci_sriov_vf_rid(pf, 0x80, 2, i, &vf));
        assert_int_equal(vf, want[i]);
    }
    // NVMe in QEMU: offset 1, stride 1. And VFs may spill onto the next bus.
    assert_true(pci_sriov_vf_rid(PCI_RID(2, 0, 0), 1, 1, 0, &vf));
    assert_int_equal(vf, PCI_RID(2, 0, 1));
    assert_true(pci_sriov_vf_rid(PCI_RID(1, 31, 0), 0x80, 2, 3, &vf));
    assert_int_equal(vf, PCI_RID(2, 15, 6));
    // Past bus 255 there is nothing to route to.
    assert_false(pci_sriov_vf_rid(PCI_RID(255, 0, 0), 0x80, 2, 100, &vf));
    assert_false(pci_sriov_vf_rid(0xffff, 1, 1, 0, &vf));
}

static void test_window_fit(void **state)
{
    struct pci_window w = { 0xfe200000, 0xfe3fffff }, off = { 0xfff00000, 0x000fffff };
    uint64_t a;
    assert_true(pci_window_fit(&w, 0, 0x10000, 0x4000, &a));
    assert_int_equal(a, 0xfe200000);
    assert_true(pci_window_fit(&w, 0xfe201001, 0x10000, 0x4000, &a));
    assert_int_equal(a, 0xfe204000);
    assert_true(pci_window_fit(&w, 0xfe3f0000, 0x10000, 0x4000, &a));    /* exactly fits */
    assert_int_equal(a, 0xfe3f0000);
    assert_false(pci_window_fit(&w, 0xfe3f0001, 0x10000, 0x4000, &a));   /* one over */
    assert_false(pci_window_fit(&w, 0, 0x400000, 0x4000, &a));
    assert_false(pci_window_fit(&off, 0, 0x1000, 0x1000, &a));           /* window closed */
    assert_false(pci_window_fit(&w, 0, 0x1000, 0x3000, &a));             /* not a power of two */
}

/* A root port 00:02.0 (buses 01-01, mem fe800000-fe9fffff, pref as
 * given) with an 82576-like PF at 01:00.0: TotalVFs 8, offset 0x80,
 * stride 2, VF BAR0 and BAR3 64-bit prefetchable 16 KiB, left zero. */
static void build_igb(uint16_t pref_base, uint16_t pref_limit)
{
    struct fake_fn *rp = fake_add(PCI_RID(0, 2, 0), 0x1b36, 0x000c, 0x06040000, 1);
    put(rp->cfg, PCI_SECONDARY_BUS, 1, 1);
    put(rp->cfg, PCI_SUBORDINATE_BUS, 1, 1);
    put(rp->cfg, PCI_MEM_BASE, 2, 0xfe80);
    put(rp->cfg, PCI_MEM_LIMIT, 2, 0xfe90);
    put(rp->cfg, PCI_PREF_BASE, 2, pref_base | PCI_PREF_64BIT);
    put(rp->cfg, PCI_PREF_LIMIT, 2, pref_limit | PCI_PREF_64BIT);
    fake_cap(rp, 0x40, PCI_CAP_ID_PCIE, 0);
    put(rp->cfg, 0x40 + PCI_EXP_DEVCAP2, 4, PCI_EXP_DEVCAP2_ARI);
    put(rp->wmask, 0x40 + PCI_EXP_DEVCTL2, 2, 0xffff);

    struct fake_fn *f = fake_add(PCI_RID(1, 0, 0), 0x8086, 0x10c9, 0x02000001, 0x80);
    fake_bar(f, PCI_BAR(0), 0xfe800000, 0x20000);
    fake_bar(f, PCI_BAR(1), 0xfe820000, 0x20000);
    fake_bar(f, PCI_BAR(2), 0xc001, 0x20);
    fake_bar(f, PCI_BAR(3), 0xfe840004, 0x4000);
    fake_cap(f, 0x40, PCI_CAP_ID_PCIE, 0);
    fake_ext_cap(f, 0x100, PCI_EXT_CAP_ID_ARI, 0x160);
    fake_ext_cap(f, 0x160, PCI_EXT_CAP_ID_SRIOV, 0);
    uint16_t s = 0x160;
    put(f->cfg, s + PCI_SRIOV_TOTAL_VF, 2, 8);
    put(f->cfg, s + PCI_SRIOV_INITIAL_VF, 2, 8);
    put(f->cfg, s + PCI_SRIOV_VF_OFFSET, 2, 0x80);
    put(f->cfg, s + PCI_SRIOV_VF_STRIDE, 2, 2);
    put(f->cfg, s + PCI_SRIOV_VF_DID, 2, 0x10ca);
    put(f->cfg, s + PCI_SRIOV_SUP_PGSIZE, 4, 0x553);
    put(f->cfg, s + PCI_SRIOV_SYS_PGSIZE, 4, 1);
    put(f->wmask, s + PCI_SRIOV_CTRL, 2, PCI_SRIOV_CTRL_VFE | PCI_SRIOV_CTRL_MSE | PCI_SRIOV_CTRL_ARI);
    put(f->wmask, s + PCI_SRIOV_NUM_VF, 2, 0xffff);
    put(f->wmask, s + PCI_SRIOV_SYS_PGSIZE, 4, 0x553);
    fake_bar(f, s + PCI_SRIOV_BAR_N(0), 0xc, 0x4000);
    fake_bar(f, s + PCI_SRIOV_BAR_N(3), 0xc, 0x4000);
    fk.pf = f->rid;
    fk.sriov = s;
}

static uint16_t pf_index(void)
{
    for (unsigned i = 0; i < table.n; i++)
        if (table.dev[i].rid == fk.pf)
            return (uint16_t)i;
    fail_msg("PF %04x not in the table", fk.pf);
    return 0;
}

static void test_enumerate_through_bridge(void **state)
{
    // Is the PF found behind the root port, with the port as its parent?
    build_igb(0xfe20, 0xfe30);
    assert_int_equal(pci_enumerate(&table, ops), 2);
    const struct pci_dev *rp = &table.dev[0], *pf = &table.dev[1];
    assert_int_equal(rp->rid, PCI_RID(0, 2, 0));
    assert_int_equal(rp->mem.base, 0xfe800000);
    assert_int_equal(rp->mem.limit, 0xfe9fffff);
    assert_int_equal(rp->pref.limit, 0xfe3fffff);
    assert_int_equal(pf->parent, 0);
    assert_int_equal(pf->sriov.total_vfs, 8);
    assert_int_equal(pf->sriov.vf_bar[0].size, 0x4000);
    assert_true(pf->sriov.vf_bar[3].prefetch);
    assert_logged("pci 01:00.0 8086:10c9 class 02.00 Ethernet controller\n"
                                    "  bar 0: mem32 0xfe800000 size 0x20000\n");
}

static void test_sriov_refuses_too_many(void **state)
{
    // 9 VFs of 8: refused by name, and the PF is left as it was.
    build_igb(0xfe20, 0xfe30);
    pci_enumerate(&table, ops);
    uint16_t pf = pf_index();
    assert_int_equal(pci_sriov_enable(&table, pf, 9), PCI_ERR_TOO_MANY_VFS);
    struct fake_fn *f = find(fk.pf);
    assert_int_equal(get(f->cfg, fk.sriov + PCI_SRIOV_NUM_VF, 2), 0);
    assert_int_equal(get(f->cfg, fk.sriov + PCI_SRIOV_CTRL, 2) & PCI_SRIOV_CTRL_VFE, 0);
    assert_int_equal(table.n, 2);
    // And a function without the capability is not a PF.
    assert_int_equal(pci_sriov_enable(&table, 0, 1), PCI_ERR_NOT_SRIOV);
}

static void test_sriov_enable_four(void **state)
{
    // Four VFs: BARs placed in the prefetchable window, VF Enable and MSE
    // set after NumVFs, 100 ms waited, VFs at 01:10.{0,2,4,6} recorded.
    build_igb(0xfe20, 0xfe30);
    pci_enumerate(&table, ops);
    uint16_t pf = pf_index();
    assert_int_equal(pci_sriov_enable(&table, pf, 4), ERR_OK);
    struct fake_fn *f = find(fk.pf);
    uint16_t ctrl = get(f->cfg, fk.sriov + PCI_SRIOV_CTRL, 2);
    assert_true(ctrl & PCI_SRIOV_CTRL_VFE);
    assert_true(ctrl & PCI_SRIOV_CTRL_MSE);
    assert_true(ctrl & PCI_SRIOV_CTRL_ARI);
    assert_int_equal(get(find(PCI_RID(0, 2, 0))->cfg, 0x40 + PCI_EXP_DEVCTL2, 2) &
                     PCI_EXP_DEVCTL2_ARI, PCI_EXP_DEVCTL2_ARI);
    assert_int_equal(get(f->cfg, fk.sriov + PCI_SRIOV_NUM_VF, 2), 4);
    assert_int_equal(fk.waited_ms, 100);
    assert_int_equal(get(f->cfg, fk.sriov + PCI_SRIOV_BAR_N(0), 4), 0xfe20000c);
    assert_int_equal(get(f->cfg, fk.sriov + PCI_SRIOV_BAR_N(3), 4), 0xfe21000c);
    assert_int_equal(table.n, 6);
    for (unsigned i = 0; i < 4; i++) {
        const struct pci_dev *vf = &table.dev[2 + i];
        assert_int_equal(vf->rid, PCI_RID(1, 16, 2 * i));
        assert_true(vf->is_vf);
        assert_int_equal(vf->pf, pf);
        assert_int_equal(vf->vendor, 0x8086);
        assert_int_equal(vf->device, 0x10ca);
        assert_int_equal(vf->bar[0].addr, 0xfe200000 + 0x4000 * i);
        assert_int_equal(vf->bar[3].addr, 0xfe210000 + 0x4000 * i);
    }
    assert_logged("pci 01:10.6 8086:10ca class 02.00 Ethernet controller\n");
    // Enabling again is refused: NumVFs cannot change under VF Enable.
    assert_int_equal(pci_sriov_enable(&table, pf, 2), PCI_ERR_VFS_ENABLED);
}

static void test_sriov_no_window(void **state)
{
    // No prefetchable window, and a 1 MiB memory window whose top the
    // PF's BAR 1 reaches: refused, NumVFs back to 0, nothing enabled.
    build_igb(0xfff0, 0x0000);
    struct fake_fn *rp = find(PCI_RID(0, 2, 0));
    put(rp->cfg, PCI_MEM_LIMIT, 2, 0xfe80);         /* a 1 MiB window */
    struct fake_fn *f = find(fk.pf);
    fake_bar(f, PCI_BAR(1), 0xfe880000, 0x80000);   /* and a BAR up to its top */
    pci_enumerate(&table, ops);
    assert_int_equal(pci_sriov_enable(&table, pf_index(), 4), PCI_ERR_NO_VF_WINDOW);
    assert_int_equal(get(f->cfg, fk.sriov + PCI_SRIOV_NUM_VF, 2), 0);
    assert_int_equal(get(f->cfg, fk.sriov + PCI_SRIOV_CTRL, 2) & PCI_SRIOV_CTRL_VFE, 0);
    assert_int_equal(fk.waited_ms, 0);
    // With room in the memory window (no prefetchable one), they go there,
    // above the PF's BARs (BAR 3 ends at fe844000), aligned to 16 KiB.
    fake_bar(f, PCI_BAR(1), 0xfe820000, 0x20000);
    pci_enumerate(&table, ops);
    assert_int_equal(pci_sriov_enable(&table, pf_index(), 4), ERR_OK);
    assert_int_equal(get(f->cfg, fk.sriov + PCI_SRIOV_BAR_N(0), 4), 0xfe844000 | 0xc);
    assert_int_equal(get(f->cfg, fk.sriov + PCI_SRIOV_BAR_N(3), 4), 0xfe854000 | 0xc);
}

static void test_sriov_boot_line(void **state)
{
    // The boot policy logs one line per PF, success or refusal.
    build_igb(0xfe20, 0xfe30);
    pci_enumerate(&table, ops);
    pci_sriov_boot(&table, "9");
    assert_logged("sriov: 8086:10c9 at 01:00.0: cannot enable 9 VFs (TotalVFs 8): "
                                    "PCI_ERR_TOO_MANY_VFS");
    pci_sriov_boot(&table, "x1");
    assert_logged("sriov: sriov.vfs=x1: PCI_ERR_BAD_VF_COUNT");
    pci_sriov_boot(&table, "4");
    assert_logged("sriov: 8086:10c9 at 01:00.0: 4 of 8 VFs enabled\n");
}

#define T(fn) cmocka_unit_test_setup(fn, reset)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(test_bar_decode_mem32),
        T(test_bar_decode_mem64_prefetch),
        T(test_bar_decode_io),
        T(test_bar_decode_unimplemented),
        T(test_bars_probe_restores),
        T(test_caps_found),
        T(test_caps_absent),
        T(test_caps_loop_terminates),
        T(test_vf_rid),
        T(test_window_fit),
        T(test_enumerate_through_bridge),
        T(test_sriov_refuses_too_many),
        T(test_sriov_enable_four),
        T(test_sriov_no_window),
        T(test_sriov_boot_line),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
