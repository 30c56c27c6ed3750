/* prom_url.h: URL, header and credential facts the Prometheus client needs. */
#ifndef VERDICT_PROM_URL_H
#define VERDICT_PROM_URL_H

#include <stddef.h>

/* 1 when host (a name, an IPv4 address or a bracketed IPv6 address) is the
 * loopback: localhost, 127.0.0.0/8, ::1 or ::ffff:127.x.  Compression is
 * off there by default: it only costs CPU. */
int prom_url_is_loopback(const char *host);

/* 1 when a header's value must never be logged (Authorization, Cookie,
 * X-Api-Key, or a name containing token, secret, password or auth). */
int prom_url_secret_header(const char *name);

/* The credentials a client sends, to mask out of what a server says back
 * (a proxy quoting the Authorization header in an error): the bearer
 * token, the basic-auth password, the URL's password (as written and
 * decoded), secret-looking header values, and the base64 Basic forms.
 * Each at least 4 bytes long.  _done wipes and frees them. */
struct prom_client_options;
struct prom_secrets {
    char **v;       /* owned */
    size_t n;
};

void prom_secrets_init(struct prom_secrets *s, const struct prom_client_options *o);
void prom_secrets_mask(const struct prom_secrets *s, char *buf, size_t len);
/* For text cut short (a window of a body): also mask the end of buf when
 * it is the beginning of a secret, so no prefix of one survives the cut. */
void prom_secrets_mask_tail(const struct prom_secrets *s, char *buf, size_t len);
void prom_secrets_done(struct prom_secrets *s);

#endif /* VERDICT_PROM_URL_H */
