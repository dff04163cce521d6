/**
 * \file driver.h
 * \brief How drivers join the CPU driver without its naming them
 * (kernel/driver.c).
 *
 * A driver defines one struct driver with DRIVER() in its own folder; the
 * linker gathers them (section .kdrivers.<order>, sorted) and the
 * bootstrap core runs each init in order, after the other cores are up
 * and before the first domain starts. An init finds its device, brings it
 * up, and registers what it serves: capability types' commands
 * (invoke_register), removal hooks (cap_removed_register), a timer hook
 * (timer_hook_register), cross-core services (XCALL_SERVICE). Adding a
 * driver is a folder and a rules.mk, never an edit of kernel/.
 */
#ifndef KERNEL_DRIVER_H
#define KERNEL_DRIVER_H

struct acpi_tables;
struct mcfg_info;

/** What the boot found that drivers may need (read-only). */
struct driver_env {
    const struct acpi_tables *acpi;
    const struct mcfg_info *mcfg;   /* PCIe ECAM regions (necam may be 0) */
};

struct driver {
    const char *name;
    void (*init)(const struct driver_env *env);
};

/* Init order: buses first, then the devices on them, then the IOMMU,
 * which blocks every device's DMA until a driver attaches it. */
#define DRIVER_ORDER_BUS    1
#define DRIVER_ORDER_DEVICE 2
#define DRIVER_ORDER_IOMMU  3

#define DRIVER_STR_(x) #x
#define DRIVER_SECTION_(order) ".kdrivers." DRIVER_STR_(order)
/** Define driver `var` with init `fn`, run at `order` (DRIVER_ORDER_*). */
#define DRIVER(var, order, nm, fn)                                              \
    static const struct driver var                                              \
        __attribute__((used, section(DRIVER_SECTION_(order)), aligned(16))) = { nm, fn }

/** Run every driver's init, in order (bootstrap core, once). */
void driver_init_all(const struct driver_env *env);
#endif
