/* prom_url.h: URL and header facts the Prometheus client needs. */
#ifndef VERDICT_PROM_URL_H
#define VERDICT_PROM_URL_H

/* 1 when host (a name, an IPv4 address or a bracketed IPv6 address) is the
 * loopback: localhost, 127.0.0.0/8, ::1 or ::ffff:127.x.  Compression is
 * off there by default: it only costs CPU. */
int prom_url_is_loopback(const char *host);

/* 1 when a header's value must never be logged (Authorization, Cookie,
 * X-Api-Key, or a name containing token, secret, password or auth). */
int prom_url_secret_header(const char *name);

#endif /* VERDICT_PROM_URL_H */
