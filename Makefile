GO ?= go
SHELL := bash
.SHELLFLAGS := -o pipefail -c
STATICCHECK := honnef.co/go/tools/cmd/staticcheck@v0.8.2

.PHONY: test lint bench bench-all tour fmt fuzz fuzz-smoke faults

# FUZZTIME is how long make fuzz runs each fuzz target.
FUZZTIME ?= 30s

## test: vet and run every test with the race detector
test:
	$(GO) vet ./...
	$(GO) test -race ./...

## lint: staticcheck at a pinned version (the faults module too)
lint:
	$(GO) run $(STATICCHECK) ./...
	cd faults && $(GO) run $(STATICCHECK) ./...

## bench: the performance table (P1 to P5); bench-all: every benchmark
bench:
	scripts/bench

bench-all:
	$(GO) test -run '^$$' -bench . -benchmem ./...

## fuzz: every fuzz target in turn, FUZZTIME each (make fuzz FUZZTIME=2m)
fuzz:
	FUZZTIME=$(FUZZTIME) scripts/fuzz

## fuzz-smoke: every fuzz target for 3s (CI)
fuzz-smoke:
	FUZZTIME=3s FUZZMINIMIZETIME=1s scripts/fuzz

## faults: the fault matrix, each provider's fake behind toxiproxy (a module of its own)
faults:
	cd faults && $(GO) vet ./... && $(GO) test -race -count=1 -v ./... | grep -v -e '^=== ' -e '^ *--- PASS' -e ' cell: '

## tour: every provider end to end (against the built-in fakes when no credentials are set)
tour:
	$(GO) run ./examples/tour

## fmt: gofmt every file
fmt:
	gofmt -w .
