# vrrpd — build, test, demo, install.
#   make            build vrrpd and vrrpctl
#   make check      install deps, build, unit tests (ASan/UBSan), the conf corpus, netns and interop tests
#   make conf       the configuration corpus only (tests/conf: vrrpd -t on each file)
#   make demo       install deps, build, run the 3-router failover demo
#   make bench      side-by-side benchmarks against keepalived (not part of check)
#   make chaos      seeded fault schedule on a 3-router lab: SEED=1 EVENTS=100
#   make fuzz       build the libFuzzer harnesses and run each for FUZZ_SECONDS (default 60)

PREFIX     ?= /usr/local
SBINDIR    ?= $(PREFIX)/sbin
MANDIR     ?= $(PREFIX)/share/man
SYSCONFDIR ?= /etc
UNITDIR    ?= /etc/systemd/system
DESTDIR    ?=

CC      ?= cc
PKGS    := libnl-3.0 libnl-route-3.0 libmnl libnftables openssl libmariadb
# libnftables, openssl and libmariadb are not linked: src/io/filter.c loads
# libnftables with dlopen when Accept_Mode needs it, src/conf/dl.c libssl
# and libmariadb when a configuration has an https or a mysql check (their
# headers are still used). The unit tests link openssl (their TLS server
# and certificates) and libmariadb.
LINK_PKGS := libnl-3.0 libnl-route-3.0 libmnl
TEST_PKGS := openssl libmariadb
CFLAGS  ?= -O2 -g
WARN    := -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wmissing-prototypes
CPPFLAGS += -D_GNU_SOURCE -Iinclude/vrrpd
BASE_CFLAGS = -std=c11 $(WARN) $(CPPFLAGS) $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
LDLIBS  := $(shell pkg-config --libs $(LINK_PKGS) 2>/dev/null)
TEST_LDLIBS := $(LDLIBS) $(shell pkg-config --libs $(TEST_PKGS) 2>/dev/null)
SAN     := -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all

# Sources are found by folder (src/LAYER/*.c); a new file needs no entry here.
# Layers, from the bottom: core (pure), conf, io, check, ops, daemon; then
# the two programs' main()s (tests/layers.sh checks that includes only point
# downwards).
LAYERS     := core conf io check ops daemon
LIB_SRCS   := $(foreach l,$(LAYERS),$(wildcard src/$(l)/*.c))
VRRPD_SRCS := $(LIB_SRCS) src/vrrpd.c
# Unit tests link against every layer but the daemon's wiring, built with
# ASan/UBSan into one archive: a test pulls in only what it uses.
UNIT_SRCS  := $(filter-out src/daemon/%,$(LIB_SRCS))

B := build
VRRPD_OBJS := $(VRRPD_SRCS:src/%.c=$(B)/obj/%.o)
SAN_OBJS   := $(UNIT_SRCS:src/%.c=$(B)/san/%.o)
# vrrpd-san: the daemon itself under ASan/UBSan, for a pass of the netns suite.
SAN_VRRPD_OBJS := $(VRRPD_SRCS:src/%.c=$(B)/san/%.o)
SAN_LIB    := $(B)/san/libvrrpd.a
UNIT_TESTS := $(patsubst tests/unit/%.c,$(B)/test/%,$(wildcard tests/unit/test_*.c))
# Simulator scenarios (tests/sim/test_*.c), each linked with the simulator
# (the other tests/sim/*.c).
SIM_TESTS  := $(patsubst tests/sim/%.c,$(B)/test/%,$(wildcard tests/sim/test_*.c))
SIM_SRCS   := $(filter-out tests/sim/test_%,$(wildcard tests/sim/*.c))
HEADERS    := $(wildcard include/vrrpd/*/*.h)
# Test tools, not part of the daemon: the packet flood generator.
FLOOD      := $(B)/tools/vrrpflood

# Fuzzing (tests/fuzz/): clang's libFuzzer with ASan/UBSan. The libraries are
# built a second time, with clang and coverage instrumentation, into their own
# object tree; each tests/fuzz/fuzz_NAME.c is one harness, linked with
# tests/fuzz/quiet_log.c (logging without output) and that archive. A harness
# may #include a source file of src/ to reach its static parser.
FUZZ_CC      ?= clang
FUZZ_SAN     := -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all
# The project's warnings are gcc's; clang adds some of its own.
# -Wfor-loop-analysis objects to src/conf/kw_instance.c's loop that steps
# over an option's value on purpose.
FUZZ_CFLAGS  := $(BASE_CFLAGS) -Wno-for-loop-analysis -O1 -g $(FUZZ_SAN)
FUZZ_OBJS    := $(UNIT_SRCS:src/%.c=$(B)/fuzz/obj/%.o)
FUZZ_LIB     := $(B)/fuzz/libvrrpd.a
FUZZERS      := $(patsubst tests/fuzz/%.c,$(B)/fuzz/%,$(wildcard tests/fuzz/fuzz_*.c))
FUZZ_SECONDS ?= 60
# fuzz_conf keeps the loader's includes inside a scratch directory by
# wrapping the calls that name a path (tests/fuzz/fuzz_conf.c).
FUZZ_CONF_WRAP := $(foreach f,open open64 openat fopen fopen64 stat lstat access glob glob64,-Wl,--wrap=$(f))
$(B)/fuzz/fuzz_conf: FUZZ_LDFLAGS = $(FUZZ_CONF_WRAP)

.PHONY: all deps check unit conf fuzz fuzzers netns demo bench chaos format install uninstall clean vrrpd-san
all: vrrpd vrrpctl

vrrpd: $(VRRPD_OBJS)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(LDLIBS)

# The client needs no library and no other module: control.h's constants only.
vrrpctl: src/vrrpctl.c include/vrrpd/ops/control.h
	$(CC) $(BASE_CFLAGS) $(CFLAGS) $(LDFLAGS) -o $@ src/vrrpctl.c

$(B)/obj/%.o: src/%.c $(HEADERS)
	@mkdir -p $(@D)
	$(CC) $(BASE_CFLAGS) $(CFLAGS) -c -o $@ $<

$(B)/san/%.o: src/%.c $(HEADERS)
	@mkdir -p $(@D)
	$(CC) $(BASE_CFLAGS) -O1 -g $(SAN) -c -o $@ $<

$(B)/vrrpd-san: $(SAN_VRRPD_OBJS)
	$(CC) -O1 -g $(SAN) $(LDFLAGS) -o $@ $^ $(LDLIBS)

vrrpd-san: $(B)/vrrpd-san

$(SAN_LIB): $(SAN_OBJS)
	rm -f $@
	ar rcs $@ $^

# A test may #include a source file of src/ to reach its static helpers.
$(B)/test/%: tests/unit/%.c $(wildcard tests/unit/*.h) $(SAN_LIB) $(HEADERS) $(LIB_SRCS)
	@mkdir -p $(@D)
	$(CC) $(BASE_CFLAGS) -O1 -g $(SAN) -o $@ $< $(SAN_LIB) -lcmocka $(TEST_LDLIBS)

$(SIM_TESTS): $(B)/test/%: tests/sim/%.c $(SIM_SRCS) $(wildcard tests/sim/*.h) $(SAN_LIB) $(HEADERS)
	@mkdir -p $(@D)
	$(CC) $(BASE_CFLAGS) -O1 -g $(SAN) -o $@ $< $(SIM_SRCS) $(SAN_LIB) -lcmocka $(LDLIBS)

$(FLOOD): tests/flood/vrrpflood.c
	@mkdir -p $(@D)
	$(CC) -std=c11 $(WARN) -D_GNU_SOURCE $(CFLAGS) $(LDFLAGS) -o $@ $<

$(B)/fuzz/obj/%.o: src/%.c $(HEADERS) tests/fuzz/cov-ignore.txt
	@mkdir -p $(@D)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer-no-link -fsanitize-coverage-ignorelist=tests/fuzz/cov-ignore.txt -c -o $@ $<

$(FUZZ_LIB): $(FUZZ_OBJS)
	rm -f $@
	ar rcs $@ $^

$(FUZZERS): $(B)/fuzz/%: tests/fuzz/%.c tests/fuzz/quiet_log.c tests/fuzz/cov-ignore.txt $(FUZZ_LIB) $(HEADERS) $(LIB_SRCS)
	@mkdir -p $(@D)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer -fsanitize-coverage-ignorelist=tests/fuzz/cov-ignore.txt $(FUZZ_LDFLAGS) -o $@ $< tests/fuzz/quiet_log.c $(FUZZ_LIB) $(LDLIBS)

fuzzers: $(FUZZERS)

# The long run: every harness for FUZZ_SECONDS, new inputs kept in
# build/fuzz/corpus/NAME (the committed seeds are only read).
fuzz: $(FUZZERS)
	@tests/fuzz/run.sh long $(FUZZ_SECONDS) $(FUZZERS)

deps:
	@tests/deps.sh

unit: $(UNIT_TESTS) $(SIM_TESTS)
	@tests/run-unit.sh $(UNIT_TESTS) $(SIM_TESTS)

conf: all
	@tests/conf/run.sh

check: deps
	$(MAKE) all $(B)/vrrpd-san $(UNIT_TESTS) $(SIM_TESTS) $(FLOOD) $(FUZZERS)
	@tests/run-all.sh $(UNIT_TESTS) $(SIM_TESTS) -- $(FUZZERS)

netns: all $(FLOOD)
	@tests/netns/run.sh

demo: deps
	$(MAKE) all
	@tests/netns/demo.sh

bench: deps
	@rm -f $(B)/bench-build-failed
	$(MAKE) all || { mkdir -p $(B) && touch $(B)/bench-build-failed; }
	@tests/bench/run.sh

# The chaos lab (tests/chaos/chaos.sh; make check runs 20 events of seed 1
# as tests/netns/t_chaos.sh). Run it under the lab lock when sessions share
# the machine: flock /tmp/vrrpd-netns.lock make chaos SEED=7 EVENTS=200.
SEED   ?= 1
EVENTS ?= 100
chaos: all
	@CHAOS_SEED=$(SEED) CHAOS_EVENTS=$(EVENTS) tests/chaos/chaos.sh

format:
	clang-format -i src/*.c src/*/*.c include/vrrpd/*/*.h tests/unit/*.c tests/sim/*.[ch] tests/fuzz/*.c

install: all
	install -d $(DESTDIR)$(SBINDIR) $(DESTDIR)$(MANDIR)/man5 $(DESTDIR)$(MANDIR)/man8 $(DESTDIR)$(SYSCONFDIR)/vrrpd $(DESTDIR)$(UNITDIR)
	install -m 0755 vrrpd $(DESTDIR)$(SBINDIR)/vrrpd
	install -m 0755 vrrpctl $(DESTDIR)$(SBINDIR)/vrrpctl
	[ -e $(DESTDIR)$(SYSCONFDIR)/vrrpd/vrrpd.conf ] || install -m 0644 conf/vrrpd.conf $(DESTDIR)$(SYSCONFDIR)/vrrpd/vrrpd.conf
	install -m 0644 man/vrrpd.8 $(DESTDIR)$(MANDIR)/man8/vrrpd.8
	install -m 0644 man/vrrpctl.8 $(DESTDIR)$(MANDIR)/man8/vrrpctl.8
	install -m 0644 man/vrrpd.conf.5 $(DESTDIR)$(MANDIR)/man5/vrrpd.conf.5
	sed 's|/usr/local/sbin|$(SBINDIR)|g; s|/etc/vrrpd|$(SYSCONFDIR)/vrrpd|g' systemd/vrrpd.service > $(DESTDIR)$(UNITDIR)/vrrpd.service
	chmod 0644 $(DESTDIR)$(UNITDIR)/vrrpd.service

uninstall:
	rm -f $(DESTDIR)$(SBINDIR)/vrrpd $(DESTDIR)$(MANDIR)/man8/vrrpd.8 $(DESTDIR)$(MANDIR)/man5/vrrpd.conf.5
	rm -f $(DESTDIR)$(SBINDIR)/vrrpctl $(DESTDIR)$(MANDIR)/man8/vrrpctl.8 $(DESTDIR)$(UNITDIR)/vrrpd.service
	@echo "uninstall: $(DESTDIR)$(SYSCONFDIR)/vrrpd/vrrpd.conf is yours; it was left in place"

clean:
	rm -rf $(B) vrrpd vrrpctl

