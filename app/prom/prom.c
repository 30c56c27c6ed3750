/* prom.c: the Prometheus HTTP client: POST forms on one curl multi handle, retried. */
#include "verdict/prom.h"

#include <curl/curl.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "verdict/prom_url.h"
#include "verdict/util.h"

#ifndef VERDICT_VERSION
#define VERDICT_VERSION "dev"
#endif

#define PROM_DEFAULT_TIMEOUT_S    30.0
#define PROM_DEFAULT_CONNECT_S    10.0
#define PROM_DEFAULT_MAX_BYTES    ((size_t)64 << 20)
#define PROM_DEFAULT_RETRIES      3
#define PROM_DEFAULT_BACKOFF_S    0.25
#define PROM_MAX_DELAY_S          30.0   /* cap on backoff and on Retry-After */
#define PROM_ERRLEN               1024
/* curl's receive buffer, as the curl tool's (100 KiB): a range answer
 * of a day at a minute (about 100 KB) in one or two reads, not seven */
#define PROM_RECV_BUFFER          (128L * 1024)
/* response buffers kept for the next request, up to this size each */
#define PROM_SPARE_MAX_BYTES      ((size_t)1 << 20)
#define PROM_URLLEN               512

/*
 * A request lives in exactly one place: the client's queue (new, or waiting
 * for a retry until not_before) or in flight on an easy handle.  Its last
 * attempt's outcome is kept so that the final callback can describe it.
 */
struct prom_req {
    struct prom_req *next;          /* queue or in-flight list */
    char *url;                      /* base + path */
    char *form;                     /* encoded body */
    prom_done_fn done;
    void *arg;
    CURL *easy;                     /* while in flight */
    int attempts;
    double t_first;                 /* monotonic seconds; 0: never started */
    double t_attempt;
    double not_before;              /* monotonic seconds; 0: now */
    char *buf;                      /* response body, NUL-terminated */
    size_t len, cap;
    size_t max_bytes;               /* refuse a body past this */
    int too_large;                  /* the write callback refused more */
    CURLcode cc;                    /* last attempt */
    enum prom_status final;         /* on the done list: the outcome */
    char *final_error;              /* on the done list: owned message */
    long http_status;
    char curl_err[CURL_ERROR_SIZE];
};

struct prom_client {
    CURLM *multi;
    char *base;                     /* base URL without trailing '/' */
    char redacted_base[PROM_URLLEN];
    struct curl_slist *headers;
    char *username, *password, *ca_file;
    int insecure, compress, https;
    long timeout_ms, connect_ms;
    long server_timeout_s;          /* the "timeout" form field */
    int concurrency;
    size_t max_bytes;
    int max_retries;
    double backoff_s;
    uint64_t rng;
    FILE *verbose;
    struct prom_req *queue_head, *queue_tail;
    struct prom_req *inflight;      /* unordered */
    struct prom_req *done_head, *done_tail;   /* finished, callback not yet made */
    int n_inflight;
    CURL **idle;                    /* easy handles kept for reuse */
    int n_idle;
    struct prom_spare {             /* response buffers kept for reuse */
        char *buf;
        size_t cap;
    } *spare;
    int n_spare;
    CURL *escaper;                  /* for curl_easy_escape only */
    int busy;                       /* inside a call that makes callbacks */
    int answered;                   /* some attempt got an HTTP response */
    int closing;                    /* freed from a callback: free on return */
    struct prom_client_stats stats;
    struct prom_secrets secrets;    /* masked out of error bodies */
};

static int curl_ready;

static void curl_done(void)
{
    curl_global_cleanup();
}

/* curl_global_init is not thread-safe: verdict creates clients from its
 * main thread only, so a static flag is enough. */
static int global_init(void)
{
    if (curl_ready)
        return 0;
    if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
        return -1;
    curl_ready = 1;
    atexit(curl_done);
    return 0;
}

/* splitmix64: a small seeded generator, so tests see the same jitter. */
static double rng_unit(struct prom_client *c)
{
    uint64_t z;

    c->rng += UINT64_C(0x9e3779b97f4a7c15);
    z = c->rng;
    z = (z ^ (z >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
    z = (z ^ (z >> 27)) * UINT64_C(0x94d049bb133111eb);
    z ^= z >> 31;
    return (double)(z >> 11) / 9007199254740992.0;      /* [0, 1) */
}

const char *prom_status_name(enum prom_status s)
{
    static const char *const names[] = {         /* in enum order */
        "ok", "url", "connect", "timeout", "http", "api", "parse", "too-large", "canceled",
        "no-data",
    };

    return (size_t)s < sizeof(names) / sizeof(names[0]) ? names[s] : "unknown";
}

static int has_line_break(const char *s)
{
    return s != NULL && strpbrk(s, "\r\n") != NULL;
}

static struct curl_slist *slist_add(struct curl_slist *l, const char *line)
{
    struct curl_slist *n = curl_slist_append(l, line);

    if (n == NULL)
        xoom();
    return n;
}

/* Checks and copies the URL; fills scheme facts.  Returns 0 or -1. */
static int parse_base(struct prom_client *c, const char *url, char *err, size_t errlen)
{
    CURLU *u = curl_url();
    char *scheme = NULL, *host = NULL;
    size_t n;
    int rc = -1;

    if (u == NULL)
        xoom();
    if (curl_url_set(u, CURLUPART_URL, url, 0) != CURLUE_OK ||
        curl_url_get(u, CURLUPART_SCHEME, &scheme, 0) != CURLUE_OK ||
        curl_url_get(u, CURLUPART_HOST, &host, 0) != CURLUE_OK) {
        util_errf(err, errlen, "not a usable URL: %s", c->redacted_base);
        goto out;
    }
    if (strcmp(scheme, "http") != 0 && strcmp(scheme, "https") != 0) {
        util_errf(err, errlen, "only http:// and https:// URLs are allowed: %s",
                c->redacted_base);
        goto out;
    }
    if (strpbrk(url, "?#") != NULL) {
        util_errf(err, errlen, "the base URL may not have a query or fragment: %s",
                c->redacted_base);
        goto out;
    }
    c->https = strcmp(scheme, "https") == 0;
    if (c->compress < 0)
        c->compress = !prom_url_is_loopback(host);
    c->base = xstrdup(url);
    n = strlen(c->base);
    while (n > 0 && c->base[n - 1] == '/')
        c->base[--n] = '\0';
    rc = 0;
out:
    curl_free(scheme);
    curl_free(host);
    curl_url_cleanup(u);
    return rc;
}

static void log_setup(const struct prom_client *c, const struct prom_client_options *o)
{
    size_t i;

    if (c->verbose == NULL)
        return;
    fprintf(c->verbose, "prom: client %s, concurrency %d, timeout %.1f s, compression %s\n",
            c->redacted_base, c->concurrency, (double)c->timeout_ms / 1000.0,
            c->compress ? "on" : "off");
    for (i = 0; i < o->n_headers; i++) {
        char name[128], value[256];

        util_sanitize(name, sizeof(name), o->headers[i].name);
        util_sanitize(value, sizeof(value), o->headers[i].value);
        fprintf(c->verbose, "prom: header %s: %s\n", name,
                prom_url_secret_header(o->headers[i].name) ? "***" : value);
    }
    if (o->bearer_token != NULL)
        fprintf(c->verbose, "prom: header Authorization: ***\n");
    if (o->basic_username != NULL) {
        char user[128];

        util_sanitize(user, sizeof(user), o->basic_username);
        fprintf(c->verbose, "prom: basic auth user %s, password ***\n", user);
    }
    fflush(c->verbose);
}

/* Appends "name: value" ("name;" when empty: curl's way to send it). */
static void header_add(struct prom_client *c, const char *name, const char *value)
{
    size_t n = strlen(name) + strlen(value) + 3;
    char *line = xmalloc(n);

    snprintf(line, n, value[0] == '\0' ? "%s;%s" : "%s: %s", name, value);
    c->headers = slist_add(c->headers, line);
    memset(line, 0, n);                 /* it may have held a token */
    free(line);
}

static int build_headers(struct prom_client *c, const struct prom_client_options *o,
                         char *err, size_t errlen)
{
    size_t i;

    /* Long PromQL must not wait a second for "100 Continue". */
    c->headers = slist_add(NULL, "Expect:");
    for (i = 0; i < o->n_headers; i++) {
        const char *name = o->headers[i].name, *value = o->headers[i].value;

        if (name == NULL || name[0] == '\0' || strpbrk(name, ":\r\n \t") != NULL ||
            has_line_break(value)) {
            util_errf(err, errlen, "header %zu: invalid name or value", i + 1);
            return -1;
        }
        header_add(c, name, value != NULL ? value : "");
    }
    if (o->bearer_token != NULL) {
        char *bearer;
        size_t n = strlen(o->bearer_token) + 8;

        if (has_line_break(o->bearer_token) || o->bearer_token[0] == '\0') {
            util_errf(err, errlen, "the bearer token is empty or has a line break");
            return -1;
        }
        bearer = xmalloc(n);
        snprintf(bearer, n, "Bearer %s", o->bearer_token);
        header_add(c, "Authorization", bearer);
        memset(bearer, 0, n);
        free(bearer);
    }
    return 0;
}

/* Every credential this client sends, to mask out of what the server
 * says: the bearer token, secret-looking header values, the basic-auth
 * password and its Basic form, and the URL's password. */
static void client_secrets(struct prom_secrets *s, const struct prom_client_options *o)
{
    size_t i;

    memset(s, 0, sizeof(*s));
    prom_secrets_add(s, o->bearer_token);
    for (i = 0; i < o->n_headers; i++)
        if (o->headers[i].name != NULL && prom_url_secret_header(o->headers[i].name))
            prom_secrets_add(s, o->headers[i].value);
    if (o->basic_username != NULL && o->basic_password != NULL) {
        prom_secrets_add(s, o->basic_password);
        prom_secrets_add_basic(s, o->basic_username, o->basic_password);
    }
    prom_secrets_add_url(s, o->url);
}

int prom_client_new(const struct prom_client_options *o, struct prom_client **out,
                    char *err, size_t errlen)
{
    struct prom_client *c;
    int rc = -1;

    *out = NULL;
    if (err != NULL && errlen > 0)
        err[0] = '\0';
    if (o == NULL || o->url == NULL) {
        util_errf(err, errlen, "no Prometheus URL");
        return -1;
    }
    if (global_init() != 0) {
        util_errf(err, errlen, "libcurl could not be initialised");
        return -1;
    }
    c = xcalloc(1, sizeof(*c));
    prom_redact_url(c->redacted_base, sizeof(c->redacted_base), o->url);
    c->compress = o->compression == COMPRESSION_ON ? 1 :
                  o->compression == COMPRESSION_OFF ? 0 : -1;
    if (parse_base(c, o->url, err, errlen) != 0)
        goto out;
    if (build_headers(c, o, err, errlen) != 0)
        goto out;
    client_secrets(&c->secrets, o);
    c->username = o->basic_username != NULL ? xstrdup(o->basic_username) : NULL;
    c->password = o->basic_username != NULL ?
                  xstrdup(o->basic_password != NULL ? o->basic_password : "") : NULL;
    c->ca_file = o->ca_file != NULL ? xstrdup(o->ca_file) : NULL;
    c->insecure = o->insecure_skip_verify != 0;
    c->timeout_ms = (long)((o->timeout_s > 0 ? o->timeout_s : PROM_DEFAULT_TIMEOUT_S) * 1000.0);
    c->connect_ms = (long)((o->connect_timeout_s > 0 ? o->connect_timeout_s
                                                      : PROM_DEFAULT_CONNECT_S) * 1000.0);
    if (c->connect_ms > c->timeout_ms)
        c->connect_ms = c->timeout_ms;
    {
        /* The server gives up a little before the client does, so its own
         * error message (not our timeout) usually reaches the user. */
        double t = (double)c->timeout_ms / 1000.0;
        double margin = t * 0.1 > 0.5 ? t * 0.1 : 0.5;

        c->server_timeout_s = (long)floor(t - margin);
        if (c->server_timeout_s < 1)
            c->server_timeout_s = 1;
    }
    c->concurrency = o->concurrency >= 1 ? o->concurrency : 1;
    c->max_bytes = o->max_response_bytes > 0 ? o->max_response_bytes : PROM_DEFAULT_MAX_BYTES;
    c->max_retries = o->max_retries >= 0 ? o->max_retries : PROM_DEFAULT_RETRIES;
    c->backoff_s = o->backoff_base_s > 0 ? o->backoff_base_s : PROM_DEFAULT_BACKOFF_S;
    c->rng = o->jitter_seed;
    c->verbose = o->verbose;
    c->idle = xcalloc((size_t)c->concurrency, sizeof(*c->idle));
    c->spare = xcalloc((size_t)c->concurrency, sizeof(*c->spare));
    c->multi = curl_multi_init();
    c->escaper = curl_easy_init();
    if (c->multi == NULL || c->escaper == NULL) {
        util_errf(err, errlen, "libcurl could not create a multi handle");
        goto out;
    }
    curl_multi_setopt(c->multi, CURLMOPT_PIPELINING, (long)CURLPIPE_MULTIPLEX);
    curl_multi_setopt(c->multi, CURLMOPT_MAX_TOTAL_CONNECTIONS, (long)c->concurrency);
    curl_multi_setopt(c->multi, CURLMOPT_MAX_HOST_CONNECTIONS, (long)c->concurrency);
    log_setup(c, o);
    rc = 0;
out:
    if (rc != 0) {
        prom_client_free(c);
        return -1;
    }
    *out = c;
    return 0;
}

static size_t on_write(char *data, size_t size, size_t nmemb, void *userp)
{
    struct prom_req *r = userp;
    size_t n = size * nmemb;

    if (n > r->max_bytes - r->len) {
        r->too_large = 1;
        return 0;                   /* curl aborts with CURLE_WRITE_ERROR */
    }
    if (r->len + n + 1 > r->cap) {
        size_t cap = r->cap > 0 ? r->cap : 16384;

        while (cap < r->len + n + 1)
            cap *= 2;
        r->buf = xrealloc(r->buf, cap);
        r->cap = cap;
    }
    memcpy(r->buf + r->len, data, n);
    r->len += n;
    r->buf[r->len] = '\0';
    return n;
}

/* Options that are the same for every request go on a handle once. */
static CURL *easy_get(struct prom_client *c)
{
    CURL *e;

    if (c->n_idle > 0)
        return c->idle[--c->n_idle];
    e = curl_easy_init();
    if (e == NULL)
        xoom();
    curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
#if LIBCURL_VERSION_NUM >= 0x075500
    curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(e, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
#else
    curl_easy_setopt(e, CURLOPT_PROTOCOLS, (long)(CURLPROTO_HTTP | CURLPROTO_HTTPS));
    curl_easy_setopt(e, CURLOPT_REDIR_PROTOCOLS, (long)(CURLPROTO_HTTP | CURLPROTO_HTTPS));
#endif
    curl_easy_setopt(e, CURLOPT_FOLLOWLOCATION, 0L);
    curl_easy_setopt(e, CURLOPT_HTTP_VERSION, (long)CURL_HTTP_VERSION_2TLS);
    if (c->https)
        curl_easy_setopt(e, CURLOPT_PIPEWAIT, 1L);
    curl_easy_setopt(e, CURLOPT_TCP_KEEPALIVE, 1L);
    curl_easy_setopt(e, CURLOPT_USERAGENT, "verdict/" VERDICT_VERSION);
    curl_easy_setopt(e, CURLOPT_HTTPHEADER, c->headers);
    curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, c->timeout_ms);
    curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT_MS, c->connect_ms);
    curl_easy_setopt(e, CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)c->max_bytes);
    if (c->compress)
        curl_easy_setopt(e, CURLOPT_ACCEPT_ENCODING, "");
    if (c->username != NULL) {
        curl_easy_setopt(e, CURLOPT_HTTPAUTH, (long)CURLAUTH_BASIC);
        curl_easy_setopt(e, CURLOPT_USERNAME, c->username);
        curl_easy_setopt(e, CURLOPT_PASSWORD, c->password);
    }
    if (c->ca_file != NULL)
        curl_easy_setopt(e, CURLOPT_CAINFO, c->ca_file);
    if (c->insecure) {
        curl_easy_setopt(e, CURLOPT_SSL_VERIFYPEER, 0L);
        curl_easy_setopt(e, CURLOPT_SSL_VERIFYHOST, 0L);
    }
    curl_easy_setopt(e, CURLOPT_BUFFERSIZE, PROM_RECV_BUFFER);
    curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, on_write);
    curl_easy_setopt(e, CURLOPT_POST, 1L);
    return e;
}

static void easy_put(struct prom_client *c, CURL *e)
{
    /* Nothing may point into a request once it is freed. */
    curl_easy_setopt(e, CURLOPT_ERRORBUFFER, NULL);
    curl_easy_setopt(e, CURLOPT_WRITEDATA, NULL);
    curl_easy_setopt(e, CURLOPT_PRIVATE, NULL);
    curl_easy_setopt(e, CURLOPT_POSTFIELDS, NULL);
    if (c->n_idle < c->concurrency)
        c->idle[c->n_idle++] = e;
    else
        curl_easy_cleanup(e);
}

/* Appends text to the string *s of length *len, URL-encoded when esc is set. */
static void form_append(CURL *esc, char **s, size_t *len, const char *text)
{
    char *enc = NULL;
    size_t n;

    if (esc != NULL) {
        enc = curl_easy_escape(esc, text, 0);
        if (enc == NULL)
            xoom();
        text = enc;
    }
    n = strlen(text);
    *s = xrealloc(*s, *len + n + 1);
    memcpy(*s + *len, text, n + 1);
    *len += n;
    curl_free(enc);
}

static int ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), m = strlen(suffix);

    return n >= m && strcmp(s + n - m, suffix) == 0;
}

static char *encode_form(struct prom_client *c, const char *path, const char *const *fields)
{
    char *s = xstrdup(""), num[48];
    size_t len = 0, i;
    int has_timeout = 0;

    for (i = 0; fields != NULL && fields[i] != NULL && fields[i + 1] != NULL; i += 2) {
        form_append(NULL, &s, &len, len > 0 ? "&" : "");
        form_append(c->escaper, &s, &len, fields[i]);
        form_append(NULL, &s, &len, "=");
        form_append(c->escaper, &s, &len, fields[i + 1]);
        has_timeout |= strcmp(fields[i], "timeout") == 0;
    }
    if (!has_timeout && (ends_with(path, "/query_range") || ends_with(path, "/query"))) {
        snprintf(num, sizeof(num), "%stimeout=%lds", len > 0 ? "&" : "", c->server_timeout_s);
        form_append(NULL, &s, &len, num);
    }
    return s;
}

static void queue_push(struct prom_client *c, struct prom_req *r)
{
    r->next = NULL;
    if (c->queue_tail != NULL)
        c->queue_tail->next = r;
    else
        c->queue_head = r;
    c->queue_tail = r;
}

/*
 * -v: the PromQL of each request as it is queued, one line, with every
 * secret the client knows masked (prom_secrets_mask: a token pasted into a
 * template is not logged) and control characters made visible
 * (util_sanitize).  A query longer than the line's buffer is cut, its end
 * masked as a secret's possible beginning (prom_secrets_mask_tail).
 * Example: "prom: query /api/v1/query_range: sum(rate(x{job=\"a\"}[5m]))".
 */
static void log_query(const struct prom_client *c, const char *path,
                      const char *const *fields)
{
    char raw[2048], shown[2048];
    size_t i;

    if (c->verbose == NULL || fields == NULL)
        return;
    for (i = 0; fields[i] != NULL && fields[i + 1] != NULL; i += 2) {
        size_t n;

        if (strcmp(fields[i], "query") != 0)
            continue;
        n = strlen(fields[i + 1]);
        snprintf(raw, sizeof(raw), "%s", fields[i + 1]);
        prom_secrets_mask(&c->secrets, raw, strlen(raw));
        if (n >= sizeof(raw))
            prom_secrets_mask_tail(&c->secrets, raw, strlen(raw));
        util_sanitize(shown, sizeof(shown), raw);
        fprintf(c->verbose, "prom: query %s: %s%s\n", path, shown,
                n >= sizeof(raw) ? " (cut)" : "");
        fflush(c->verbose);
    }
}

int prom_client_submit(struct prom_client *c, const char *path, const char *const *fields,
                       prom_done_fn done, void *arg)
{
    struct prom_req *r;
    size_t n;

    if (c == NULL || path == NULL || done == NULL)
        return -1;
    r = xcalloc(1, sizeof(*r));
    n = strlen(c->base) + strlen(path) + 2;
    r->url = xmalloc(n);
    snprintf(r->url, n, "%s%s%s", c->base, path[0] == '/' ? "" : "/", path);
    r->form = encode_form(c, path, fields);
    log_query(c, path, fields);
    r->done = done;
    r->arg = arg;
    r->max_bytes = c->max_bytes;
    queue_push(c, r);
    c->stats.pending++;
    return 0;
}

/* A finished request's body buffer goes back to the client for the next
 * one (a body is valid only during its callback), unless it grew large. */
static void req_free(struct prom_client *c, struct prom_req *r)
{
    free(r->url);
    free(r->form);
    free(r->final_error);
    if (r->buf != NULL && r->cap <= PROM_SPARE_MAX_BYTES && c->n_spare < c->concurrency) {
        c->spare[c->n_spare].buf = r->buf;
        c->spare[c->n_spare].cap = r->cap;
        c->n_spare++;
    } else {
        free(r->buf);
    }
    free(r);
}

static void start_attempt(struct prom_client *c, struct prom_req *r)
{
    CURL *e = easy_get(c);
    double t = util_now_s();

    r->easy = e;
    r->attempts++;
    if (r->t_first == 0)
        r->t_first = t;
    r->t_attempt = t;
    r->len = 0;
    if (r->buf == NULL && c->n_spare > 0) {
        c->n_spare--;
        r->buf = c->spare[c->n_spare].buf;
        r->cap = c->spare[c->n_spare].cap;
    }
    if (r->buf != NULL)
        r->buf[0] = '\0';
    r->too_large = 0;
    r->http_status = 0;
    r->curl_err[0] = '\0';
    curl_easy_setopt(e, CURLOPT_URL, r->url);
    curl_easy_setopt(e, CURLOPT_POSTFIELDS, r->form);
    curl_easy_setopt(e, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)strlen(r->form));
    curl_easy_setopt(e, CURLOPT_WRITEDATA, r);
    curl_easy_setopt(e, CURLOPT_PRIVATE, r);
    curl_easy_setopt(e, CURLOPT_ERRORBUFFER, r->curl_err);
    if (curl_multi_add_handle(c->multi, e) != CURLM_OK)
        xoom();                 /* only fails on a bad handle or no memory */
    r->next = c->inflight;
    c->inflight = r;
    c->n_inflight++;
}

/* Start queued requests whose time has come while slots are free. */
static void start_ready(struct prom_client *c)
{
    struct prom_req *r, *prev = NULL, *next;
    double t = util_now_s();

    for (r = c->queue_head; r != NULL && c->n_inflight < c->concurrency; r = next) {
        next = r->next;
        if (r->not_before > t) {
            prev = r;
            continue;
        }
        if (prev != NULL)
            prev->next = next;
        else
            c->queue_head = next;
        if (c->queue_tail == r)
            c->queue_tail = prev;
        r->next = NULL;
        start_attempt(c, r);
    }
}

static void detach_inflight(struct prom_client *c, struct prom_req *r)
{
    struct prom_req **pp;

    for (pp = &c->inflight; *pp != NULL; pp = &(*pp)->next) {
        if (*pp == r) {
            *pp = r->next;
            break;
        }
    }
    r->next = NULL;
    c->n_inflight--;
    curl_multi_remove_handle(c->multi, r->easy);
    easy_put(c, r->easy);
    r->easy = NULL;
}

static void finish(struct prom_client *c, struct prom_req *r, enum prom_status st,
                   const char *error)
{
    struct prom_result res;

    memset(&res, 0, sizeof(res));
    res.status = st;
    res.http_status = r->http_status;
    /* an error's text reaches messages, snapshots and reports: none of
     * our credentials may ride along.  A success body is left alone here,
     * where a short numeric password could match a sample value: the
     * decoder masks each string it takes from it (prom_decode.h) */
    if (st != PROM_OK && r->buf != NULL)
        prom_secrets_mask(&c->secrets, r->buf, r->len);
    if (st == PROM_OK || st == PROM_EHTTP) {
        res.body = r->buf != NULL ? r->buf : "";
        res.body_len = r->len;
    }
    res.attempts = r->attempts;
    res.elapsed_s = r->t_first > 0 ? util_now_s() - r->t_first : 0;
    res.error = st == PROM_OK ? NULL : error;
    c->stats.pending--;
    c->stats.done++;
    if (st != PROM_OK)
        c->stats.failed++;
    r->done(r->arg, &res);
    req_free(c, r);
}

static enum prom_status classify(const struct prom_req *r, int *retryable)
{
    curl_off_t connect_us = 0, pretransfer_us = 0;

    *retryable = 0;
    switch (r->cc) {
    case CURLE_OK:
        if (r->http_status >= 200 && r->http_status < 300)
            return PROM_OK;
        *retryable = r->http_status == 429 || r->http_status == 502 ||
                     r->http_status == 503 || r->http_status == 504;
        return PROM_EHTTP;
    case CURLE_OUT_OF_MEMORY:
        /* curl's word for a header line past its limit (CURL_MAX_HTTP_HEADER,
         * 100 KiB; curl 8.6 says CURLE_TOO_LARGE): a response had begun.
         * Memory that really ran out would have stopped verdict already. */
        if (r->http_status > 0)
            return PROM_ETOOLARGE;
        return PROM_ECONNECT;
#if LIBCURL_VERSION_NUM >= 0x080600
    case CURLE_TOO_LARGE:
        return PROM_ETOOLARGE;
#endif
    case CURLE_WRITE_ERROR:
    case CURLE_FILESIZE_EXCEEDED:
        if (r->too_large || r->cc == CURLE_FILESIZE_EXCEEDED)
            return PROM_ETOOLARGE;
        return PROM_ECONNECT;
    case CURLE_OPERATION_TIMEDOUT:
        *retryable = 1;
        /* A reused connection has no connect time but did send the request. */
        curl_easy_getinfo(r->easy, CURLINFO_CONNECT_TIME_T, &connect_us);
        curl_easy_getinfo(r->easy, CURLINFO_PRETRANSFER_TIME_T, &pretransfer_us);
        return connect_us > 0 || pretransfer_us > 0 ? PROM_ETIMEOUT : PROM_ECONNECT;
    case CURLE_UNSUPPORTED_PROTOCOL:
    case CURLE_URL_MALFORMAT:
        return PROM_EURL;
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_RESOLVE_PROXY:
    case CURLE_COULDNT_CONNECT:
    case CURLE_SEND_ERROR:
    case CURLE_RECV_ERROR:
    case CURLE_GOT_NOTHING:
    case CURLE_PARTIAL_FILE:
    case CURLE_HTTP2:
    case CURLE_HTTP2_STREAM:
        *retryable = 1;
        return PROM_ECONNECT;
    case CURLE_BAD_CONTENT_ENCODING:
        return PROM_EPARSE;
    default:
        return PROM_ECONNECT;       /* TLS and the rest: not worth retrying */
    }
}

/* The host a 3xx points to (Location), without credentials or path, made
 * safe for a message; "another address" when there is none. */
static void redirect_host(const struct prom_req *r, char *out, size_t len)
{
    char *loc = NULL, *host = NULL, *port = NULL;
    CURLU *u = curl_url();

    snprintf(out, len, "another address");
    if (u == NULL)
        xoom();
    if (curl_easy_getinfo(r->easy, CURLINFO_REDIRECT_URL, &loc) == CURLE_OK && loc != NULL &&
        curl_url_set(u, CURLUPART_URL, loc, 0) == CURLUE_OK &&
        curl_url_get(u, CURLUPART_HOST, &host, 0) == CURLUE_OK) {
        char both[200];

        if (curl_url_get(u, CURLUPART_PORT, &port, 0) == CURLUE_OK)
            snprintf(both, sizeof(both), "%s:%s", host, port);
        else
            snprintf(both, sizeof(both), "%s", host);
        util_sanitize(out, len, both);
    }
    curl_free(host);
    curl_free(port);
    curl_url_cleanup(u);
}

/* One line for a human: what went wrong, and unless brief, where and how often. */
static void describe(const struct prom_client *c, const struct prom_req *r,
                     enum prom_status st, int brief, char *out, size_t len)
{
    char what[CURL_ERROR_SIZE + 64], url[PROM_URLLEN], tries[48] = "";
    long os_errno = 0;
    int where = st != PROM_EHTTP && st != PROM_ETIMEOUT && st != PROM_ETOOLARGE;

    util_sanitize(what, sizeof(what),
                  r->curl_err[0] != '\0' ? r->curl_err : curl_easy_strerror(r->cc));
    if (st == PROM_EHTTP && r->http_status >= 300 && r->http_status < 400) {
        char host[160];

        redirect_host(r, host, sizeof(host));
        snprintf(what, sizeof(what), "HTTP %ld: redirect to %s refused (redirects are not "
                 "followed): set prometheus.url to the final address", r->http_status, host);
    } else if (st == PROM_EHTTP) {
        snprintf(what, sizeof(what), "HTTP %ld", r->http_status);
    } else if (st == PROM_ETIMEOUT) {
        snprintf(what, sizeof(what), "timed out after %.1f s",
                 (double)c->timeout_ms / 1000.0);
    } else if (st == PROM_ETOOLARGE && !r->too_large && r->cc != CURLE_FILESIZE_EXCEEDED) {
        snprintf(what, sizeof(what), "response headers too large (a header of more than "
                 "%d bytes, curl's limit): not the Prometheus API, a proxy in the way?",
                 CURL_MAX_HTTP_HEADER);
    } else if (st == PROM_ETOOLARGE) {
        snprintf(what, sizeof(what), "response larger than the limit of %zu bytes (%.1f MiB)",
                 c->max_bytes, (double)c->max_bytes / 1048576.0);
    } else if (r->cc == CURLE_COULDNT_CONNECT) {
        curl_easy_getinfo(r->easy, CURLINFO_OS_ERRNO, &os_errno);
        snprintf(what, sizeof(what), "%s",
                 os_errno == ECONNREFUSED ? "connection refused" : "could not connect");
    } else if (r->cc == CURLE_COULDNT_RESOLVE_HOST) {
        snprintf(what, sizeof(what), "could not resolve host");
    } else if (r->cc == CURLE_OPERATION_TIMEDOUT) {
        snprintf(what, sizeof(what), "connect timed out after %.1f s",
                 (double)c->connect_ms / 1000.0);
    }
    if (brief) {
        snprintf(out, len, "%s", what);
        return;
    }
    if (r->attempts > 1)
        snprintf(tries, sizeof(tries), " after %d attempts", r->attempts);
    prom_redact_url(url, sizeof(url), r->url);
    snprintf(out, len, "%s%s%s%s%s", what, where ? " (" : "", where ? url : "", where ? ")" : "",
             tries);
}

/* One line per attempt: the HTTP status, or what went wrong without one. */
static void log_attempt(const struct prom_client *c, const struct prom_req *r,
                        const char *error, int retry, double delay_s)
{
    char url[PROM_URLLEN];
    double ms = (util_now_s() - r->t_attempt) * 1000.0;

    if (c->verbose == NULL)
        return;
    prom_redact_url(url, sizeof(url), r->url);
    if (r->http_status > 0)
        fprintf(c->verbose, "prom: POST %s -> %ld", url, r->http_status);
    else
        fprintf(c->verbose, "prom: POST %s -> error: %s", url, error);
    fprintf(c->verbose, ", %zu bytes, %.0f ms, attempt %d/%d", r->len, ms, r->attempts,
            c->max_retries + 1);
    if (retry)
        fprintf(c->verbose, ", retry in %.2f s", delay_s);
    fputc('\n', c->verbose);
    fflush(c->verbose);
}

static double retry_delay(struct prom_client *c, const struct prom_req *r)
{
    curl_off_t after = -1;
    double cap;

    if (r->http_status == 429 || r->http_status == 503) {
        curl_easy_getinfo(r->easy, CURLINFO_RETRY_AFTER, &after);
        if (after > 0)
            return (double)after < PROM_MAX_DELAY_S ? (double)after : PROM_MAX_DELAY_S;
    }
    /* Full jitter: uniform in [0, base * 2^(attempt-1)], capped. */
    cap = c->backoff_s * ldexp(1.0, r->attempts - 1 < 30 ? r->attempts - 1 : 30);
    if (cap > PROM_MAX_DELAY_S)
        cap = PROM_MAX_DELAY_S;
    return cap * rng_unit(c);
}

static void attempt_done(struct prom_client *c, struct prom_req *r, CURLcode cc)
{
    enum prom_status st;
    int retryable;
    curl_off_t bytes = 0;
    char error[PROM_ERRLEN];

    r->cc = cc;
    curl_easy_getinfo(r->easy, CURLINFO_RESPONSE_CODE, &r->http_status);
    curl_easy_getinfo(r->easy, CURLINFO_SIZE_DOWNLOAD_T, &bytes);
    c->stats.bytes += bytes > 0 ? (uint64_t)bytes : 0;
    st = classify(r, &retryable);
    if (r->http_status > 0)
        c->answered = 1;
    /* a server that accepts and never answers: one retry shows whether
     * the first timeout was bad luck; more would only multiply the wait
     * (each request timing out four times in turn) */
    if (st == PROM_ETIMEOUT && !c->answered && r->attempts >= 2)
        retryable = 0;
    describe(c, r, st, 1, error, sizeof(error));
    if (retryable && r->attempts <= c->max_retries) {
        double delay = retry_delay(c, r);

        log_attempt(c, r, error, 1, delay);
        detach_inflight(c, r);
        r->not_before = util_now_s() + delay;
        queue_push(c, r);
        c->stats.retries++;
        return;
    }
    log_attempt(c, r, error, 0, 0);
    describe(c, r, st, 0, error, sizeof(error));
    detach_inflight(c, r);
    r->final = st;
    r->final_error = xstrdup(error);
    if (c->done_tail != NULL)
        c->done_tail->next = r;
    else
        c->done_head = r;
    c->done_tail = r;
}

/* The callbacks of the done list, in the order the transfers ended.  One
 * that frees the client cancels the rest (prom_client_cancel). */
static void finish_done(struct prom_client *c)
{
    struct prom_req *r;

    while (!c->closing && c->done_head != NULL) {
        r = c->done_head;
        c->done_head = r->next;
        if (c->done_head == NULL)
            c->done_tail = NULL;
        r->next = NULL;
        finish(c, r, r->final, r->final_error);
    }
}

static void read_messages(struct prom_client *c)
{
    CURLMsg *m;
    int left;

    for (;;) {
        char *priv = NULL;

        m = curl_multi_info_read(c->multi, &left);
        if (m == NULL)
            break;
        if (m->msg != CURLMSG_DONE)
            continue;
        curl_easy_getinfo(m->easy_handle, CURLINFO_PRIVATE, &priv);
        if (priv != NULL)
            attempt_done(c, (struct prom_req *)(void *)priv, m->data.result);
    }
}

/* Milliseconds until the next queued request may start (-1: none waits). */
static long next_start_ms(const struct prom_client *c)
{
    const struct prom_req *r;
    double t = util_now_s(), best = -1;

    if (c->n_inflight >= c->concurrency)
        return -1;
    for (r = c->queue_head; r != NULL; r = r->next) {
        double d = r->not_before - t;

        if (d < 0)
            d = 0;
        if (best < 0 || d < best)
            best = d;
    }
    return best < 0 ? -1 : (long)ceil(best * 1000.0);
}

/*
 * Start what may start, move bytes, note what finished, refill and send,
 * and only then make the callbacks (decoding a body takes a while): the
 * server works on the next requests meanwhile, as it would for a client
 * with a thread per connection.  Then refill again, for what the
 * callbacks submitted.
 */
static void pump(struct prom_client *c)
{
    int running;

    start_ready(c);
    curl_multi_perform(c->multi, &running);
    read_messages(c);
    if (c->done_head != NULL) {
        start_ready(c);
        if (c->n_inflight > 0)
            curl_multi_perform(c->multi, &running);
        finish_done(c);
    }
    if (c->closing)
        return;
    start_ready(c);
    if (c->n_inflight > 0)
        curl_multi_perform(c->multi, &running);
}

static void client_destroy(struct prom_client *c);

/* Callbacks run in here (and in cancel) and may submit, cancel or even free
 * the client: a free from a callback is finished when the outermost call
 * returns. */
int prom_client_run(struct prom_client *c, int timeout_ms, int extra_fd, int *extra_ready)
{
    double deadline = util_now_s() + (timeout_ms > 0 ? timeout_ms : 0) / 1000.0;
    int pending;

    if (extra_ready != NULL)
        *extra_ready = 0;
    if (c == NULL)
        return 0;
    c->busy++;
    for (;;) {
        struct curl_waitfd wfd = { .fd = extra_fd, .events = CURL_WAIT_POLLIN, .revents = 0 };
        long wait_ms, next_ms;
        double left;

        pump(c);
        left = deadline - util_now_s();
        if (c->closing || c->stats.pending == 0 || left <= 0)
            break;
        wait_ms = (long)ceil(left * 1000.0);
        next_ms = next_start_ms(c);
        if (next_ms >= 0 && next_ms < wait_ms)
            wait_ms = next_ms;
        curl_multi_poll(c->multi, extra_fd >= 0 ? &wfd : NULL, extra_fd >= 0 ? 1 : 0,
                        (int)wait_ms, NULL);
        if (extra_fd >= 0 && (wfd.revents & CURL_WAIT_POLLIN) != 0) {
            if (extra_ready != NULL)
                *extra_ready = 1;
            pump(c);
            break;
        }
    }
    c->busy--;
    pending = (int)c->stats.pending;
    if (c->closing && c->busy == 0) {
        client_destroy(c);
        return 0;
    }
    return pending;
}

void prom_client_cancel(struct prom_client *c)
{
    struct prom_req *queued, *r;

    if (c == NULL)
        return;
    c->busy++;
    /* Detach everything first: callbacks may submit new requests. */
    queued = c->queue_head;
    c->queue_head = c->queue_tail = NULL;
    /* finished, but their callbacks not made: canceled, like those in flight */
    while (c->done_head != NULL) {
        r = c->done_head;
        c->done_head = r->next;
        if (c->done_head == NULL)
            c->done_tail = NULL;
        r->next = NULL;
        r->http_status = 0;
        finish(c, r, PROM_ECANCELED, "canceled");
    }
    while (c->inflight != NULL) {
        r = c->inflight;
        detach_inflight(c, r);
        r->http_status = 0;
        finish(c, r, PROM_ECANCELED, "canceled");
    }
    while (queued != NULL) {
        r = queued;
        queued = r->next;
        r->http_status = 0;
        finish(c, r, PROM_ECANCELED, "canceled");
    }
    c->busy--;
    if (c->closing && c->busy == 0)
        client_destroy(c);
}

void prom_client_free(struct prom_client *c)
{
    if (c == NULL)
        return;
    if (c->busy > 0) {
        c->closing = 1;
        prom_client_cancel(c);
        return;
    }
    client_destroy(c);
}

static void client_destroy(struct prom_client *c)
{
    int i;

    /* Callbacks of canceled requests may submit more: cancel until quiet. */
    c->busy = 1;
    while (c->stats.pending > 0)
        prom_client_cancel(c);
    for (i = 0; i < c->n_idle; i++)
        curl_easy_cleanup(c->idle[i]);
    for (i = 0; i < c->n_spare; i++)
        free(c->spare[i].buf);
    if (c->multi != NULL)
        curl_multi_cleanup(c->multi);
    if (c->escaper != NULL)
        curl_easy_cleanup(c->escaper);
    curl_slist_free_all(c->headers);
    free(c->base);
    free(c->username);
    if (c->password != NULL) {
        memset(c->password, 0, strlen(c->password));
        free(c->password);
    }
    free(c->ca_file);
    free(c->idle);
    free(c->spare);
    prom_secrets_done(&c->secrets);
    free(c);
}

const struct prom_secrets *prom_client_secrets(const struct prom_client *c)
{
    return c != NULL ? &c->secrets : NULL;
}

void prom_client_stats(const struct prom_client *c, struct prom_client_stats *out)
{
    memset(out, 0, sizeof(*out));
    if (c != NULL)
        *out = c->stats;
}
