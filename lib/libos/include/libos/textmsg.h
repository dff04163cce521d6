/**
 * \file textmsg.h
 * \brief Text carried in fixed-size messages: a string is cut into chunks
 * of N words, zero-padded; the chunk holding the terminating NUL ends it.
 * Monitors and the shell talk in such text lines over LMP and UMP.
 */
#ifndef LIBOS_TEXTMSG_H
#define LIBOS_TEXTMSG_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define TEXTMSG_MAX 1024

struct textmsg_rx {
    char buf[TEXTMSG_MAX];
    size_t len;
    bool overflow;
};

/** Fill `words` with the chunk starting at *off; advances *off. Returns
 *  true if this chunk ends the text (holds its NUL). */
bool textmsg_pack(const char *s, size_t *off, uint64_t *words, size_t nwords);
/** Append a chunk; true when the text is complete (then rx->buf is it,
 *  NUL-terminated, and rx is reset on the next call). */
bool textmsg_unpack(struct textmsg_rx *rx, const uint64_t *words, size_t nwords);
void textmsg_reset(struct textmsg_rx *rx);
#endif
