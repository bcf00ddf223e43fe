GO ?= go
STATICCHECK := honnef.co/go/tools/cmd/staticcheck@v0.8.2

.PHONY: test lint bench tour fmt fuzz fuzz-smoke

# FUZZTIME is how long make fuzz runs each fuzz target.
FUZZTIME ?= 30s

## test: vet and run every test with the race detector
test:
	$(GO) vet ./...
	$(GO) test -race ./...

## lint: staticcheck at a pinned version
lint:
	$(GO) run $(STATICCHECK) ./...

## bench: the benchmarks, with allocation counts
bench:
	$(GO) test -run '^$$' -bench . -benchmem ./...

## fuzz: every fuzz target in turn, FUZZTIME each (make fuzz FUZZTIME=2m)
fuzz:
	FUZZTIME=$(FUZZTIME) scripts/fuzz

## fuzz-smoke: every fuzz target for 3s (CI)
fuzz-smoke:
	FUZZTIME=3s scripts/fuzz

## tour: every provider end to end (against the built-in fakes when no credentials are set)
tour:
	$(GO) run ./examples/tour

## fmt: gofmt every file
fmt:
	gofmt -w .
