/**
 * \file vsic_blk.h
 * \brief How this program gets its VSA's block device: provided by the
 *        storage side (the VSIC in lib/arrakis, branch `storage`), NOT
 *        implemented in this tree. Until it is, storage_crash is left out
 *        of the build (its rules are in rules.mk.pending).
 */
#ifndef STORAGE_CRASH_VSIC_BLK_H
#define STORAGE_CRASH_VSIC_BLK_H
#include <arrakis/blk.h>

/** Opens the VSA named `name` (the monitor's grant to this domain) as a
 *  struct blk_dev over a VSIC. */
errval_t vsic_blk_open(const char *name, struct blk_dev **dev);
#endif
