# make demo: set up everything and start the demo (simulator + monitors + SQLite).
# make test: set up everything and run every test.
BUILD ?= build
JOBS ?= $(shell nproc)
MAKEFLAGS += --no-print-directory

.PHONY: all deps build test demo bench fuzz sanitize install package clean

all: build

deps:
	bash scripts/install-deps.sh

$(BUILD)/Makefile: CMakeLists.txt
	cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo

build: deps $(BUILD)/Makefile
	cmake --build $(BUILD) -j$(JOBS)

test: build
	bash scripts/test.sh

# The demo needs only the binary, not the tests and benchmarks.
demo: deps $(BUILD)/Makefile
	cmake --build $(BUILD) --target modelwatch -j$(JOBS)
	bash scripts/demo.sh

# The libFuzzer targets (clang, ASan + UBSan), five minutes each; CI runs
# them for 20 s each (scripts/fuzz.sh).
fuzz: deps
	bash scripts/fuzz.sh 300

# Unit tests under ASan + UBSan and ThreadSanitizer (clang; CI runs the wider
# `scripts/sanitize.sh asan-all tsan-all`).
sanitize: deps
	bash scripts/sanitize.sh

# make install PREFIX=/opt/modelwatch (default /usr/local).
PREFIX ?= /usr/local
install: build
	cmake --install $(BUILD) --prefix $(PREFIX)

# A Debian package (build/modelwatch_VERSION_ARCH.deb) with the systemd unit.
package: build
	cd $(BUILD) && cpack -G DEB

bench: build
	@echo "see bench/README.md for the benchmark commands"

clean:
	rm -rf $(BUILD)
