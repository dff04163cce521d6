/** \file rsdp_scan.h \brief Legacy BIOS search for the RSDP (kernel only). */
#ifndef ACPI_RSDP_SCAN_H
#define ACPI_RSDP_SCAN_H
#include <stddef.h>
const void *acpi_rsdp_scan(size_t *len);
#endif
