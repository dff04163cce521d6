/*
 * syslog.c: the system log on the console. openlog's ident and LOG_PID
 * prefix each line ("redis[65538]: ..."), setlogmask filters by priority;
 * LOG_CONS and LOG_PERROR add nothing, as the console is where the log
 * goes anyway.
 */
#include <stdarg.h>
#include <stdio.h>
#include <syslog.h>
#include <unistd.h>

static const char *syslog_ident;
static int syslog_option;
static int syslog_mask = 0xff;

void openlog(const char *ident, int option, int facility)
{
    syslog_ident = ident;
    syslog_option = option;
}

void closelog(void)
{
    syslog_ident = NULL;
    syslog_option = 0;
}

int setlogmask(int mask)
{
    int old = syslog_mask;
    if (mask)
        syslog_mask = mask;
    return old;
}

void vsyslog(int priority, const char *format, va_list ap)
{
    if (!(syslog_mask & LOG_MASK(LOG_PRI(priority))))
        return;
    char line[1024];
    int n = 0;
    if (syslog_ident && (syslog_option & LOG_PID))
        n = snprintf(line, sizeof line, "%s[%d]: ", syslog_ident, (int)getpid());
    else if (syslog_ident)
        n = snprintf(line, sizeof line, "%s: ", syslog_ident);
    if (n < 0 || n >= (int)sizeof line)
        n = 0;
    vsnprintf(line + n, sizeof line - (size_t)n, format, ap);
    printf("%s\n", line);
}

void syslog(int priority, const char *format, ...)
{
    va_list ap;
    va_start(ap, format);
    vsyslog(priority, format, ap);
    va_end(ap);
}
