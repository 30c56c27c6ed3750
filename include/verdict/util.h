/* util.h: allocation that cannot fail, files, and safe text for the app layer. */
#ifndef VERDICT_UTIL_H
#define VERDICT_UTIL_H

#include <stddef.h>
#include <stdio.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <time.h>

/* Out of memory is fatal in app/: these print a message, restore the
 * terminal if the TUI started it (see util_set_fatal_hook) and abort. */
void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);

/* For libraries that report allocation failure as NULL (cJSON): the same
 * fatal path as xmalloc. */
_Noreturn void xoom(void);

/* Called before aborting on a fatal error (the TUI puts endwin here). */
void util_set_fatal_hook(void (*hook)(void));

/* Read a whole file into a NUL-terminated heap buffer (*len excludes the
 * NUL).  Returns NULL with errno set on failure. */
char *util_read_file(const char *path, size_t *len);

/* The same, refusing more than max bytes (errno EFBIG): a regular file by
 * its size before reading, a stream (FIFO, /dev/zero) once it passes max,
 * so memory stays bounded whatever the path names. */
char *util_read_file_max(const char *path, size_t max, size_t *len);

/*
 * A file being written atomically: output goes to a temporary file in the
 * same directory ("PATH.tmpXXXXXX", the permissions of the file it
 * replaces, or 0666 less the umask for a new one); commit makes it appear
 * complete under its name (flush, fsync, close, rename, then fsync of the
 * directory, whose failure is not reported since the new file is already
 * in place); abort removes it.  The old file stays untouched until the
 * rename, so at every instant PATH is the old file or the new one,
 * complete.  A symbolic link is kept: its target is replaced.  A PATH that
 * exists and is not a regular file (/dev/null, /dev/stdout on a pipe, a
 * FIFO) is written straight through, with nothing to rename; a directory
 * is refused (EISDIR).
 *
 * Write errors are remembered with their errno (ENOSPC, EIO, EFBIG) and
 * reported by commit even when the caller ignored fwrite's result; after
 * an error the rest of the output is discarded.  Do not copy the struct.
 */
struct atomic_sink;

struct atomic_file {
    FILE *f;                    /* write here */
    char *path;                 /* owned: the file replaced at commit */
    char *tmp;                  /* owned: the temporary, NULL when writing straight through */
    struct atomic_sink *sink;   /* owned: where f's bytes go */
};

/* The file a save of path replaces: a symbolic link's target (so the link
 * survives), else path itself.  Heap string, owned by the caller. */
char *util_atomic_target(const char *path);

/* Returns 0, or -1 with errno set (nothing created).  Before creating its
 * temporary it removes the ones a killed save of the same file left
 * (util_clean_stale_temps). */
int util_atomic_open(struct atomic_file *af, const char *path);
/* The same, the new file with permissions `mode` (07777 bits) instead of
 * the old file's (mode < 0: as util_atomic_open). */
int util_atomic_open_mode(struct atomic_file *af, const char *path, int mode);
/* Returns 0, or -1 with errno set (temporary removed, old file intact). */
int util_atomic_commit(struct atomic_file *af);
/* Commit in two steps, for a save that must do something in between (the
 * editor's .bak): prepare flushes, fsyncs and closes the temporary, so
 * nothing can fail in it any more; commit then renames it into place.
 * Returns as commit; after a failure the temporary is gone. */
int util_atomic_prepare(struct atomic_file *af);
/* Drop everything written; the temporary is removed, the old file intact. */
void util_atomic_abort(struct atomic_file *af);

/* Write len bytes to path atomically, as above.  Returns 0, or -1 with
 * errno set; on failure the old file (if any) is untouched and no
 * temporary file is left. */
int util_write_file_atomic(const char *path, const char *data, size_t len);
/* The same with permissions `mode` (mode < 0: as util_write_file_atomic),
 * and without the fsync of the directory after the rename: for a file
 * saved beside another whose commit syncs that directory (the editor's
 * .bak beside the file). */
int util_write_file_atomic_unsynced(const char *path, const char *data, size_t len, int mode);

/*
 * Temporaries a save killed midway (kill -9, a crash, a power cut) left
 * beside target, the file itself (a symbolic link already resolved):
 * removes from target's directory every entry named exactly
 * TARGET.tmpXXXXXX or TARGET.bak.tmpXXXXXX (six letters or digits, as
 * mkstemp makes them) that util_stale_temp accepts for the effective user
 * and this process's start.  Symbolic links are never followed, nothing
 * else is touched.  Returns how many were removed; an unreadable
 * directory or a refused unlink is not an error (the save goes on).
 *
 * A temporary is only ever older than this process when its save was
 * killed, or when an older verdict is saving the same file at this very
 * instant: that save then fails its rename and says so, its file intact.
 */
size_t util_clean_stale_temps(const char *target);

/* Whether a directory entry called name, with st from lstat, is such a
 * temporary of a file whose last path component is base: the name is
 * base + ".tmp" or base + ".bak.tmp" and six of [A-Za-z0-9], st is a
 * regular file owned by uid, modified strictly before start.  Pure: for
 * util_clean_stale_temps and its tests. */
int util_stale_temp(const char *base, const char *name, const struct stat *st, uid_t uid,
                    const struct timespec *start);

/* When this process started, by the wall clock (CLOCK_REALTIME, the clock
 * of file times), from the kernel's record (Linux /proc/self/stat): never
 * later than the true start, by at most a clock tick earlier.  Returns 0,
 * or -1 when it cannot be known (no /proc). */
int util_process_start(struct timespec *out);

/* Seconds on the monotonic clock (CLOCK_MONOTONIC): for durations only. */
double util_now_s(void);

/* printf into err (errlen bytes, always terminated); err NULL or errlen 0
 * does nothing.  Pass server text through util_sanitize first. */
void util_errf(char *err, size_t errlen, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Length (1..4) of the valid UTF-8 sequence starting at s, or 0 when it is
 * invalid (stray continuation byte, overlong form, surrogate, beyond
 * U+10FFFF, or cut short by the terminating NUL).  Sets *cp to the code
 * point when cp is not NULL. */
size_t util_utf8_len(const char *s, unsigned long *cp);

/* 1 when code point cp is invisible or reorders the text around it (the
 * bidi controls and marks, zero-width characters, the line and paragraph
 * separators: the table in util.c), so that untrusted text holding it can
 * read as something it is not.  Such a character is shown as its escape. */
int util_invisible(unsigned long cp);

/* Display columns of code point cp, as wcwidth(3) says in a UTF-8 locale
 * (C.UTF-8, whatever the user's: a report is the same bytes everywhere):
 * 2 for East Asian wide, 0 for combining marks, 1 for the rest (and for
 * what wcwidth cannot tell, such as controls, which sanitising replaces
 * anyway).  Without a UTF-8 locale on the system, 1 for every code point. */
int util_cp_width(unsigned long cp);

/* Room for an escape and its NUL: "<U+10FFFF>". */
#define UTIL_ESCAPE_SIZE 11

/* Write the visible escape of cp, "<U+" and at least 4 uppercase hex
 * digits and ">" ("<U+202E>"), into out (UTIL_ESCAPE_SIZE bytes).
 * Returns its length. */
size_t util_escape(char *out, unsigned long cp);

/* Length of the escape util_sanitize writes for an invisible character
 * when s starts with one ("<U+202E>..." -> 8), else 0.  Text cut to a
 * width or wrapped keeps such an escape whole. */
size_t util_escape_len(const char *s);

/* Copy src to dst (dstlen bytes, always terminated) replacing C0 and C1
 * control characters (and DEL, and invalid UTF-8) with '?', so untrusted
 * text cannot move the cursor or recolour a terminal, and each invisible
 * character (util_invisible) with its escape ("<U+202E>"), so it cannot
 * reorder or hide what a reader sees.  The copy may be longer than src
 * (an escape replaces 2 or 3 bytes with 8); when dst is too short it ends
 * before the first character or escape that does not fit whole.  Returns
 * the length the whole copy needs, as snprintf does: allocate that plus
 * one, or pass dst NULL and dstlen 0 to measure. */
size_t util_sanitize(char *dst, size_t dstlen, const char *src);

/* The base64 (RFC 4648, padded) of len bytes: heap string, owned by the
 * caller.  For recognising a Basic credential as it travels. */
char *util_base64(const void *data, size_t len);

/* Overwrite every occurrence of secret in buf (len bytes, need not be
 * terminated) with as many '*', in place, so text a server quotes back
 * cannot carry a credential further.  Returns the number masked; an empty
 * or NULL secret masks nothing. */
size_t util_mask(char *buf, size_t len, const char *secret);

/* fputs for JSON text (as cJSON prints it): DEL, the C1 controls
 * U+0080..U+009F, which JSON allows raw in strings but a terminal may
 * obey (U+009B is CSI), and the invisible characters (util_invisible),
 * which would reorder or hide text on the terminal, are written as \u
 * escapes ("\u202e"), so the document means the same (a reader gets the
 * exact string) and prints inert.  C0 controls are cJSON's to escape, and
 * it does.  Returns 0, or EOF on a write error. */
int util_fputs_json(const char *json, FILE *f);

#endif /* VERDICT_UTIL_H */
