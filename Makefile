GO ?= go
SHELL := bash
.SHELLFLAGS := -o pipefail -c
STATICCHECK := honnef.co/go/tools/cmd/staticcheck@v0.8.2

.PHONY: test lint bench bench-all tour fmt fuzz fuzz-smoke faults redis-server

# FUZZTIME is how long make fuzz runs each fuzz target.
FUZZTIME ?= 30s

## test: vet and run every test with the race detector, the redisfleet module's too
test: redis-server
	$(GO) vet ./...
	$(GO) test -race ./...
	cd redisfleet && $(GO) vet ./... && $(GO) test -race ./...

## redis-server: the Redis that redisfleet's tests and the faults start on loopback,
## installed from Debian's packages when missing (sudo only when not root)
redis-server:
	@command -v redis-server >/dev/null 2>&1 || { \
		sudo=; [ "$$(id -u)" = 0 ] || sudo="sudo -n"; \
		if command -v apt-get >/dev/null 2>&1 && { [ -z "$$sudo" ] || sudo -n true 2>/dev/null; }; then \
			echo "installing redis-server: $$sudo apt-get install -y redis-server"; \
			$$sudo apt-get update -qq && $$sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server >/dev/null; \
		fi; \
		command -v redis-server >/dev/null 2>&1 || { echo "redis-server is missing and could not be installed: install it (Debian: sudo apt-get install -y redis-server) and run make again" >&2; exit 1; }; \
	}

## lint: staticcheck at a pinned version (the faults and redisfleet modules too)
lint:
	$(GO) run $(STATICCHECK) ./...
	cd faults && $(GO) run $(STATICCHECK) ./...
	cd redisfleet && $(GO) run $(STATICCHECK) ./...

## bench: the performance table (P1 to P6); bench-all: every benchmark
bench: redis-server
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
faults: redis-server
	cd faults && $(GO) vet ./... && $(GO) test -race -count=1 -v ./... | grep -v -e '^=== ' -e '^ *--- PASS' -e ' cell: '

## tour: every provider end to end (against the built-in fakes when no credentials are set)
tour:
	$(GO) run ./examples/tour

## fmt: gofmt every file (every module's)
fmt:
	gofmt -w .
