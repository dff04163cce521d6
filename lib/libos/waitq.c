/*
 * waitq.c: FIFO queues of threads, linked through struct thread.
 *
 * Used for the dispatcher's run queue, its LMP sleepers, each thread's
 * joiners and each mutex's waiters. Pure bookkeeping: the callers hold the
 * dispatcher disabled while they use it (see thread.h), and the file is
 * tested on the host (tests/unit/libos).
 *
 * Invariants: `t->queue == q` exactly when t is on q; head == NULL exactly
 * when tail == NULL; the tail's `next` is NULL.
 */
#include <libos/thread.h>
#include <stddef.h>

void waitq_init(struct waitq *q)
{
    q->head = q->tail = NULL;
}

bool waitq_empty(const struct waitq *q)
{
    return q->head == NULL;
}

bool waitq_push(struct waitq *q, struct thread *t)
{
    if (t->queue)
        return false;
    t->next = NULL;
    t->queue = q;
    if (q->tail)
        q->tail->next = t;
    else
        q->head = t;
    q->tail = t;
    return true;
}

struct thread *waitq_pop(struct waitq *q)
{
    struct thread *t = q->head;
    if (!t)
        return NULL;
    q->head = t->next;
    if (!q->head)
        q->tail = NULL;
    t->next = NULL;
    t->queue = NULL;
    return t;
}

bool waitq_remove(struct waitq *q, struct thread *t)
{
    if (t->queue != q)
        return false;
    struct thread *prev = NULL;
    for (struct thread *x = q->head; x; prev = x, x = x->next) {
        if (x != t)
            continue;
        if (prev)
            prev->next = t->next;
        else
            q->head = t->next;
        if (q->tail == t)
            q->tail = prev;
        t->next = NULL;
        t->queue = NULL;
        return true;
    }
    return false;
}
