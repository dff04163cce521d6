/*
 * book.c: the VNIC book of one SR-IOV NIC (book.h). Pure: it decides who
 * holds what and refuses by name; vnic.c, filter.c and doorbell.c do the
 * IOMMU, register and capability work around it. Host-tested in
 * tests/unit/nic.
 */
#include <net/nic/book.h>
#include <string.h>

#define KEY_INDEX(k)    ((unsigned)((k) & 0xffff))
#define KEY_GEN(k)      ((uint16_t)((k) >> 16))
#define KEY_NIC(k)      ((unsigned)((k) >> 32))
#define WORD_NIC_SHIFT  16
#define WORD_NIC_MASK   0xffu

static unsigned clip(unsigned v, unsigned max) { return v < max ? v : max; }

void nic_book_init(struct nic_book *b, unsigned nic, unsigned nvfs, unsigned filters_max,
                   unsigned nbells)
{
    memset(b, 0, sizeof(*b));
    b->nic = nic;
    b->nvfs = clip(nvfs, NIC_VFS_MAX);
    b->filters_max = clip(filters_max, NIC_FILTERS_MAX);
    b->nbells = clip(nbells, b->nvfs);
    b->next_id = 1;
}

errval_t nic_book_pick(const struct nic_book *b, unsigned *vf)
{
    for (unsigned i = 0; i < b->nvfs; i++) {
        if (!b->holder[i]) {
            *vf = i;
            return ERR_OK;
        }
    }
    return VNIC_ERR_NONE_FREE;
}

errval_t nic_book_bind(struct nic_book *b, unsigned vf, uint32_t holder)
{
    if (vf >= b->nvfs || !holder)
        return SYS_ERR_ARG_RANGE;
    if (b->holder[vf])
        return VNIC_ERR_TAKEN;
    b->holder[vf] = holder;
    return ERR_OK;
}

bool nic_book_held(const struct nic_book *b, unsigned vf, uint32_t holder)
{
    return vf < b->nvfs && holder && b->holder[vf] == holder;
}

uint32_t nic_book_holder(const struct nic_book *b, unsigned vf)
{
    return vf < b->nvfs ? b->holder[vf] : 0;
}

bool nic_book_unbind(struct nic_book *b, unsigned vf, uint32_t holder)
{
    if (!nic_book_held(b, vf, holder))
        return false;
    nic_book_filters_drop_vf(b, vf);
    b->holder[vf] = 0;
    return true;
}

unsigned nic_book_rules(const struct nic_book *b, struct nic_filter_rule *out)
{
    unsigned n = 0;
    for (unsigned i = 0; i < b->filters_max; i++)
        if (b->filter[i].used)
            out[n++] = b->filter[i].rule;
    return n;
}

errval_t nic_book_filter_add(struct nic_book *b, const struct nic_filter_judge *j, unsigned vf,
                             uint32_t holder, const struct filter_spec *s, uint64_t *key,
                             uint32_t *id)
{
    if (!nic_book_held(b, vf, holder))
        return CAP_ERR_WRONG_TYPE;
    errval_t err = j->check(s);
    if (err_is_fail(err))
        return err;
    struct nic_filter_rule add = { .pool = (uint8_t)vf, .spec = *s };
    static struct nic_filter_rule rules[NIC_FILTERS_MAX];   /* the NIC's core only */
    err = j->fits(rules, nic_book_rules(b, rules), &add);
    if (err_is_fail(err))
        return err;
    unsigned i = 0;
    while (i < b->filters_max && b->filter[i].used)
        i++;
    if (i == b->filters_max)
        return FILTER_ERR_TABLE_FULL;
    struct nic_filter *f = &b->filter[i];
    *f = (struct nic_filter){ .used = true, .gen = (uint16_t)(f->gen + 1), .vf = (uint8_t)vf,
                              .id = b->next_id++, .rule = add };
    *key = i | (uint64_t)f->gen << 16 | (uint64_t)b->nic << 32;
    *id = f->id;
    return ERR_OK;
}

struct nic_filter *nic_book_filter_of_key(struct nic_book *b, uint64_t key)
{
    unsigned i = KEY_INDEX(key);
    if (KEY_NIC(key) != b->nic || i >= b->filters_max)
        return NULL;
    struct nic_filter *f = &b->filter[i];
    return f->used && f->gen == KEY_GEN(key) ? f : NULL;
}

bool nic_book_filter_drop(struct nic_book *b, uint64_t key)
{
    struct nic_filter *f = nic_book_filter_of_key(b, key);
    if (f)
        f->used = false;
    return f != NULL;
}

unsigned nic_book_filters_drop_vf(struct nic_book *b, unsigned vf)
{
    unsigned n = 0;
    for (unsigned i = 0; i < b->filters_max; i++) {
        if (b->filter[i].used && b->filter[i].vf == vf) {
            b->filter[i].used = false;      /* its capability now names nothing */
            n++;
        }
    }
    return n;
}

errval_t nic_book_bell(const struct nic_book *b, unsigned vf, unsigned *bell)
{
    if (vf >= b->nbells)
        return DOORBELL_ERR_NO_BELLS;
    *bell = vf;
    return ERR_OK;
}

bool nic_rate_mbps(uint64_t bytes_per_s, uint64_t *mbps)
{
    if (bytes_per_s > UINT64_MAX / 8)
        return false;
    *mbps = bytes_per_s * 8 / 1000000;
    return !bytes_per_s || *mbps;
}

uint64_t nic_vnic_word(unsigned nic, unsigned vf, uint32_t holder)
{
    return (uint64_t)(vf & 0xffff) | (uint64_t)(nic & WORD_NIC_MASK) << WORD_NIC_SHIFT |
           (uint64_t)holder << 32;
}

unsigned nic_vnic_word_nic(uint64_t w) { return (unsigned)(w >> WORD_NIC_SHIFT) & WORD_NIC_MASK; }
unsigned nic_vnic_word_vf(uint64_t w) { return (unsigned)(w & 0xffff); }
uint32_t nic_vnic_word_holder(uint64_t w) { return (uint32_t)(w >> 32); }
unsigned nic_filter_key_nic(uint64_t key) { return KEY_NIC(key); }
