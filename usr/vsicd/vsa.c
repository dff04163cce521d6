/*
 * vsa.c: the VSA table, kept on the disk (blocks 0..15; data blocks from
 * 1 MiB to 4 MiB before the end, which `vsicd selftest` uses). A VSA is
 * a name and up to VSA_EXTENTS extents; creating takes free blocks first
 * fit (several extents if no gap is large enough), growing adds extents
 * or lengthens the last one, shrinking trims from the end. Every change
 * is written and flushed before it is answered, so what a client was told
 * exists survives a reboot. Only vsicd touches the table; the names'
 * authority is decided elsewhere (vsic.c: the monitor's grants).
 */
#include "vsa.h"
#include "vsicd.h"
#include <libos/debug.h>
#include <storage/nvme/user/nvme.h>
#include <string.h>
#include <fmt.h>

struct vsa_table *vsa_table;
static uint64_t table_pa;
static uint64_t data_start, data_end;       /* physical blocks usable by VSAs */

static errval_t table_io(uint8_t op)
{
    uint32_t bs = vsicd_nvme.block_bytes;
    errval_t err = vsicd_io_sync(op, 0, VSA_TABLE_BYTES / bs, table_pa);
    if (err_is_ok(err) && op == NVME_CMD_WRITE)
        err = vsicd_io_sync(NVME_CMD_FLUSH, 0, 0, 0);
    return err;
}

static errval_t save(void)
{
    vsa_table->generation++;
    unsigned n = 0;
    for (int i = 0; i < VSA_MAX; i++)
        n += vsa_table->vsa[i].name[0] != 0;
    vsa_table->count = n;
    errval_t err = table_io(NVME_CMD_WRITE);
    if (err_is_fail(err))
        debug_err("vsicd: writing the VSA table", err);
    return err;
}

errval_t vsa_init(void)
{
    capaddr_t slot;
    errval_t err = vsicd_dma_frame(VSICD_TABLE_VA, VSA_TABLE_BYTES, &table_pa, &slot);
    if (err_is_fail(err))
        return err;
    vsa_table = (struct vsa_table *)VSICD_TABLE_VA;
    uint32_t bs = vsicd_nvme.block_bytes;
    data_start = VSA_DATA_START_BYTES / bs;
    data_end = vsicd_nvme.blocks - VSA_RESERVED_END_BYTES / bs;
    if (err_is_fail(err = table_io(NVME_CMD_READ)))
        return err;
    if (vsa_table->magic != VSA_MAGIC || vsa_table->version != 1) {
        memset(vsa_table, 0, VSA_TABLE_BYTES);
        vsa_table->magic = VSA_MAGIC;
        vsa_table->version = 1;
        debug_printf("vsicd: no VSA table on the disk: a new, empty one\n");
        return save();
    }
    /* Believe nothing the disk says that could reach outside the data area. */
    for (int i = 0; i < VSA_MAX; i++) {
        struct vsa_entry *v = &vsa_table->vsa[i];
        uint64_t sum = 0;
        bool ok = v->nextents <= VSA_EXTENTS;
        for (unsigned e = 0; ok && e < v->nextents; e++) {
            ok = v->ext[e].start >= data_start && v->ext[e].count <= data_end - v->ext[e].start &&
                 v->ext[e].start + v->ext[e].count <= data_end;
            sum += v->ext[e].count;
        }
        if (v->name[0] && (!ok || sum != v->blocks)) {
            debug_printf("vsicd: VSA table entry %d is inconsistent: dropped\n", i);
            memset(v, 0, sizeof(*v));
        }
    }
    debug_printf("vsicd: VSA table read from the disk: %u VSAs (generation %lu)\n",
                 vsa_table->count, vsa_table->generation);
    return ERR_OK;
}

bool vsa_name_ok(const char *in, char out[VSIC_NAME_MAX + 1])
{
    memset(out, 0, VSIC_NAME_MAX + 1);
    unsigned n = 0;
    while (n < VSIC_NAME_MAX && in[n])
        n++;
    for (unsigned i = n; i < VSIC_NAME_MAX; i++)
        if (in[i])
            return false;           /* garbage after the end */
    for (unsigned i = 0; i < n; i++)
        if (in[i] <= ' ' || in[i] > '~')
            return false;
    memcpy(out, in, n);
    return n > 0;
}

int vsa_find(const char *name)
{
    for (int i = 0; i < VSA_MAX; i++)
        if (vsa_table->vsa[i].name[0] &&
            strncmp(vsa_table->vsa[i].name, name, VSIC_NAME_MAX) == 0)
            return i;
    return -1;
}

/* Is [start, start + count) free of every extent? */
static bool is_free(uint64_t start, uint64_t count)
{
    for (int i = 0; i < VSA_MAX; i++) {
        const struct vsa_entry *v = &vsa_table->vsa[i];
        for (unsigned e = 0; v->name[0] && e < v->nextents; e++)
            if (start < v->ext[e].start + v->ext[e].count && v->ext[e].start < start + count)
                return false;
    }
    return true;
}

/* The end of the used extent that ends first after `b` begins... simply:
 * the next block at or after b that is free, and how many follow it. */
static bool next_gap(uint64_t from, uint64_t *start, uint64_t *len)
{
    uint64_t b = from;
    while (b < data_end) {
        uint64_t skip = 0;
        for (int i = 0; i < VSA_MAX && !skip; i++) {
            const struct vsa_entry *v = &vsa_table->vsa[i];
            for (unsigned e = 0; v->name[0] && e < v->nextents; e++)
                if (b >= v->ext[e].start && b < v->ext[e].start + v->ext[e].count)
                    skip = v->ext[e].start + v->ext[e].count;
        }
        if (!skip)
            break;
        b = skip;
    }
    if (b >= data_end)
        return false;
    uint64_t end = b;
    while (end < data_end && is_free(end, 1)) {
        /* jump to the nearest extent start after `end` */
        uint64_t next = data_end;
        for (int i = 0; i < VSA_MAX; i++) {
            const struct vsa_entry *v = &vsa_table->vsa[i];
            for (unsigned e = 0; v->name[0] && e < v->nextents; e++)
                if (v->ext[e].start >= end && v->ext[e].start < next)
                    next = v->ext[e].start;
        }
        end = next;
    }
    *start = b;
    *len = end - b;
    return true;
}

/* Give VSA v `more` blocks: first fit, growing its last extent in place
 * when the blocks after it are free. */
static errval_t grow(struct vsa_entry *v, uint64_t more)
{
    struct vsa_entry saved = *v;
    uint64_t from = data_start;
    while (more) {
        uint64_t s, n;
        if (!next_gap(from, &s, &n)) {
            *v = saved;
            return VSA_ERR_NO_SPACE;
        }
        uint64_t take = n < more ? n : more;
        struct vsa_extent *last = v->nextents ? &v->ext[v->nextents - 1] : NULL;
        if (last && last->start + last->count == s) {
            last->count += take;
        } else if (v->nextents < VSA_EXTENTS) {
            v->ext[v->nextents++] = (struct vsa_extent){ s, take };
        } else {
            *v = saved;
            return VSA_ERR_NO_SPACE;
        }
        v->blocks += take;
        more -= take;
        from = s + take;
    }
    return ERR_OK;
}

errval_t vsa_create(const char *name, uint64_t blocks, uint32_t creator, int *index)
{
    if (vsa_find(name) >= 0)
        return VSA_ERR_EXISTS;
    if (blocks == 0)
        return VSA_ERR_BOUNDS;
    int i = 0;
    while (i < VSA_MAX && vsa_table->vsa[i].name[0])
        i++;
    if (i == VSA_MAX)
        return VSA_ERR_TABLE_FULL;
    struct vsa_entry *v = &vsa_table->vsa[i];
    memset(v, 0, sizeof(*v));
    memcpy(v->name, name, vsa_name_len(name));
    v->creator = creator;
    errval_t err = grow(v, blocks);
    if (err_is_ok(err))
        err = save();
    if (err_is_fail(err)) {
        memset(v, 0, sizeof(*v));
        return err;
    }
    *index = i;
    return ERR_OK;
}

errval_t vsa_resize(int index, uint64_t blocks)
{
    struct vsa_entry *v = &vsa_table->vsa[index];
    if (blocks == 0)
        return VSA_ERR_BOUNDS;
    if (blocks > v->blocks) {
        errval_t err = grow(v, blocks - v->blocks);
        if (err_is_fail(err))
            return err;
    }
    while (v->blocks > blocks) {
        struct vsa_extent *last = &v->ext[v->nextents - 1];
        uint64_t cut = v->blocks - blocks < last->count ? v->blocks - blocks : last->count;
        last->count -= cut;
        v->blocks -= cut;
        if (!last->count)
            v->nextents--;
    }
    return save();
}

errval_t vsa_delete(int index)
{
    memset(&vsa_table->vsa[index], 0, sizeof(vsa_table->vsa[index]));
    return save();
}

bool vsa_translate(int index, uint64_t vblock, uint64_t *pblock, uint64_t *run)
{
    const struct vsa_entry *v = &vsa_table->vsa[index];
    if (index < 0 || index >= VSA_MAX || !v->name[0] || vblock >= v->blocks)
        return false;
    for (unsigned e = 0; e < v->nextents; e++) {
        if (vblock < v->ext[e].count) {
            *pblock = v->ext[e].start + vblock;
            *run = v->ext[e].count - vblock;
            return true;
        }
        vblock -= v->ext[e].count;
    }
    return false;
}
