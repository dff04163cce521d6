/*
 * main.c: the bootstrap core's path from the multiboot2 hand-off to an
 * idle CPU driver. Each step logs one line (or a few) so the serial log
 * reads as the story of the boot; a step that cannot go on stops the boot
 * with boot_fatal() and says why, never with a fault.
 */
#include <boot/boot.h>
#include <boot/cmdline.h>
#include <boot/multiboot2.h>
#include <acpi/acpi.h>
#include <acpi/dump.h>
#include <acpi/rsdp_scan.h>
#include <arch/apic.h>
#include <arch/calibrate.h>
#include <arch/cpu.h>
#include <arch/gdt.h>
#include <arch/paging.h>
#include <arch/pat.h>
#include <arch/pit.h>
#include <arch/rtc.h>
#include <arch/serial.h>
#include <arch/trap.h>
#include <mm/pmm.h>
#include <console.h>
#include <console/fbcon.h>
#include <core.h>
#include <crash.h>
#include <dispatch.h>
#include <driver.h>
#include <xcall.h>
#include <spawn.h>
#include <syscall_impl.h>
#include <string.h>
#include <memlayout.h>
#include <panic.h>
#include <fmt.h>
#include <stdarg.h>

#define TIMER_HZ 100
#define TIMER_CHECK_TICKS 5

extern const char _kernel_phys_start[], _kernel_phys_end[];
extern char boot_stack_top[];

static struct core bsp_core __attribute__((aligned(64)));
static struct boot_info boot_info;
static uint32_t boot_mbi_phys;
static struct acpi_tables acpi;
static struct madt_info madt;
static struct mcfg_info mcfg;

void boot_fatal(const char *fmt, ...)
{
    char msg[256];
    va_list ap;
    va_start(ap, fmt);
    fmt_vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    kprintf("\nFATAL: %s\n", msg);
    machine_stop(BOOT_FAIL_STATUS);
}

static const void *acpi_map_direct(uint64_t phys, size_t len, void *ctx)
{
    return phys_to_virt(phys);
}

static void boot_memory(uint32_t mbi_phys)
{
    struct boot_info *bi = &boot_info;
    if (!bi->has_mmap || cmdline_has("boot.ignore_memmap"))
        boot_fatal("boot: the boot loader gave no memory map, so this kernel cannot know "
                   "which RAM is free. Boot it with a multiboot2 loader that passes one "
                   "(GRUB 2 does).");
    uint64_t usable = 0;
    for (size_t i = 0; i < bi->nregions; i++) {
        const struct mem_region *r = &bi->regions[i];
        kprintf("mm: %016lx-%016lx %s\n", r->base, r->base + r->length - 1,
                mb2_mem_type_name(r->type));
        if (r->type == MB2_MEM_AVAILABLE)
            usable += r->length;
    }
    struct phys_range reserved[BOOT_MAX_MODULES + 3];
    size_t nres = 0;
    reserved[nres++] = (struct phys_range){ (uint64_t)_kernel_phys_start, (uint64_t)_kernel_phys_end };
    reserved[nres++] = (struct phys_range){ mbi_phys, mbi_phys + bi->total_size };
    for (size_t i = 0; i < bi->nmodules; i++)
        reserved[nres++] = (struct phys_range){ bi->modules[i].start, bi->modules[i].end };

    uint64_t top = pmm_usable_top(bi->regions, bi->nregions);
    size_t bytes = pmm_bitmap_bytes(top);
    uint64_t bitmap_pa;
    errval_t err = pmm_place_bitmap(bi->regions, bi->nregions, reserved, nres, bytes, &bitmap_pa);
    if (err_is_fail(err)) {
        kprint_err("mm", err);
        boot_fatal("mm: no usable RAM above 1 MiB for the page allocator (%lu KiB usable in all)",
                   usable >> 10);
    }
    reserved[nres++] = (struct phys_range){ bitmap_pa, bitmap_pa + bytes };
    err = pmm_init(&bsp_core.pmm, bi->regions, bi->nregions, reserved, nres,
                   phys_to_virt(bitmap_pa), bytes);
    if (err_is_fail(err)) {
        kprint_err("mm", err);
        boot_fatal("mm: the memory map leaves no RAM for the page allocator");
    }
    kprintf("mm: %lu MiB usable, %lu MiB free for allocation\n", usable >> 20,
            (bsp_core.pmm.free_pages * PAGE_SIZE) >> 20);
    err = paging_init(&bsp_core.pmm, top);
    if (err_is_fail(err)) {
        kprint_err("paging", err);
        boot_fatal("paging: cannot build the kernel page tables");
    }
    kprintf("paging: kernel page tables active (direct map of RAM, no identity map)\n");
}

static void boot_acpi(void)
{
    const void *rsdp = boot_info.rsdp;
    size_t len = boot_info.rsdp_len;
    if (!rsdp)
        rsdp = acpi_rsdp_scan(&len);
    if (cmdline_has("boot.ignore_acpi"))
        rsdp = NULL;
    if (!rsdp)
        boot_fatal("acpi: no ACPI tables found (no RSDP from the boot loader or the BIOS "
                   "area). This kernel needs ACPI to find its cores (MADT) and PCIe "
                   "(MCFG); enable ACPI in the firmware.");
    errval_t err = acpi_init(&acpi, rsdp, len, acpi_map_direct, 0);
    if (err_is_fail(err)) {
        kprint_err("acpi", err);
        boot_fatal("acpi: the ACPI root tables are unusable");
    }
    kprintf("acpi: revision %u, OEM '%s', %s\n", acpi.revision, acpi.oem_id,
            acpi.xsdt ? "XSDT" : "RSDT");
    if (cmdline_has("acpi.dump"))
        acpi_dump(&acpi, rsdp, len);
    const struct acpi_sdt_header *h;
    err = acpi_find(&acpi, "APIC", &h);
    if (err_is_ok(err))
        err = madt_parse(h, &madt);
    if (err_is_fail(err)) {
        kprint_err("acpi: MADT", err);
        boot_fatal("acpi: no usable MADT, so the cores cannot be listed");
    }
    kprintf("acpi: MADT lists %zu cores:", madt.ncpus);
    for (size_t i = 0; i < madt.ncpus; i++)
        kprintf(" apic %u", madt.cpus[i].apic_id);
    kprintf("\n");
    err = acpi_find(&acpi, "MCFG", &h);
    if (err_is_ok(err))
        err = mcfg_parse(h, &mcfg);
    if (err_is_fail(err) || mcfg.necam == 0) {
        kprint_err("acpi: MCFG", err_is_fail(err) ? err : ACPI_ERR_TABLE_NOT_FOUND);
        kprintf("acpi: no PCIe ECAM region; PCI devices will not be found\n");
        return;
    }
    for (size_t i = 0; i < mcfg.necam; i++)
        kprintf("acpi: MCFG ECAM at %#lx, segment %u, buses %02x-%02x\n", mcfg.ecam[i].base,
                mcfg.ecam[i].segment, mcfg.ecam[i].bus_start, mcfg.ecam[i].bus_end);
}

static void boot_apic(void)
{
    pic_disable();
    errval_t err = apic_init(madt.lapic_address);
    if (err_is_fail(err)) {
        kprint_err("apic", err);
        boot_fatal("apic: cannot enable the local APIC");
    }
    struct calib_result cal;
    err = apic_timer_calibrate(&acpi, &cal);
    if (err_is_fail(err)) {
        kprint_err("timer", err);
        boot_fatal("timer: nothing to measure the TSC and APIC timer against (no PIT, and "
                   "ACPI names no HPET or PM timer)");
    }
    kprintf("timer: calibrated against the %s (%s)\n", cal.source, cal.how);
    kprintf("apic: %s, id %u; timer %lu kHz; tsc %lu MHz\n", apic_is_x2apic() ? "x2APIC" : "xAPIC",
            apic_id(), apic_timer_hz() / 1000, tsc_hz() / 1000000);
    apic_timer_start(TIMER_HZ);
    irq_enable();
    uint64_t t0 = rdtsc();
    while (apic_timer_ticks() < TIMER_CHECK_TICKS)
        cpu_halt();
    uint64_t ms = tsc_hz() ? (rdtsc() - t0) * 1000 / tsc_hz() : 0;
    kprintf("apic: timer ticking at %u Hz (%u ticks in %lu ms)\n", TIMER_HZ,
            TIMER_CHECK_TICKS, ms);
}

/* A free page below 1 MiB for the AP trampoline (the SIPI vector is its
 * page number), clear of the boot information and modules. */
static bool trampoline_page(uint64_t *pa)
{
    for (uint64_t p = 0x8000; p < 0x9f000; p += PAGE_SIZE) {
        bool usable = false, taken = p < boot_mbi_phys + boot_info.total_size &&
                                     boot_mbi_phys < p + PAGE_SIZE;
        for (size_t i = 0; i < boot_info.nregions; i++) {
            const struct mem_region *r = &boot_info.regions[i];
            if (r->base <= p && p + PAGE_SIZE <= r->base + r->length)
                usable |= r->type == MB2_MEM_AVAILABLE;
            else if (r->base < p + PAGE_SIZE && p < r->base + r->length && r->type != MB2_MEM_AVAILABLE)
                taken = true;
        }
        for (size_t i = 0; i < boot_info.nmodules; i++)
            taken |= boot_info.modules[i].start < p + PAGE_SIZE && p < boot_info.modules[i].end;
        if (usable && !taken) {
            *pa = p;
            return true;
        }
    }
    return false;
}

static void boot_smp(void)
{
    uint64_t page;
    if (!trampoline_page(&page)) {
        kprintf("smp: no free page below 1 MiB for the trampoline; running on one core\n");
        return;
    }
    smp_start_cores(&madt, &bsp_core, page);
}

uint64_t boot_rtc_epoch_s, boot_rtc_tsc;

static void boot_clock(void)
{
    struct civil_time t;
    int64_t epoch;
    if (!rtc_read(&t) || !civil_to_unix(&t, &epoch) || epoch < 0) {
        kprintf("rtc: no valid date in the CMOS clock; wall-clock time starts at 1970\n");
        return;
    }
    boot_rtc_tsc = rdtsc();
    boot_rtc_epoch_s = (uint64_t)epoch;
    kprintf("rtc: %04d-%02d-%02d %02d:%02d:%02d UTC\n", t.year, t.month, t.day, t.hour,
            t.minute, t.second);
}

/* The drivers linked into the image (each defines itself with DRIVER()),
 * in their order: buses, devices, the IOMMU. */
static void boot_drivers(void)
{
    const struct driver_env env = { .acpi = &acpi, .mcfg = &mcfg };
    driver_init_all(&env);
}

/* Record the user programs GRUB loaded and start init on this core. */
static void boot_user(void)
{
    static struct boot_program progs[BOOT_MAX_MODULES];
    size_t n = 0;
    for (size_t i = 0; i < boot_info.nmodules && n < BOOT_MAX_MODULES; i++) {
        const struct boot_module *m = &boot_info.modules[i];
        struct boot_program *p = &progs[n++];
        memset(p, 0, sizeof(*p));
        for (size_t k = 0; m->name && m->name[k] && k + 1 < sizeof(p->name); k++)
            p->name[k] = m->name[k];
        p->pa = m->start;
        p->size = m->end - m->start;
    }
    spawn_set_modules(progs, n);
    if (boot_info.modules_dropped)
        kprintf("boot: %zu more modules ignored: this kernel takes at most %d\n",
                boot_info.modules_dropped, BOOT_MAX_MODULES);
    kprintf("boot: %zu user programs:", n);
    for (size_t i = 0; i < n; i++)
        kprintf(" %s", progs[i].name);
    kprintf("\n");
    syscall_init_core();
    errval_t err = dispatch_init_core();
    if (err_is_fail(err)) {
        kprint_err("boot: dispatch", err);
        boot_fatal("boot: cannot set up this core's domains");
    }
    char first[MODULE_NAME_MAX] = "init";
    cmdline_value("init", first, sizeof(first));
    uint32_t id;
    err = spawn_domain(first, "", true, &id);
    if (err_is_fail(err)) {
        kprint_err("boot: cannot start the first domain", err);
        kprintf("boot: no '%s' to run; the core stays idle\n", first);
        return;
    }
    kprintf("boot: started %s as domain %#x on core 0\n", first, id);
}

/* Before paging_init the boot page tables map physical 0-4 GiB at the
 * direct map: the SPCR is read there, or not at all. */
static const void *acpi_map_early(uint64_t phys, size_t len, void *ctx)
{
    return phys + len <= (4ull << 30) && phys + len >= phys ? phys_to_virt(phys) : NULL;
}

/* With no console= the firmware's SPCR table may name the console UART
 * (a server's serial-over-LAN port). ERR_OK and the port, or why not;
 * ACPI_ERR_TABLE_NOT_FOUND is the usual no (QEMU, most PCs). */
static errval_t console_from_spcr(struct console_port *out)
{
    const void *rsdp = boot_info.rsdp;
    size_t len = boot_info.rsdp_len;
    if (!rsdp)
        rsdp = acpi_rsdp_scan(&len);
    if (!rsdp || cmdline_has("boot.ignore_acpi"))
        return ACPI_ERR_TABLE_NOT_FOUND;
    struct acpi_tables t;
    const struct acpi_sdt_header *h;
    struct spcr_uart u;
    /* Root tables this early look cannot reach are boot_acpi's to report. */
    if (err_is_fail(acpi_init(&t, rsdp, len, acpi_map_early, 0)))
        return ACPI_ERR_TABLE_NOT_FOUND;
    errval_t err = spcr_find(&t, &h);
    if (err_is_ok(err))
        err = spcr_parse(h, &u);
    if (err_is_fail(err))
        return err;
    *out = (struct console_port){ .port = u.io,
                                  .baud = u.baud == SPCR_BAUD_AS_SET ? 115200 : u.baud };
    return ERR_OK;
}

/* The console goes where the command line says (console=ttyS1 for a
 * server's serial-over-LAN), else where the ACPI SPCR says, else COM1; so
 * both are read before the first line is printed. With no multiboot2
 * information it stays on COM1. */
static errval_t boot_console(uint32_t magic, uint32_t mbi_phys)
{
    errval_t err = BOOT_ERR_BAD_MAGIC;
    if (magic == MB2_BOOTLOADER_MAGIC)
        err = mb2_parse(phys_to_virt(mbi_phys), &boot_info);
    if (err_is_ok(err))
        cmdline_set(boot_info.cmdline);
    char val[32];
    struct console_port com1, con;
    console_arg_parse("ttyS0", &com1);
    con = com1;
    bool given = cmdline_value("console", val, sizeof(val));
    bool bad = given && !console_arg_parse(val, &con);
    errval_t spcr = ACPI_ERR_TABLE_NOT_FOUND;
    if (!given && err_is_ok(err))
        spcr = console_from_spcr(&con);
    serial_init(con.port, con.baud);
    kprintf("\narrakis %s: CPU driver starting on the bootstrap core\n", ARRAKIS_VERSION);
    if (bad)
        kprintf("console: console=%s is not ttyS0-3 or uart,io,0xADDR[,baud]; using COM1\n", val);
    else if (err_is_ok(spcr))
        kprintf("console: on the UART at I/O %#x, %u baud (named by ACPI SPCR)\n", con.port,
                con.baud);
    else if (err_no(spcr) != ACPI_ERR_TABLE_NOT_FOUND)
        kprintf("console: ACPI SPCR ignored: %s (%s); using COM1\n", err_name(err_no(spcr)),
                err_msg(err_no(spcr)));
    else if (con.port != com1.port)
        kprintf("console: on the UART at I/O %#x, %u baud\n", con.port, con.baud);
    return err;
}

void kmain(uint32_t magic, uint32_t mbi_phys)
{
    pat_init();
    errval_t err = boot_console(magic, mbi_phys);
    gdt_load(&bsp_core.gdt);
    core_set_current(&bsp_core);
    idt_init();
    idt_load();
    if (magic != MB2_BOOTLOADER_MAGIC)
        boot_fatal("boot: magic %#x is not multiboot2's; boot this kernel with GRUB 2 "
                   "(multiboot2)", magic);
    if (err_is_fail(err)) {
        kprint_err("boot", err);
        boot_fatal("boot: the multiboot2 information is malformed");
    }
    kprintf("boot: loaded by '%s', command line '%s'\n",
            boot_info.loader_name ? boot_info.loader_name : "?", cmdline_raw());

    boot_mbi_phys = mbi_phys;
    boot_memory(mbi_phys);
    fbcon_start(&boot_info);
    boot_acpi();
    boot_apic();
    boot_clock();
    bsp_core.apic_id = apic_id();
    bsp_core.stack_top = (uint64_t)boot_stack_top;
    gdt_set_kernel_stack(&bsp_core.gdt, bsp_core.stack_top);
    xcall_init();
    boot_smp();
    boot_drivers();
    crash_if_asked();
    boot_user();
    kprintf("arrakis: boot complete on core 0\n");
    if (cmdline_has("halt=poweroff"))
        machine_stop(0);
    dispatch_schedule();
}
