/* hash.h: the one string hash (FNV-1a, 64 bits) for every table that looks names up. */
#ifndef VERDICT_HASH_H
#define VERDICT_HASH_H

#include <stddef.h>
#include <stdint.h>

/*
 * FNV-1a over n bytes: h = 14695981039346656037; for each byte,
 * h = (h ^ byte) * 1099511628211, modulo 2^64 (http://www.isthe.com/chongo/
 * tech/comp/fnv/).  Fast, simple and good enough to spread names over an
 * open-addressing table; not for anything an adversary could exploit
 * beyond a slower lookup.  Example: "" -> 0xcbf29ce484222325,
 * "a" -> 0xaf63dc4c8601ec8c.
 */
uint64_t hash_fnv1a(const void *data, size_t n);

/* The same over a NUL-terminated string. */
uint64_t hash_fnv1a_str(const char *s);

#endif /* VERDICT_HASH_H */
