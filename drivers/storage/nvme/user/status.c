/*
 * status.c: NVMe completion status (4.6.1: status code type and status
 * code) to this system's errors. Every completion the driver reaps goes
 * through here, so each failure has a name; a status the table does not
 * know is NVME_ERR_SC_OTHER (the caller logs SCT/SC).
 */
#include <storage/nvme/user/nvme.h>

static const struct { uint8_t sct, sc; enum err_code err; } named[] = {
    { NVME_SCT_GENERIC, 0x01, NVME_ERR_SC_INVALID_OPCODE },
    { NVME_SCT_GENERIC, 0x02, NVME_ERR_SC_INVALID_FIELD },
    { NVME_SCT_GENERIC, 0x03, NVME_ERR_SC_CID_CONFLICT },
    { NVME_SCT_GENERIC, 0x04, NVME_ERR_SC_DATA_XFER },
    { NVME_SCT_GENERIC, 0x05, NVME_ERR_SC_POWER_LOSS },
    { NVME_SCT_GENERIC, 0x06, NVME_ERR_SC_INTERNAL },
    { NVME_SCT_GENERIC, 0x07, NVME_ERR_SC_ABORT_REQ },
    { NVME_SCT_GENERIC, 0x08, NVME_ERR_SC_ABORT_SQ_DEL },
    { NVME_SCT_GENERIC, 0x0b, NVME_ERR_SC_INVALID_NS },
    { NVME_SCT_GENERIC, 0x0c, NVME_ERR_SC_CMD_SEQ },
    { NVME_SCT_GENERIC, 0x13, NVME_ERR_SC_PRP_OFFSET },
    { NVME_SCT_GENERIC, 0x80, NVME_ERR_SC_LBA_RANGE },
    { NVME_SCT_GENERIC, 0x81, NVME_ERR_SC_CAPACITY },
    { NVME_SCT_GENERIC, 0x82, NVME_ERR_SC_NS_NOT_READY },
    { NVME_SCT_CMD_SPECIFIC, 0x00, NVME_ERR_SC_INVALID_CQ },
    { NVME_SCT_CMD_SPECIFIC, 0x01, NVME_ERR_SC_INVALID_QID },
    { NVME_SCT_CMD_SPECIFIC, 0x02, NVME_ERR_SC_INVALID_QSIZE },
    { NVME_SCT_MEDIA, 0x80, NVME_ERR_SC_WRITE_FAULT },
    { NVME_SCT_MEDIA, 0x81, NVME_ERR_SC_READ_ERROR },
    { NVME_SCT_MEDIA, 0x86, NVME_ERR_SC_ACCESS_DENIED },
};

errval_t nvme_status_err(uint16_t status)
{
    unsigned sct = NVME_STATUS_SCT(status), sc = NVME_STATUS_SC(status);
    if (sct == NVME_SCT_GENERIC && sc == 0)
        return ERR_OK;
    for (unsigned i = 0; i < sizeof(named) / sizeof(named[0]); i++)
        if (named[i].sct == sct && named[i].sc == sc)
            return named[i].err;
    return NVME_ERR_SC_OTHER;
}
