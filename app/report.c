/* report.c: what every report shares: its context, its date, rendering into memory. */
#include "verdict/report.h"

#include <stdlib.h>
#include <string.h>

#include "verdict/format.h"
#include "verdict/units.h"
#include "verdict/util.h"

int report_source_date(double *unix_s)
{
    const char *sde = getenv("SOURCE_DATE_EPOCH");

    return sde != NULL && sde[0] != '\0' && units_parse_time(sde, unix_s) == 0 ? 0 : -1;
}

void report_ctx_init(struct report_ctx *c, const struct assumptions *a,
                     const struct measurements *m, const struct analysis *an,
                     const char *config_name, uint64_t seed, size_t draws, char *stamp,
                     size_t stamplen)
{
    double t;

    memset(c, 0, sizeof(*c));
    c->assumptions = a;
    c->measurements = m;
    c->analysis = an;
    c->config_name = config_name;
    c->seed = seed;
    c->draws = draws ? draws : MC_DEFAULT_DRAWS;
    /* reproducible by default: a generation time only when asked */
    if (stamp != NULL && stamplen > 0 && report_source_date(&t) == 0)
        c->generated_at = fmt_time(stamp, stamplen, t);
}

int report_render(report_writer_fn w, const struct report_ctx *c, char **buf, size_t *len)
{
    FILE *f;
    int rc;

    *buf = NULL;
    *len = 0;
    f = open_memstream(buf, len);
    if (f == NULL)
        xoom();
    rc = w(f, c);
    if (fclose(f) != 0 || rc != 0) {
        free(*buf);
        *buf = NULL;
        *len = 0;
        return -1;
    }
    return 0;
}
