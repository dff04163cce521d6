/*
 * err.c: names and messages for the error codes in kpi/errors.def.
 * Built from the same file for the kernel and for user space (libcommon).
 */
#include <kpi/errors.h>

static const struct { const char *name, *msg; } err_table[] = {
#define ERR(name, msg) { #name, msg },
#include <kpi/errors.def>
#undef ERR
};

const char *err_name(enum err_code c)
{
    return (unsigned)c < ERR_CODE_COUNT ? err_table[c].name : "ERR_UNKNOWN";
}

const char *err_msg(enum err_code c)
{
    return (unsigned)c < ERR_CODE_COUNT ? err_table[c].msg : "unknown error code";
}
