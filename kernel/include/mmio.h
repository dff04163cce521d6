/**
 * \file mmio.h
 * \brief The only way the kernel touches device registers: volatile
 * accessors with one plain mov each, so they run unchanged under KVM's
 * instruction-by-instruction MMIO emulation.
 */
#ifndef KERNEL_MMIO_H
#define KERNEL_MMIO_H
#include <stdint.h>

static inline uint8_t  mmio_read8(volatile void *a)  { return *(volatile uint8_t *)a; }
static inline uint16_t mmio_read16(volatile void *a) { return *(volatile uint16_t *)a; }
static inline uint32_t mmio_read32(volatile void *a) { return *(volatile uint32_t *)a; }
static inline uint64_t mmio_read64(volatile void *a) { return *(volatile uint64_t *)a; }
static inline void mmio_write8(volatile void *a, uint8_t v)   { *(volatile uint8_t *)a = v; }
static inline void mmio_write16(volatile void *a, uint16_t v) { *(volatile uint16_t *)a = v; }
static inline void mmio_write32(volatile void *a, uint32_t v) { *(volatile uint32_t *)a = v; }
static inline void mmio_write64(volatile void *a, uint64_t v) { *(volatile uint64_t *)a = v; }
#endif
