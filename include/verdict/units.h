/* units.h: parse durations ("5m", "30d"), sizes ("4GiB") and instants (RFC 3339). */
#ifndef VERDICT_UNITS_H
#define VERDICT_UNITS_H

/* Each returns 0 and sets *out, or -1 when s is not of the form; s must be
 * the whole text (no leading or trailing junk). */

/* "30s", "5m", "1.5h", "30d", "2w", or a bare number of seconds; > 0. */
int units_parse_duration(const char *s, double *out_s);

/* RFC 3339 ("2026-11-01T00:00:00Z", "2026-11-01T02:00:00+02:00", fractional
 * seconds allowed) or unix seconds ("1793491200"), as unix seconds. */
int units_parse_time(const char *s, double *out_unix_s);

#endif /* VERDICT_UNITS_H */
