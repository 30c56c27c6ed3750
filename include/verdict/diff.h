/* diff.h: what changed between two JSON reports (verdict.report/1). */
#ifndef VERDICT_DIFF_H
#define VERDICT_DIFF_H

#include <stddef.h>
#include <stdio.h>

enum diff_format {
    DIFF_TEXT,      /* 80 columns, untrusted text sanitised */
    DIFF_MD,        /* GitHub-flavoured Markdown, a table of changes */
    DIFF_JSON       /* schema verdict.diff/1 */
};

/*
 * Compare two reports and write the changes to out, most important first:
 * recommendation changes, services added and removed, assumptions and
 * per-service inputs that changed, NPV changes (largest first), rank moves,
 * then score, break-even and probability changes.  Numbers are compared
 * as they are displayed (NPV in whole units, score to 0.1, probability to
 * 0.1%), so noise below that is not a change; assumptions and inputs are
 * compared as cJSON prints them, ranges as whole arrays.
 *
 * old_name and new_name name the inputs in messages and in the output (a
 * file name); the buffers need not be NUL-terminated.  Nothing is kept:
 * the caller owns every argument.  The output is byte-identical for the
 * same inputs.
 *
 * Returns 0, or -1 with a message in err (errlen bytes, always terminated;
 * err may be NULL) naming the file and the place: not JSON (with line and
 * column), not a verdict report, wrong schema, a missing or mistyped field,
 * a duplicate service, a path that appears twice among the assumptions or
 * a service's inputs (a repeated key), or a write error on out.
 */
int diff_reports(const char *old_name, const char *old_buf, size_t old_len,
                 const char *new_name, const char *new_buf, size_t new_len,
                 enum diff_format fmt, FILE *out, char *err, size_t errlen);

#endif /* VERDICT_DIFF_H */
