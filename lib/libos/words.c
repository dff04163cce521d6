/* words.c: command lines into words, for the shell and the monitors. */
#include <libos/words.h>

int words_split(char *line, char **argv, int max)
{
    int argc = 0;
    for (char *p = line; *p && argc < max;) {
        while (*p == ' ')
            *p++ = '\0';
        if (!*p)
            break;
        argv[argc++] = p;
        while (*p && *p != ' ')
            p++;
    }
    return argc;
}
