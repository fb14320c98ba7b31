# Taskmaster: a supervisord-compatible process supervisor.
#
#   make            build the binaries into build/
#   make run        install what is missing, build, run the example config
#   make test       install what is missing, build, run every test
#   make asan       build with AddressSanitizer + UndefinedBehaviorSanitizer
#   make test-asan  run every test on the sanitizer build
#   make install PREFIX=/usr/local

PREFIX	?= /usr/local
BUILD	?= build
CC	?= cc
PYTHON	?= /usr/bin/python3

WARN	 = -Wall -Wextra -Werror -Wformat=2 -Wshadow -Wmissing-prototypes \
	   -Wstrict-prototypes -Wmissing-declarations -Wwrite-strings \
	   -Wpointer-arith -Wsign-compare -Wundef -Wimplicit-fallthrough \
	   -Wmisleading-indentation
CFLAGS	?= -O2 -g
CFLAGS	+= -std=c11 -D_GNU_SOURCE $(WARN) -Isrc -MMD -MP
LIBS	 = -levent -lreadline -lexpat
# What the two supervisors link (taskmasterd no readline).  By default
# libevent and expat go into the binary (libevent.a and libexpat.a come with
# libevent-dev and libexpat1-dev): only the objects used are linked, no
# symbol is looked up at start-up and two libraries less are mapped, for
# 0.15-0.3 MiB less RSS (their pages count as private, not shared with other
# users of the libraries) and a relink at their security updates.
# STATIC_LIBS=0 links them shared.  glibc stays shared: a static glibc loads
# the NSS modules of nsswitch.conf (systemd) with dlopen, and crashes in
# getpwnam() of an unknown user= there.
STATIC_LIBS ?= 1
ifeq ($(STATIC_LIBS),1)
SUP_LIBS = -Wl,-Bstatic -levent -lexpat -Wl,-Bdynamic
else
SUP_LIBS = -levent -lexpat
endif
TMD_LIBS = $(SUP_LIBS)
LDFLAGS	+= -Wl,--as-needed

ifeq ($(SAN),1)
CFLAGS	+= -fsanitize=address,undefined -fno-omit-frame-pointer \
	   -fno-sanitize-recover=all
LDFLAGS	+= -fsanitize=address,undefined
endif

UTIL	= src/util/xmalloc.c src/util/value.c src/util/log.c \
	  src/util/rotate.c src/util/clock.c src/util/sig.c \
	  src/util/base64.c src/util/pyrepr.c
CONFIG	= src/config/ini.c src/config/expand.c src/config/words.c \
	  src/config/envlist.c src/config/keys.c src/config/keys-type.c \
	  src/config/config.c src/config/config-group.c \
	  src/config/config-client.c
CORE	= src/core/supervisor.c src/core/process.c src/core/spawn.c \
	  src/core/reap.c src/core/output.c src/core/reload.c \
	  src/core/descend.c src/core/spawner.c src/core/child.c \
	  src/core/startup.c
# Linked into the supervisors once the loop runs event listeners.
EVENTS	= src/events/event.c src/events/listener.c src/events/pool.c
API	= src/api/api.c src/api/api-local.c src/api/api-info.c \
	  src/api/api-control.c
RPC	= src/rpc/xmlrpc-encode.c src/rpc/xmlrpc-decode.c src/rpc/xmlrpc-scan.c \
	  src/rpc/xmlrpc-expat.c src/rpc/xmlrpc-text.c
SERVER	= src/rpc/http.c src/rpc/http-listen.c src/rpc/logtail.c \
	  src/util/sha1.c
SHELL_	= src/shell/shell.c src/shell/cmd.c src/shell/cmd-status.c \
	  src/shell/cmd-start.c src/shell/cmd-tail.c \
	  src/shell/cmd-update.c src/shell/cmd-misc.c src/shell/complete.c \
	  src/shell/format.c src/shell/cmd-fg.c src/shell/follow.c

TM_SRCS	= src/taskmaster.c src/boot.c $(SHELL_) $(SERVER) $(RPC) $(API) $(CORE) \
	  $(CONFIG) $(UTIL)
CTL_SRCS = src/taskmasterctl.c $(SHELL_) src/api/api.c src/api/api-remote.c \
	   $(RPC) $(CONFIG) $(UTIL)
TMD_SRCS = src/taskmasterd.c src/boot.c $(SERVER) $(RPC) $(API) $(CORE) \
	   $(CONFIG) $(UTIL)

UNIT_TESTS = $(notdir $(basename $(wildcard tests/unit/test-*.c)))

PROGS	= $(notdir $(basename $(wildcard tests/progs/*.c)))

BINS	= $(BUILD)/taskmaster $(BUILD)/taskmasterd $(BUILD)/taskmasterctl

obj = $(patsubst src/%.c,$(BUILD)/obj/%.o,$(1))

all: $(BINS)

$(BUILD)/obj/%.o: src/%.c
	@mkdir -p $(dir $@)
	@echo "CC $<"
	@$(CC) $(CFLAGS) -c -o $@ $<

$(BUILD)/taskmaster: $(call obj,$(TM_SRCS))
	@echo "LD $@"
	@$(CC) $(LDFLAGS) -o $@ $^ $(SUP_LIBS) -lreadline

$(BUILD)/taskmasterd: $(call obj,$(TMD_SRCS))
	@echo "LD $@"
	@$(CC) $(LDFLAGS) -o $@ $^ $(TMD_LIBS)

$(BUILD)/taskmasterctl: $(call obj,$(CTL_SRCS))
	@echo "LD $@"
	@$(CC) $(LDFLAGS) -o $@ $^ -lcurl $(SUP_LIBS) -lreadline

# Unit tests link the module under test and the pure helpers it needs.
UNIT_LIBS = $(call obj,$(CONFIG) $(UTIL) $(RPC) $(EVENTS) src/core/process.c \
	    src/core/descend.c src/shell/format.c)

$(BUILD)/tests/%.o: tests/unit/%.c
	@mkdir -p $(dir $@)
	@echo "CC $<"
	@$(CC) $(CFLAGS) -c -o $@ $<

$(BUILD)/tests/%: $(BUILD)/tests/%.o $(UNIT_LIBS)
	@echo "LD $@"
	@$(CC) $(LDFLAGS) -o $@ $^ -lcmocka $(LIBS)

$(BUILD)/progs/%: tests/progs/%.c
	@mkdir -p $(dir $@)
	@echo "CC $<"
	@$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $<

include tests/fuzz/fuzz.mk

deps:
	@sh scripts/install-deps.sh

build-all: $(BINS) $(addprefix $(BUILD)/tests/,$(UNIT_TESTS)) \
	   $(addprefix $(BUILD)/progs/,$(PROGS))

unit: build-all fuzz-replay-build
	@set -e; for t in $(UNIT_TESTS); do $(BUILD)/tests/$$t; done
	@$(FUZZ_REPLAY_RUN)

blackbox: build-all
	TASKMASTER_BUILD=$(abspath $(BUILD)) $(PYTHON) -m pytest -q \
	    tests/blackbox

test: deps
	$(MAKE) build-all
	$(MAKE) unit
	$(MAKE) blackbox

asan:
	$(MAKE) BUILD=build-asan SAN=1 build-all

test-asan: deps
	$(MAKE) BUILD=build-asan SAN=1 build-all
	ASAN_OPTIONS=detect_leaks=1:abort_on_error=0 \
	    $(MAKE) BUILD=build-asan SAN=1 unit blackbox

run: deps
	$(MAKE) all
	@mkdir -p build/example
	$(BUILD)/taskmaster -c examples/taskmaster.conf

bench: all
	$(PYTHON) bench/bench.py

bench-full: all
	$(PYTHON) bench/bench.py --full

install: all
	install -d $(DESTDIR)$(PREFIX)/bin
	install -m 755 $(BINS) $(DESTDIR)$(PREFIX)/bin/

clean:
	rm -rf build build-asan

.PHONY: all deps build-all unit blackbox test asan test-asan run install clean \
	bench bench-full
.SECONDARY:

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)
