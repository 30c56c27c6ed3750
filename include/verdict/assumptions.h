/* assumptions.h: the plain structs an assumptions file (verdict.yaml) decodes into. */
#ifndef VERDICT_ASSUMPTIONS_H
#define VERDICT_ASSUMPTIONS_H

#include <stddef.h>

#include "verdict/range.h"

/*
 * These structs are pure data shared by the loader (app/config/config.c), the
 * models and every output.  Defaults, and where each comes from, are set by
 * assumptions_defaults() and service_defaults() in models/assumptions.c;
 * man/verdict.yaml.5 documents them key by key.
 */

enum workload {
    WORKLOAD_CPU_BOUND,
    WORKLOAD_LATENCY_CRITICAL,
    WORKLOAD_NETWORKING,
    WORKLOAD_INFRASTRUCTURE,
    WORKLOAD_IO_BOUND,
    WORKLOAD_CRUD,
    WORKLOAD_ML,
    WORKLOAD_GLUE,
    WORKLOAD_COUNT
};

enum experience {
    EXPERIENCE_NONE,
    EXPERIENCE_SOME,
    EXPERIENCE_STRONG,
    EXPERIENCE_COUNT
};

enum criticality {
    CRITICALITY_LOW,
    CRITICALITY_MEDIUM,
    CRITICALITY_HIGH,
    CRITICALITY_COUNT
};

/* YAML spellings ("cpu-bound", "latency-critical", ...; "none", "some",
 * "strong"; "low", "medium", "high"), by value; *_name returns one of them,
 * or "?" for a value out of range.  The loader reads them through the
 * assumption table (assumption_table.h). */
extern const char *const assumptions_workload_names[WORKLOAD_COUNT];
extern const char *const assumptions_experience_names[EXPERIENCE_COUNT];
extern const char *const assumptions_criticality_names[CRITICALITY_COUNT];
const char *workload_name(enum workload w);
const char *experience_name(enum experience e);
const char *criticality_name(enum criticality c);

#define LANGUAGE_NAME_MAX 32
#define TEAM_NAME_MAX 64             /* services[].team.name, terminator included */
#define ASSUMPTIONS_MAX_LANGUAGES 16
#define ASSUMPTIONS_MAX_SERVICES 10000   /* verdict.yaml(5), LIMITS */

/* What a rewrite is expected to save for services written in one source
 * language: fractions in [0, 1] of today's CPU, memory and p99. */
struct language_profile {
    char name[LANGUAGE_NAME_MAX];   /* "python", "node", "go", "java", ... */
    struct range cpu_reduction;
    struct range memory_reduction;
    struct range p99_reduction;
    int dynamic;                    /* 1: dynamically typed (extra learning month) */
};

/* Team velocity lost while learning the target language: the loss starts at
 * velocity_loss (fraction of the team's output) and falls linearly to zero
 * over `months` months. */
struct learning_curve {
    struct range velocity_loss;
    struct range months;
};

/* The seeds' migration phases, in engineer-weeks (see models/effort.c). */
struct effort_phases {
    struct range measure_weeks;
    struct range scaffold_weeks;
    struct range weeks_per_endpoint;          /* parallel implementation */
    struct range cutover_weeks_per_endpoint;  /* 1 -> 10 -> 50 -> 100 % */
    struct range rollback_weeks;              /* old system kept as rollback */
    struct range cleanup_weeks;
};

struct thresholds {
    double migrate_score;        /* score at or above: migrate candidate */
    double consider_score;       /* score at or above: consider */
    double migrate_probability;  /* P(NPV > 0) needed to say migrate */
    double io_bound_share;       /* runtime share below this: I/O-bound flag */
    double weekly_changes;       /* changes per month at or above: red flag */
    double min_hours;            /* less data than this: recommendation unknown */
    double min_points;           /* fewer points than this: unknown */
};

/* OpenCost's default prices (configs/default.json of opencost/opencost):
 * 0.031611 a core-hour and 0.004237 a GiB-hour over a 730-hour month. */
#define ASSUMPTIONS_HOURS_PER_MONTH 730.0
#define ASSUMPTIONS_PRICE_PER_CORE_MONTH (0.031611 * ASSUMPTIONS_HOURS_PER_MONTH)
#define ASSUMPTIONS_PRICE_PER_GIB_MONTH (0.004237 * ASSUMPTIONS_HOURS_PER_MONTH)

struct economics {
    int horizon_months;
    struct range discount_rate;            /* annual, fraction */
    struct range cost_per_engineer_month;  /* currency */
    struct range productivity_gain;        /* fraction of team cost per month */
    double engineer_months_available;      /* portfolio capacity; NaN: not set */
    struct learning_curve learning[EXPERIENCE_COUNT];
    struct range dynamic_language_extra_months;
    struct range cost_per_change;          /* engineer-days to build a change twice */
    struct range ecosystem_gap;            /* fraction of the effort: already_rewriting */
    double cancellation_probability;       /* 0..1: a rewrite cancelled before go-live */
    struct range price_per_core_month;     /* currency a core a month: derives
                                            * cost_per_instance (inventory.h) */
    struct range price_per_gib_month;      /* currency a GiB of memory a month */
    struct effort_phases effort;
    struct thresholds thresholds;
    char currency[8];                      /* display only, e.g. "$" */
};

/* Score factors, in the order they are reported. */
enum factor {
    FACTOR_RUNTIME_SHARE,
    FACTOR_TAIL_RATIO,
    FACTOR_CPU_UTILISATION,
    FACTOR_MEMORY,
    FACTOR_FLEET_COST,
    FACTOR_LANGUAGE,
    FACTOR_WORKLOAD,
    FACTOR_TEAM_EXPERIENCE,
    FACTOR_CHANGE_RATE,
    FACTOR_CRITICALITY,
    FACTOR_COUNT
};

/* YAML key of a factor ("runtime_share", ...), or "?". */
const char *factor_name(enum factor f);

struct scoring {
    double weights[FACTOR_COUNT];   /* >= 0; normalised when scoring */
};

/* The keys of one service in the file, for where-it-came-from records;
 * key k is row k of the assumption table (assumption_table.h), which
 * gives its YAML path, kind, bounds and place in struct service_spec. */
enum service_key {
    SK_LANGUAGE, SK_WORKLOAD, SK_CRITICALITY, SK_INSTANCES, SK_MIN_INSTANCES,
    SK_CORES_PER_INSTANCE, SK_MEMORY_PER_INSTANCE, SK_COST_PER_INSTANCE,
    SK_INCIDENTS_PER_MONTH, SK_COST_PER_INCIDENT, SK_INCIDENT_REDUCTION, SK_ENDPOINTS,
    SK_ENGINEERS, SK_EXPERIENCE, SK_TEAM_NAME, SK_CHANGES_PER_MONTH,
    SK_EFFORT_ENGINEER_MONTHS, SK_ALREADY_REWRITING,
    SK_SLO_P99_SECONDS, SK_SLO_BREACH_COST_PER_HOUR,
    SERVICE_KEY_COUNT
};
#define SERVICE_KEY_OVERRIDE (-1)
#define SERVICE_KEY_MEASURED (-2)    /* from the series of the signal that measures it */
#define SERVICE_KEY_DERIVED (-3)     /* computed from other inputs (inventory.h) */

/* The key's path inside a service ("instances", "team.engineers"), or "?";
 * service_key_parse returns 0 and sets *out, or -1 for no such key. */
const char *service_key_name(enum service_key k);
int service_key_parse(const char *s, enum service_key *out);

enum signal {
    SIGNAL_P99_LATENCY,     /* seconds */
    SIGNAL_P50_LATENCY,     /* seconds */
    SIGNAL_CPU,             /* cores, fleet total */
    SIGNAL_MEMORY,          /* bytes, fleet total */
    SIGNAL_RPS,             /* requests per second, fleet total */
    SIGNAL_GC,              /* optional: GC seconds per second */
    SIGNAL_MEAN_LATENCY,    /* optional: seconds, histogram _sum / _count */
    SIGNAL_INSTANCES,       /* optional: targets up (inventory instances, measured) */
    SIGNAL_COUNT
};

struct service_spec {
    char *name;                      /* owned; untrusted text */
    char language[LANGUAGE_NAME_MAX];/* "" when not given */
    enum workload workload;
    enum criticality criticality;
    struct range instances;
    struct range min_instances;      /* availability floor */
    struct range cores_per_instance;
    struct range memory_per_instance_bytes;
    struct range cost_per_instance;  /* currency per month */
    struct range incidents_per_month;
    struct range cost_per_incident;
    struct range incident_reduction; /* fraction of incidents a rewrite avoids */
    int endpoints;
    int engineers;
    enum experience experience;
    /* team.name: services with the same name are one team (one rewrite at
     * a time in the plan, one learning curve drawn in the Monte Carlo); ""
     * when not given: the service is a team of its own.  Untrusted text. */
    char team_name[TEAM_NAME_MAX];
    struct range changes_per_month;
    struct range effort_engineer_months;
    int has_effort;                  /* 1: effort given, skip the phase estimate */
    int already_rewriting;           /* 1: rewritten anyway; only the language's extra */
    /* slo: the p99 a service promises, and what an hour above it costs
     * (currency an hour); NaN p99: no SLO, no latency benefit */
    double slo_p99_seconds;
    struct range slo_breach_cost_per_hour;
    int discovered;                  /* 1: found on the server, not in the inventory */
    /* services[].queries.<signal>: owned PromQL templates for this service
     * alone, or NULL; they win over queries.<signal> and the profiles */
    char *queries[SIGNAL_COUNT];
    int line;                        /* where it was defined, 0 if unknown */
    /* where each key came from: 0 the default, > 0 the file's line,
     * SERVICE_KEY_OVERRIDE the command line, SERVICE_KEY_MEASURED and
     * SERVICE_KEY_DERIVED set by inventory_resolve (see enum service_key) */
    int key_line[SERVICE_KEY_COUNT];
};

struct http_header {
    char *name;                      /* owned */
    char *value;                     /* owned */
};

enum compression {
    COMPRESSION_AUTO,                /* off on loopback, on elsewhere */
    COMPRESSION_ON,
    COMPRESSION_OFF
};

/* Where to fetch from.  Secrets never live here: only the name of an
 * environment variable or a file holding them. */
struct prometheus_settings {
    char *url;                       /* owned or NULL */
    struct http_header *headers;     /* owned array, e.g. X-Scope-OrgID */
    size_t n_headers;
    char *bearer_token_env;          /* owned or NULL */
    char *bearer_token_file;
    char *basic_auth_username;
    char *basic_auth_password_env;
    char *basic_auth_password_file;
    char *ca_file;
    int insecure_skip_verify;
    enum compression compression;
    double timeout_s;
    double range_s;
    double step_s;                   /* 0: chosen automatically */
    int concurrency;
    double max_response_bytes;       /* a bigger answer is refused */
    char *discovery_query;           /* owned or NULL: no discovery */
    char *discovery_label;
};


/* Query key of a signal ("p99_latency_seconds", "cpu_cores", ...), or "?". */
const char *signal_name(enum signal s);

/* 1 for a signal a service may lack without an error (gc_seconds,
 * mean_latency_seconds: not every runtime or histogram exports them;
 * instances: the inventory's value stands without it). */
int signal_optional(enum signal s);

/* Where one value came from, for the report's appendix.  Keys are YAML
 * paths as the loader writes them: "economics.discount_rate",
 * "services[api].instances", "languages[go].cpu_reduction". */
enum origin_kind {
    ORIGIN_DEFAULT,                  /* nothing set it: the built-in default */
    ORIGIN_FILE,                     /* the assumptions file, at `line` */
    ORIGIN_OVERRIDE,                 /* the command line (verdict --set) */
    ORIGIN_MEASURED,                 /* a service key measured from Prometheus */
    ORIGIN_DERIVED                   /* a service key computed from others */
};

struct assumption_origin {
    char *key;                       /* owned */
    enum origin_kind kind;
    int line;                        /* ORIGIN_FILE: 1-based */
};

struct assumptions {
    int version;
    struct prometheus_settings prometheus;
    char *queries[SIGNAL_COUNT];     /* owned PromQL templates or NULL */
    /* queries.service_label: owned, a valid label name (promql.h), or NULL:
     * not set, then fetch uses "service" when any series carries it, else
     * "job" (app/prom/fetch.c says how it asks).  It fills the templates'
     * ${service_label}, and is discovery's and detection's label too. */
    char *service_label;
    /* owned or NULL: the label the measurements selected services by (the
     * snapshot's service_label), copied by inventory_resolve so that a
     * measured input's origin names the query as it was sent */
    char *measured_service_label;
    struct economics economics;
    struct scoring scoring;
    struct language_profile languages[ASSUMPTIONS_MAX_LANGUAGES];
    size_t n_languages;
    struct service_spec *services;   /* owned array */
    size_t n_services;
    struct assumption_origin *origins;   /* owned; see assumptions_note_origin */
    size_t n_origins;
    size_t cap_origins;
};

/* Fill *a with every built-in default and no services.  Nothing allocated
 * except queries (strdup'd default templates); release with
 * assumptions_done(). */
void assumptions_defaults(struct assumptions *a);

/* Fill *s with the defaults for one service; s->name is left NULL. */
void service_defaults(struct service_spec *s);

/* Free what one service owns (its name and queries), leaving them NULL. */
void service_spec_done(struct service_spec *s);

/* Free everything *a owns; *a is left zeroed.  NULL is fine. */
void assumptions_done(struct assumptions *a);

/* Record where the value at `key` came from, replacing an earlier record
 * of the same key; a service key ("services[NAME].team.engineers") goes
 * to that service's key_line.  Returns 0, or -1 when out of memory or for
 * a service key that names no service or no key. */
int assumptions_note_origin(struct assumptions *a, const char *key, enum origin_kind kind,
                            int line);

/* Where the value at `key` came from (*line set for ORIGIN_FILE): the
 * record for key, else for its nearest recorded parent ("a.b.c", then
 * "a.b", then "a"), else ORIGIN_DEFAULT.  Service keys
 * ("services[NAME].instances") are read from that service's key_line. */
enum origin_kind assumptions_origin(const struct assumptions *a, const char *key, int *line);

/* The same for one key of one service. */
enum origin_kind service_origin(const struct service_spec *s, enum service_key k, int *line);

/* Which seed article a built-in default comes from ("seed 001", "seeds
 * 000 and 003"), or another published source ("OpenCost": its default
 * prices), or NULL when none gives a figure for it (the default is
 * verdict's own choice, explained in verdict.yaml(5)). */
const char *assumptions_default_source(const char *key);

/* The profile named `name`, or NULL. */
const struct language_profile *assumptions_language(const struct assumptions *a,
                                                    const char *name);

#endif /* VERDICT_ASSUMPTIONS_H */
