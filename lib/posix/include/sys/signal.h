/* sys/signal.h: the same as <signal.h> (Linux numbers; lib/posix/include/signal.h). */
#include <signal.h>
