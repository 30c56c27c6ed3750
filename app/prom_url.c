/* prom_url.c: redaction, loopback detection and secret header names. */
#include "verdict/prom_url.h"

#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "verdict/prom.h"
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
