/* measure.c: lookup and release of the measured series (struct measurements). */
#include "verdict/measure.h"

#include <stdlib.h>
#include <string.h>

const struct service_data *measurements_find(const struct measurements *m,
                                             const char *name)
{
    size_t i;

    if (m == NULL || name == NULL)
        return NULL;
    for (i = 0; i < m->n_services; i++)
        if (m->services[i].name != NULL && strcmp(m->services[i].name, name) == 0)
            return &m->services[i];
    return NULL;
}

void service_data_done(struct service_data *s)
{
    int i;

    if (s == NULL)
        return;
    free(s->name);
    free(s->detected_language);
    free(s->detection_note);
    free(s->profile);
    free(s->error);
    for (i = 0; i < SIGNAL_COUNT; i++) {
        free(s->signals[i].error);
        free(s->signals[i].warning);
        free(s->signals[i].exceedance);
        chart_done(&s->signals[i].chart);
    }
    memset(s, 0, sizeof(*s));
}

void measurements_done(struct measurements *m)
{
    size_t i;

    if (m == NULL)
        return;
    for (i = 0; i < m->n_services; i++)
        service_data_done(&m->services[i]);
    free(m->services);
    free(m->source);
    free(m->discovery_error);
    free(m->service_label);
    memset(m, 0, sizeof(*m));
}
