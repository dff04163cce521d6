/* nullderef: dereference NULL on purpose. The CPU driver must report the
 * fault with this domain's name and the address, stop it, reclaim its
 * memory, and keep everything else running. */
#include <libos/debug.h>
#include <stdint.h>

int main(int argc, char *argv[])
{
    debug_printf("nullderef: about to read address 0\n");
    volatile uintptr_t zero = 0;
    int v = *(volatile int *)zero;
    debug_printf("nullderef: still alive after reading %d: the fault was missed\n", v);
    return 1;
}
