# libFuzzer targets of the parsers and of the HTTP side, included by the
# top-level Makefile.
#
#   make fuzz-build    clang builds into $(BUILD)/fuzz/
#   make fuzz-ci       each target for FUZZ_CI_TIME seconds (20); fails on
#                      any crash, leak or timeout
#   make fuzz          each target for FUZZ_TIME seconds (300)
#   make fuzz-replay   the seeds and saved crashes through the gcc build
#                      (also part of make unit)
#
# FUZZ_TARGETS=http narrows the runs to some targets; FUZZ_ARGS adds
# libFuzzer options (-jobs=2, -only_ascii=1 ...).  New inputs go to
# $(BUILD)/fuzz/corpus/<target>/, crashes to $(BUILD)/fuzz/crash/<target>/.

FUZZ_TARGETS	?= ini words envlist xmlrpc http
FUZZ_TIME	?= 300
FUZZ_CI_TIME	?= 20
FUZZ_CC		?= clang
FUZZ_ARGS	?=

FUZZ_DIR	= tests/fuzz
FUZZ_OUT	= $(BUILD)/fuzz
FUZZ_REPLAY_OUT	= $(BUILD)/fuzz-replay

# clang warns where gcc does not (fall-through comments, vprintf
# wrappers): warnings stay on, but only gcc's build turns them into errors.
FUZZ_SAN	= -fsanitize=address,undefined -fno-sanitize-recover=all \
		  -fno-omit-frame-pointer
FUZZ_CFLAGS	= -g -O1 -std=c11 -D_GNU_SOURCE \
		  $(filter-out -Werror,$(WARN)) -Wno-implicit-fallthrough \
		  -Wno-format-nonliteral -Isrc -I$(FUZZ_DIR) -MMD -MP $(FUZZ_SAN)

# What each target links besides itself and common.c.
FUZZ_SRCS_ini		= $(CONFIG) $(UTIL)
FUZZ_SRCS_words		= src/config/words.c $(UTIL)
FUZZ_SRCS_envlist	= src/config/envlist.c $(UTIL)
FUZZ_SRCS_xmlrpc	= $(RPC) $(UTIL)
FUZZ_SRCS_http		= $(filter-out src/taskmasterd.c,$(TMD_SRCS))
FUZZ_LINK_ini		= -Wl,--wrap=glob
FUZZ_LIBS		= -levent -lexpat

# libFuzzer's -max_len: room for a config or a request with a body.
FUZZ_MAXLEN	?= 8192

fuzz_obj = $(patsubst %.c,$(FUZZ_OUT)/obj/%.o,$(1))

FUZZ_BINS	= $(addprefix $(FUZZ_OUT)/fuzz-,$(FUZZ_TARGETS))
FUZZ_REPLAYS	= $(addprefix $(FUZZ_REPLAY_OUT)/fuzz-,$(FUZZ_TARGETS))

# Seeds and crashes of every target through its gcc replay binary.
FUZZ_REPLAY_RUN	= set -e; for t in $(FUZZ_TARGETS); do \
		  $(FUZZ_REPLAY_OUT)/fuzz-$$t $(FUZZ_DIR)/corpus/$$t \
		  $(FUZZ_DIR)/regress/$$t; done

# The code under test gets coverage; only the targets link libFuzzer.
$(FUZZ_OUT)/obj/src/%.o: src/%.c
	@mkdir -p $(dir $@)
	@echo "CLANG $<"
	@$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer-no-link -c -o $@ $<

$(FUZZ_OUT)/obj/$(FUZZ_DIR)/%.o: $(FUZZ_DIR)/%.c
	@mkdir -p $(dir $@)
	@echo "CLANG $<"
	@$(FUZZ_CC) $(FUZZ_CFLAGS) -Werror -fsanitize=fuzzer-no-link \
	    -c -o $@ $<

$(FUZZ_REPLAY_OUT)/%.o: $(FUZZ_DIR)/%.c
	@mkdir -p $(dir $@)
	@echo "CC $<"
	@$(CC) $(CFLAGS) -I$(FUZZ_DIR) -c -o $@ $<

define FUZZ_TARGET_RULES
$(FUZZ_OUT)/fuzz-$(1): $(call fuzz_obj,$(FUZZ_DIR)/fuzz-$(1).c \
    $(FUZZ_DIR)/common.c $(FUZZ_SRCS_$(1)))
	@echo "LD $$@"
	@$(FUZZ_CC) $(FUZZ_SAN) -fsanitize=fuzzer $(FUZZ_LINK_$(1)) -o $$@ \
	    $$^ $(FUZZ_LIBS)

$(FUZZ_REPLAY_OUT)/fuzz-$(1): $(FUZZ_REPLAY_OUT)/fuzz-$(1).o \
    $(FUZZ_REPLAY_OUT)/replay.o $(FUZZ_REPLAY_OUT)/common.o \
    $(call obj,$(FUZZ_SRCS_$(1)))
	@echo "LD $$@"
	@$(CC) $(LDFLAGS) $(FUZZ_LINK_$(1)) -o $$@ $$^ $(FUZZ_LIBS)
endef

$(foreach t,$(FUZZ_TARGETS),$(eval $(call FUZZ_TARGET_RULES,$(t))))

fuzz-build: $(FUZZ_BINS)

fuzz-replay-build: $(FUZZ_REPLAYS)

fuzz-replay: $(FUZZ_REPLAYS)
	@$(FUZZ_REPLAY_RUN)

# One target after the other, so that each has the machine to itself;
# new inputs go to the first corpus directory, never to the seeds.
fuzz_run = set -e; for t in $(FUZZ_TARGETS); do \
	mkdir -p $(FUZZ_OUT)/corpus/$$t $(FUZZ_OUT)/crash/$$t; \
	dict=; [ ! -f $(FUZZ_DIR)/$$t.dict ] || dict=-dict=$(FUZZ_DIR)/$$t.dict; \
	regress=; [ ! -d $(FUZZ_DIR)/regress/$$t ] || \
	    regress=$(FUZZ_DIR)/regress/$$t; \
	echo "fuzz-$$t: $(1) seconds"; \
	$(FUZZ_OUT)/fuzz-$$t -max_total_time=$(1) -timeout=10 \
	    -rss_limit_mb=2048 -max_len=$(FUZZ_MAXLEN) -print_final_stats=1 \
	    $$dict -artifact_prefix=$(FUZZ_OUT)/crash/$$t/ $(FUZZ_ARGS) \
	    $(FUZZ_OUT)/corpus/$$t $(FUZZ_DIR)/corpus/$$t $$regress; \
	done

fuzz-ci: fuzz-build
	@$(call fuzz_run,$(FUZZ_CI_TIME))

fuzz: fuzz-build
	@$(call fuzz_run,$(FUZZ_TIME))

.PHONY: fuzz fuzz-ci fuzz-build fuzz-replay fuzz-replay-build
