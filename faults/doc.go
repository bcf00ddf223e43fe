// Package faults proves the SDK's reliability promises through a real TCP
// proxy. Each provider's fake runs on loopback behind Shopify's toxiproxy,
// run in-process as a library, and every fault (latency within and beyond
// the per-attempt timeout, a stalled connection, a reset, a response cut
// into slices, a slow link, a response cut short, the server down and up
// again) is applied to an idempotent read and to a create. From the fake's
// own records the tests assert that every call ends within its deadline
// with success or a typed error, that a create reaches the server at most
// once, and that a read recovers when the fault is transient. A provider
// whose only write is absolute, and so safe to repeat (Coliving's
// availability), offers that write instead of a create: it must recover
// like a read, and the fake must end up holding exactly what was written,
// however many times it arrived.
//
// The shared limiter of the redisfleet module is tested the same way
// (redis_test.go): replicas share a quota through a real redis-server
// behind toxiproxy, which is stopped in the middle of a run, restarted with
// its data lost, and slowed; no call may fail because of Redis or wait past
// its deadline, the 429s stay bounded, and the shared mode comes back.
//
// It is a module of its own so that users of the SDK never download
// toxiproxy. Run it from the repository root with:
//
//	make faults
//
// Adding a provider is one Subject, in a file of its own, and one entry in
// the providers table of matrix_test.go.
package faults
