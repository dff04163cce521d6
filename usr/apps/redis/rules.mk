# usr/apps/redis/rules.mk: redis-server 7.0.15 (Debian 12's source package,
# Debian's patches and usr/apps/redis/patches/ applied by fetch.sh into
# build/redis/src), linked against newlib, lib/posix, lwIP and libos.
# usr/apps/redis/README.md says what is patched and what is refused.
#
# What we compile of upstream is what its src/Makefile links into
# redis-server with MALLOC=libc BUILD_TLS=no USE_SYSTEMD=no: the server's
# objects (REDIS_SERVER_OBJ), hiredis (Sentinel's client side), Lua 5.1
# with Redis's libraries (deps/lua: CORE_O and LIB_O of its Makefile) and
# hdr_histogram. linenoise (the clients') and jemalloc are left out.

REDIS_DL    := $(BUILD)/src/redis
REDIS_SRC   := $(BUILD)/redis/src
REDIS_STAMP := $(BUILD)/redis/src.stamp

REDIS_SERVER_SRCS := $(addprefix $(REDIS_SRC)/src/,$(addsuffix .c,\
	acl adlist ae anet aof bio bitops blocked call_reply childinfo cluster \
	commands config connection crc16 crc64 crcspeed db debug defrag dict \
	endianconv eval evict expire function_lua functions geo geohash \
	geohash_helper hyperloglog intset latency lazyfree listpack localtime \
	lolwut lolwut5 lolwut6 lzf_c lzf_d memtest module monotonic mt19937-64 \
	multi networking notify object pqsort pubsub quicklist rand rax rdb \
	redis-check-aof redis-check-rdb release replication resp_parser rio \
	script script_lua sds sentinel server setcpuaffinity setproctitle sha1 \
	sha256 siphash slowlog sort sparkline syncio syscheck t_hash t_list \
	t_set t_stream t_string t_zset timeout tls tracking util zipmap \
	ziplist zmalloc))
REDIS_LUA_SRCS := $(addprefix $(REDIS_SRC)/deps/lua/src/,$(addsuffix .c,\
	fpconv lapi lauxlib lbaselib lcode ldblib ldebug ldo ldump lfunc lgc \
	linit liolib llex lmathlib lmem loadlib lobject lopcodes loslib \
	lparser lstate lstring lstrlib ltable ltablib ltm lua_bit lua_cjson \
	lua_cmsgpack lua_struct lundump lvm lzio strbuf))
REDIS_HDR_SRCS := $(REDIS_SRC)/deps/hdr_histogram/hdr_histogram.c
# Sentinel's links to other servers (deps/hiredis/Makefile's OBJ).
REDIS_HIREDIS_SRCS := $(addprefix $(REDIS_SRC)/deps/hiredis/,$(addsuffix .c,\
	alloc async hiredis net read sds sockcompat))

# fetch.sh runs on every make (it is quick when there is nothing to do):
# it alone decides, by a hash of the .dsc and the patches, whether to
# unpack again, and rewrites the stamp only then, so a patch removed
# rebuilds too (a make prerequisite could only see one added or changed).
$(REDIS_STAMP): redis-fetch ;
.PHONY: redis-fetch
redis-fetch:
	$(Q)bash usr/apps/redis/fetch.sh $(REDIS_DL) $(REDIS_SRC)
$(REDIS_SERVER_SRCS) $(REDIS_LUA_SRCS) $(REDIS_HDR_SRCS) $(REDIS_HIREDIS_SRCS): $(REDIS_STAMP) ;

MODULE := redis
MODULE_KIND := user
MODULE_LIBC := newlib
MODULE_SRCS := \
	$(sort $(REDIS_SERVER_SRCS) $(REDIS_LUA_SRCS) $(REDIS_HDR_SRCS) $(REDIS_HIREDIS_SRCS)) \
	usr/apps/redis/main.c
MODULE_LIBS := lwip vsafs tenacious arrakis nicvf igbvf ixgbevf posix libos
include hake/module.mk
$(redis_OBJS): | $(LWIP_STAMP) $(REDIS_STAMP)
# fs=NAME mounts VSA NAME on /data before main (lib/vsafs/vsafs_vsic.c):
# nothing refers to that constructor, so it is asked for by name.
$(BUILD)/usr/redis: USER_LDFLAGS += -u vsafs_fs_spawn

# Upstream's code compiles with upstream's flags (its Makefiles' -D's, its
# warnings not ours): our -Werror and prototype rules are for our code.
# gnu99, as src/Makefile picks for a compiler without C11: in C11 mode
# Redis's atomicvar.h includes <stdatomic.h>, and newlib 3.3.0's does not
# compile with GCC 12 (its atomic_flag functions take a member of a
# non-struct); in C99 mode Redis uses GCC's __atomic builtins instead.
REDIS_UPSTREAM_OBJS := $(filter $(BUILD)/user-newlib/$(REDIS_SRC)/%,$(redis_OBJS))
$(REDIS_UPSTREAM_OBJS): USER_NEWLIB_CFLAGS += -std=gnu99 -Wno-error -Wno-extra -Wno-shadow \
	-Wno-missing-prototypes -Wno-strict-prototypes -Wno-sign-compare \
	-Wno-unused -Wno-implicit-fallthrough -Wno-missing-field-initializers \
	-Wno-char-subscripts -Wno-address \
	-Werror=implicit-function-declaration -DREDIS_STATIC= \
	-I$(REDIS_SRC)/deps/lua/src -I$(REDIS_SRC)/deps/hdr_histogram -I$(REDIS_SRC)/deps/hiredis
# deps/Makefile's LUA_CFLAGS.
$(filter $(BUILD)/user-newlib/$(REDIS_SRC)/deps/lua/%,$(redis_OBJS)): USER_NEWLIB_CFLAGS += \
	-DLUA_ANSI -DENABLE_CJSON_GLOBAL -DLUA_USE_MKSTEMP
# deps/hdr_histogram/Makefile: its allocations go through Redis's zmalloc.
$(filter $(BUILD)/user-newlib/$(REDIS_SRC)/deps/hdr_histogram/%,$(redis_OBJS)): USER_NEWLIB_CFLAGS += \
	-DHDR_MALLOC_INCLUDE=\"hdr_redis_malloc.h\"
# Redis's main() becomes redis_server_main(), called by usr/apps/redis/main.c
# once the network is up.
$(BUILD)/user-newlib/$(REDIS_SRC)/src/server.c.o: USER_NEWLIB_CFLAGS += -Dmain=redis_server_main
# Its bio threads' stacks (patches/0001): 256 KiB instead of 4 MiB each.
$(BUILD)/user-newlib/$(REDIS_SRC)/src/bio.c.o: USER_NEWLIB_CFLAGS += '-DREDIS_THREAD_STACK_SIZE=(256*1024)'
