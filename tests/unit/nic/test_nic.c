/*
 * test_nic.c: the VNIC book (drivers/net/nic/book.c) on the host, with
 * each NIC's own judgement of Filters (the 82576's and the 82599's
 * filter_compile.c, as their nichw.c give them to the book): which VF a
 * domain gets, what is refused (a VF already taken, every VF taken, a VF
 * number the NIC does not have, another domain's VF, another NIC's
 * capability words, a stale Filter, a full filter table, a doorbell past
 * the NIC's bells), and that what the book keeps compiles on the 82599.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <net/nic/book.h>
#include <net/igb/pf/filter.h>
#include <net/ixgbe/pf/filter.h>

#define DOM_A 0x00000101u           /* core 0 */
#define DOM_B 0x00020102u           /* core 2 */

static struct nic_book igb_book, ixgbe_book;

static int setup(void **state)
{
    nic_book_init(&igb_book, 0, 4, IGB_FILTERS_MAX, 7);         /* QEMU's: 4 VFs, 7 bells */
    nic_book_init(&ixgbe_book, 1, 63, IXGBE_FILTERS_MAX, 16);   /* an X520 port with 63 VFs */
    return 0;
}

static struct filter_spec spec(uint32_t flags)
{
    return (struct filter_spec){ .flags = flags };
}

/* ---- VNIC slots ---- */

/* The lowest free VF, each to one domain; none when all are held; a
 * released VF is the next one given. */
static void test_slots(void **state)
{
    unsigned vf;
    for (unsigned i = 0; i < 4; i++) {
        assert_int_equal(nic_book_pick(&igb_book, &vf), ERR_OK);
        assert_int_equal(vf, i);
        assert_int_equal(nic_book_bind(&igb_book, vf, i & 1 ? DOM_B : DOM_A), ERR_OK);
    }
    assert_int_equal(nic_book_pick(&igb_book, &vf), VNIC_ERR_NONE_FREE);
    assert_int_equal(nic_book_holder(&igb_book, 2), DOM_A);
    assert_true(nic_book_unbind(&igb_book, 2, DOM_A));
    assert_int_equal(nic_book_holder(&igb_book, 2), 0);
    assert_int_equal(nic_book_pick(&igb_book, &vf), ERR_OK);
    assert_int_equal(vf, 2);
}

/* Refusals: a VF someone holds, a VF the NIC does not have, holder 0;
 * letting go of a VF one does not hold changes nothing. */
static void test_slot_refusals(void **state)
{
    assert_int_equal(nic_book_bind(&igb_book, 1, DOM_A), ERR_OK);
    assert_int_equal(nic_book_bind(&igb_book, 1, DOM_B), VNIC_ERR_TAKEN);
    assert_int_equal(nic_book_bind(&igb_book, 1, DOM_A), VNIC_ERR_TAKEN);   /* not twice either */
    assert_int_equal(nic_book_bind(&igb_book, 4, DOM_A), SYS_ERR_ARG_RANGE);  /* 4 VFs: 0..3 */
    assert_int_equal(nic_book_bind(&igb_book, 0xffff, DOM_A), SYS_ERR_ARG_RANGE);
    assert_int_equal(nic_book_bind(&igb_book, 0, 0), SYS_ERR_ARG_RANGE);
    assert_false(nic_book_unbind(&igb_book, 1, DOM_B));
    assert_false(nic_book_unbind(&igb_book, 3, DOM_A));                    /* nobody's */
    assert_int_equal(nic_book_holder(&igb_book, 1), DOM_A);
    assert_int_equal(nic_book_holder(&igb_book, 99), 0);
    /* a book is sized by the NIC: 63 VFs on the 82599, never more than NIC_VFS_MAX */
    assert_int_equal(nic_book_bind(&ixgbe_book, 62, DOM_B), ERR_OK);
    assert_int_equal(nic_book_bind(&ixgbe_book, 63, DOM_B), SYS_ERR_ARG_RANGE);
    struct nic_book big;
    nic_book_init(&big, 2, 1000, 1000, 1000);
    assert_int_equal(big.nvfs, NIC_VFS_MAX);
    assert_int_equal(big.filters_max, NIC_FILTERS_MAX);
    assert_int_equal(big.nbells, NIC_VFS_MAX);
}

/* Foreign numbers: only the holder of a VF holds it, and a capability
 * word names its NIC so that one NIC's VNIC or Filter never reaches the
 * other's. */
static void test_foreign(void **state)
{
    assert_int_equal(nic_book_bind(&igb_book, 0, DOM_A), ERR_OK);
    assert_true(nic_book_held(&igb_book, 0, DOM_A));
    assert_false(nic_book_held(&igb_book, 0, DOM_B));
    assert_false(nic_book_held(&igb_book, 0, 0));
    assert_false(nic_book_held(&igb_book, 4, DOM_A));
    assert_false(nic_book_held(&igb_book, 0x10000, DOM_A));
    assert_false(nic_book_held(&ixgbe_book, 0, DOM_A));                    /* the other NIC's VF 0 */

    uint64_t w = nic_vnic_word(1, 62, DOM_B);
    assert_int_equal(nic_vnic_word_nic(w), 1);
    assert_int_equal(nic_vnic_word_vf(w), 62);
    assert_int_equal(nic_vnic_word_holder(w), DOM_B);
    assert_int_not_equal(nic_vnic_word(0, 62, DOM_B), w);

    struct filter_spec s = spec(FILTER_MAC);
    uint64_t key;
    uint32_t id;
    assert_int_equal(nic_book_filter_add(&igb_book, &igb_filter_judge, 0, DOM_B, &s, &key, &id),
                     CAP_ERR_WRONG_TYPE);                                  /* B does not hold VF 0 */
    assert_int_equal(nic_book_filter_add(&igb_book, &igb_filter_judge, 7, DOM_A, &s, &key, &id),
                     CAP_ERR_WRONG_TYPE);
    assert_int_equal(nic_book_filter_add(&igb_book, &igb_filter_judge, 0, DOM_A, &s, &key, &id),
                     ERR_OK);
    assert_int_equal(nic_filter_key_nic(key), 0);
    assert_non_null(nic_book_filter_of_key(&igb_book, key));
    assert_null(nic_book_filter_of_key(&ixgbe_book, key));                /* another NIC's */
    assert_null(nic_book_filter_of_key(&igb_book, key | 1ull << 32));     /* names NIC 1 */
    assert_null(nic_book_filter_of_key(&igb_book, key ^ 1ull << 16));     /* wrong generation */
    assert_null(nic_book_filter_of_key(&igb_book, 0xffff));               /* garbage index */
    assert_null(nic_book_filter_of_key(&igb_book, ~0ull));
    /* a dropped Filter's key stays dead when its entry is reused */
    assert_true(nic_book_filter_drop(&igb_book, key));
    assert_false(nic_book_filter_drop(&igb_book, key));
    uint64_t key2;
    assert_int_equal(nic_book_filter_add(&igb_book, &igb_filter_judge, 0, DOM_A, &s, &key2, &id),
                     ERR_OK);
    assert_int_equal(key2 & 0xffff, key & 0xffff);                        /* the same entry */
    assert_null(nic_book_filter_of_key(&igb_book, key));
    assert_non_null(nic_book_filter_of_key(&igb_book, key2));
}

/* The 82576 refuses, through the book, what its VMDq filters cannot say;
 * the 82599 takes five-tuple filters and refuses its own way. */
static void test_each_nic_judges(void **state)
{
    assert_int_equal(nic_book_bind(&igb_book, 0, DOM_A), ERR_OK);
    assert_int_equal(nic_book_bind(&ixgbe_book, 5, DOM_A), ERR_OK);
    uint64_t key;
    uint32_t id;
    struct filter_spec udp7 = { .flags = FILTER_MAC | FILTER_PROTO | FILTER_PORTS, .proto = 17,
                                .port_lo = 7, .port_hi = 7 };
    struct filter_spec etype = { .flags = FILTER_MAC | FILTER_ETHERTYPE, .ethertype = 0x88f7 };
    struct filter_spec range = { .flags = FILTER_MAC | FILTER_PORTS, .port_lo = 7, .port_hi = 9 };
    struct filter_spec mac = spec(FILTER_MAC), bc = spec(FILTER_BROADCAST);
    const struct nic_filter_judge *j6 = &igb_filter_judge, *j9 = &ixgbe_filter_judge;

    assert_int_equal(nic_book_filter_add(&igb_book, j6, 0, DOM_A, &udp7, &key, &id), FILTER_ERR_NO_5TUPLE);
    assert_int_equal(nic_book_filter_add(&igb_book, j6, 0, DOM_A, &etype, &key, &id), FILTER_ERR_NO_ETHERTYPE);
    assert_int_equal(nic_book_filter_add(&igb_book, j6, 0, DOM_A, &mac, &key, &id), ERR_OK);
    assert_int_equal(nic_book_filter_add(&igb_book, j6, 0, DOM_A, &bc, &key, &id), FILTER_ERR_INEXACT);

    assert_int_equal(nic_book_filter_add(&ixgbe_book, j9, 5, DOM_A, &udp7, &key, &id), ERR_OK);
    assert_int_equal(nic_book_filter_add(&ixgbe_book, j9, 5, DOM_A, &etype, &key, &id),
                     FILTER_ERR_ETHERTYPE_INEXACT);
    assert_int_equal(nic_book_filter_add(&ixgbe_book, j9, 5, DOM_A, &range, &key, &id),
                     FILTER_ERR_PORT_RANGE);
    assert_int_equal(nic_book_filter_add(&ixgbe_book, j9, 5, DOM_A, &mac, &key, &id),
                     FILTER_ERR_INEXACT);        /* address-only next to a five-tuple one */
    /* what the book keeps is what the 82599 compiles: the rule and its pool's catch-all */
    struct nic_filter_rule rules[NIC_FILTERS_MAX];
    unsigned n = nic_book_rules(&ixgbe_book, rules);
    assert_int_equal(n, 1);
    struct ixgbe_filter_rule xr[NIC_FILTERS_MAX];
    ixgbe_filter_rules_of(rules, n, xr);
    static struct ixgbe_filter_hw hw;
    assert_int_equal(ixgbe_filter_compile(xr, n, &hw), ERR_OK);
    assert_int_equal(hw.nft, 2);
    assert_int_equal(hw.rar_av, 1ull << 5);
    assert_int_equal(hw.ft[0].l34timir >> IXGBE_L34TIMIR_QUEUE_SHIFT & 0x7f, 10);  /* queue 2*5 */
}

/* Full tables: the 82576's driver keeps 48 Filters, the 82599's 96;
 * one more is refused until one goes. */
static void test_filter_table_full(void **state)
{
    assert_int_equal(nic_book_bind(&igb_book, 3, DOM_B), ERR_OK);
    struct filter_spec mac = spec(FILTER_MAC);
    uint64_t key, first = 0;
    uint32_t id;
    for (unsigned i = 0; i < IGB_FILTERS_MAX; i++) {
        assert_int_equal(nic_book_filter_add(&igb_book, &igb_filter_judge, 3, DOM_B, &mac, &key,
                                             &id), ERR_OK);
        if (i == 0)
            first = key;
    }
    assert_int_equal(nic_book_filter_add(&igb_book, &igb_filter_judge, 3, DOM_B, &mac, &key, &id),
                     FILTER_ERR_TABLE_FULL);
    assert_true(nic_book_filter_drop(&igb_book, first));
    assert_int_equal(nic_book_filter_add(&igb_book, &igb_filter_judge, 3, DOM_B, &mac, &key, &id),
                     ERR_OK);

    assert_int_equal(nic_book_bind(&ixgbe_book, 0, DOM_B), ERR_OK);
    for (unsigned i = 0; i < IXGBE_FILTERS_MAX; i++)
        assert_int_equal(nic_book_filter_add(&ixgbe_book, &ixgbe_filter_judge, 0, DOM_B, &mac,
                                             &key, &id), ERR_OK);
    assert_int_equal(nic_book_filter_add(&ixgbe_book, &ixgbe_filter_judge, 0, DOM_B, &mac, &key,
                                         &id), FILTER_ERR_TABLE_FULL);
}

/* Releasing a VNIC takes its Filters (and only its) with it. */
static void test_release_drops_filters(void **state)
{
    assert_int_equal(nic_book_bind(&igb_book, 0, DOM_A), ERR_OK);
    assert_int_equal(nic_book_bind(&igb_book, 1, DOM_B), ERR_OK);
    struct filter_spec mac = spec(FILTER_MAC);
    uint64_t ka, kb;
    uint32_t id;
    assert_int_equal(nic_book_filter_add(&igb_book, &igb_filter_judge, 0, DOM_A, &mac, &ka, &id), ERR_OK);
    assert_int_equal(nic_book_filter_add(&igb_book, &igb_filter_judge, 1, DOM_B, &mac, &kb, &id), ERR_OK);
    assert_true(nic_book_unbind(&igb_book, 0, DOM_A));
    assert_null(nic_book_filter_of_key(&igb_book, ka));
    assert_non_null(nic_book_filter_of_key(&igb_book, kb));
    struct nic_filter_rule rules[NIC_FILTERS_MAX];
    assert_int_equal(nic_book_rules(&igb_book, rules), 1);
    assert_int_equal(rules[0].pool, 1);
    /* a new holder of VF 0 starts with nothing admitted */
    assert_int_equal(nic_book_bind(&igb_book, 0, DOM_B), ERR_OK);
    assert_int_equal(nic_book_filters_drop_vf(&igb_book, 0), 0);
}

/* Doorbells: VF n rings the NIC's bell n, for the VFs it has bells for. */
static void test_bells(void **state)
{
    unsigned bell;
    assert_int_equal(nic_book_bell(&igb_book, 3, &bell), ERR_OK);
    assert_int_equal(bell, 3);
    assert_int_equal(nic_book_bell(&igb_book, 4, &bell), DOORBELL_ERR_NO_BELLS);  /* no VF 4 */
    assert_int_equal(nic_book_bell(&ixgbe_book, 15, &bell), ERR_OK);
    assert_int_equal(nic_book_bell(&ixgbe_book, 16, &bell), DOORBELL_ERR_NO_BELLS);
    struct nic_book none;
    nic_book_init(&none, 0, 4, 8, 0);                                       /* no vectors left */
    assert_int_equal(nic_book_bell(&none, 0, &bell), DOORBELL_ERR_NO_BELLS);
}

/* Rates: bytes/s to Mbit/s, never a wrapped or rounded-away "no limit";
 * then each NIC's range (the 82599's factor: tests/unit/ixgbe). */
static void test_rate_mbps(void **state)
{
    uint64_t mbps = 7;
    assert_true(nic_rate_mbps(0, &mbps));
    assert_int_equal(mbps, 0);                                  /* no limit, asked for */
    assert_true(nic_rate_mbps(125000, &mbps));
    assert_int_equal(mbps, 1);
    assert_true(nic_rate_mbps(1250000000ull, &mbps));
    assert_int_equal(mbps, 10000);
    assert_false(nic_rate_mbps(1, &mbps));                      /* 8 bit/s: not "no limit" */
    assert_false(nic_rate_mbps(124999, &mbps));
    assert_false(nic_rate_mbps(UINT64_MAX, &mbps));             /* * 8 would wrap */
    assert_false(nic_rate_mbps((1ull << 61) + 125000, &mbps));  /* wraps to 1 Mbit/s */
    uint32_t f;
    assert_true(nic_rate_mbps(1250000, &mbps));                 /* 10 Mbit/s: the 82599's floor */
    assert_int_equal(ixgbe_rate_factor(10000, (uint32_t)mbps, &f), RATE_ERR_RANGE_10G);
    assert_true(nic_rate_mbps(12500000, &mbps));
    assert_int_equal(ixgbe_rate_factor(10000, (uint32_t)mbps, &f), ERR_OK);
    assert_int_equal(f, IXGBE_RTTBCNRC_RS_ENA | 100u << IXGBE_RTTBCNRC_RF_INT_SHIFT);
}

int main(void)
{
    static const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_slots, setup),
        cmocka_unit_test_setup(test_slot_refusals, setup),
        cmocka_unit_test_setup(test_foreign, setup),
        cmocka_unit_test_setup(test_each_nic_judges, setup),
        cmocka_unit_test_setup(test_filter_table_full, setup),
        cmocka_unit_test_setup(test_release_drops_filters, setup),
        cmocka_unit_test_setup(test_bells, setup),
        cmocka_unit_test(test_rate_mbps),
    };
    return cmocka_run_group_tests_name("nic", tests, NULL, NULL);
}
