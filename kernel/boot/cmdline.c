/*
 * cmdline.c: the kernel command line, copied out of the multiboot2 info at
 * boot (the loader's memory is not ours to keep) and looked up by key.
 * Pure logic: tested on the host.
 */
#include <boot/cmdline.h>
#include <string.h>

static char cmdline_buf[CMDLINE_MAX];

void cmdline_set(const char *s)
{
    size_t i = 0;
    for (; s && s[i] && i + 1 < CMDLINE_MAX; i++)
        cmdline_buf[i] = s[i];
    cmdline_buf[i] = '\0';
}

const char *cmdline_raw(void)
{
    return cmdline_buf;
}

/* Find `key` as a whole word; return a pointer just past it, or NULL. */
static const char *find_key(const char *key)
{
    size_t klen = strlen(key);
    const char *p = cmdline_buf;
    while (*p) {
        while (*p == ' ')
            p++;
        const char *word = p;
        while (*p && *p != ' ')
            p++;
        size_t wlen = (size_t)(p - word);
        if (wlen >= klen && strncmp(word, key, klen) == 0 &&
            (wlen == klen || word[klen] == '='))
            return word + klen;
    }
    return NULL;
}

bool cmdline_has(const char *key)
{
    return find_key(key) != NULL;
}

bool cmdline_value(const char *key, char *buf, size_t size)
{
    const char *p = find_key(key);
    if (!p || *p != '=' || size == 0)
        return false;
    p++;
    size_t i = 0;
    while (p[i] && p[i] != ' ' && i + 1 < size) {
        buf[i] = p[i];
        i++;
    }
    buf[i] = '\0';
    return true;
}
