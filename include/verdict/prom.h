/* prom.h: an HTTP client for the Prometheus API on one curl multi handle. */
#ifndef VERDICT_PROM_H
#define VERDICT_PROM_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "verdict/assumptions.h"
#include "verdict/prom_url.h"   /* prom_redact_url, prom_secrets: every user names URLs */

/*
 * One client owns one curl multi handle, and with it the connection pool:
 * requests reuse connections (HTTP/2 multiplexing where the server offers
 * it) with at most `concurrency` in flight.  Nothing blocks: the caller
 * drives transfers with prom_client_run(), from a batch loop or from the
 * TUI's event loop, and each request ends in exactly one callback.
 */
struct prom_client;

enum prom_status {
    PROM_OK,
    PROM_EURL,        /* not an http(s) URL, or unusable */
    PROM_ECONNECT,    /* could not connect (refused, DNS, TLS handshake) */
    PROM_ETIMEOUT,    /* the client's own hard timeout */
    PROM_EHTTP,       /* an HTTP error status without a usable API envelope */
    PROM_EAPI,        /* the API said "status": "error" (errorType, error) */
    PROM_EPARSE,      /* not the JSON the API promises (HTML page, truncated) */
    PROM_ETOOLARGE,   /* the response exceeded max_response_bytes */
    PROM_ECANCELED,   /* prom_client_cancel() */
    PROM_ENODATA      /* a query that answered with no series */
};

/* A short stable word for a status ("ok", "connect", "timeout", ...). */
const char *prom_status_name(enum prom_status s);

struct prom_client_options {
    const char *url;                 /* base URL, e.g. https://host/prometheus */
    const struct http_header *headers;   /* extra headers (X-Scope-OrgID ...) */
    size_t n_headers;
    const char *bearer_token;        /* the secret itself, or NULL */
    const char *basic_username;      /* NULL: no basic auth */
    const char *basic_password;
    const char *ca_file;             /* NULL: system CAs */
    int insecure_skip_verify;        /* 1: no TLS verification (warned) */
    enum compression compression;    /* auto: off on loopback, on elsewhere */
    double timeout_s;                /* per attempt, hard, client side */
    double connect_timeout_s;        /* 0: 10 s */
    int concurrency;                 /* requests in flight, >= 1 */
    size_t max_response_bytes;       /* 0: 64 MiB */
    int max_retries;                 /* -1: 3 */
    double backoff_base_s;           /* first retry delay; 0: 0.25 s */
    uint64_t jitter_seed;            /* backoff jitter (deterministic in tests) */
    FILE *verbose;                   /* request log, secrets redacted; NULL: none */
};

/* Everything known about one finished request.  body is valid only during
 * the callback (copy what you keep); it holds the (decompressed) response
 * for PROM_OK and PROM_EHTTP, else NULL. */
struct prom_result {
    enum prom_status status;
    long http_status;        /* 0 when no response arrived */
    const char *body;
    size_t body_len;
    int attempts;            /* 1 + retries */
    double elapsed_s;        /* from first attempt to the end */
    const char *error;       /* one line for a human when status != PROM_OK */
};

typedef void (*prom_done_fn)(void *arg, const struct prom_result *r);

/* Create a client.  Returns 0, or -1 with a message in err (the URL
 * redacted) for a URL that is not http or https, or when curl cannot be
 * set up.  A warning for insecure_skip_verify is the caller's job. */
int prom_client_new(const struct prom_client_options *o, struct prom_client **out,
                    char *err, size_t errlen);

/* Cancel what is pending (callbacks get PROM_ECANCELED) and free.  NULL is
 * fine. */
void prom_client_free(struct prom_client *c);

/*
 * Queue a POST of application/x-www-form-urlencoded fields to base URL +
 * path (e.g. "/api/v1/query_range").  fields is a NULL-terminated list of
 * name, value pairs; values are URL-encoded here.  For query_range and
 * query the client adds "timeout" (the server's own limit, from timeout_s)
 * unless fields already have it.  Retries with exponential backoff and
 * jitter on connection errors, timeouts, 429, 502, 503 and 504 (never on
 * 400 or 422).  `done` is called exactly once, from prom_client_run() or
 * prom_client_cancel()/prom_client_free().  Returns 0, or -1 when memory
 * runs out.
 */
int prom_client_submit(struct prom_client *c, const char *path, const char *const *fields,
                       prom_done_fn done, void *arg);

/*
 * Run transfers for at most timeout_ms (0: do what is ready, do not wait).
 * When extra_fd >= 0 the wait also ends as soon as extra_fd is readable (the
 * TUI passes its terminal) and *extra_ready is set.  Returns the number of
 * requests still queued or in flight.
 */
int prom_client_run(struct prom_client *c, int timeout_ms, int extra_fd, int *extra_ready);

/* End every queued and in-flight request with PROM_ECANCELED. */
void prom_client_cancel(struct prom_client *c);

struct prom_client_stats {
    size_t done;             /* callbacks made */
    size_t failed;           /* of which not PROM_OK */
    size_t pending;          /* queued or in flight */
    size_t retries;
    uint64_t bytes;          /* response bytes received (as transferred) */
};

void prom_client_stats(const struct prom_client *c, struct prom_client_stats *out);

/* The credentials this client sends, for the decoder to mask out of what
 * the server says back (prom_decode.h).  Valid while the client lives. */
struct prom_secrets;
const struct prom_secrets *prom_client_secrets(const struct prom_client *c);

#endif /* VERDICT_PROM_H */
