/** \file invoke_ops.h \brief The kernel's own invocation decoders, one per command. */
#ifndef KERNEL_INVOKE_OPS_H
#define KERNEL_INVOKE_OPS_H
#include <invoke.h>

/* invoke_cnode.c */
struct sysret invoke_cnode_copy(struct invocation *inv);
struct sysret invoke_cnode_mint(struct invocation *inv);
struct sysret invoke_cnode_delete(struct invocation *inv);
struct sysret invoke_cnode_revoke(struct invocation *inv);
struct sysret invoke_cnode_retype(struct invocation *inv);
struct sysret invoke_cnode_identify(struct invocation *inv);
struct sysret invoke_cnode_move(struct invocation *inv);
/* invoke_kernel.c */
struct sysret invoke_kernel_spawn(struct invocation *inv);
struct sysret invoke_kernel_core_info(struct invocation *inv);
struct sysret invoke_kernel_domains(struct invocation *inv);
struct sysret invoke_kernel_kill(struct invocation *inv);
struct sysret invoke_kernel_modules(struct invocation *inv);
struct sysret invoke_kernel_start_monitor(struct invocation *inv);
struct sysret invoke_kernel_notify(struct invocation *inv);
struct sysret invoke_kernel_caps(struct invocation *inv);
/* invoke_endpoint.c */
struct sysret invoke_endpoint_send(struct invocation *inv);
struct sysret invoke_endpoint_send_cap(struct invocation *inv);
#endif
