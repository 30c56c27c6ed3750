/* prom_url.h: URL, header and credential facts the Prometheus client needs. */
#ifndef VERDICT_PROM_URL_H
#define VERDICT_PROM_URL_H

#include <stddef.h>

/* Copy url into out with any user:password@ part replaced by "***@" and
 * control characters made safe: for every message that names a URL. */
void prom_redact_url(char *out, size_t len, const char *url);

/* 1 when host (a name, an IPv4 address or a bracketed IPv6 address) is the
 * loopback: localhost, 127.0.0.0/8, ::1 or ::ffff:127.x.  Compression is
 * off there by default: it only costs CPU. */
int prom_url_is_loopback(const char *host);

/* 1 when a header's value must never be logged (Authorization, Cookie,
 * X-Api-Key, or a name containing token, secret, password or auth). */
int prom_url_secret_header(const char *name);

/* The credentials a client sends, to mask out of what a server says back
 * (a proxy quoting the Authorization header in an error): the client adds
 * its bearer token, basic-auth password, secret-looking header values
 * (prom_secrets_add), the Basic form of a user and password
 * (_add_basic: base64 of "user:password", as it goes on the wire) and the
 * password of its URL, as written and decoded (_add_url).  A value under
 * 4 bytes is not kept: masking "e" would garble every message and hide
 * little.  Start from a zeroed struct; _done wipes and frees them. */
struct prom_secrets {
    char **v;       /* owned */
    size_t n;
};

void prom_secrets_add(struct prom_secrets *s, const char *value);
void prom_secrets_add_basic(struct prom_secrets *s, const char *user, const char *password);
void prom_secrets_add_url(struct prom_secrets *s, const char *url);
void prom_secrets_mask(const struct prom_secrets *s, char *buf, size_t len);
/* For text cut short (a window of a body): also mask the end of buf when
 * it is the beginning of a secret, so no prefix of one survives the cut. */
void prom_secrets_mask_tail(const struct prom_secrets *s, char *buf, size_t len);
void prom_secrets_done(struct prom_secrets *s);

#endif /* VERDICT_PROM_URL_H */
