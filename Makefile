# SPDX-License-Identifier: MIT
# mimic's build: programs, libraries, test layers and the README's commands.
#
# Sources are found by directory, so a new file in a subsystem's folder is
# built without touching this file. Each program's main() lives in main.c of
# its own folder; everything else in a folder goes into that folder's archive.

SRC ?= $(CURDIR)
.DEFAULT_GOAL := all

# Goals that must work before configure can (they install what it needs).
NOCONFIG_GOALS := check run bench deps help format format-check distclean fuzz
ifeq ($(MAKECMDGOALS),)
NEED_CONFIG := yes
else ifneq ($(filter-out $(NOCONFIG_GOALS),$(MAKECMDGOALS)),)
NEED_CONFIG := yes
endif

ifeq ($(NEED_CONFIG),yes)
config.mak:
	@echo "make: no config.mak here, running configure"
	$(SRC)/configure
include config.mak
endif

PYTEST ?= pytest-3
PYTEST_ARGS ?= -ra -q
export MIMIC_BUILD := $(CURDIR)
export MIMIC_SRC := $(SRC)

src = $(wildcard $(addprefix $(SRC)/,$(addsuffix /*.c,$(1))))
obj = $(patsubst $(SRC)/%.c,obj/%.o,$(1))
nomain = $(filter-out %/main.c,$(1))

UTIL_SRCS := $(call src,util)
CPU_SRCS := $(call src,target/riscv accel/interp accel/jit gdbstub)
BLOCK_SRCS := $(call src,block)
SYSTEM_SRCS := $(call nomain,$(call src,cli machine hw/* virtio vhost-user \
	chardev net monitor))
USER_SRCS := $(call nomain,$(call src,linux-user))
VUB_SRCS := $(call src,lib/vhost-user-backend)
IMG_SRCS := $(call src,tools/img)
VIRTIOFSD_SRCS := $(call src,tools/virtiofsd)
UNIT_SRCS := $(call src,tests/unit)
# Test-only host programs: tests/tools/NAME.c -> tests/tools/NAME, linked
# with every archive.
TOOL_SRCS := $(call src,tests/tools)
TOOLS := $(patsubst $(SRC)/%.c,%,$(TOOL_SRCS))

LIBUTIL := obj/libutil.a
LIBCPU := obj/libcpu.a
LIBBLOCK := obj/libblock.a
LIBSYSTEM := obj/libsystem.a
LIBUSER := obj/libuser.a
LIBVUB := obj/libvhost-user-backend.a

ALL_LIBS_FLAGS = $(FDT_LIBS) $(JSONC_LIBS) $(SLIRP_LIBS) $(URING_LIBS) \
	$(ZLIB_LIBS) $(CAPSTONE_LIBS) $(SECCOMP_LIBS) -lm -lrt
ALL_CFLAGS = $(CFLAGS) -I$(SRC) -I. $(FDT_CFLAGS) $(JSONC_CFLAGS) \
	$(SLIRP_CFLAGS) $(URING_CFLAGS) $(ZLIB_CFLAGS) $(CAPSTONE_CFLAGS) \
	$(SECCOMP_CFLAGS) -MMD -MP

PROGRAMS :=
ifneq ($(wildcard $(SRC)/cli/main.c),)
PROGRAMS += mimic-system-riscv64
endif
ifneq ($(wildcard $(SRC)/linux-user/main.c),)
PROGRAMS += mimic-riscv64
endif
ifneq ($(IMG_SRCS),)
PROGRAMS += mimic-img
endif
ifneq ($(VIRTIOFSD_SRCS),)
PROGRAMS += mimic-virtiofsd
endif

.PHONY: all
all: $(PROGRAMS) tests/unit/run-unit $(TOOLS)

obj/%.o: $(SRC)/%.c config.h
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -c -o $@ $<

# An archive of nothing is still a valid archive.
obj/%.a:
	@mkdir -p $(dir $@)
	@rm -f $@
	$(AR) rcs $@ $^

$(LIBUTIL): $(call obj,$(UTIL_SRCS))
$(LIBCPU): $(call obj,$(CPU_SRCS))
$(LIBBLOCK): $(call obj,$(BLOCK_SRCS))
$(LIBSYSTEM): $(call obj,$(SYSTEM_SRCS))
$(LIBUSER): $(call obj,$(USER_SRCS))
$(LIBVUB): $(call obj,$(VUB_SRCS))

mimic-system-riscv64: obj/cli/main.o $(LIBSYSTEM) $(LIBBLOCK) $(LIBCPU) $(LIBUTIL)
	$(CC) $(LDFLAGS) -o $@ $^ $(ALL_LIBS_FLAGS)

mimic-riscv64: obj/linux-user/main.o $(LIBUSER) $(LIBCPU) $(LIBUTIL)
	$(CC) $(LDFLAGS) -o $@ $^ $(ALL_LIBS_FLAGS)

mimic-img: $(call obj,$(IMG_SRCS)) $(LIBBLOCK) $(LIBUTIL)
	$(CC) $(LDFLAGS) -o $@ $^ $(ALL_LIBS_FLAGS)

mimic-virtiofsd: $(call obj,$(VIRTIOFSD_SRCS)) $(LIBVUB)
	$(CC) $(LDFLAGS) -o $@ $^ $(ALL_LIBS_FLAGS)

tests/unit/run-unit: $(call obj,$(UNIT_SRCS)) $(LIBSYSTEM) $(LIBUSER) \
		$(LIBBLOCK) $(LIBVUB) $(LIBCPU) $(LIBUTIL)
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $^ $(ALL_LIBS_FLAGS)

ALL_ARCHIVES := $(LIBSYSTEM) $(LIBUSER) $(LIBBLOCK) $(LIBVUB) $(LIBCPU) $(LIBUTIL)

$(TOOLS): tests/tools/%: obj/tests/tools/%.o $(ALL_ARCHIVES)
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $^ $(ALL_LIBS_FLAGS)

-include $(shell find obj -name '*.d' 2>/dev/null)

# ---- the README's commands ------------------------------------------------

.PHONY: deps check run bench images
deps:
	$(SRC)/scripts/install-deps

check: deps
	$(MAKE) all
	$(MAKE) images
	$(MAKE) format-check
	$(MAKE) check-unit
	$(MAKE) check-fuzz
	$(MAKE) check-py

run: deps
	$(MAKE) all
	$(MAKE) images
	$(SRC)/scripts/run-default

bench: deps
	$(MAKE) all
	$(MAKE) images
	$(SRC)/bench/run

images:
	$(SRC)/tests/images/build

# ---- test layers ----------------------------------------------------------

.PHONY: check-unit check-py
check-unit: tests/unit/run-unit
	./tests/unit/run-unit

check-py: all
	cd $(SRC) && $(PYTEST) $(PYTEST_ARGS) tests

# ---- fuzzing --------------------------------------------------------------
# fuzz/NAME.c holds a libFuzzer target. `make fuzz` builds every target in a
# separate clang+ASan+UBSan build tree; `make check-fuzz` runs each briefly.

FUZZ_SRCS := $(call src,fuzz)
FUZZ_TARGETS := $(patsubst $(SRC)/fuzz/%.c,fuzz-bin/%,$(FUZZ_SRCS))
FUZZ_BUILD ?= $(SRC)/build-fuzz
FUZZ_TIME ?= 10
# A fixed seed keeps `make check` repeatable; `make check-fuzz FUZZ_SEED=0`
# lets libFuzzer pick one. Impossible allocations return NULL, as they do
# outside ASan, so the code's own out-of-memory path is what gets tested.
FUZZ_SEED ?= 1

.PHONY: fuzz fuzz-targets check-fuzz
fuzz:
	@mkdir -p $(FUZZ_BUILD)
	@cd $(FUZZ_BUILD) && [ -f config.mak ] || $(SRC)/configure --cc=clang \
		--extra-cflags="-fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer -DMIMIC_FUZZING" \
		--extra-ldflags="-fsanitize=address,undefined" >/dev/null
	$(MAKE) -C $(FUZZ_BUILD) fuzz-targets

fuzz-targets: $(FUZZ_TARGETS)

fuzz-bin/%: obj/fuzz/%.o $(ALL_ARCHIVES)
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -fsanitize=fuzzer -o $@ $^ $(ALL_LIBS_FLAGS)

check-fuzz: fuzz
	@set -e; for t in $(notdir $(FUZZ_TARGETS)); do \
		corpus=$$(mktemp -d); \
		if [ -d $(SRC)/fuzz/corpus/$$t ]; then cp -r $(SRC)/fuzz/corpus/$$t/. $$corpus/; fi; \
		echo "fuzz: $$t for $(FUZZ_TIME)s"; \
		ASAN_OPTIONS=allocator_may_return_null=1 \
		$(FUZZ_BUILD)/fuzz-bin/$$t -seed=$(FUZZ_SEED) \
			-max_total_time=$(FUZZ_TIME) -rss_limit_mb=2048 \
			-print_final_stats=0 $$corpus 2>$$corpus.log || \
			{ tail -40 $$corpus.log; rm -rf $$corpus $$corpus.log; exit 1; }; \
		rm -rf $$corpus $$corpus.log; \
	done; echo "fuzz: $(words $(FUZZ_TARGETS)) targets ran clean"

# ---- style ----------------------------------------------------------------

FORMAT_FILES = $(shell cd $(SRC) && git ls-files '*.c' '*.h' 2>/dev/null)
.PHONY: format format-check
format:
	cd $(SRC) && clang-format -i $(FORMAT_FILES)

format-check:
	@cd $(SRC) && clang-format --dry-run -Werror $(FORMAT_FILES) && \
		echo "format-check: $(words $(FORMAT_FILES)) files clean"

# ---- install --------------------------------------------------------------

DESTDIR ?=
prefix ?= $(PREFIX)
bindir ?= $(prefix)/bin

.PHONY: install uninstall
install: all
	install -d $(DESTDIR)$(bindir)
	$(if $(PROGRAMS),install -m 755 $(PROGRAMS) $(DESTDIR)$(bindir))

uninstall:
	rm -f $(addprefix $(DESTDIR)$(bindir)/,$(PROGRAMS))

.PHONY: clean distclean help
clean:
	rm -rf obj $(PROGRAMS) tests/unit/run-unit $(TOOLS) fuzz-bin

distclean: clean
	rm -f config.mak config.h config.log

help:
	@echo "make             configure if needed, build every program"
	@echo "make check       install dependencies, build, prepare images, run all tests"
	@echo "make run         install dependencies, build, boot the default guest"
	@echo "make bench       benchmarks side by side with Debian's QEMU"
	@echo "make install     install the programs (DESTDIR, prefix honoured)"
	@echo "make format      reformat C sources with clang-format"
