/* gen_fleet.c: a synthetic fleet for `make bench`: OpenMetrics for promtool, its verdict.yaml. */

/*
 * Usage: gen_fleet SERVICES OUTDIR          fleet.yaml and om/NNN.om
 *        gen_fleet SERVICES OUTDIR --yaml   fleet.yaml only (the TUI's big inventory)
 *
 * Deterministic: every number comes from a hash of the service's index
 * (splitmix64), never from rand() or the clock, so the same SERVICES
 * gives the same bytes and the bench can cache the backfilled TSDB.
 *
 * The series: one scrape target per service (label service="NAME"),
 * every 15 s from GEN_T0 to GEN_END (24 h of query window plus 15 min of
 * lead-in, so the first 5m rate windows are full):
 *   http_request_duration_seconds_bucket{le=...}  12 buckets (the client
 *       libraries' defaults, +Inf included), cumulative counts of a
 *       lognormal latency whose median follows the daily load;
 *   http_request_duration_seconds_count            the same as +Inf;
 *   process_cpu_seconds_total                      idle + requests x CPU s each;
 *   process_resident_memory_bytes                  a fraction of what the
 *       inventory provisions, slowly growing for one service in eight.
 * 15 series x 5,821 samples = 87,315 samples per service.
 *
 * OpenMetrics files: promtool parses its whole input once per block it
 * writes, and Prometheus compacts small blocks in the background (which
 * would load the server while the bench measures it).  So the data is cut
 * into files on 18 h boundaries (GEN_BLOCK_S; promtool runs with
 * --max-block-duration=18h): each file becomes exactly one block, the two
 * files can be backfilled in parallel, and two 18 h blocks inside one
 * 54 h range are not compacted (Prometheus only merges a range that is
 * full or lies before its newest block).  GEN_END sits 12 h after an 18 h
 * boundary, so the two files are about the same size.
 *
 * The inventory (fleet.yaml) is sized from the same numbers: instances so
 * that the p95 of CPU is the service's intended utilisation, memory per
 * instance so that the measured memory is 30-80 % of it; languages,
 * workloads, teams and incident figures vary so that every
 * recommendation and red flag shows up.
 */
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define GEN_BLOCK_S 64800L                 /* 18 h: promtool --max-block-duration */
#define GEN_END (27677L * GEN_BLOCK_S + 43200L)   /* 2026-11-01T06:00:00Z */
#define GEN_RANGE_S 86400L                 /* the query window: 24 h */
#define GEN_LEAD_S 900L                    /* samples start 15 min earlier */
#define GEN_T0 (GEN_END - GEN_RANGE_S - GEN_LEAD_S)
#define GEN_SCRAPE_S 15L
#define GEN_NPTS ((GEN_END - GEN_T0) / GEN_SCRAPE_S + 1)
#define GEN_DAY_S 86400.0
#define GEN_PI 3.14159265358979323846
#define GEN_MAX_FILES 4

static const double buckets[] = { 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10 };
static const char *const bucket_text[] = { "0.005", "0.01", "0.025", "0.05", "0.1", "0.25",
                                           "0.5", "1", "2.5", "5", "10", "+Inf" };
#define GEN_NB (sizeof(buckets) / sizeof(buckets[0]))

static const char *const words[] = {
    "checkout", "pricing", "ledger", "search", "billing", "gateway", "profile", "catalog",
    "orders", "payments", "fraud", "reports", "inventory", "shipping", "auth", "feed",
    "notify", "media", "geo", "quotes",
};
static const char *const languages[] = { "python", "node", "java", "go" };
static const char *const workloads[] = { "cpu-bound", "latency-critical", "networking",
                                         "infrastructure", "io-bound", "crud", "ml", "glue" };
static const char *const crit[] = { "low", "medium", "high" };
static const char *const experience[] = { "none", "some", "strong" };

struct svc {
    char name[48];
    const char *language, *workload, *criticality, *experience;
    double rps;             /* mean requests per second */
    double median_s;        /* p50 latency at mean load */
    double sigma;           /* lognormal shape: p99/p50 = exp(2.326 sigma) */
    double cpu_per_req_s;
    double idle_cores;
    double phase;           /* of the daily cycle, radians */
    int instances, min_instances, cores, endpoints, engineers;
    double mem_per_inst;    /* bytes provisioned per instance */
    double mem_frac;        /* measured / provisioned */
    double mem_growth;      /* fraction of the fleet's memory per day */
    double cost_per_inst, incidents, cost_per_incident, changes;
};

static uint64_t mix(uint64_t z)
{
    z += UINT64_C(0x9e3779b97f4a7c15);
    z = (z ^ (z >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
    z = (z ^ (z >> 27)) * UINT64_C(0x94d049bb133111eb);
    return z ^ (z >> 31);
}

/* The k-th uniform number in [0, 1) of service i. */
static double unit(long i, int k)
{
    return (double)(mix(mix((uint64_t)i) ^ (uint64_t)k) >> 11) / 9007199254740992.0;
}

static double between(long i, int k, double lo, double hi)
{
    return lo + (hi - lo) * unit(i, k);
}

/* lo..hi spread evenly on a log scale */
static double log_between(long i, int k, double lo, double hi)
{
    return exp(between(i, k, log(lo), log(hi)));
}

static void svc_make(long i, struct svc *s)
{
    static const int core_sizes[] = { 1, 2, 4 };
    static const double mem_sizes[] = { 0.5, 1, 2, 4, 8 };
    double util, share, peak_cores;

    snprintf(s->name, sizeof(s->name), "%s-%05ld", words[i % 20], i);
    s->language = languages[(size_t)(unit(i, 1) * 4)];
    s->workload = workloads[(size_t)(unit(i, 2) * 8)];
    s->criticality = crit[(size_t)(unit(i, 3) * 3)];
    s->experience = experience[(size_t)(unit(i, 4) * 3)];
    s->rps = log_between(i, 5, 5, 3000);
    s->median_s = log_between(i, 6, 0.002, 0.3);
    s->sigma = between(i, 7, 0.3, 1.2);
    share = strcmp(s->workload, "io-bound") == 0 ? between(i, 8, 0.02, 0.15)
                                                  : between(i, 8, 0.1, 0.95);
    s->cpu_per_req_s = share * s->median_s;
    s->idle_cores = between(i, 9, 0.01, 0.2);
    s->phase = between(i, 10, 0, 2 * GEN_PI);
    s->cores = core_sizes[(size_t)(unit(i, 11) * 3)];
    util = between(i, 12, 0.15, 0.85);
    peak_cores = s->idle_cores + s->rps * 1.35 * s->cpu_per_req_s;
    s->instances = (int)ceil(peak_cores / (s->cores * util));
    s->instances = s->instances < 2 ? 2 : s->instances > 400 ? 400 : s->instances;
    s->min_instances = 2 + (int)(unit(i, 13) * 2);
    s->mem_per_inst = mem_sizes[(size_t)(unit(i, 14) * 5)] * 1073741824.0;
    s->mem_frac = between(i, 15, 0.3, 0.8);
    s->mem_growth = unit(i, 16) < 0.125 ? between(i, 17, 0.01, 0.05) : 0;
    s->cost_per_inst = floor(between(i, 18, 40, 220)) * s->cores;
    s->incidents = floor(between(i, 19, 0, 5) * 2) / 2;
    s->cost_per_incident = floor(log_between(i, 20, 500, 20000) / 100) * 100;
    s->endpoints = 1 + (int)(unit(i, 21) * 25);
    s->engineers = 1 + (int)(unit(i, 22) * 6);
    s->changes = floor(between(i, 23, 0, 10));
}

/* ---- a small buffered writer with its own number formatting ---------- */

struct out {
    FILE *f;
    char buf[1 << 16];
    size_t n;
};

static void out_flush(struct out *o)
{
    if (o->n > 0 && fwrite(o->buf, 1, o->n, o->f) != o->n) {
        perror("gen_fleet: write");
        exit(1);
    }
    o->n = 0;
}

static void out_str(struct out *o, const char *s, size_t len)
{
    if (o->n + len > sizeof(o->buf))
        out_flush(o);
    memcpy(o->buf + o->n, s, len);
    o->n += len;
}

static void out_u64(struct out *o, uint64_t v)
{
    char tmp[24];
    size_t k = sizeof(tmp);

    do {
        tmp[--k] = (char)('0' + v % 10);
        v /= 10;
    } while (v > 0);
    out_str(o, tmp + k, sizeof(tmp) - k);
}

/* v with three decimals: CPU seconds */
static void out_milli(struct out *o, double v)
{
    uint64_t m = (uint64_t)llround(v * 1000.0);
    char frac[4] = { '.', (char)('0' + m / 100 % 10), (char)('0' + m / 10 % 10),
                     (char)('0' + m % 10) };

    out_u64(o, m / 1000);
    out_str(o, frac, 4);
}

/* The file a sample at time t goes to: one per 18 h block. */
static int file_of(long t)
{
    return (int)(t / GEN_BLOCK_S - GEN_T0 / GEN_BLOCK_S);
}

/* "name{service="x"[,le="b"]} value t\n" */
static void sample(struct out *o, const char *prefix, size_t plen, uint64_t v, long t)
{
    out_str(o, prefix, plen);
    out_u64(o, v);
    out_str(o, " ", 1);
    out_u64(o, (uint64_t)t);
    out_str(o, "\n", 1);
}

static double load_at(const struct svc *s, long t)
{
    return 1.0 + 0.35 * sin(2 * GEN_PI * (double)t / GEN_DAY_S + s->phase);
}

/* Requests in the scrape interval ending at t (a small deterministic jitter). */
static double requests_at(const struct svc *s, long i, long k, long t)
{
    double jitter = 1.0 + 0.1 * ((double)(mix((uint64_t)i * 1000003u + (uint64_t)k) >> 11) /
                                 9007199254740992.0 - 0.5);

    return s->rps * load_at(s, t) * jitter * GEN_SCRAPE_S;
}

static void write_histogram(struct out *files, long i, const struct svc *s)
{
    char prefix[GEN_NB + 2][160];
    size_t plen[GEN_NB + 2], b;
    uint64_t cum[GEN_NB + 1];
    double acc[GEN_NB + 1];
    long k;

    for (b = 0; b <= GEN_NB; b++) {
        plen[b] = (size_t)snprintf(prefix[b], sizeof(prefix[b]),
                                   "http_request_duration_seconds_bucket{service=\"%s\","
                                   "le=\"%s\"} ", s->name, bucket_text[b]);
        acc[b] = 0;
    }
    plen[GEN_NB + 1] = (size_t)snprintf(prefix[GEN_NB + 1], sizeof(prefix[0]),
                                        "http_request_duration_seconds_count{service=\"%s\"} ",
                                        s->name);
    for (k = 0; k < GEN_NPTS; k++) {
        long t = GEN_T0 + k * GEN_SCRAPE_S;
        struct out *o = &files[file_of(t)];
        double n = requests_at(s, i, k, t);
        double med = s->median_s * (0.8 + 0.2 * load_at(s, t));

        for (b = 0; b < GEN_NB; b++) {
            double z = log(buckets[b] / med) / (s->sigma * sqrt(2.0));

            acc[b] += n * 0.5 * (1.0 + erf(z));
            cum[b] = (uint64_t)llround(acc[b]);
        }
        acc[GEN_NB] += n;
        cum[GEN_NB] = (uint64_t)llround(acc[GEN_NB]);
        for (b = 0; b <= GEN_NB; b++)
            sample(o, prefix[b], plen[b], cum[b], t);
        sample(o, prefix[GEN_NB + 1], plen[GEN_NB + 1], cum[GEN_NB], t);
    }
}

static void write_cpu(struct out *files, long i, const struct svc *s)
{
    char prefix[160];
    size_t plen = (size_t)snprintf(prefix, sizeof(prefix),
                                   "process_cpu_seconds_total{service=\"%s\"} ", s->name);
    double cpu = 0;
    long k;

    for (k = 0; k < GEN_NPTS; k++) {
        long t = GEN_T0 + k * GEN_SCRAPE_S;
        struct out *o = &files[file_of(t)];

        cpu += s->idle_cores * GEN_SCRAPE_S + requests_at(s, i, k, t) * s->cpu_per_req_s;
        out_str(o, prefix, plen);
        out_milli(o, cpu);
        out_str(o, " ", 1);
        out_u64(o, (uint64_t)t);
        out_str(o, "\n", 1);
    }
}

static void write_memory(struct out *files, const struct svc *s)
{
    char prefix[160];
    size_t plen = (size_t)snprintf(prefix, sizeof(prefix),
                                   "process_resident_memory_bytes{service=\"%s\"} ", s->name);
    double fleet = s->mem_per_inst * s->instances * s->mem_frac;
    long k;

    for (k = 0; k < GEN_NPTS; k++) {
        long t = GEN_T0 + k * GEN_SCRAPE_S;
        double days = (double)(t - GEN_T0) / GEN_DAY_S;
        double m = fleet * (1 + 0.03 * sin(2 * GEN_PI * (double)t / GEN_DAY_S + s->phase)) *
                   (1 + s->mem_growth * days);

        sample(&files[file_of(t)], prefix, plen, (uint64_t)m, t);
    }
}

static void family(struct out *files, int nfiles, const char *name, const char *type)
{
    char line[256];
    int n = snprintf(line, sizeof(line), "# TYPE %s %s\n# HELP %s synthetic (gen_fleet.c)\n",
                     name, type, name);
    int f;

    for (f = 0; f < nfiles; f++)
        out_str(&files[f], line, (size_t)n);
}

static int write_openmetrics(const char *dir, long n)
{
    char path[4096];
    int nfiles = file_of(GEN_END) + 1, f, fam;
    struct out *files;
    long i;

    if (nfiles > GEN_MAX_FILES)
        return -1;
    snprintf(path, sizeof(path), "%s/om", dir);
    if (mkdir(path, 0777) != 0 && errno != EEXIST) {
        perror(path);
        return -1;
    }
    files = calloc((size_t)nfiles, sizeof(*files));
    if (files == NULL)
        return -1;
    for (f = 0; f < nfiles; f++) {
        snprintf(path, sizeof(path), "%s/om/%03d.om", dir, f);
        files[f].f = fopen(path, "w");
        if (files[f].f == NULL) {
            perror(path);
            return -1;
        }
    }
    /* family by family, so each file has every family in one piece */
    for (fam = 0; fam < 3; fam++) {
        static const char *const names[] = { "http_request_duration_seconds",
                                             "process_cpu_seconds",
                                             "process_resident_memory_bytes" };
        static const char *const types[] = { "histogram", "counter", "gauge" };

        family(files, nfiles, names[fam], types[fam]);
        for (i = 0; i < n; i++) {
            struct svc s;

            svc_make(i, &s);
            if (fam == 0)
                write_histogram(files, i, &s);
            else if (fam == 1)
                write_cpu(files, i, &s);
            else
                write_memory(files, &s);
        }
    }
    for (f = 0; f < nfiles; f++) {
        out_str(&files[f], "# EOF\n", 6);
        out_flush(&files[f]);
        if (fclose(files[f].f) != 0) {
            perror("gen_fleet: close");
            return -1;
        }
    }
    free(files);
    return 0;
}

static const char yaml_head[] =
    "# fleet.yaml: a synthetic fleet for `make bench` (tests/bench/gen_fleet.c).\n"
    "version: 1\n"
    "prometheus:\n"
    "  timeout: 30s\n"
    "  range: 24h\n"
    "  step: 60s\n"
    "  concurrency: 8\n"
    "  compression: auto\n"
    "queries:\n"
    "  p99_latency_seconds: >-\n"
    "    histogram_quantile(0.99, sum by (le)\n"
    "    (rate(http_request_duration_seconds_bucket{service=\"${service}\"}[5m])))\n"
    "  p50_latency_seconds: >-\n"
    "    histogram_quantile(0.5, sum by (le)\n"
    "    (rate(http_request_duration_seconds_bucket{service=\"${service}\"}[5m])))\n"
    "  cpu_cores: 'sum(rate(process_cpu_seconds_total{service=\"${service}\"}[5m]))'\n"
    "  memory_bytes: 'sum(process_resident_memory_bytes{service=\"${service}\"})'\n"
    "  requests_per_second: >-\n"
    "    sum(rate(http_request_duration_seconds_count{service=\"${service}\"}[5m]))\n"
    "economics:\n"
    "  engineer_months_available: 60\n"
    "services:\n";

static int write_yaml(const char *dir, long n)
{
    char path[4096];
    FILE *f;
    long i;

    snprintf(path, sizeof(path), "%s/fleet.yaml", dir);
    f = fopen(path, "w");
    if (f == NULL) {
        perror(path);
        return -1;
    }
    fputs(yaml_head, f);
    for (i = 0; i < n; i++) {
        struct svc s;

        svc_make(i, &s);
        fprintf(f, "  - name: %s\n    language: %s\n    workload: %s\n    criticality: %s\n"
                "    instances: %d\n    min_instances: %d\n    cores_per_instance: %d\n"
                "    memory_per_instance: %.0fMiB\n    cost_per_instance: %.0f\n",
                s.name, s.language, s.workload, s.criticality, s.instances, s.min_instances,
                s.cores, s.mem_per_inst / 1048576.0, s.cost_per_inst);
        if (s.incidents > 0)
            fprintf(f, "    incidents_per_month: [%g, %g, %g]\n    cost_per_incident: %.0f\n",
                    s.incidents / 2, s.incidents, s.incidents * 2, s.cost_per_incident);
        fprintf(f, "    endpoints: %d\n    team: {engineers: %d, experience: %s}\n"
                "    changes_per_month: %.0f\n", s.endpoints, s.engineers, s.experience,
                s.changes);
        if (i % 3 == 0)
            fprintf(f, "    effort_engineer_months: [%d, %d, %d]\n", s.endpoints / 2 + 1,
                    s.endpoints + 1, s.endpoints * 2 + 2);
    }
    if (fclose(f) != 0) {
        perror(path);
        return -1;
    }
    return 0;
}

int main(int argc, char **argv)
{
    long n;
    char *end;
    int yaml_only = argc == 4 && strcmp(argv[3], "--yaml") == 0;

    if (argc < 3 || argc > 4 || (argc == 4 && !yaml_only)) {
        fprintf(stderr, "usage: gen_fleet SERVICES OUTDIR [--yaml]\n");
        return 2;
    }
    n = strtol(argv[1], &end, 10);
    if (*end != '\0' || n < 1 || n > 1000000) {
        fprintf(stderr, "gen_fleet: SERVICES must be 1..1000000\n");
        return 2;
    }
    if (write_yaml(argv[2], n) != 0)
        return 1;
    if (!yaml_only && write_openmetrics(argv[2], n) != 0)
        return 1;
    printf("end=%ld range=%ld first=%ld samples_per_series=%ld series=%ld\n", GEN_END,
           GEN_RANGE_S, GEN_T0, (long)GEN_NPTS, n * (long)(GEN_NB + 4));
    return 0;
}
