# Thin wrapper: the two commands a fresh Debian 12 machine needs are `make run` and `make test`.
BUILD ?= build
JOBS ?= $(shell nproc)
CMAKE_FLAGS ?=

.PHONY: deps build run test bench asan asan-test clean

deps:
	@scripts/deps.sh

build: deps
	@[ -f $(BUILD)/build.ninja ] || cmake -S . -B $(BUILD) -G Ninja -DCMAKE_BUILD_TYPE=Release $(CMAKE_FLAGS)
	@cmake --build $(BUILD) -j $(JOBS)

run: build
	./$(BUILD)/stratus --host 127.0.0.1 --port 4566

test: build
	@tests/run.sh

bench: build
	@tests/bench/run.sh

# Sanitizer build (-fsanitize=address,undefined) running the whole suite.
asan: deps
	@[ -f build-asan/build.ninja ] || cmake -S . -B build-asan -G Ninja -DCMAKE_BUILD_TYPE=Debug -DSTRATUS_SANITIZE=ON -DSTRATUS_BENCH=OFF
	@cmake --build build-asan -j $(JOBS)

asan-test: asan
	@ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
	  STRATUS_BIN=$(CURDIR)/build-asan/stratus tests/run.sh

clean:
	rm -rf $(BUILD) build-asan
