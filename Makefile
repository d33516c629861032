# SPDX-License-Identifier: GPL-2.0
#
# make            build kmod/sgw.ko and ctl/sgctl
# make check      the whole test suite: unit tests, then the kernel tests
#                 in a QEMU guest (installs what is missing first)
# make demo       a demo gateway in a QEMU guest, with live flow logs
# make install    module, sgctl and man page on this host
#
# KDIR selects the kernel tree to build against; it defaults to the running
# kernel's, or to the newest installed headers when the running kernel has
# none (a container, say).

KRELEASE ?= $(shell uname -r)
KDIR ?= $(firstword $(wildcard /lib/modules/$(KRELEASE)/build) \
	$(lastword $(sort $(wildcard /lib/modules/*/build))))
# The release KDIR belongs to, for DKMS and depmod.
KREL = $(notdir $(patsubst %/build,%,$(KDIR)))
PREFIX ?= /usr/local
SBINDIR ?= $(PREFIX)/sbin
MANDIR ?= $(PREFIX)/share/man
DESTDIR ?=
VERSION := $(shell cat VERSION)

.PHONY: all module sgctl clean check unit vmtest demo deps install \
	install-module install-sgctl uninstall sparse w1 dkms-install \
	dkms-uninstall kernel-lint fuzz bench bench-smoke

all: module sgctl

module:
	@test -n "$(KDIR)" || { echo "no kernel headers: set KDIR or run scripts/install-deps" >&2; exit 1; }
	$(MAKE) -C $(KDIR) M=$(CURDIR) SGW_VERSION=$(VERSION) modules

sgctl:
	$(MAKE) -C ctl

# Kernel code must stay clean under extra warnings and sparse.
w1:
	$(MAKE) -C $(KDIR) M=$(CURDIR) W=1 modules
sparse:
	$(MAKE) -C $(KDIR) M=$(CURDIR) C=2 modules

deps:
	scripts/install-deps --if-missing

unit: deps
	$(MAKE) -C tests/unit run

vmtest: deps
	SGW_TEST_TIMEOUT=900 tests/vm/run-all --timeout 3600

kernel-lint:
	scripts/kernel-lint

fuzz: deps
	$(MAKE) -C tests/fuzz run SECONDS=300

# Both LTS kernels: what passes on 6.1 can still break on 6.12's netfilter.
check: deps
	scripts/kernel-lint
	$(MAKE) -C tests/unit run
	$(MAKE) -C tests/fuzz run SECONDS=10
	SGW_TEST_TIMEOUT=900 tests/vm/run-all --all-kernels --timeout 3600
	@# The benchmark keeps working: fails only if it cannot run.
	bench/run --smoke

demo: deps
	tests/vm/demo

# What sgw costs on the packet path, against nftables (docs/benchmarks.md).
.PHONY: bench bench-smoke
bench:
	bench/run
bench-smoke:
	bench/run --smoke

install: install-module install-sgctl

install-module: module
	$(MAKE) -C $(KDIR) M=$(CURDIR) INSTALL_MOD_DIR=extra modules_install
	-depmod -a $(KREL)

install-sgctl: sgctl
	install -D -m 0755 ctl/sgctl $(DESTDIR)$(SBINDIR)/sgctl
	install -D -m 0644 docs/sgctl.8 $(DESTDIR)$(MANDIR)/man8/sgctl.8

# DKMS copies the kernel sources to /usr/src/sgw-VERSION and rebuilds them
# for every kernel installed later.
DKMS_SRC := $(DESTDIR)/usr/src/sgw-$(VERSION)
dkms-install: install-sgctl
	rm -rf $(DKMS_SRC)
	mkdir -p $(DKMS_SRC)
	tar -cf - --exclude='*.o' --exclude='*.ko' --exclude='*.mod*' \
		--exclude='.*.cmd' --exclude='*.a' Kbuild VERSION dkms.conf \
		kmod include | tar -C $(DKMS_SRC) -xf -
	sed -i 's/^PACKAGE_VERSION=.*/PACKAGE_VERSION="$(VERSION)"/' $(DKMS_SRC)/dkms.conf
	dkms add -m sgw -v $(VERSION)
	dkms install -m sgw -v $(VERSION) -k $(KREL)

dkms-uninstall:
	dkms remove -m sgw -v $(VERSION) --all
	rm -rf $(DKMS_SRC)

uninstall:
	rm -f $(DESTDIR)$(SBINDIR)/sgctl $(DESTDIR)$(MANDIR)/man8/sgctl.8

clean:
	-test -z "$(KDIR)" || $(MAKE) -C $(KDIR) M=$(CURDIR) clean
	$(MAKE) -C ctl clean
	$(MAKE) -C tests/unit clean
	$(MAKE) -C tests/fuzz clean
