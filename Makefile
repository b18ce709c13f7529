# tmdl-codegen: build, test and demo. `make deps` installs what the rest needs.
SHELL := /bin/bash
.SHELLFLAGS := -o pipefail -ec
SWIFT ?= swift
CONFIG := -c release
BIN := .build/release/tmdl-codegen
CC ?= cc
TEMPLATES := $(wildcard Templates/*/*)
DEMO_DIR := .build/demo
# Debian packages the build and the tests need: libtcc for the in-process C compiler; cross
# compilers, C libraries and QEMU for running the arch backends on their instruction sets
# (Cortex-M firmware, AArch64 and ARMv7-A Linux programs, RV32 bare metal), the examples and
# the benchmarks.
APT_PACKAGES := libtcc-dev tcc gcc libc6-dev python3 valgrind \
	gcc-arm-none-eabi libnewlib-arm-none-eabi qemu-system-arm \
	gcc-aarch64-linux-gnu libc6-dev-arm64-cross gcc-arm-linux-gnueabihf libc6-dev-armhf-cross qemu-user \
	gcc-riscv64-unknown-elf picolibc-riscv64-unknown-elf qemu-system-misc

.PHONY: all deps templates build test cross-test demo example-cm0 example-cm4 bench bench-reference snapshots example-model clean

all: build

deps:
	@missing=""; \
	for package in $(APT_PACKAGES); do \
	  dpkg -s $$package >/dev/null 2>&1 || missing="$$missing $$package"; \
	done; \
	if [ -n "$$missing" ]; then \
	  echo "make deps: installing$$missing"; \
	  sudo=""; [ "$$(id -u)" -eq 0 ] || sudo=sudo; \
	  $$sudo apt-get update -q && \
	  { $$sudo apt-get install -y -q $$missing || \
	    { $$sudo apt-get --fix-broken install -y -q && $$sudo apt-get install -y -q $$missing; }; }; \
	fi

# The C templates are compiled into the tool; this keeps the embedded copy in step with Templates/.
Sources/Emit/EmbeddedTemplates.swift: $(TEMPLATES) Templates/embed.py
	python3 Templates/embed.py

templates: Sources/Emit/EmbeddedTemplates.swift

build: deps templates
	$(SWIFT) build $(CONFIG) --product tmdl-codegen

# Release mode: the suite runs thousands of models and mutations; a debug build is ~20x slower.
# It includes cross-test.
test: deps templates
	$(SWIFT) build $(CONFIG) --build-tests
	$(SWIFT) test $(CONFIG) --skip-build

# The arch backends on their own instruction sets, under QEMU: neon on AArch64 (with and without
# SDOT) and ARMv7-A, armdsp on a Cortex-M4F, cpu on all of them and on Cortex-M0 and RV32, rv32p
# through its C model on RV32 and the host, and the P, DSP and NEON instructions in the objects.
cross-test: deps templates
	$(SWIFT) build $(CONFIG) --build-tests
	$(SWIFT) test $(CONFIG) --skip-build --filter 'ArchBackendTests|ArchInstructionTests|rv32p'

# End to end on the project's own example model; needs nothing from ../shared.
demo: build
	@mkdir -p $(DEMO_DIR)
	@echo "== 1. inspect the example model"
	$(BIN) inspect Examples/digits/digits.tmdl
	@echo; echo "== 2. the reference interpreter on the first held-out digit"
	@head -c 64 Examples/digits/test-images.u8 > $(DEMO_DIR)/digit0.u8
	$(BIN) run Examples/digits/digits.tmdl --input $(DEMO_DIR)/digit0.u8 --top 3
	@echo; echo "== 3. generate C"
	$(BIN) generate Examples/digits/digits.tmdl -o $(DEMO_DIR)
	@echo; echo "== 4. verify the generated C in process (libtcc) against the reference, layer by layer"
	$(BIN) verify Examples/digits/digits.tmdl --cases 64 --input $(DEMO_DIR)/digit0.u8
	@echo; echo "== 5. build the example program with the system C compiler and classify the test digits"
	$(CC) -std=c99 -O2 -Wall -Wextra -Werror -ffp-contract=off -I$(DEMO_DIR) Examples/digits/main.c \
	  $(DEMO_DIR)/digits.c -lm -o $(DEMO_DIR)/classify-digits
	$(DEMO_DIR)/classify-digits Examples/digits/test-images.u8 Examples/digits/test-labels.u8 \
	  | tee $(DEMO_DIR)/c-accuracy.txt
	@echo; echo "== 6. the reference interpreter over the same digits"
	$(BIN) evaluate Examples/digits/digits.tmdl --inputs Examples/digits/test-images.u8 \
	  --labels Examples/digits/test-labels.u8 | tee $(DEMO_DIR)/reference-accuracy.txt
	@c=$$(grep -o '([0-9]* of [0-9]* correct)' $(DEMO_DIR)/c-accuracy.txt); \
	 r=$$(grep -o '([0-9]* of [0-9]* correct)' $(DEMO_DIR)/reference-accuracy.txt); \
	 if [ -n "$$c" ] && [ "$$c" = "$$r" ]; then echo; echo "demo: the generated C's accuracy $$c equals the reference's"; \
	 else echo "demo: the generated C ($$c) and the reference ($$r) disagree" >&2; exit 1; fi

# The example as firmware for an FPU-less Cortex-M0 (QEMU's BBC micro:bit, 16 KB RAM) in the
# integer profile: it reads the test digits through semihosting and prints what it classifies.
CM0_DIR := .build/example-cm0
CM0_FLAGS := -std=c99 -O2 -Wall -Wextra -Werror -mcpu=cortex-m0 -mthumb -mfloat-abi=soft \
	--specs=nano.specs --specs=rdimon.specs -T Examples/boards/microbit.ld
example-cm0: build
	@mkdir -p $(CM0_DIR)
	$(BIN) generate Examples/digits/digits.tmdl --numerics integer -o $(CM0_DIR)
	arm-none-eabi-gcc $(CM0_FLAGS) -I$(CM0_DIR) Examples/boards/startup.c Examples/digits/main.c \
	  $(CM0_DIR)/digits.c -o $(CM0_DIR)/digits-cm0.elf
	arm-none-eabi-size $(CM0_DIR)/digits-cm0.elf
	timeout 300 qemu-system-arm -M microbit -nographic -kernel $(CM0_DIR)/digits-cm0.elf -semihosting-config \
	  enable=on,target=native,arg=digits,arg=Examples/digits/test-images.u8,arg=Examples/digits/test-labels.u8 \
	  | tee $(CM0_DIR)/accuracy.txt
	$(BIN) evaluate Examples/digits/digits.tmdl --numerics integer --inputs Examples/digits/test-images.u8 \
	  --labels Examples/digits/test-labels.u8 | tee $(CM0_DIR)/reference-accuracy.txt
	@c=$$(grep -o '([0-9]* of [0-9]* correct)' $(CM0_DIR)/accuracy.txt); \
	 r=$$(grep -o '([0-9]* of [0-9]* correct)' $(CM0_DIR)/reference-accuracy.txt); \
	 if [ -n "$$c" ] && [ "$$c" = "$$r" ]; then echo "example-cm0: the Cortex-M0 firmware's accuracy $$c equals the reference's"; \
	 else echo "example-cm0: the firmware ($$c) and the reference ($$r) disagree" >&2; exit 1; fi

# The example with --arch armdsp as firmware for a Cortex-M4F (QEMU's mps2-an386): it prints its
# class for every test digit, which must equal the reference's, digit for digit.
CM4_DIR := .build/example-cm4
CM4_FLAGS := -std=c99 -O2 -Wall -Wextra -Werror -ffp-contract=off -mcpu=cortex-m4 -mthumb -mfloat-abi=hard \
	-mfpu=fpv4-sp-d16 --specs=rdimon.specs -T Examples/boards/mps2.ld
example-cm4: build
	@mkdir -p $(CM4_DIR)
	$(BIN) generate Examples/digits/digits.tmdl --arch armdsp -o $(CM4_DIR)
	arm-none-eabi-gcc $(CM4_FLAGS) -I$(CM4_DIR) Examples/boards/startup.c Examples/cortex-m4/main.c \
	  $(CM4_DIR)/digits.c -lm -o $(CM4_DIR)/digits-cm4.elf
	arm-none-eabi-size $(CM4_DIR)/digits-cm4.elf
	timeout 300 qemu-system-arm -M mps2-an386 -nographic -kernel $(CM4_DIR)/digits-cm4.elf -semihosting-config \
	  enable=on,target=native,arg=digits,arg=Examples/digits/test-images.u8,arg=Examples/digits/test-labels.u8 \
	  > $(CM4_DIR)/firmware.txt
	@head -n 8 $(CM4_DIR)/firmware.txt; echo "..."; tail -n 1 $(CM4_DIR)/firmware.txt
	$(BIN) evaluate Examples/digits/digits.tmdl --predictions --inputs Examples/digits/test-images.u8 \
	  --labels Examples/digits/test-labels.u8 > $(CM4_DIR)/reference.txt
	@if diff <(grep '^input' $(CM4_DIR)/firmware.txt) <(grep '^input' $(CM4_DIR)/reference.txt); then \
	   echo "example-cm4: all $$(grep -c '^input' $(CM4_DIR)/firmware.txt) digits classified as the reference classifies them;" \
	     "$$(tail -n 1 $(CM4_DIR)/reference.txt)"; \
	 else echo "example-cm4: the firmware and the reference classify differently (above)" >&2; exit 1; fi

# Benchmarks print figures and assert nothing; both need ../shared.
# Instructions per inference of the generated C in both numerics profiles: x86-64 (callgrind),
# then Cortex-M4F and Cortex-M0 code under QEMU (the plugin in Tests/Emulation); generate and
# tcc compile times; instructions per layer of mbnet128 (the next bottleneck).
bench: deps templates
	$(SWIFT) build $(CONFIG) --product tmdl-bench
	.build/release/tmdl-bench codegen
	.build/release/tmdl-bench emulated
	.build/release/tmdl-bench layers mbnet128_0.25_q cortex-m4 armdsp
	.build/release/tmdl-bench layers mbnet128_0.25_q aarch64 neon

# Wall time per inference of the reference interpreter.
bench-reference: deps
	$(SWIFT) build $(CONFIG) --product tmdl-bench
	.build/release/tmdl-bench reference mbnet128_0.25_q cifar10_q

# Regenerate the committed snapshot of the example model's generated C (review the diff!).
snapshots: build
	$(BIN) generate Examples/digits/digits.tmdl -o Tests/Snapshots/digits --name digits

# Retrain the example model (needs numpy and scikit-learn; the demo uses the committed files).
example-model:
	python3 Examples/digits/train.py

clean:
	rm -rf .build
