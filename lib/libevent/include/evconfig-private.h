/* evconfig-private.h for this OS: what libevent's own files define before
 * any system header (lib/libevent/README.md). */
#ifndef EVCONFIG_PRIVATE_H_INCLUDED_
#define EVCONFIG_PRIVATE_H_INCLUDED_
#ifndef _GNU_SOURCE
#define _GNU_SOURCE 1
#endif
#endif
