/* json_scan.h: a strict one-pass check of JSON text, without a tree (app/json/json_scan.c). */
#ifndef VERDICT_JSON_SCAN_H
#define VERDICT_JSON_SCAN_H

#include <stddef.h>

/*
 * Why: cJSON 1.7.15 takes what RFC 8259 refuses (raw control characters
 * and invalid UTF-8 in strings, "01", "1."), silently cuts a string at
 * "\u0000", recurses up to 1000 levels, and spends about 80 bytes of heap
 * per value, so 50 MB of samples become 600 MB of tree.  json_scan_run
 * checks the whole text, stops at the first problem with its byte offset,
 * and counts the values.  It is the reference for json_tree.h, which
 * parses as strictly with the token functions below (json_scan_string,
 * _number, _literal) and checks the arrays it sets aside with
 * json_scan_value; prom_decode.c reads the samples of those arrays with
 * json_scan_next.  Text that passes is valid JSON that cJSON parses with
 * the same values (no string holds a NUL).
 * *
 * app/json/json_scan.c.  Nothing is inline: as calls, json_scan_ws and
 * json_scan_digit left loading a 100 MB snapshot as fast as before.  It
 * allocates nothing.
 */

enum json_scan_status {
    JSON_SCAN_OK = 0,
    JSON_SCAN_EOF,          /* the text ends inside the value (truncated) */
    JSON_SCAN_SYNTAX,       /* not JSON at `at` */
    JSON_SCAN_TRAILING,     /* more than whitespace after the value */
    JSON_SCAN_DEEP,         /* an array or object opens deeper than max_depth */
    JSON_SCAN_CONTROL,      /* a raw control character (below U+0020) in a string */
    JSON_SCAN_NUL,          /* "\u0000" in a string */
    JSON_SCAN_UTF8,         /* bytes that are not UTF-8 (overlong, surrogate, cut short) */
    JSON_SCAN_TOO_MANY,     /* more than max_values values */
    JSON_SCAN_LONG,         /* a string (or key) longer than max_string bytes */
    JSON_SCAN_ESCAPE        /* a \u escape that is no character: bad hex digits, or a
                             * surrogate without its other half */
};

/* Nesting is refused beyond this whatever max_depth says: the scanner's
 * stack lives in its frame. */
#define JSON_SCAN_DEPTH_LIMIT 256

/* Zero it, set the inputs, run, read the results. */
struct json_scan {
    size_t max_depth;       /* in: 1..JSON_SCAN_DEPTH_LIMIT (0: the limit) */
    size_t max_values;      /* in: most values (each array, object, string, number or
                             * literal counts one); 0: no limit */
    size_t max_string;      /* in: bytes between a string's quotes, as written; 0: no limit */
    size_t at;              /* out: the offending byte (the text's length at EOF) */
    size_t values;          /* out: values counted */
};

/* One sentence for a status: "invalid UTF-8 in a string", ... (static storage). */
const char *json_scan_what(enum json_scan_status st);

/* Four hex digits at s (s[0..3] must be readable): 0 with their value in
 * *out, or -1. */
int json_scan_hex4(const char *s, unsigned *out);

/* The string whose '"' is at *i (b[*i] == '"'): *i ends past the closing
 * quote.  On failure *at is the offending byte (or the byte it ends in). */
enum json_scan_status json_scan_string(const char *b, size_t len, size_t *i, size_t *at);

/* The number at *i (RFC 8259's grammar); *i ends past it.  Errors are
 * reported at the number's first byte. */
enum json_scan_status json_scan_number(const char *b, size_t len, size_t *i);

/* true, false or null at *i (i < len). */
enum json_scan_status json_scan_literal(const char *b, size_t len, size_t *i);

/* 1 when c is an ASCII digit. */
int json_scan_digit(char c);

/* Past the JSON whitespace (space, tab, CR, LF) at i: the first other
 * byte, or len. */
size_t json_scan_ws(const char *b, size_t len, size_t i);

/*
 * Check len bytes of b (a UTF-8 byte-order mark first is skipped, as cJSON
 * does).  Returns JSON_SCAN_OK, or the first problem with s->at at it:
 * the byte that is wrong, the first byte of a number or word that is,
 * the '[' or '{' that opens too deep, the value that is one too many, or
 * len when the text ends early.
 */
enum json_scan_status json_scan_run(struct json_scan *s, const char *b, size_t len);

/*
 * The one value after *pi (whitespace first), checked as json_scan_run
 * checks a whole text: *pi ends just past it, and whatever follows is
 * not looked at.  The value is at depth 1 (max_depth counts from it); no
 * byte-order mark is skipped.  Same statuses and s->at as json_scan_run,
 * but never JSON_SCAN_TRAILING.
 */
enum json_scan_status json_scan_value(struct json_scan *s, const char *b, size_t len,
                                      size_t *pi);

/*
 * The elements of an accepted array: *pos starts just past its '['; each
 * call sets [*start, *end) to the next element and returns 1, or returns 0
 * at the closing ']'.
 */
int json_scan_next(const char *b, size_t len, size_t *pos, size_t *start, size_t *end);

/* The 1-based line and column (in bytes) of offset off in b, for a
 * message that names the place of a problem (b must hold off bytes). */
void json_scan_line_col(const char *b, size_t off, size_t *line, size_t *col);

#endif /* VERDICT_JSON_SCAN_H */
