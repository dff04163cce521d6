/**
 * \file errors.h
 * \brief The one error type of the system, shared by kernel and library OS.
 *
 * An errval_t is a small stack of codes: the innermost cause in the low 16
 * bits, and each layer that passes it on pushes its own code on top with
 * err_push(), so a printed error reads "what I was doing <- why it failed".
 * Codes and messages are defined once, in errors.def.
 */
#ifndef KPI_ERRORS_H
#define KPI_ERRORS_H
#include <stdint.h>
#include <stdbool.h>

enum err_code {
#define ERR(name, msg) name,
#include <kpi/errors.def>
#undef ERR
    ERR_CODE_COUNT
};

typedef uint64_t errval_t;

#define ERR_STACK_DEPTH 4

/** The most recent (outermost) code of an error stack. */
static inline enum err_code err_no(errval_t e) { return (enum err_code)(e & 0xffff); }
static inline bool err_is_ok(errval_t e) { return e == ERR_OK; }
static inline bool err_is_fail(errval_t e) { return e != ERR_OK; }
/** Wrap cause `e` in the context `code` (the oldest code drops off when full). */
static inline errval_t err_push(errval_t e, enum err_code code) { return (e << 16) | (uint64_t)code; }
/** The code below the outermost one, or ERR_OK. */
static inline errval_t err_pop(errval_t e) { return e >> 16; }

const char *err_name(enum err_code c);
const char *err_msg(enum err_code c);
#endif
