/*
 * vsa.c: the VSA capability as an object (kpi/caps.h CAP_VSA): the
 * authority to use the VSA of one name, with read or read and write.
 *
 * Interface: cap_vsa_grants_check (what a spawn request may ask for) and
 * cap_vsa (the capability of one grant). kernel/spawn.c is the only
 * caller of cap_vsa, so a CAP_VSA is made only at spawn; every other one
 * is a copy or mint of those (copy.c: a mint only removes rights), and
 * retype never makes one (retype.c's table has no CAP_VSA target).
 *
 * Identity: base is the name (its 8 bytes, little-endian, zero-padded;
 * identify tells it), bytes is 0 (no memory: the range checks of retype
 * never see it), u.raw an id the minting core gives (two grants of one
 * name are two objects, so revoking one leaves the other).
 */
#include <cap/cap.h>
#include <kpi/syscall.h>

/* A grant's name: 1..CAP_VSA_NAME_MAX printable bytes, then zeros only. */
static bool name_ok(uint64_t name)
{
    const uint8_t *c = (const uint8_t *)&name;
    unsigned len = 0;
    while (len < CAP_VSA_NAME_MAX && c[len])
        len++;
    if (len == 0)
        return false;
    for (unsigned k = 0; k < CAP_VSA_NAME_MAX; k++)
        if (k < len ? c[k] <= ' ' || c[k] >= 0x7f : c[k] != 0)
            return false;
    return true;
}

errval_t cap_vsa_grants_check(const struct spawn_vsa *vsa, unsigned n)
{
    bool ended = false;
    for (unsigned i = 0; i < n; i++) {
        if (!vsa[i].name) {
            ended = true;
            continue;
        }
        if (ended || !name_ok(vsa[i].name) ||
            (vsa[i].rights != CAP_RIGHT_READ && vsa[i].rights != (CAP_RIGHT_READ | CAP_RIGHT_WRITE)))
            return SPAWN_ERR_VSA;       /* a hole in the list, a bad name, rights beyond r/rw */
    }
    return ERR_OK;
}

struct capability cap_vsa(uint64_t name, uint32_t rights, uint64_t id)
{
    struct capability cap = { .type = CAP_VSA, .rights = (uint8_t)rights, .base = name };
    cap.u.raw = id;
    return cap;
}
