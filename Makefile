# Hone's two set-up commands (see README.md):
#   make run   installs the system libraries if missing, builds in release, runs the main job
#              (`hone run Examples/quickstart.yaml`: the whole model-selection pipeline)
#   make test  installs the system libraries if missing, runs the test suite
SHELL := /bin/bash
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
SYSTEM_PACKAGES := libopenblas-dev liblapacke-dev libsqlite3-dev
HONE := .build/release/hone
QUICKSTART := Examples/quickstart.yaml

.PHONY: run test deps build bench format lint

deps:
	@if ! dpkg -s $(SYSTEM_PACKAGES) >/dev/null 2>&1; then \
	  echo "Installing $(SYSTEM_PACKAGES) ..."; \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $(SYSTEM_PACKAGES); \
	fi

build: deps
	swift build -c release --product hone

run: build
	$(HONE) run $(QUICKSTART)

test: deps
	swift test

bench: deps
	swift build -c release --package-path Benchmarks
	Benchmarks/.build/release/hone-bench blas

format:
	swift format -i -r Package.swift Sources Tests Datasets Benchmarks/Package.swift Benchmarks/Sources

lint:
	swift format lint --strict -r Package.swift Sources Tests Datasets Benchmarks/Package.swift Benchmarks/Sources
