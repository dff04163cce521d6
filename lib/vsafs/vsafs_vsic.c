/*
 * vsafs_vsic.c: the fs=NAME spawn argument, for real: a constructor that
 * runs before main and mounts VSA NAME (through this domain's VSIC,
 * lib/arrakis vsic_blk_open) on /data with vsafs_mount_spawn_args.
 *
 *     arrakis> spawn redis core 1 ip=10.11.0.2/24 fs=redis --dir /data ...
 *
 * The shell grants the domain VSA NAME for fs=NAME and passes vsicd=ID
 * (usr/shell). Without fs= nothing happens. If the mount fails the
 * program ends here, with the reason on the console: /data must never be
 * quietly left in memfs, where nothing survives a crash.
 *
 * Nothing refers to this object, so a static link would leave it out: a
 * program that wants the hook links `vsafs tenacious arrakis` and asks for
 * it by name in its rules.mk (lib/vsafs/README.md):
 *     $(BUILD)/usr/PROG: USER_LDFLAGS += -u vsafs_fs_spawn
 */
#include <stdio.h>
#include <stdlib.h>

#include <arrakis/vsic.h>
#include <libos/libos.h>
#include <vsafs/vsafs.h>

void vsafs_fs_spawn(void);

__attribute__((constructor)) void vsafs_fs_spawn(void)
{
    errval_t err = vsafs_mount_spawn_args(vsic_blk_open);
    if (err_is_fail(err)) {
        printf("%s: stopped before main: fs= could not be mounted on /data (%s); nothing "
               "written there would be durable\n", libos_argc > 0 ? libos_argv[0] : "program",
               err_name(err_no(err)));
        exit(1);
    }
}
