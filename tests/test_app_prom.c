/* test_app_prom.c: the Prometheus client against a loopback server that misbehaves on purpose. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <cjson/cJSON.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "verdict/prom.h"
#include "verdict/util.h"

/*
 * The server is tests/fault_server.py, started once for the whole group on
 * a free port.  Each test tags its queries with a label of its own
 * (t="..."), so it can find its requests in the server's log.
 */

extern char **environ;

static pid_t server_pid = -1;
static int server_stdin = -1;       /* closing it stops the server too */
static int server_stdout = -1;
static int server_port;
static char log_path[] = "/tmp/verdict-prom-log-XXXXXX";
static char base_url[64];

struct outcome {
    int calls;
    enum prom_status status;
    long http_status;
    int attempts;
    double elapsed_s;
    char error[512];
    char *body;
};

static double now_s(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Returns 0 when the server exited cleanly on SIGTERM. */
static int stop_server(void)
{
    int i, status = -1;

    if (server_pid <= 0)
        return -1;
    kill(server_pid, SIGTERM);
    for (i = 0; i < 50; i++) {
        if (waitpid(server_pid, &status, WNOHANG) == server_pid)
            break;
        usleep(100000);
    }
    if (i == 50) {
        kill(server_pid, SIGKILL);
        waitpid(server_pid, &status, 0);
    }
    server_pid = -1;
    if (server_stdin >= 0)
        close(server_stdin);
    if (server_stdout >= 0)
        close(server_stdout);
    server_stdin = server_stdout = -1;
    unlink(log_path);
    return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : -1;
}

/* Reads the port the server prints as its first line, waiting up to 10 s. */
static int read_port(int fd)
{
    char line[32];
    size_t n = 0;
    struct pollfd p = { .fd = fd, .events = POLLIN, .revents = 0 };

    while (n < sizeof(line) - 1) {
        ssize_t got;

        if (poll(&p, 1, 10000) <= 0)
            return -1;
        got = read(fd, line + n, 1);
        if (got <= 0)
            return -1;
        if (line[n] == '\n')
            break;
        n++;
    }
    line[n] = '\0';
    return atoi(line);
}

static int start_server(void **state)
{
    int in[2] = { -1, -1 }, out[2] = { -1, -1 }, fd, rc = -1;
    posix_spawn_file_actions_t fa;
    char *argv[] = { (char *)"python3", (char *)"tests/fault_server.py", (char *)"--port",
                     (char *)"0", (char *)"--log", log_path, (char *)"--exit-on-stdin-eof",
                     NULL };

    (void)state;
    fd = mkstemp(log_path);
    if (fd < 0 || pipe(in) != 0 || pipe(out) != 0)
        return -1;
    close(fd);
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_adddup2(&fa, in[0], 0);
    posix_spawn_file_actions_adddup2(&fa, out[1], 1);
    posix_spawn_file_actions_addclose(&fa, in[1]);
    posix_spawn_file_actions_addclose(&fa, out[0]);
    if (posix_spawnp(&server_pid, "python3", &fa, NULL, argv, environ) != 0)
        server_pid = -1;
    posix_spawn_file_actions_destroy(&fa);
    close(in[0]);
    close(out[1]);
    server_stdin = in[1];
    server_stdout = out[0];
    if (server_pid <= 0)
        goto out;
    server_port = read_port(server_stdout);
    if (server_port <= 0)
        goto out;
    snprintf(base_url, sizeof(base_url), "http://127.0.0.1:%d", server_port);
    rc = 0;
out:
    if (rc != 0) {
        fprintf(stderr, "test_app_prom: could not start tests/fault_server.py\n");
        stop_server();
    }
    return rc;
}

static int teardown_server(void **state)
{
    (void)state;
    return stop_server();
}

static void on_done(void *arg, const struct prom_result *r)
{
    struct outcome *o = arg;

    o->calls++;
    o->status = r->status;
    o->http_status = r->http_status;
    o->attempts = r->attempts;
    o->elapsed_s = r->elapsed_s;
    snprintf(o->error, sizeof(o->error), "%s", r->error != NULL ? r->error : "");
    free(o->body);
    o->body = NULL;
    if (r->body != NULL) {
        o->body = malloc(r->body_len + 1);
        assert_non_null(o->body);
        memcpy(o->body, r->body, r->body_len);
        o->body[r->body_len] = '\0';
    }
}

static void options(struct prom_client_options *o, const char *url)
{
    memset(o, 0, sizeof(*o));
    o->url = url;
    o->compression = COMPRESSION_AUTO;
    o->timeout_s = 5;
    o->concurrency = 4;
    o->max_retries = 3;
    o->backoff_base_s = 0.01;
    o->jitter_seed = 42;
}

static struct prom_client *client(const struct prom_client_options *o)
{
    struct prom_client *c = NULL;
    char err[256];

    if (prom_client_new(o, &c, err, sizeof(err)) != 0)
        fail_msg("prom_client_new: %s", err);
    return c;
}

static void run_all(struct prom_client *c, double limit_s)
{
    double end = now_s() + limit_s;

    while (prom_client_run(c, 100, -1, NULL) > 0) {
        if (now_s() > end)
            fail_msg("requests still pending after %.1f s", limit_s);
    }
}

/* Submits a range query for `service`, tagged, over one hour at 60 s. */
static void submit(struct prom_client *c, const char *service, const char *tag,
                   struct outcome *out)
{
    char query[256];
    const char *fields[] = { "query", query, "start", "1700000000", "end", "1700003600",
                             "step", "60", NULL };

    snprintf(query, sizeof(query), "up{service=\"%s\",t=\"%s\"}", service, tag);
    assert_int_equal(prom_client_submit(c, "/api/v1/query_range", fields, on_done, out), 0);
}

/* One request, start to end, with the given options. */
static void fetch(const struct prom_client_options *o, const char *service, const char *tag,
                  struct outcome *out)
{
    struct prom_client *c = client(o);

    memset(out, 0, sizeof(*out));
    submit(c, service, tag, out);
    run_all(c, 15);
    prom_client_free(c);
    assert_int_equal(out->calls, 1);
}

/* The server's log lines whose query has a tag starting with `tag`, as a cJSON array. */
static cJSON *log_lines(const char *tag)
{
    cJSON *all = cJSON_CreateArray();
    char *text, *line, *save = NULL, want[64];
    size_t len;

    snprintf(want, sizeof(want), "t=\"%s", tag);
    text = util_read_file(log_path, &len);
    assert_non_null(text);
    for (line = strtok_r(text, "\n", &save); line != NULL; line = strtok_r(NULL, "\n", &save)) {
        cJSON *j = cJSON_Parse(line);
        const cJSON *q = cJSON_GetObjectItem(cJSON_GetObjectItem(j, "form"), "query");

        if (cJSON_IsString(q) && strstr(q->valuestring, want) != NULL)
            cJSON_AddItemToArray(all, j);
        else
            cJSON_Delete(j);
    }
    free(text);
    return all;
}

static const char *field(const cJSON *line, const char *obj, const char *name)
{
    const cJSON *v = cJSON_GetObjectItem(cJSON_GetObjectItem(line, obj), name);

    return cJSON_IsString(v) ? v->valuestring : NULL;
}

static void test_ok(void **state)
{
    struct prom_client_options o;
    struct prom_client_stats st;
    struct prom_client *c;
    struct outcome out;

    (void)state;
    options(&o, base_url);
    c = client(&o);
    memset(&out, 0, sizeof(out));
    submit(c, "ok-basic", "t_ok", &out);
    run_all(c, 10);
    assert_int_equal(out.calls, 1);
    assert_int_equal(out.status, PROM_OK);
    assert_int_equal(out.http_status, 200);
    assert_int_equal(out.attempts, 1);
    assert_string_equal(out.error, "");
    assert_non_null(strstr(out.body, "\"resultType\": \"matrix\""));
    prom_client_stats(c, &st);
    assert_int_equal(st.done, 1);
    assert_int_equal(st.failed, 0);
    assert_int_equal(st.pending, 0);
    assert_true(st.bytes >= strlen(out.body));
    prom_client_free(c);
    free(out.body);
}

static void test_flaky_503_retried(void **state)
{
    struct prom_client_options o;
    struct outcome out;

    (void)state;
    options(&o, base_url);
    fetch(&o, "flaky-503", "t_flaky", &out);
    assert_int_equal(out.status, PROM_OK);
    assert_int_equal(out.attempts, 2);
    free(out.body);
}

static void test_ratelimit_waits_retry_after(void **state)
{
    struct prom_client_options o;
    struct outcome out;

    (void)state;
    options(&o, base_url);
    fetch(&o, "ratelimit", "t_rate", &out);
    assert_int_equal(out.status, PROM_OK);
    assert_int_equal(out.attempts, 2);
    assert_true(out.elapsed_s >= 0.95);         /* Retry-After: 1, not the 10 ms backoff */
    free(out.body);
}

static void test_422_not_retried(void **state)
{
    struct prom_client_options o;
    struct outcome out;

    (void)state;
    options(&o, base_url);
    fetch(&o, "err-422", "t_422", &out);
    assert_int_equal(out.status, PROM_EHTTP);
    assert_int_equal(out.http_status, 422);
    assert_int_equal(out.attempts, 1);
    assert_string_equal(out.error, "HTTP 422");
    assert_non_null(strstr(out.body, "\"errorType\": \"execution\""));
    free(out.body);
    fetch(&o, "vm-422", "t_vm422", &out);
    assert_int_equal(out.http_status, 422);
    assert_int_equal(out.attempts, 1);
    free(out.body);
}

static void test_400_not_retried(void **state)
{
    struct prom_client_options o;
    struct prom_client *c;
    struct outcome out;
    const char *fields[] = { "query", "up{service=\"too-many\",t=\"t_400\"}", "start", "0",
                             "end", "1000000", "step", "1", NULL };

    (void)state;
    options(&o, base_url);
    c = client(&o);
    memset(&out, 0, sizeof(out));
    assert_int_equal(prom_client_submit(c, "/api/v1/query_range", fields, on_done, &out), 0);
    run_all(c, 10);
    prom_client_free(c);
    assert_int_equal(out.status, PROM_EHTTP);
    assert_int_equal(out.http_status, 400);
    assert_int_equal(out.attempts, 1);
    assert_non_null(strstr(out.body, "11,000 points"));
    free(out.body);
}

/* 502 is what a proxy says when Prometheus restarts: retried, then the
 * HTML page is passed on for the decoder to call it "an HTML page". */
static void test_html_502_retried_then_failed(void **state)
{
    struct prom_client_options o;
    struct outcome out;
    cJSON *lines;

    (void)state;
    options(&o, base_url);
    o.max_retries = 2;
    fetch(&o, "html", "t_html", &out);
    assert_int_equal(out.status, PROM_EHTTP);
    assert_int_equal(out.http_status, 502);
    assert_int_equal(out.attempts, 3);
    assert_string_equal(out.error, "HTTP 502 after 3 attempts");
    assert_non_null(strstr(out.body, "<html>"));
    lines = log_lines("t_html");
    assert_int_equal(cJSON_GetArraySize(lines), 3);
    cJSON_Delete(lines);
    free(out.body);
}

static void test_slow_times_out(void **state)
{
    struct prom_client_options o;
    struct outcome out;
    double t0 = now_s();

    (void)state;
    options(&o, base_url);
    o.timeout_s = 1;
    o.max_retries = 0;
    fetch(&o, "slow", "t_slow", &out);
    assert_int_equal(out.status, PROM_ETIMEOUT);
    assert_int_equal(out.attempts, 1);
    assert_int_equal(out.http_status, 0);
    assert_string_equal(out.error, "timed out after 1.0 s");
    assert_null(out.body);
    assert_true(out.elapsed_s >= 0.9);
    assert_true(now_s() - t0 < 3.0);
}

static void test_huge_refused(void **state)
{
    struct prom_client_options o;
    struct outcome out;
    double t0 = now_s();

    (void)state;
    options(&o, base_url);
    o.max_response_bytes = 1 << 20;
    fetch(&o, "huge", "t_huge", &out);
    assert_int_equal(out.status, PROM_ETOOLARGE);
    assert_int_equal(out.attempts, 1);
    assert_non_null(strstr(out.error, "1048576 bytes"));
    assert_null(out.body);
    assert_true(now_s() - t0 < 5.0);
}

static void test_connection_refused(void **state)
{
    struct prom_client_options o;
    struct sockaddr_in sa;
    socklen_t sl = sizeof(sa);
    struct outcome out;
    char url[64];
    int s;

    (void)state;
    /* A port that was free a moment ago: bound, read back, closed. */
    s = socket(AF_INET, SOCK_STREAM, 0);
    assert_true(s >= 0);
    memset(&sa, 0, sizeof(sa));
    sa.sin_family = AF_INET;
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    assert_int_equal(bind(s, (struct sockaddr *)&sa, sizeof(sa)), 0);
    assert_int_equal(getsockname(s, (struct sockaddr *)&sa, &sl), 0);
    close(s);
    snprintf(url, sizeof(url), "http://127.0.0.1:%d/", ntohs(sa.sin_port));
    options(&o, url);
    o.max_retries = 1;
    fetch(&o, "ok-x", "t_refused", &out);
    assert_int_equal(out.status, PROM_ECONNECT);
    assert_int_equal(out.attempts, 2);
    assert_non_null(strstr(out.error, "connection refused (http://127.0.0.1:"));
    assert_non_null(strstr(out.error, "after 2 attempts"));
}

static void test_concurrency_limit(void **state)
{
    enum { N = 20 };
    struct prom_client_options o;
    struct prom_client *c;
    struct outcome out[N];
    char tag[32];
    cJSON *lines, *line;
    int i, max_inflight = 0;

    (void)state;
    options(&o, base_url);
    o.concurrency = 4;
    c = client(&o);
    memset(out, 0, sizeof(out));
    for (i = 0; i < N; i++) {
        snprintf(tag, sizeof(tag), "t_conc_%d", i);
        submit(c, "delay-150", tag, &out[i]);     /* no other test uses delay-150 */
    }
    run_all(c, 10);
    prom_client_free(c);
    for (i = 0; i < N; i++) {
        assert_int_equal(out[i].calls, 1);
        assert_int_equal(out[i].status, PROM_OK);
        free(out[i].body);
    }
    lines = log_lines("t_conc_");
    assert_int_equal(cJSON_GetArraySize(lines), N);
    cJSON_ArrayForEach(line, lines) {
        int n = cJSON_GetObjectItem(line, "inflight_service")->valueint;

        max_inflight = n > max_inflight ? n : max_inflight;
    }
    cJSON_Delete(lines);
    assert_true(max_inflight <= 4);
    assert_true(max_inflight >= 2);     /* they did run in parallel */
}

static void test_headers_auth_timeout(void **state)
{
    static const struct http_header hdrs[] = { { (char *)"X-Scope-OrgID", (char *)"team-a" } };
    struct prom_client_options o;
    struct prom_client *c;
    struct outcome out;
    char url[96];
    const char *v, *fields[] = { "query", "up{service=\"ok-h\",t=\"t_hdr3\"}", "timeout",
                                 "2s", NULL };
    cJSON *lines;

    (void)state;
    /* A path prefix with a trailing slash, bearer, a tenant header. */
    snprintf(url, sizeof(url), "%s/prefix/", base_url);
    options(&o, url);
    o.headers = hdrs;
    o.n_headers = 1;
    o.bearer_token = "tok-SECRET-1";
    fetch(&o, "ok-h", "t_hdr1", &out);
    assert_int_equal(out.status, PROM_OK);
    free(out.body);
    lines = log_lines("t_hdr1");
    assert_int_equal(cJSON_GetArraySize(lines), 1);
    v = cJSON_GetObjectItem(cJSON_GetArrayItem(lines, 0), "path")->valuestring;
    assert_string_equal(v, "/prefix/api/v1/query_range");
    assert_string_equal(field(cJSON_GetArrayItem(lines, 0), "headers", "Authorization"),
                        "Bearer tok-SECRET-1");
    assert_string_equal(field(cJSON_GetArrayItem(lines, 0), "headers", "X-Scope-OrgID"),
                        "team-a");
    assert_string_equal(field(cJSON_GetArrayItem(lines, 0), "headers", "User-Agent"),
                        "verdict/" VERDICT_VERSION);
    assert_string_equal(field(cJSON_GetArrayItem(lines, 0), "headers", "Content-Type"),
                        "application/x-www-form-urlencoded");
    /* timeout_s 5 -> the server is told 4 s (5 less 10 %, at least 0.5 s). */
    assert_string_equal(field(cJSON_GetArrayItem(lines, 0), "form", "timeout"), "4s");
    assert_null(field(cJSON_GetArrayItem(lines, 0), "headers", "Accept-Encoding"));
    cJSON_Delete(lines);

    /* Basic auth; compression forced on although the host is loopback. */
    options(&o, base_url);
    o.basic_username = "alice";
    o.basic_password = "pw-SECRET-2";
    o.compression = COMPRESSION_ON;
    fetch(&o, "ok-h", "t_hdr2", &out);
    free(out.body);
    lines = log_lines("t_hdr2");
    assert_string_equal(field(cJSON_GetArrayItem(lines, 0), "headers", "Authorization"),
                        "Basic YWxpY2U6cHctU0VDUkVULTI=");     /* alice:pw-SECRET-2 */
    assert_non_null(strstr(field(cJSON_GetArrayItem(lines, 0), "headers", "Accept-Encoding"),
                           "gzip"));
    cJSON_Delete(lines);

    /* A caller's own timeout wins and is not doubled. */
    c = client(&o);
    memset(&out, 0, sizeof(out));
    assert_int_equal(prom_client_submit(c, "api/v1/query", fields, on_done, &out), 0);
    run_all(c, 10);
    prom_client_free(c);
    free(out.body);
    lines = log_lines("t_hdr3");
    v = cJSON_GetObjectItem(cJSON_GetArrayItem(lines, 0), "body")->valuestring;
    assert_non_null(strstr(v, "timeout=2s"));
    assert_null(strstr(strstr(v, "timeout=") + 1, "timeout="));
    assert_non_null(strstr(v, "query=up%7Bservice%3D%22ok-h%22%2Ct%3D%22t_hdr3%22%7D"));
    cJSON_Delete(lines);
}

static void test_verbose_has_no_secret(void **state)
{
    static const struct http_header hdrs[] = {
        { (char *)"X-Api-Key", (char *)"key-SECRET-4" },
        { (char *)"X-Auth-Token", (char *)"hdr-SECRET-5" },
        { (char *)"X-Scope-OrgID", (char *)"team-b" },
    };
    struct prom_client_options o;
    struct outcome out;
    char url[96], *log = NULL;
    size_t log_len = 0;
    FILE *f;

    (void)state;
    snprintf(url, sizeof(url), "http://bob:url-SECRET-3@127.0.0.1:%d", server_port);
    f = open_memstream(&log, &log_len);
    assert_non_null(f);
    options(&o, url);
    o.headers = hdrs;
    o.n_headers = 3;
    o.bearer_token = "tok-SECRET-1";
    o.basic_username = "alice";
    o.basic_password = "pw-SECRET-2";
    o.verbose = f;
    fetch(&o, "flaky-503", "t_verbose", &out);
    free(out.body);
    fclose(f);
    assert_int_equal(out.status, PROM_OK);
    assert_null(strstr(log, "SECRET"));
    assert_non_null(strstr(log, "X-Scope-OrgID: team-b"));
    assert_non_null(strstr(log, "X-Api-Key: ***"));
    assert_non_null(strstr(log, "http://***@127.0.0.1:"));
    assert_non_null(strstr(log, "-> 503"));
    assert_non_null(strstr(log, "attempt 1/4"));
    assert_non_null(strstr(log, "-> 200"));
    assert_non_null(strstr(log, "attempt 2/4"));
    free(log);
}

static void test_bad_urls(void **state)
{
    static const char *const bad[] = {
        "ftp://u:pw-SECRET@example.com/", "file:///etc/passwd", "not a url",
        "http://example.com/x?y=1", "gopher://example.com",
    };
    struct prom_client_options o;
    struct prom_client *c;
    char err[256];
    size_t i;

    (void)state;
    for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        options(&o, bad[i]);
        c = (struct prom_client *)&o;       /* any non-NULL value: new clears it */
        assert_int_equal(prom_client_new(&o, &c, err, sizeof(err)), -1);
        assert_null(c);
        assert_true(err[0] != '\0');
        assert_null(strstr(err, "SECRET"));
    }
    options(&o, "ftp://u:pw-SECRET@example.com/");
    prom_client_new(&o, &c, err, sizeof(err));
    assert_string_equal(err, "only http:// and https:// URLs are allowed: ftp://***@example.com/");
    options(&o, NULL);
    assert_int_equal(prom_client_new(&o, &c, err, sizeof(err)), -1);
    /* Upper-case schemes and https are fine; nothing connects yet. */
    options(&o, "HTTPS://example.com/prometheus");
    assert_int_equal(prom_client_new(&o, &c, err, sizeof(err)), 0);
    prom_client_free(c);
    prom_client_free(NULL);
}

static void test_redact_url(void **state)
{
    static const struct { const char *in, *want; } cases[] = {
        { "http://u:p@h:9090/x", "http://***@h:9090/x" },
        { "https://user@h/", "https://***@h/" },
        { "http://a:b@c@h/p@q", "http://***@h/p@q" },     /* last '@' of the authority */
        { "http://h:9090/x?u=a@b", "http://h:9090/x?u=a@b" },
        { "http://h/\x1b[2J", "http://h/?[2J" },
        { "", "" },
    };
    char out[64], small[8];
    size_t i;

    (void)state;
    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        prom_redact_url(out, sizeof(out), cases[i].in);
        assert_string_equal(out, cases[i].want);
    }
    prom_redact_url(small, sizeof(small), "http://u:p@h:9090/x");
    assert_string_equal(small, "http://");
}

static void test_cancel(void **state)
{
    struct prom_client_options o;
    struct prom_client_stats st;
    struct prom_client *c;
    struct outcome out[3];
    int i;

    (void)state;
    options(&o, base_url);
    o.concurrency = 1;              /* one in flight, two queued */
    o.timeout_s = 10;
    c = client(&o);
    memset(out, 0, sizeof(out));
    for (i = 0; i < 3; i++)
        submit(c, "slow", "t_cancel", &out[i]);
    assert_int_equal(prom_client_run(c, 200, -1, NULL), 3);
    prom_client_cancel(c);
    for (i = 0; i < 3; i++) {
        assert_int_equal(out[i].calls, 1);
        assert_int_equal(out[i].status, PROM_ECANCELED);
        assert_null(out[i].body);
    }
    prom_client_stats(c, &st);
    assert_int_equal(st.pending, 0);
    assert_int_equal(st.failed, 3);
    assert_int_equal(prom_client_run(c, 0, -1, NULL), 0);

    /* Freeing with work pending cancels it too. */
    memset(out, 0, sizeof(out));
    submit(c, "slow", "t_cancel", &out[0]);
    prom_client_run(c, 50, -1, NULL);
    prom_client_free(c);
    assert_int_equal(out[0].calls, 1);
    assert_int_equal(out[0].status, PROM_ECANCELED);
}

struct freeing {
    struct prom_client *c;
    struct outcome out[3];
    int n;
};

static void on_done_free(void *arg, const struct prom_result *r)
{
    struct freeing *f = arg;

    f->out[f->n++].status = r->status;
    if (f->c != NULL) {
        prom_client_free(f->c);         /* from inside prom_client_run */
        f->c = NULL;
    }
}

static void test_free_from_callback(void **state)
{
    struct prom_client_options o;
    struct freeing f;
    int i;
    const char *fields[] = { "query", "up{service=\"ok-f\",t=\"t_free\"}", NULL };

    (void)state;
    options(&o, base_url);
    o.concurrency = 1;
    memset(&f, 0, sizeof(f));
    f.c = client(&o);
    for (i = 0; i < 3; i++)
        assert_int_equal(prom_client_submit(f.c, "/api/v1/query", fields, on_done_free, &f), 0);
    /* The client is gone when run returns: run it through a copy. */
    {
        struct prom_client *c = f.c;
        double end = now_s() + 10;

        while (f.c != NULL && now_s() < end)
            prom_client_run(c, 100, -1, NULL);
    }
    assert_int_equal(f.n, 3);
    assert_int_equal(f.out[0].status, PROM_OK);
    assert_int_equal(f.out[1].status, PROM_ECANCELED);
    assert_int_equal(f.out[2].status, PROM_ECANCELED);
}

static void test_extra_fd_wakes_run(void **state)
{
    struct prom_client_options o;
    struct prom_client *c;
    struct outcome out;
    int fds[2], ready = -1;
    double t0;

    (void)state;
    assert_int_equal(pipe(fds), 0);
    options(&o, base_url);
    o.timeout_s = 10;
    c = client(&o);
    memset(&out, 0, sizeof(out));
    submit(c, "slow", "t_extra", &out);
    t0 = now_s();
    assert_int_equal(prom_client_run(c, 300, fds[0], &ready), 1);
    assert_int_equal(ready, 0);
    assert_true(now_s() - t0 >= 0.25);
    assert_int_equal(write(fds[1], "k", 1), 1);
    t0 = now_s();
    assert_int_equal(prom_client_run(c, 5000, fds[0], &ready), 1);
    assert_int_equal(ready, 1);
    assert_true(now_s() - t0 < 1.0);
    prom_client_free(c);
    assert_int_equal(out.status, PROM_ECANCELED);
    close(fds[0]);
    close(fds[1]);
}

static void test_status_names(void **state)
{
    (void)state;
    assert_string_equal(prom_status_name(PROM_OK), "ok");
    assert_string_equal(prom_status_name(PROM_ECONNECT), "connect");
    assert_string_equal(prom_status_name(PROM_ETIMEOUT), "timeout");
    assert_string_equal(prom_status_name(PROM_ETOOLARGE), "too-large");
    assert_string_equal(prom_status_name(PROM_ENODATA), "no-data");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ok),
        cmocka_unit_test(test_flaky_503_retried),
        cmocka_unit_test(test_ratelimit_waits_retry_after),
        cmocka_unit_test(test_422_not_retried),
        cmocka_unit_test(test_400_not_retried),
        cmocka_unit_test(test_html_502_retried_then_failed),
        cmocka_unit_test(test_slow_times_out),
        cmocka_unit_test(test_huge_refused),
        cmocka_unit_test(test_connection_refused),
        cmocka_unit_test(test_concurrency_limit),
        cmocka_unit_test(test_headers_auth_timeout),
        cmocka_unit_test(test_verbose_has_no_secret),
        cmocka_unit_test(test_bad_urls),
        cmocka_unit_test(test_redact_url),
        cmocka_unit_test(test_cancel),
        cmocka_unit_test(test_free_from_callback),
        cmocka_unit_test(test_extra_fd_wakes_run),
        cmocka_unit_test(test_status_names),
    };

    /* A crash still stops the server: it exits when its stdin closes. */
    signal(SIGPIPE, SIG_IGN);
    setenv("no_proxy", "127.0.0.1,localhost", 1);   /* loopback never via a proxy */
    return cmocka_run_group_tests(tests, start_server, teardown_server);
}
