/*
 * blksync.c: one block request, waited for (tenacious/blksync.h). The
 * completion sets a flag in the caller's frame; the device's wait runs
 * (and with it any other completion) until the flag is set. Used where
 * waiting is the point: recovery scans, format, checkpoints.
 */
#include <stdbool.h>
#include <tenacious/blksync.h>

struct blk_waiter {
    bool done;
    errval_t status;
};

static void blk_waiter_done(void *cookie, errval_t status)
{
    struct blk_waiter *w = cookie;
    w->status = status;
    w->done = true;
}

static errval_t blk_waiter_run(struct blk_dev *dev, struct blk_waiter *w)
{
    while (!w->done) {
        errval_t err = dev->ops->wait(dev, 0);
        if (err_is_fail(err) && !w->done)
            return err;
    }
    return w->status;
}

errval_t blk_read_sync(struct blk_dev *dev, uint64_t block, uint32_t count, void *buf)
{
    struct blk_waiter w = { 0 };
    errval_t err = dev->ops->read(dev, block, count, buf, blk_waiter_done, &w);
    return err_is_fail(err) ? err : blk_waiter_run(dev, &w);
}

errval_t blk_write_sync(struct blk_dev *dev, uint64_t block, uint32_t count, const void *buf)
{
    struct blk_waiter w = { 0 };
    errval_t err = dev->ops->write(dev, block, count, buf, blk_waiter_done, &w);
    return err_is_fail(err) ? err : blk_waiter_run(dev, &w);
}

errval_t blk_flush_sync(struct blk_dev *dev)
{
    struct blk_waiter w = { 0 };
    errval_t err = dev->ops->flush(dev, blk_waiter_done, &w);
    return err_is_fail(err) ? err : blk_waiter_run(dev, &w);
}
