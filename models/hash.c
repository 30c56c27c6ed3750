/* hash.c: FNV-1a, the one string hash of the name tables. */
#include "verdict/hash.h"

#define HASH_FNV_OFFSET UINT64_C(14695981039346656037)
#define HASH_FNV_PRIME UINT64_C(1099511628211)

uint64_t hash_fnv1a(const void *data, size_t n)
{
    const unsigned char *p = data;
    uint64_t h = HASH_FNV_OFFSET;
    size_t i;

    for (i = 0; i < n; i++) {
        h ^= p[i];
        h *= HASH_FNV_PRIME;
    }
    return h;
}

uint64_t hash_fnv1a_str(const char *s)
{
    const unsigned char *p = (const unsigned char *)s;
    uint64_t h = HASH_FNV_OFFSET;

    while (*p != '\0') {
        h ^= *p++;
        h *= HASH_FNV_PRIME;
    }
    return h;
}
