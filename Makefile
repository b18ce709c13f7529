# tmdl-codegen: build, test and demo. `make deps` installs what the rest needs.
SHELL := /bin/bash
SWIFT ?= swift
CONFIG := -c release
BIN := .build/release/tmdl-codegen
DEMO_DIR := .build/demo
# Debian packages the build and the tests need (libtcc for the in-process C compiler).
APT_PACKAGES := libtcc-dev tcc

.PHONY: all deps build test demo bench-reference example-model clean

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

build: deps
	$(SWIFT) build $(CONFIG) --product tmdl-codegen

# Release mode: the suite runs thousands of models and mutations; a debug build is ~20x slower.
test: deps
	$(SWIFT) build $(CONFIG) --build-tests
	$(SWIFT) test $(CONFIG) --skip-build

# End to end on the project's own example model; needs nothing from ../shared.
demo: build
	@mkdir -p $(DEMO_DIR)
	@echo "== inspect the example model"
	$(BIN) inspect Examples/digits/digits.tmdl
	@echo; echo "== run the reference on the first held-out digit (label $$(head -c 1 Examples/digits/test-labels.u8 | od -An -tu1 | tr -d ' '))"
	@head -c 64 Examples/digits/test-images.u8 > $(DEMO_DIR)/digit0.u8
	$(BIN) run Examples/digits/digits.tmdl --input $(DEMO_DIR)/digit0.u8 --top 3
	@echo; echo "== accuracy over the held-out test split"
	$(BIN) evaluate Examples/digits/digits.tmdl --inputs Examples/digits/test-images.u8 --labels Examples/digits/test-labels.u8

# Wall time per inference of the reference interpreter (figures only; needs ../shared).
bench-reference: deps
	$(SWIFT) build $(CONFIG) --product tmdl-bench
	.build/release/tmdl-bench mbnet128_0.25_q cifar10_q

# Retrain the example model (needs numpy and scikit-learn; the demo uses the committed files).
example-model:
	python3 Examples/digits/train.py

clean:
	rm -rf .build
