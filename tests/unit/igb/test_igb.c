/*
 * test_igb.c: the pure parts of drivers/net/igb on the host: how a MAC
 * and a pool become RAL/RAH values, and what the PF answers to each VF
 * mailbox request (vfmsg.c).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <net/igb/pf/igb.h>

static const uint8_t vf2_mac[IGB_MAC_LEN] = {0x02, 0x00, 0x00, 0x00, 0x01, 0x02};

static struct igb_vf vf_reset_done(void)
{
    struct igb_vf vf = {.present = true, .cts = true};
    igb_vf_mac(2, vf.mac);
    return vf;
}

static void test_rar_encoding(void **state)
{
    (void)state;
    const uint8_t mac[IGB_MAC_LEN] = {0x52, 0x54, 0x00, 0x12, 0x34, 0x56};
    uint32_t ral, rah;
    igb_rar_encode(mac, 7, &ral, &rah);
    assert_int_equal(ral, 0x12005452);
    assert_int_equal(rah, 0x80000000u | 1u << 25 | 0x5634);
    igb_rar_encode(vf2_mac, 0, &ral, &rah);
    assert_int_equal(ral, 0x00000002);
    assert_int_equal(rah, 0x80040201u);     /* AV, pool 0 = bit 18, bytes 4-5 */
    igb_rar_encode(vf2_mac, 3, &ral, &rah);
    assert_int_equal(rah & IGB_RAH_POOL_MASK, 1u << 21);
}

static void test_rar_offsets(void **state)
{
    (void)state;
    assert_int_equal(IGB_RAL(0), 0x5400);
    assert_int_equal(IGB_RAH(1), 0x540c);
    assert_int_equal(IGB_RAL(16), 0x54e0);
    assert_int_equal(IGB_VMOLR(7), 0x5aec);
    assert_int_equal(IGB_VMBMEM(3), 0x8c0);
}

static void test_vf_mac(void **state)
{
    (void)state;
    uint8_t mac[IGB_MAC_LEN];
    igb_vf_mac(2, mac);
    assert_memory_equal(mac, vf2_mac, IGB_MAC_LEN);
    assert_true(mac[0] & 0x02);             /* locally administered */
    assert_false(mac[0] & 0x01);            /* unicast */
}

static void test_reset_acks_with_mac(void **state)
{
    (void)state;
    struct igb_vf vf = {.present = true};   /* not yet clear to send */
    igb_vf_mac(2, vf.mac);
    uint32_t msg[IGB_MBX_WORDS] = {IGB_VF_RESET};
    struct igb_vfmsg_reply r;
    igb_vfmsg_decide(&vf, msg, IGB_MBX_WORDS, &r);
    assert_int_equal(r.action, IGB_VFMSG_RESET);
    assert_null(r.refusal);
    assert_int_equal(r.words[0], IGB_VF_RESET | IGB_VT_MSGTYPE_ACK);
    assert_true(r.n >= 3);
    uint8_t got[IGB_MAC_LEN];
    igb_words_to_mac(&r.words[1], got);
    assert_memory_equal(got, vf2_mac, IGB_MAC_LEN);
}

static void test_set_mac_own_allowed(void **state)
{
    (void)state;
    struct igb_vf vf = vf_reset_done();
    uint32_t msg[IGB_MBX_WORDS] = {IGB_VF_SET_MAC_ADDR};
    igb_mac_to_words(vf2_mac, &msg[1]);
    struct igb_vfmsg_reply r;
    igb_vfmsg_decide(&vf, msg, IGB_MBX_WORDS, &r);
    assert_int_equal(r.action, IGB_VFMSG_REPLY);
    assert_null(r.refusal);
    assert_int_equal(r.n, 1);
    assert_int_equal(r.words[0], IGB_VF_SET_MAC_ADDR | IGB_VT_MSGTYPE_ACK | IGB_VT_MSGTYPE_CTS);
}

static void test_set_mac_other_refused(void **state)
{
    (void)state;
    struct igb_vf vf = vf_reset_done();
    const uint8_t other[IGB_MAC_LEN] = {0x02, 0x00, 0x00, 0x00, 0x01, 0x03};
    uint32_t msg[IGB_MBX_WORDS] = {IGB_VF_SET_MAC_ADDR};
    igb_mac_to_words(other, &msg[1]);
    struct igb_vfmsg_reply r;
    igb_vfmsg_decide(&vf, msg, IGB_MBX_WORDS, &r);
    assert_non_null(r.refusal);
    assert_int_equal(r.words[0], IGB_VF_SET_MAC_ADDR | IGB_VT_MSGTYPE_NACK | IGB_VT_MSGTYPE_CTS);
}

static void test_filters_refused(void **state)
{
    (void)state;
    struct igb_vf vf = vf_reset_done();
    static const uint32_t types[] = {IGB_VF_SET_MULTICAST, IGB_VF_SET_VLAN, IGB_VF_SET_LPE,
                                     IGB_VF_SET_PROMISC};
    for (size_t i = 0; i < sizeof(types) / sizeof(types[0]); i++) {
        uint32_t msg[IGB_MBX_WORDS] = {types[i] | 1u << IGB_VT_MSGINFO_SHIFT, 100};
        struct igb_vfmsg_reply r;
        igb_vfmsg_decide(&vf, msg, IGB_MBX_WORDS, &r);
        assert_string_equal(r.refusal, "the control plane sets filters: ask for a Filter capability");
        assert_int_equal(r.words[0], types[i] | IGB_VT_MSGTYPE_NACK | IGB_VT_MSGTYPE_CTS);
    }
    uint32_t vlan[IGB_MBX_WORDS] = {IGB_VF_SET_VLAN};
    struct igb_vfmsg_reply r;
    igb_vfmsg_decide(&vf, vlan, IGB_MBX_WORDS, &r);
    assert_string_equal(r.name, "SET_VLAN");
}

static void test_unknown_refused(void **state)
{
    (void)state;
    struct igb_vf vf = vf_reset_done();
    static const uint32_t types[] = {0x00, 0x07, 0x08, 0x0a, IGB_PF_CONTROL_MSG, 0xffff};
    for (size_t i = 0; i < sizeof(types) / sizeof(types[0]); i++) {
        uint32_t msg[IGB_MBX_WORDS] = {types[i]};
        struct igb_vfmsg_reply r;
        igb_vfmsg_decide(&vf, msg, IGB_MBX_WORDS, &r);
        assert_int_equal(r.action, IGB_VFMSG_REPLY);
        assert_string_equal(r.refusal, "unknown request");
        assert_int_equal(r.words[0], types[i] | IGB_VT_MSGTYPE_NACK | IGB_VT_MSGTYPE_CTS);
    }
}

static void test_before_reset_refused(void **state)
{
    (void)state;
    struct igb_vf vf = {.present = true};
    igb_vf_mac(2, vf.mac);
    uint32_t msg[IGB_MBX_WORDS] = {IGB_VF_SET_MAC_ADDR};
    igb_mac_to_words(vf2_mac, &msg[1]);
    struct igb_vfmsg_reply r;
    igb_vfmsg_decide(&vf, msg, IGB_MBX_WORDS, &r);
    assert_non_null(r.refusal);
    assert_int_equal(r.words[0], IGB_VF_SET_MAC_ADDR | IGB_VT_MSGTYPE_NACK);    /* no CTS */
}

static void test_vf_ack_ignored(void **state)
{
    (void)state;
    struct igb_vf vf = vf_reset_done();
    uint32_t msg[IGB_MBX_WORDS] = {IGB_VF_RESET | IGB_VT_MSGTYPE_ACK};
    struct igb_vfmsg_reply r;
    igb_vfmsg_decide(&vf, msg, IGB_MBX_WORDS, &r);
    assert_int_equal(r.action, IGB_VFMSG_IGNORE);
    assert_int_equal(r.n, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rar_encoding),
        cmocka_unit_test(test_rar_offsets),
        cmocka_unit_test(test_vf_mac),
        cmocka_unit_test(test_reset_acks_with_mac),
        cmocka_unit_test(test_set_mac_own_allowed),
        cmocka_unit_test(test_set_mac_other_refused),
        cmocka_unit_test(test_filters_refused),
        cmocka_unit_test(test_unknown_refused),
        cmocka_unit_test(test_before_reset_refused),
        cmocka_unit_test(test_vf_ack_ignored),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
