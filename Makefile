# SPDX-License-Identifier: GPL-2.0
# Dynamic ptdesc: build, boot and measure the baseline and the fork.
#
#   make run      build and boot baseline and fork (the x86_64 and s390x
#                 KASAN pairs), print the comparison, write out/report/
#   make run-all  the same for every config (plain, lockdep and RT too; slow)
#   make report   the comparison again, from the kept logs alone
#   make test     the test suite (also run by .ci/run)
#   make test-lockdep  the lockdep pairs (x86_64, s390x) through the workload
#                 as make test runs the KASAN pairs, then each fork again
#                 with lockdep, WARN, leak and KASAN faults planted
#   make test-la57  the 5-level paging pair (x86_64-la57, no KASAN): the p4d
#                 level in use, the KUnit p4d case run
#   make la57-kasan  baseline and fork with 5-level paging and KASAN: an
#                 interrupt put inside and then after identify_cpu()'s
#                 feature window under gdb (the early KASAN report is the
#                 base's own), then EARLY_BOOTS plain boots each as far as init
#   make check-fresh  tools/deps.sh in a new debootstrap'ed Debian 12 root:
#                 every command the harness calls resolves
#   make tree     generate the kernel work trees out/{baseline,fork}/linux
#   make export   write out/fork/linux's commits back to patches/
#   make build CONFIG=x86_64-kasan VARIANT=fork
#   make boot  CONFIG=x86_64-kasan VARIANT=fork
#   make kunit    the ptdesc KUnit suite through kunit.py run (x86_64, QEMU)
#   make bench    ns per page table, baseline and fork, timed in guest
#                 instructions under QEMU -icount (five cases: fault+munmap,
#                 sparse, fork+exit, exec, PT_RECLAIM), and bytes per table
#                 in a child memcg and the root, for each of BENCH_CONFIGS
#                 (x86_64 at -Os and at -O2, s390x); then where the fork's
#                 extra instructions go, by function, for each table row
#                 (PROFILE_CONFIGS, PROFILE_ROWS)
#   make workloads  real programs from Debian 12's packages (PostgreSQL with
#                 32 connections on a 1 GiB buffer pool, SQLite through
#                 mmap, Python importing its library), baseline and fork,
#                 s390x and x86_64 (WORKLOAD_CONFIGS, plain kernels): their
#                 page-table memory compared; s390x's PostgreSQL must need
#                 at most 55% of the baseline's PageTables
#   make hotremove  memory hot-remove of HVO-split vmemmap tables, baseline
#                 and fork (the KASAN config, with a QEMU DIMM): online,
#                 huge pages with HVO, offline, ACPI eject
#   make hvo-rollback  the fork (x86_64-kasan, 6 GiB): HVO of a 1 GiB folio
#                 failed half-way by failslab and rolled back; its struct
#                 pages, the memmap counters and its free checked
#   make check-series  every patch: checkpatch --strict, builds with the
#                 option on and off (SERIES_CONFIGS, x86_64-series; slow:
#                 one build per patch and state); at the last patch the
#                 Xen PV and EFI config too, where the option must not be
#                 offered, s390x-series and x86_64-nomemcg (no MEMCG) on
#                 and off; every .c file of the series compiled
#   make htmldocs  Sphinx builds of Documentation/mm and core-api at the base
#                 and with the series: no new warning (installs Sphinx)
#   make clean    remove out/ (the cached base and ccache stay)

CONFIGS ?= x86_64-kasan s390x-kasan
ALL_CONFIGS ?= x86_64-kasan s390x-kasan x86_64-plain x86_64-lockdep s390x-lockdep x86_64-rt x86_64-la57
CONFIG  ?= x86_64-kasan
VARIANT ?= fork
BENCH_CONFIGS ?= x86_64-bench x86_64-bench-o2 s390x-bench
PROFILE_CONFIGS ?= x86_64-bench x86_64-bench-o2
SERIES_CONFIGS ?= x86_64-series
EARLY_BOOTS ?= 12
LOCKDEP_CFGS = x86_64-lockdep s390x-lockdep
WORKLOAD_CONFIGS ?= s390x-workloads x86_64-workloads

.PHONY: run run-all report test test-lockdep test-la57 la57-kasan tree export build boot clean deps check-series check-fresh kunit bench workloads hotremove hvo-rollback htmldocs

deps:
	tools/deps.sh x86_64 s390x

tree: deps
	tools/tree.sh

export:
	tools/export.sh

build: tree
	tools/build.sh $(CONFIG) $(VARIANT)

boot: build
	tools/initramfs.sh $(CONFIG) $(VARIANT)
	tools/boot.sh $(CONFIG) $(VARIANT)
	tools/check.sh out/logs/$(CONFIG)/$(VARIANT)/workload

run:
	tools/run.sh $(CONFIGS)

run-all:
	tools/run.sh $(ALL_CONFIGS)

report:
	tools/report.sh

test-la57:
	KASAN_CFGS=x86_64-la57 PLANT_CFGS= tools/test.sh

la57-kasan: tree
	for v in baseline fork; do \
		tools/build.sh x86_64-la57-kasan $$v && \
		tools/initramfs.sh x86_64-la57-kasan $$v || exit 1; \
	done; \
	rc=0; for v in baseline fork; do \
		for w in size in after; do \
			tools/la57-window.sh x86_64-la57-kasan $$v $$w || rc=1; \
		done; \
	done; \
	for v in baseline fork; do \
		tools/early-boots.sh x86_64-la57-kasan $$v $(EARLY_BOOTS) || rc=1; \
	done; exit $$rc

check-fresh: deps
	tools/check-fresh.sh

test:
	tools/test.sh

test-lockdep:
	KASAN_CFGS="$(LOCKDEP_CFGS)" PLANT_CFGS="$(LOCKDEP_CFGS)" \
		PLANTS=lockdep,warn,leak,kasan tools/test.sh

kunit: tree
	cd out/fork/linux && PATH=$(CURDIR)/tools/kunit-tcg:$$PATH ./tools/testing/kunit/kunit.py run --arch=x86_64 \
		--kunitconfig=mm/ptdesc.kunitconfig --build_dir=$(CURDIR)/out/kunit \
		--jobs=$$(nproc) --timeout=900 --qemu_args='-cpu max'

bench: tree
	for c in $(BENCH_CONFIGS); do tools/bench.sh $$c || exit 1; done
	for c in $(PROFILE_CONFIGS); do tools/profile.sh $$c || exit 1; done

workloads: tree
	WL_PG_LIMIT=55 tools/workloads.sh $(WORKLOAD_CONFIGS)

hotremove: tree
	tools/hotremove.sh

hvo-rollback: tree
	tools/hvo-rollback.sh

check-series: tree
	tools/check-series.sh $(SERIES_CONFIGS)

htmldocs: tree
	tools/deps.sh --docs
	tools/htmldocs.sh

clean:
	rm -rf out
	git -C "$${DYNPTDESC_CACHE:-$${XDG_CACHE_HOME:-$$HOME/.cache}/dynptdesc}"/linux-* worktree prune 2>/dev/null || true
