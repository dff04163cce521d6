/*
 * madt.c: the cores and I/O APICs listed in the MADT (ACPI 6.5, 5.2.12).
 * A core counts when it is enabled or online-capable; both xAPIC and
 * x2APIC entries are read, and an APIC ID seen twice is counted once.
 */
#include <acpi/acpi.h>
#include <string.h>

struct madt_entry { uint8_t type, length; } __attribute__((packed));
struct madt_lapic { struct madt_entry e; uint8_t uid, apic_id; uint32_t flags; } __attribute__((packed));
struct madt_x2apic { struct madt_entry e; uint16_t reserved; uint32_t apic_id, flags, uid; } __attribute__((packed));
struct madt_ioapic_entry { struct madt_entry e; uint8_t id, reserved; uint32_t address, gsi_base; } __attribute__((packed));

static errval_t add_cpu(struct madt_info *out, uint32_t apic_id, uint32_t uid, uint32_t flags)
{
    if (!(flags & (MADT_CPU_ENABLED | MADT_CPU_ONLINE_CAPABLE)))
        return ERR_OK;
    for (size_t i = 0; i < out->ncpus; i++)
        if (out->cpus[i].apic_id == apic_id)
            return ERR_OK;
    if (out->ncpus == ACPI_MAX_CPUS)
        return ACPI_ERR_TOO_MANY;
    out->cpus[out->ncpus++] = (struct madt_cpu){ apic_id, uid, flags & MADT_CPU_ENABLED };
    return ERR_OK;
}

errval_t madt_parse(const struct acpi_sdt_header *h, struct madt_info *out)
{
    if (memcmp(h->signature, "APIC", 4) != 0)
        return ACPI_ERR_BAD_SIGNATURE;
    if (h->length < sizeof(struct acpi_madt))
        return ACPI_ERR_TRUNCATED;
    memset(out, 0, sizeof(*out));
    const struct acpi_madt *m = (const void *)h;
    out->lapic_address = m->lapic_address;
    const uint8_t *p = (const uint8_t *)(m + 1), *end = (const uint8_t *)h + h->length;
    while (p + sizeof(struct madt_entry) <= end) {
        const struct madt_entry *e = (const void *)p;
        if (e->length < sizeof(*e) || p + e->length > end)
            return ACPI_ERR_TRUNCATED;
        errval_t err = ERR_OK;
        if (e->type == MADT_LOCAL_APIC && e->length >= sizeof(struct madt_lapic)) {
            const struct madt_lapic *l = (const void *)e;
            err = add_cpu(out, l->apic_id, l->uid, l->flags);
        } else if (e->type == MADT_LOCAL_X2APIC && e->length >= sizeof(struct madt_x2apic)) {
            const struct madt_x2apic *x = (const void *)e;
            err = add_cpu(out, x->apic_id, x->uid, x->flags);
        } else if (e->type == MADT_IO_APIC && e->length >= sizeof(struct madt_ioapic_entry)) {
            const struct madt_ioapic_entry *io = (const void *)e;
            if (out->nioapics == ACPI_MAX_IOAPICS)
                return ACPI_ERR_TOO_MANY;
            out->ioapics[out->nioapics++] =
                (struct madt_ioapic){ io->id, io->address, io->gsi_base };
        }
        if (err_is_fail(err))
            return err;
        p += e->length;
    }
    return ERR_OK;
}
