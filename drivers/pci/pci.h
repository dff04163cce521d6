/**
 * \file pci.h
 * \brief drivers/pci: PCIe enumeration, BARs, capabilities and SR-IOV.
 *
 * Runs in the CPU driver of the core that owns PCI (core 0, at boot).
 * The firmware has numbered the buses and assigned the BARs; this code
 * walks the tree from bus 0 through the bridges, records every function
 * in a device table (struct pci_table), sizes its BARs, finds its
 * capabilities and, on request, enables SR-IOV virtual functions.
 *
 * Everything but ecam.c reaches configuration space through struct
 * pci_ops, so the host unit tests (tests/unit/pci) run the same code on a
 * fake configuration space. Register names are in pci/regs.h.
 */
#ifndef DRIVERS_PCI_H
#define DRIVERS_PCI_H
#include <stdbool.h>
#include <stdint.h>
#include <kpi/errors.h>
#include <pci/regs.h>

/** A routing ID (PCIe 5.0 2.2.6.2): bus 15:8, device 7:3, function 2:0. */
typedef uint16_t pci_rid_t;
#define PCI_RID(bus, dev, fn)   ((pci_rid_t)(((bus) << 8) | ((dev) << 3) | (fn)))
#define PCI_RID_BUS(r)          ((uint8_t)((r) >> 8))
#define PCI_RID_DEV(r)          ((uint8_t)(((r) >> 3) & 31))
#define PCI_RID_FN(r)           ((uint8_t)((r) & 7))

/** What drivers/pci needs from its platform: sized configuration reads
 * and writes (width 1, 2 or 4 bytes, naturally aligned), and a wait. A
 * read of a function that is not there gives all ones. */
struct pci_ops {
    uint32_t (*read)(void *ctx, pci_rid_t rid, uint16_t off, unsigned width);
    void (*write)(void *ctx, pci_rid_t rid, uint16_t off, unsigned width, uint32_t val);
    void (*wait_ms)(void *ctx, unsigned ms);
    void *ctx;
};

static inline uint32_t pci_rd32(const struct pci_ops *o, pci_rid_t r, uint16_t off) { return o->read(o->ctx, r, off, 4); }
static inline uint16_t pci_rd16(const struct pci_ops *o, pci_rid_t r, uint16_t off) { return (uint16_t)o->read(o->ctx, r, off, 2); }
static inline uint8_t pci_rd8(const struct pci_ops *o, pci_rid_t r, uint16_t off) { return (uint8_t)o->read(o->ctx, r, off, 1); }
static inline void pci_wr32(const struct pci_ops *o, pci_rid_t r, uint16_t off, uint32_t v) { o->write(o->ctx, r, off, 4, v); }
static inline void pci_wr16(const struct pci_ops *o, pci_rid_t r, uint16_t off, uint16_t v) { o->write(o->ctx, r, off, 2, v); }
static inline void pci_wr8(const struct pci_ops *o, pci_rid_t r, uint16_t off, uint8_t v) { o->write(o->ctx, r, off, 1, v); }

/* ---- ECAM (ecam.c, kernel only) ---- */
struct pci_ecam {
    volatile uint8_t *base;     /* mapped config space of bus_start */
    uint64_t phys;
    uint16_t segment;
    uint8_t bus_start, bus_end;
};

errval_t pci_ecam_init(struct pci_ecam *e, uint64_t phys, uint16_t seg,
                       uint8_t bus_start, uint8_t bus_end);
uint32_t pci_cfg_read32(const struct pci_ecam *e, uint8_t bus, uint8_t dev, uint8_t fn, uint16_t off);
uint16_t pci_cfg_read16(const struct pci_ecam *e, uint8_t bus, uint8_t dev, uint8_t fn, uint16_t off);
uint8_t pci_cfg_read8(const struct pci_ecam *e, uint8_t bus, uint8_t dev, uint8_t fn, uint16_t off);
void pci_cfg_write32(const struct pci_ecam *e, uint8_t bus, uint8_t dev, uint8_t fn, uint16_t off, uint32_t v);
void pci_cfg_write16(const struct pci_ecam *e, uint8_t bus, uint8_t dev, uint8_t fn, uint16_t off, uint16_t v);
void pci_cfg_write8(const struct pci_ecam *e, uint8_t bus, uint8_t dev, uint8_t fn, uint16_t off, uint8_t v);
/** The kernel's pci_ops: ECAM accesses (all ones outside the window) and
 * a busy wait on the TSC. */
struct pci_ops pci_ecam_ops(struct pci_ecam *e);

/* ---- BARs (bar.c) ---- */
enum pci_bar_kind { PCI_BAR_NONE, PCI_BAR_IO, PCI_BAR_MEM32, PCI_BAR_MEM64 };

struct pci_bar {
    uint64_t addr;              /* as the firmware (or we) assigned it */
    uint64_t size;              /* 0: not implemented */
    uint8_t kind;               /* enum pci_bar_kind */
    bool prefetch;
};

/** Decode one BAR from its saved value and its all-ones readback (lo:
 * the register, hi: the next one, used only by a 64-bit BAR). Returns how
 * many registers the BAR takes (1, or 2 for 64-bit); size 0 if the BAR is
 * not implemented. */
unsigned pci_bar_decode(uint32_t lo, uint32_t hi, uint32_t mask_lo, uint32_t mask_hi,
                        struct pci_bar *b);
/** Size the BARs in registers [first, first + 4 * n) of `rid` (a header's
 * BARs or the SR-IOV VF BARs): save, write all ones, read back, restore.
 * The caller has turned decoding off. bar[i] describes register i; the
 * upper half of a 64-bit BAR is left PCI_BAR_NONE. */
void pci_bars_probe(const struct pci_ops *o, pci_rid_t rid, uint16_t first, unsigned n,
                    struct pci_bar *bar);
/** Point BAR register `reg` (a 64-bit BAR takes reg and reg + 4) at addr. */
void pci_bar_write(const struct pci_ops *o, pci_rid_t rid, uint16_t reg,
                   const struct pci_bar *b, uint64_t addr);
const char *pci_bar_kind_name(const struct pci_bar *b);

/* ---- A driver's first steps with its function (map.c, kernel only) ---- */
/** Map the first `bytes` of memory BAR `b` uncached: PCI_ERR_BAR when it
 *  is not a memory BAR, is unassigned or is smaller. */
errval_t pci_bar_map(const struct pci_bar *b, uint64_t bytes, volatile void **va);
/** Set, then clear, bits of the function's Command register (written only
 *  when that changes it). */
void pci_command(const struct pci_ops *o, pci_rid_t rid, uint16_t set, uint16_t clear);
#define PCI_BDF_LEN 8               /* "bb:dd.f" and its NUL */
/** The function's name in log lines, "bb:dd.f". */
void pci_bdf(pci_rid_t rid, char buf[PCI_BDF_LEN]);

/* ---- Capabilities (caps.c) ---- */
struct pci_caps {
    uint32_t std;               /* bit n: a standard capability with id n (< 32) */
    uint32_t ext;               /* bit n: an extended capability with id n (< 32) */
    uint8_t pm, msi, pcie, msix;    /* offsets of the standard ones; 0 = absent */
    uint16_t aer, ari, sriov;       /* offsets of the extended ones; 0 = absent */
};

struct pci_msix {
    uint16_t vectors;           /* table size */
    uint8_t table_bir, pba_bir; /* which BAR holds the table, the PBA */
    uint32_t table_off, pba_off;
};

/** Offset of the first standard capability `id`, 0 if none. Stops after
 * PCI_CAP_MAX entries, so a looping list ends. */
uint16_t pci_cap_find(const struct pci_ops *o, pci_rid_t rid, uint8_t id);
/** Offset of the first extended capability `id`, 0 if none (same bound). */
uint16_t pci_ext_cap_find(const struct pci_ops *o, pci_rid_t rid, uint16_t id);
/** Walk both lists once and record what is there. Extended capabilities
 * are looked for only in a PCI Express function. */
void pci_caps_scan(const struct pci_ops *o, pci_rid_t rid, struct pci_caps *c);
void pci_msix_read(const struct pci_ops *o, pci_rid_t rid, uint16_t cap, struct pci_msix *m);

/* ---- The device table (enum.c) ---- */
#define PCI_MAX_FUNCS   128
#define PCI_MAX_DEPTH   16      /* bridges below bus 0; deeper is a loop */
#define PCI_NO_PARENT   0xffff

/** An address window a bridge forwards to its secondary side [base, limit];
 * empty when base > limit. */
struct pci_window {
    uint64_t base, limit;
};

struct pci_sriov {
    uint16_t cap;               /* offset of the capability */
    uint16_t total_vfs, initial_vfs, num_vfs;
    uint16_t vf_offset, vf_stride, vf_did;
    uint32_t sup_pgsize;
    struct pci_bar vf_bar[PCI_BARS_NORMAL];     /* one VF's BAR; addr = VF 0's */
};

struct pci_dev {
    pci_rid_t rid;
    uint16_t vendor, device;
    uint8_t cls, subclass, progif, rev;
    uint8_t header;             /* PCI_HEADER_NORMAL or _BRIDGE */
    bool multifunction;
    bool is_vf;
    uint16_t parent;            /* table index of the bridge above, or PCI_NO_PARENT */
    uint16_t pf;                /* a VF's PF (table index); PCI_NO_PARENT otherwise */
    uint16_t vf_index;          /* a VF's number under its PF */
    struct pci_bar bar[PCI_BARS_NORMAL];
    struct pci_caps caps;
    struct pci_msix msix;       /* valid if caps.msix */
    struct pci_sriov sriov;     /* valid if caps.sriov */
    /* Bridges only (PPB 1.2 3.2.5) */
    uint8_t secondary, subordinate;
    struct pci_window io, mem, pref;
};

struct pci_table {
    struct pci_ops ops;
    unsigned n;
    bool full;                  /* some function did not fit */
    struct pci_dev dev[PCI_MAX_FUNCS];
};

/** Walk from bus 0 through the bridges, record and log every function
 * (`pci BB:DD.F VVVV:DDDD class CC.SS name`, then indented BAR, bridge and
 * capability lines). Returns the number of functions found. */
unsigned pci_enumerate(struct pci_table *t, struct pci_ops ops);
/** Read one function's header, BARs and capabilities into d (which the
 * caller has zeroed and whose rid, parent and pf it has set). */
void pci_dev_read(const struct pci_ops *o, struct pci_dev *d);
/** Append d to the table; PCI_ERR_TABLE_FULL if there is no room. */
errval_t pci_table_add(struct pci_table *t, const struct pci_dev *d, uint16_t *index);
void pci_dev_log(const struct pci_table *t, const struct pci_dev *d);
const char *pci_class_name(uint8_t cls, uint8_t sub);

/* ---- SR-IOV (sriov.c) ---- */
/** Routing ID of VF i (0-based) of the PF at `pf` (PCIe 5.0 9.3.3.9-10):
 * pf + offset + i * stride. False if it runs past bus 255. */
bool pci_sriov_vf_rid(pci_rid_t pf, uint16_t offset, uint16_t stride, unsigned i, pci_rid_t *vf);
/** Read the SR-IOV capability at `cap` and size the VF BARs (VF MSE must
 * be off, as it is before VF Enable). */
void pci_sriov_read(const struct pci_ops *o, pci_rid_t rid, uint16_t cap, struct pci_sriov *s);
/** First address >= w->base (and >= `above`) aligned to `align` where
 * [addr, addr + size) fits in w; false if none does. */
bool pci_window_fit(const struct pci_window *w, uint64_t above, uint64_t size, uint64_t align,
                    uint64_t *addr);
/** Enable `numvfs` VFs on the PF at table index `pf`: NumVFs, System Page
 * Size, VF BARs (placed in the parent bridge's window above everything
 * behind it when the firmware left them zero), VF Enable and VF MSE, the
 * 100 ms wait, then each VF is read into the table and logged. Refuses
 * with PCI_ERR_NOT_SRIOV, PCI_ERR_TOO_MANY_VFS (numvfs > TotalVFs),
 * PCI_ERR_VFS_ENABLED, PCI_ERR_VF_BUS, PCI_ERR_NO_VF_WINDOW before VF
 * Enable (NumVFs is put back to 0; ARI Forwarding may stay on); returns
 * PCI_ERR_VF_MISSING if a VF did not answer after it. numvfs 0 does
 * nothing. */
errval_t pci_sriov_enable(struct pci_table *t, uint16_t pf, unsigned numvfs);
/** Boot policy: enable `vfs` (a decimal string, the sriov.vfs option) VFs
 * on every SR-IOV function found, one `sriov:` line each. */
void pci_sriov_boot(struct pci_table *t, const char *vfs);

/** The functions the boot found (drivers/pci/boot.c), or NULL if there is
 *  no ECAM region or it could not be mapped. For device drivers' inits,
 *  which run after the bus (DRIVER_ORDER_DEVICE). */
struct pci_table *pci_boot_table(void);
#endif
