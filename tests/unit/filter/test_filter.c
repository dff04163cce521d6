/*
 * test_filter.c: Filter predicates to 82576 receive-filter registers
 * (drivers/net/igb/pf/filter_compile.c): what is refused, and which RAR,
 * VMOLR, VLVF and VFTA bits a set of filters turns into.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <net/igb/pf/filter.h>

static errval_t check(uint32_t flags, uint16_t vlan)
{
    struct filter_spec s = { .flags = flags, .vlan = vlan };
    return igb_filter_check(&s);
}

static void test_refusals(void **state)
{
    (void)state;
    assert_int_equal(check(FILTER_MAC, 0), ERR_OK);
    assert_int_equal(check(FILTER_MAC | FILTER_BROADCAST | FILTER_VLAN, 10), ERR_OK);
    assert_int_equal(check(FILTER_MAC | FILTER_ETHERTYPE, 0), FILTER_ERR_NO_ETHERTYPE);
    assert_int_equal(check(FILTER_MAC | FILTER_PORTS, 0), FILTER_ERR_NO_5TUPLE);
    assert_int_equal(check(FILTER_MAC | FILTER_PEERS, 0), FILTER_ERR_NO_5TUPLE);
    assert_int_equal(check(FILTER_MAC | FILTER_PROTO, 0), FILTER_ERR_NO_5TUPLE);
    assert_int_equal(check(0, 0), FILTER_ERR_FLAGS);            /* admits nothing */
    assert_int_equal(check(FILTER_VLAN, 5), FILTER_ERR_FLAGS);  /* no address */
    assert_int_equal(check(FILTER_MAC | 0x80, 0), FILTER_ERR_FLAGS);
    assert_int_equal(check(FILTER_MAC | FILTER_VLAN, 0), FILTER_ERR_VLAN);
    assert_int_equal(check(FILTER_MAC | FILTER_VLAN, 4095), FILTER_ERR_VLAN);
    assert_int_equal(check(FILTER_MAC | FILTER_VLAN, 4094), ERR_OK);
}

static void test_nothing_admitted_without_filters(void **state)
{
    (void)state;
    struct igb_filter_hw hw;
    assert_int_equal(igb_filter_compile(NULL, 0, &hw), ERR_OK);
    assert_int_equal(hw.rah_av, 0);
    for (int p = 0; p < IGB_POOLS; p++)
        assert_int_equal(hw.vmolr[p], 0);
    for (int i = 0; i < IGB_VFTA_WORDS; i++)
        assert_int_equal(hw.vfta[i], 0);
}

static void test_mac_untagged_and_vlan(void **state)
{
    (void)state;
    const struct igb_filter_rule r[] = {
        { .pool = 0, .flags = FILTER_MAC },
        { .pool = 1, .flags = FILTER_MAC | FILTER_VLAN, .vlan = 10 },
        { .pool = 2, .flags = FILTER_MAC | FILTER_BROADCAST | FILTER_VLAN, .vlan = 10 },
        { .pool = 2, .flags = FILTER_MAC | FILTER_BROADCAST | FILTER_VLAN, .vlan = 100 },
    };
    struct igb_filter_hw hw;
    assert_int_equal(igb_filter_compile(r, 4, &hw), ERR_OK);
    assert_int_equal(hw.rah_av, 0x7);
    assert_int_equal(hw.vmolr[0], IGB_VMOLR_AUPE);              /* untagged only */
    assert_int_equal(hw.vmolr[1], 0);                           /* tagged only */
    assert_int_equal(hw.vmolr[2], IGB_VMOLR_BAM);
    /* VLAN 10 shared by pools 1 and 2 in one VLVF entry; VLAN 100 pool 2 */
    assert_int_equal(hw.vlvf[0], IGB_VLVF_VLANID_EN | 10 | (0x6u << IGB_VLVF_POOLSEL_SHIFT));
    assert_int_equal(hw.vlvf[1], IGB_VLVF_VLANID_EN | 100 | (0x4u << IGB_VLVF_POOLSEL_SHIFT));
    assert_int_equal(hw.vlvf[2], 0);
    assert_int_equal(hw.vfta[0], 1u << 10);
    assert_int_equal(hw.vfta[3], 1u << 4);                      /* 100 = 3 * 32 + 4 */
    assert_int_equal(IGB_VLVF(31), 0x5d7c);
    assert_int_equal(IGB_VFTA(127), 0x57fc);
}

static void test_broadcast_only(void **state)
{
    (void)state;
    const struct igb_filter_rule r[] = { { .pool = 3, .flags = FILTER_BROADCAST } };
    struct igb_filter_hw hw;
    assert_int_equal(igb_filter_compile(r, 1, &hw), ERR_OK);
    assert_int_equal(hw.rah_av, 0);                             /* its MAC stays closed */
    assert_int_equal(hw.vmolr[3], IGB_VMOLR_BAM | IGB_VMOLR_AUPE);
}

static void test_inexact_sets_refused(void **state)
{
    (void)state;
    const struct igb_filter_rule have[] = {
        { .pool = 0, .flags = FILTER_MAC },
        { .pool = 1, .flags = FILTER_MAC | FILTER_BROADCAST },
    };
    /* Pool 0 admitting broadcast on VLAN 5 would also admit untagged
     * broadcast (BAM and AUPE are per pool): refused. */
    struct igb_filter_rule add = { .pool = 0, .flags = FILTER_BROADCAST | FILTER_VLAN, .vlan = 5 };
    assert_int_equal(igb_filter_fits(have, 2, &add), FILTER_ERR_INEXACT);
    add.flags = FILTER_MAC | FILTER_VLAN;
    assert_int_equal(igb_filter_fits(have, 2, &add), ERR_OK);   /* same address kinds */
    add.pool = 2;
    add.flags = FILTER_BROADCAST;
    assert_int_equal(igb_filter_fits(have, 2, &add), ERR_OK);   /* another pool */
}

static void test_vlvf_table_full(void **state)
{
    (void)state;
    struct igb_filter_rule r[IGB_FILTERS_MAX + 1];
    for (unsigned i = 0; i <= IGB_FILTERS_MAX; i++)
        r[i] = (struct igb_filter_rule){ .pool = (uint8_t)(i % 7), .flags = FILTER_MAC | FILTER_VLAN,
                                         .vlan = (uint16_t)(1 + i) };
    struct igb_filter_hw hw;
    assert_int_equal(igb_filter_compile(r, IGB_NUM_VLVF, &hw), ERR_OK);
    for (int i = 0; i < IGB_NUM_VLVF; i++)
        assert_true(hw.vlvf[i] & IGB_VLVF_VLANID_EN);
    r[IGB_NUM_VLVF - 1].vlan = 40;          /* 33 distinct VLANs need 33 entries */
    r[IGB_NUM_VLVF].vlan = 41;
    assert_int_equal(igb_filter_compile(r, IGB_NUM_VLVF + 1, &hw), FILTER_ERR_TABLE_FULL);
    r[IGB_NUM_VLVF].vlan = 1;               /* a VLAN already there takes no entry */
    assert_int_equal(igb_filter_compile(r, IGB_NUM_VLVF + 1, &hw), ERR_OK);
    assert_int_equal(igb_filter_compile(r, IGB_FILTERS_MAX + 1, &hw), FILTER_ERR_TABLE_FULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_refusals),
        cmocka_unit_test(test_nothing_admitted_without_filters),
        cmocka_unit_test(test_mac_untagged_and_vlan),
        cmocka_unit_test(test_broadcast_only),
        cmocka_unit_test(test_inexact_sets_refused),
        cmocka_unit_test(test_vlvf_table_full),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
