/* coreid: say which core this domain runs on, then end (status 0). */
#include <libos/debug.h>
#include <libos/libos.h>

int main(int argc, char *argv[])
{
    debug_printf("coreid: domain %#x running on core %u\n", libos_domain_id(), libos_core_id());
    return 0;
}
