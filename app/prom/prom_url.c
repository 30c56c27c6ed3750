/* prom_url.c: redaction, loopback detection, secret header names and the credentials to mask. */
#include "verdict/prom_url.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <curl/curl.h>

#include "verdict/util.h"

void prom_redact_url(char *out, size_t len, const char *url)
{
    const char *auth, *end, *at = NULL, *p;
    char *tmp;
    size_t n;

    if (len == 0)
        return;
    if (url == NULL) {
        out[0] = '\0';
        return;
    }
    p = strstr(url, "://");
    auth = p != NULL ? p + 3 : url;
    end = auth + strcspn(auth, "/?#");
    for (p = auth; p < end; p++) {
        if (*p == '@')
            at = p;                         /* the last '@' ends the userinfo */
    }
    n = strlen(url);
    tmp = xmalloc(n + 4);
    if (at == NULL) {
        memcpy(tmp, url, n + 1);
    } else {
        size_t head = (size_t)(auth - url);

        memcpy(tmp, url, head);
        memcpy(tmp + head, "***", 3);
        memcpy(tmp + head + 3, at, strlen(at) + 1);
    }
    util_sanitize(out, len, tmp);
    free(tmp);
}

int prom_url_is_loopback(const char *host)
{
    unsigned char addr[16];
    char buf[64];
    size_t n = strlen(host);

    if (n > 0 && host[0] == '[' && host[n - 1] == ']') {
        host++;
        n -= 2;
    }
    if (n == 0 || n >= sizeof(buf))
        return 0;
    memcpy(buf, host, n);
    buf[n] = '\0';
    if (buf[n - 1] == '.')
        buf[n - 1] = '\0';
    if (strcasecmp(buf, "localhost") == 0)
        return 1;
    if (inet_pton(AF_INET, buf, addr) == 1)
        return addr[0] == 127;
    if (inet_pton(AF_INET6, buf, addr) == 1) {
        static const unsigned char v6_loop[16] = { [15] = 1 };
        static const unsigned char v4_mapped[12] = { [10] = 0xff, [11] = 0xff };

        return memcmp(addr, v6_loop, 16) == 0 ||
               (memcmp(addr, v4_mapped, 12) == 0 && addr[12] == 127);
    }
    return 0;
}

/* Header names whose values must never reach a log. */
int prom_url_secret_header(const char *name)
{
    static const char *const exact[] = {
        "authorization", "proxy-authorization", "cookie", "set-cookie", "x-api-key",
    };
    size_t i;

    for (i = 0; i < sizeof(exact) / sizeof(exact[0]); i++) {
        if (strcasecmp(name, exact[i]) == 0)
            return 1;
    }
    for (; *name != '\0'; name++) {
        if (strncasecmp(name, "token", 5) == 0 || strncasecmp(name, "secret", 6) == 0 ||
            strncasecmp(name, "password", 8) == 0 || strncasecmp(name, "auth", 4) == 0)
            return 1;
    }
    return 0;
}

/* A credential a careless server may quote back in an error (a proxy
 * echoing the Authorization header). */
void prom_secrets_add(struct prom_secrets *c, const char *s)
{
    if (s == NULL || strlen(s) < 4)
        return;
    c->v = xrealloc(c->v, (c->n + 1) * sizeof(*c->v));
    c->v[c->n++] = xstrdup(s);
}

/* user:password as Basic auth puts it on the wire, base64. */
void prom_secrets_add_basic(struct prom_secrets *c, const char *user, const char *password)
{
    size_t n = strlen(user) + strlen(password) + 2;
    char *pair = xmalloc(n), *b64;

    snprintf(pair, n, "%s:%s", user, password);
    b64 = util_base64(pair, n - 1);
    prom_secrets_add(c, b64);
    memset(pair, 0, n);
    memset(b64, 0, strlen(b64));
    free(pair);
    free(b64);
}

/* The URL's password as written and decoded, and the Basic form of its
 * user and password. */
void prom_secrets_add_url(struct prom_secrets *c, const char *url)
{
    CURLU *u = curl_url();
    char *user = NULL, *pass = NULL, *raw = NULL;

    if (u != NULL && url != NULL && curl_url_set(u, CURLUPART_URL, url, 0) == CURLUE_OK &&
        curl_url_get(u, CURLUPART_PASSWORD, &raw, 0) == CURLUE_OK &&
        curl_url_get(u, CURLUPART_PASSWORD, &pass, CURLU_URLDECODE) == CURLUE_OK) {
        prom_secrets_add(c, raw);
        prom_secrets_add(c, pass);
        if (curl_url_get(u, CURLUPART_USER, &user, CURLU_URLDECODE) == CURLUE_OK)
            prom_secrets_add_basic(c, user, pass);
    }
    curl_free(user);
    curl_free(pass);
    curl_free(raw);
    curl_url_cleanup(u);
}

void prom_secrets_mask(const struct prom_secrets *c, char *buf, size_t len)
{
    size_t i;

    for (i = 0; i < c->n; i++)
        util_mask(buf, len, c->v[i]);
}

void prom_secrets_mask_tail(const struct prom_secrets *c, char *buf, size_t len)
{
    size_t i, k, n;

    for (i = 0; i < c->n; i++) {
        n = strlen(c->v[i]);
        for (k = n - 1 < len ? n - 1 : len; k > 0; k--) {
            if (memcmp(buf + len - k, c->v[i], k) == 0) {
                memset(buf + len - k, '*', k);
                break;
            }
        }
    }
}

void prom_secrets_done(struct prom_secrets *c)
{
    while (c->n > 0) {
        char *s = c->v[--c->n];

        memset(s, 0, strlen(s));
        free(s);
    }
    free(c->v);
    c->v = NULL;
}
