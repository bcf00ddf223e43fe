// Package faults proves the SDK's reliability promises through a real TCP
// proxy. Each provider's fake runs on loopback behind Shopify's toxiproxy,
// run in-process as a library, and every fault (latency within and beyond
// the per-attempt timeout, a stalled connection, a reset, a response cut
// into slices, a slow link, a response cut short, the server down and up
// again) is applied to an idempotent read and to a create. From the fake's
// own records the tests assert that every call ends within its deadline
// with success or a typed error, that a create reaches the server at most
// once, and that a read recovers when the fault is transient.
//
// It is a module of its own so that users of the SDK never download
// toxiproxy. Run it from the repository root with:
//
//	make faults
//
// Adding a provider is one entry in the providers table of matrix_test.go.
package faults
