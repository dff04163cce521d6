/*
 * driver.c: run the drivers the image holds (driver.h). The linker
 * script gathers the struct drivers between __drivers_start and
 * __drivers_end, sorted by order.
 */
#include <driver.h>

extern const struct driver __drivers_start[], __drivers_end[];

void driver_init_all(const struct driver_env *env)
{
    for (const struct driver *d = __drivers_start; d < __drivers_end; d++)
        d->init(env);
}
