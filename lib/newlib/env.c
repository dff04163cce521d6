/*
 * env.c: the environment from the spawn command. As with env(1), leading
 * arguments of the form NAME=value (NAME a C identifier) are taken out of
 * argv and become the environment newlib's getenv/setenv see:
 *     spawn prog core 1 LANG=C DEBUG=1 input.txt   ->  argv = prog input.txt
 * It also sets glibc's program_invocation_name (argv[0]) and
 * program_invocation_short_name (its last component), which Linux
 * programs name (<errno.h> with _GNU_SOURCE; Redis's setproctitle.c).
 */
#include <stdbool.h>
#include <stddef.h>
#include <libos/libos.h>

#define ENV_MAX 16

extern char **environ;
static char *env_block[ENV_MAX + 1];
char *program_invocation_name = "", *program_invocation_short_name = "";

static bool is_assignment(const char *s)
{
    if (!((*s >= 'A' && *s <= 'Z') || (*s >= 'a' && *s <= 'z') || *s == '_'))
        return false;
    for (s++; *s && *s != '='; s++)
        if (!((*s >= 'A' && *s <= 'Z') || (*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') ||
              *s == '_'))
            return false;
    return *s == '=';
}

void glue_env_init(void);
void glue_env_init(void)
{
    int n = 0, first = 1;
    while (first < libos_argc && n < ENV_MAX && is_assignment(libos_argv[first]))
        env_block[n++] = libos_argv[first++];
    env_block[n] = NULL;
    environ = env_block;
    if (libos_argc > 0 && libos_argv[0]) {
        program_invocation_name = program_invocation_short_name = libos_argv[0];
        for (char *c = libos_argv[0]; *c; c++)
            if (*c == '/')
                program_invocation_short_name = c + 1;
    }
    int shift = first - 1;
    if (shift == 0)
        return;
    for (int i = 1; i + shift <= libos_argc; i++)
        libos_argv[i] = libos_argv[i + shift];     /* moves the NULL too */
    libos_argc -= shift;
}
