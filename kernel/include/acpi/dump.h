/**
 * \file dump.h
 * \brief Print the raw ACPI tables on the console (command line acpi.dump),
 * so tools/acpi-capture can turn a boot log into host-test fixtures.
 */
#ifndef ACPI_DUMP_H
#define ACPI_DUMP_H
#include <acpi/acpi.h>

/** Print the RSDP, the root table and every table the root lists. */
void acpi_dump(const struct acpi_tables *t, const void *rsdp, size_t rsdp_len);
#endif
