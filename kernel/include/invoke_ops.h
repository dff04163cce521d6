/** \file invoke_ops.h \brief The invocation decoders, one per command. */
#ifndef KERNEL_INVOKE_OPS_H
#define KERNEL_INVOKE_OPS_H
#include <invoke.h>

typedef struct sysret (*invoke_fn)(struct invocation *inv);

/* invoke_cnode.c */
struct sysret invoke_cnode_copy(struct invocation *inv);
struct sysret invoke_cnode_mint(struct invocation *inv);
struct sysret invoke_cnode_delete(struct invocation *inv);
struct sysret invoke_cnode_revoke(struct invocation *inv);
struct sysret invoke_cnode_retype(struct invocation *inv);
struct sysret invoke_cnode_identify(struct invocation *inv);
/* invoke_kernel.c */
struct sysret invoke_kernel_spawn(struct invocation *inv);
struct sysret invoke_kernel_core_info(struct invocation *inv);
struct sysret invoke_kernel_domains(struct invocation *inv);
struct sysret invoke_kernel_kill(struct invocation *inv);
struct sysret invoke_kernel_modules(struct invocation *inv);
struct sysret invoke_kernel_start_monitor(struct invocation *inv);
struct sysret invoke_kernel_notify(struct invocation *inv);
struct sysret invoke_kernel_caps(struct invocation *inv);
struct sysret invoke_kernel_cap_import(struct invocation *inv);
/* drivers/net/igb/pf/nics.c */
struct sysret invoke_kernel_nics(struct invocation *inv);
/* drivers/net/igb/pf/vnic.c */
struct sysret invoke_kernel_vnic_create(struct invocation *inv);
struct sysret invoke_vnic_map_regs(struct invocation *inv);
struct sysret invoke_vnic_register_dma(struct invocation *inv);
struct sysret invoke_vnic_unregister_dma(struct invocation *inv);
struct sysret invoke_vnic_rate_set(struct invocation *inv);
/* drivers/net/igb/pf/filter.c */
struct sysret invoke_vnic_filter_create(struct invocation *inv);
struct sysret invoke_kernel_filters(struct invocation *inv);
/* drivers/net/igb/pf/doorbell.c */
struct sysret invoke_vnic_doorbell_create(struct invocation *inv);
/* invoke_endpoint.c */
struct sysret invoke_endpoint_send(struct invocation *inv);
struct sysret invoke_endpoint_send_cap(struct invocation *inv);
#endif
