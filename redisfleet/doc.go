// Package redisfleet lets the replicas of a service share what the SDK
// otherwise keeps in each process: one rate-limit quota per credential and
// one session per account, on Redis. It is a module of its own, so that a
// user who does not use Redis never downloads a Redis client.
package redisfleet
