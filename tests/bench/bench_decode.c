/* bench_decode.c: prom_decode_range on a big matrix answer, fast path against general path. */

/*
 * Build and run from the top of the tree after `make tests`:
 *   cc -O2 -Iinclude -D_POSIX_C_SOURCE=200809L -o build/bench_decode \
 *       tests/bench/bench_decode.c build/libverdict_app.a build/libverdict_models.a \
 *       $(pkg-config --libs libcjson libcurl ncursesw yaml-0.1) -lm -pthread
 *   build/bench_decode [SERIES [POINTS [REPS]]]      (default 100 1441 7)
 * The answer is the server's usual matrix, SERIES series of POINTS samples
 * a minute apart.  The general path gets the same answer with one more
 * top-level member ("infos": []), which prom_decode_fast() does not take.
 * Prints the best wall time of REPS for each; both must fill the same grid.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "verdict/prom_decode.h"

static double now_s(void)
{
    struct timespec t;

    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
    int series = argc > 1 ? atoi(argv[1]) : 100, points = argc > 2 ? atoi(argv[2]) : 1441;
    int reps = argc > 3 ? atoi(argv[3]) : 7, s, p, r, k;
    size_t cap, o = 0, len[2];
    double t0 = 1790899200.0, best[2] = { 1e9, 1e9 }, *grid[2];
    char *body[2], err[256];
    struct prom_decode_info info;

    if (series < 1 || points < 1 || reps < 1)
        return 2;
    cap = (size_t)series * (size_t)points * 40 + 4096;
    body[0] = malloc(cap);
    body[1] = malloc(cap + 16);
    grid[0] = malloc((size_t)points * sizeof(double));
    grid[1] = malloc((size_t)points * sizeof(double));
    if (body[0] == NULL || body[1] == NULL || grid[0] == NULL || grid[1] == NULL)
        return 1;
    o += (size_t)sprintf(body[0] + o, "{\"status\":\"success\",\"data\":{\"resultType\":"
                         "\"matrix\",\"result\":[");
    for (s = 0; s < series; s++) {
        o += (size_t)sprintf(body[0] + o, "%s{\"metric\":{\"service\":\"svc\",\"instance\":"
                             "\"10.0.%d.%d:8080\"},\"values\":[", s ? "," : "", s / 256,
                             s % 256);
        for (p = 0; p < points; p++)
            o += (size_t)sprintf(body[0] + o, "%s[%.3f,\"%.6g\"]", p ? "," : "",
                                 t0 + 60.0 * p + (s % 7) * 0.001,
                                 0.15 + 0.01 * ((s * 31 + p * 17) % 97));
        o += (size_t)sprintf(body[0] + o, "]}");
    }
    o += (size_t)sprintf(body[0] + o, "]}}");
    len[0] = o;
    memcpy(body[1], body[0], o - 1);
    strcpy(body[1] + o - 1, ",\"infos\":[]}");
    len[1] = o - 1 + strlen(",\"infos\":[]}");
    for (r = 0; r < reps; r++) {
        for (k = 0; k < 2; k++) {
            double a;

            for (p = 0; p < points; p++)
                grid[k][p] = NAN;
            a = now_s();
            if (prom_decode_range(body[k], len[k], 200, NULL, PROM_COMBINE_SUM, t0, 60,
                                  (size_t)points, grid[k], &info, err, sizeof(err)) != PROM_OK) {
                fprintf(stderr, "bench_decode: %s\n", err);
                return 1;
            }
            a = now_s() - a;
            if (a < best[k])
                best[k] = a;
        }
    }
    if (memcmp(grid[0], grid[1], (size_t)points * sizeof(double)) != 0) {
        fprintf(stderr, "bench_decode: the two paths filled different grids\n");
        return 1;
    }
    printf("%d series x %d points, %.1f MB: fast %.2f ms, general %.2f ms (best of %d)\n",
           series, points, (double)len[0] / 1e6, best[0] * 1e3, best[1] * 1e3, reps);
    free(body[0]);
    free(body[1]);
    free(grid[0]);
    free(grid[1]);
    return 0;
}
