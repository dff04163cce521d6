/*
 * cap_hooks.c: the hooks drivers register on capability types
 * (cap_hooks.h). The table is written at boot, on the bootstrap core,
 * before any domain runs, and only read after.
 */
#include <cap_hooks.h>
#include <cap/cap.h>
#include <panic.h>

static cap_removed_fn hooks[CAP_TYPE_COUNT][CAP_HOOKS_PER_TYPE];

void cap_removed_register(unsigned type, cap_removed_fn fn)
{
    if (type >= CAP_TYPE_COUNT)
        panic("cap_hooks: a hook for capability type %u, which does not exist", type);
    for (int i = 0; i < CAP_HOOKS_PER_TYPE; i++) {
        if (!hooks[type][i]) {
            hooks[type][i] = fn;
            return;
        }
    }
    panic("cap_hooks: more than %d hooks on %s", CAP_HOOKS_PER_TYPE, cap_type_name(type));
}

void cap_removed_run(struct cte *slot)
{
    unsigned type = slot->cap.type;
    for (int i = 0; type < CAP_TYPE_COUNT && i < CAP_HOOKS_PER_TYPE && hooks[type][i]; i++)
        hooks[type][i](slot);
}
