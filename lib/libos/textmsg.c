/*
 * textmsg.c: cut text into fixed-size message chunks and put it back
 * together (see libos/textmsg.h). Pure logic.
 */
#include <libos/textmsg.h>
#include <string.h>

bool textmsg_pack(const char *s, size_t *off, uint64_t *words, size_t nwords)
{
    size_t cap = nwords * sizeof(uint64_t), len = strlen(s + *off);
    size_t n = len < cap ? len : cap;
    memset(words, 0, cap);
    memcpy(words, s + *off, n);
    *off += n;
    return n < cap;                 /* room left for the NUL: last chunk */
}

void textmsg_reset(struct textmsg_rx *rx)
{
    rx->len = 0;
    rx->overflow = false;
    rx->buf[0] = '\0';
}

bool textmsg_unpack(struct textmsg_rx *rx, const uint64_t *words, size_t nwords)
{
    const char *c = (const char *)words;
    size_t cap = nwords * sizeof(uint64_t);
    for (size_t i = 0; i < cap; i++) {
        if (c[i] == '\0') {
            rx->buf[rx->len] = '\0';
            rx->len = 0;            /* the next chunk starts a new text */
            return true;
        }
        if (rx->len + 1 < TEXTMSG_MAX)
            rx->buf[rx->len++] = c[i];
        else
            rx->overflow = true;
    }
    return false;
}
