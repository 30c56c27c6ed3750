/* util.c: allocation that cannot fail, whole-file I/O, atomic saves, safe text. */
#define _GNU_SOURCE         /* fopencookie: the atomic writer's stream; CLOCK_BOOTTIME */
#include "verdict/util.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <locale.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <wchar.h>

static void (*fatal_hook)(void);

void util_set_fatal_hook(void (*hook)(void))
{
    fatal_hook = hook;
}

static _Noreturn void out_of_memory(size_t n)
{
    if (fatal_hook != NULL)
        fatal_hook();
    fprintf(stderr, "verdict: out of memory (asked for %zu bytes)\n", n);
    abort();
}

_Noreturn void xoom(void)
{
    out_of_memory(0);
}

void *xmalloc(size_t n)
{
    void *p = malloc(n ? n : 1);

    if (p == NULL)
        out_of_memory(n);
    return p;
}

void *xcalloc(size_t n, size_t size)
{
    void *p = calloc(n ? n : 1, size ? size : 1);

    if (p == NULL)
        out_of_memory(n * size);
    return p;
}

void *xrealloc(void *p, size_t n)
{
    void *q = realloc(p, n ? n : 1);

    if (q == NULL)
        out_of_memory(n);
    return q;
}

char *xstrdup(const char *s)
{
    size_t n = strlen(s) + 1;
    char *p = xmalloc(n);

    memcpy(p, s, n);
    return p;
}

char *util_read_file_max(const char *path, size_t max, size_t *len)
{
    FILE *f = fopen(path, "rb");
    struct stat st;
    char *buf = NULL;
    size_t cap = 0, n = 0, got, first = 65536;
    int saved = 0;

    if (f == NULL)
        return NULL;
    /* a regular file too big is refused before reading; a stream (a FIFO,
     * /dev/zero) when it passes max */
    if (fstat(fileno(f), &st) == 0 && S_ISREG(st.st_mode)) {
        if ((uintmax_t)st.st_size > max) {
            saved = EFBIG;
            goto fail;
        }
        /* its size at once, and one byte more to see the end (or that it
         * grew): no copying as the buffer grows */
        first = (size_t)st.st_size + 1;
    }
    do {
        if (n == cap) {
            if (cap > max) {
                saved = EFBIG;
                goto fail;
            }
            cap = cap ? cap * 2 : first;
            if (cap > max + 1)
                cap = max + 1;
            buf = xrealloc(buf, cap + 1);
        }
        got = fread(buf + n, 1, cap - n, f);
        n += got;
    } while (got > 0);
    if (ferror(f)) {
        saved = errno ? errno : EIO;
        goto fail;
    }
    if (n > max) {
        saved = EFBIG;
        goto fail;
    }
    fclose(f);
    buf[n] = '\0';
    if (len != NULL)
        *len = n;
    return buf;
fail:
    fclose(f);
    free(buf);
    errno = saved;
    return NULL;
}

char *util_read_file(const char *path, size_t *len)
{
    return util_read_file_max(path, SIZE_MAX - 1, len);
}

/* ---- atomic saves ------------------------------------------------------ */

/*
 * Every byte written to an atomic_file's stream reaches the file through
 * atomic_sink_write, with write(2) in a loop: a short write continues, and
 * the first error (ENOSPC, EIO, EFBIG) is kept with its errno so commit
 * reports it whatever the caller checked.  After an error or an abort the
 * sink swallows the rest, so nothing half-written reaches a device.
 */
struct atomic_sink {
    int fd;
    int err;        /* first errno, 0 while all is well */
};

static int write_all(int fd, const char *p, size_t n)
{
    while (n > 0) {
        ssize_t w = write(fd, p, n);

        if (w < 0 && errno == EINTR)
            continue;
        if (w < 0)
            return -1;
        if (w == 0) {               /* no progress and no reason: call it full */
            errno = ENOSPC;
            return -1;
        }
        p += w;
        n -= (size_t)w;
    }
    return 0;
}

/* 0 on error, never -1: glibc's fwrite subtracts what this returns from
 * what is left to do (fopencookie(3): "must not return a negative value"),
 * and a -1 there makes it copy past the end of the caller's buffer. */
static ssize_t atomic_sink_write(void *cookie, const char *buf, size_t n)
{
    struct atomic_sink *s = cookie;

    if (s->err == 0 && write_all(s->fd, buf, n) != 0)
        s->err = errno != 0 ? errno : EIO;
    return s->err != 0 ? 0 : (ssize_t)n;
}

char *util_atomic_target(const char *path)
{
    struct stat st;
    char *real;

    if (lstat(path, &st) == 0 && S_ISLNK(st.st_mode)) {
        real = realpath(path, NULL);
        if (real != NULL)
            return real;
    }
    return xstrdup(path);
}

/* fsync the directory holding path, so a rename in it survives a crash.
 * Not reported: when this runs the new file is already in place. */
static void atomic_sync_dir(const char *path)
{
    char *dir = xstrdup(path), *slash = strrchr(dir, '/');
    int fd;

    if (slash == NULL)
        strcpy(dir, ".");
    else
        slash[slash == dir] = '\0';         /* "/x" -> "/" */
    fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd >= 0) {
        (void)fsync(fd);
        close(fd);
    }
    free(dir);
}

/* ---- stale temporaries --------------------------------------------------- */

/*
 * The start comes from the kernel rather than from a stamp taken in main:
 * every program linking this file (verdict, the tests, the demo
 * generator) has it with no initialiser to forget, and it cannot be taken
 * late (a stamp taken at the first save would call stale what another
 * verdict wrote between our start and that save).  Field 22 of
 * /proc/self/stat is the start in clock ticks of CLOCK_BOOTTIME (which
 * counts suspend, as the kernel's record does); the wall-clock start is
 * then now - (boot time now - start).  The tick is truncated, so the
 * result is early by less than a tick, never late: the safe side, since
 * only what is older than it is removed.
 */
int util_process_start(struct timespec *out)
{
    FILE *f = fopen("/proc/self/stat", "r");
    char buf[1024], *p;
    struct timespec real, boot;
    unsigned long long ticks;
    long hz = sysconf(_SC_CLK_TCK);
    long long start_ns;
    size_t n;
    int field;

    if (f == NULL)
        return -1;
    n = fread(buf, 1, sizeof(buf) - 1, f);
    fclose(f);
    buf[n] = '\0';
    /* "pid (comm) state ...": comm may hold spaces and parentheses */
    p = strrchr(buf, ')');
    if (p == NULL || hz <= 0)
        return -1;
    for (field = 2; field < 22 && p != NULL; field++)
        p = strchr(p + 1, ' ');
    if (p == NULL)
        return -1;
    errno = 0;
    ticks = strtoull(p + 1, NULL, 10);
    if (errno != 0 || clock_gettime(CLOCK_REALTIME, &real) != 0 ||
        clock_gettime(CLOCK_BOOTTIME, &boot) != 0)
        return -1;
    start_ns = (long long)real.tv_sec * 1000000000LL + real.tv_nsec -
               ((long long)boot.tv_sec * 1000000000LL + boot.tv_nsec) +
               (long long)(ticks / (unsigned long long)hz) * 1000000000LL +
               (long long)(ticks % (unsigned long long)hz) * (1000000000LL / hz);
    out->tv_sec = (time_t)(start_ns / 1000000000LL);
    out->tv_nsec = (long)(start_ns % 1000000000LL);
    return 0;
}

/* mkstemp's alphabet, spelled out: isalnum would follow the locale. */
static int temp_char(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

int util_stale_temp(const char *base, const char *name, const struct stat *st, uid_t uid,
                    const struct timespec *start)
{
    static const char *const tails[] = { ".tmp", ".bak.tmp" };
    size_t nb = strlen(base), i, k;

    if (strncmp(name, base, nb) != 0)
        return 0;
    for (i = 0; i < sizeof(tails) / sizeof(tails[0]); i++) {
        const char *rest = name + nb;
        size_t nt = strlen(tails[i]);

        if (strncmp(rest, tails[i], nt) != 0)
            continue;
        rest += nt;
        k = 0;
        while (k < 6 && temp_char(rest[k]))
            k++;
        if (k == 6 && rest[6] == '\0')
            return S_ISREG(st->st_mode) && st->st_uid == uid &&
                   (st->st_mtim.tv_sec < start->tv_sec ||
                    (st->st_mtim.tv_sec == start->tv_sec &&
                     st->st_mtim.tv_nsec < start->tv_nsec));
    }
    return 0;
}

/* Entries are judged and removed relative to the directory's descriptor
 * (fstatat without following, unlinkat), so a name cannot lead elsewhere;
 * unlinkat removes a link itself, should one replace the file between the
 * two calls. */
size_t util_clean_stale_temps(const char *target)
{
    char *dir = xstrdup(target), *slash = strrchr(dir, '/');
    const char *base = target;
    struct timespec start;
    struct dirent *e;
    struct stat st;
    size_t removed = 0, nb;
    uid_t uid = geteuid();
    DIR *d;

    if (slash == NULL) {
        strcpy(dir, ".");
    } else {
        base = target + (slash - dir) + 1;
        slash[slash == dir] = '\0';         /* "/x" -> "/" */
    }
    nb = strlen(base);
    d = nb > 0 && util_process_start(&start) == 0 ? opendir(dir) : NULL;
    while (d != NULL && (e = readdir(d)) != NULL) {
        if (strncmp(e->d_name, base, nb) != 0 ||
            fstatat(dirfd(d), e->d_name, &st, AT_SYMLINK_NOFOLLOW) != 0 ||
            !util_stale_temp(base, e->d_name, &st, uid, &start))
            continue;
        if (unlinkat(dirfd(d), e->d_name, 0) == 0)
            removed++;
    }
    if (d != NULL)
        closedir(d);
    free(dir);
    return removed;
}

int util_atomic_open(struct atomic_file *af, const char *path)
{
    return util_atomic_open_mode(af, path, -1);
}

int util_atomic_open_mode(struct atomic_file *af, const char *path, int want_mode)
{
    static const cookie_io_functions_t sink_io = { NULL, atomic_sink_write, NULL, NULL };
    struct atomic_sink *sink = NULL;
    struct stat st;
    char *target;
    int fd = -1, exists, saved;

    memset(af, 0, sizeof(*af));
    target = util_atomic_target(path);
    exists = stat(target, &st) == 0;
    if (exists && S_ISDIR(st.st_mode)) {
        errno = EISDIR;
        goto fail;
    }
    if (exists && !S_ISREG(st.st_mode)) {
        /* /dev/null, /dev/stdout on a pipe, a FIFO: nothing to replace,
         * and renaming over a device node would be a disaster as root */
        fd = open(target, O_WRONLY | O_NOCTTY | O_CLOEXEC);
        if (fd < 0)
            goto fail;
    } else {
        size_t n = strlen(target) + sizeof(".tmpXXXXXX");
        mode_t mode, mask;

        util_clean_stale_temps(target);
        af->tmp = xmalloc(n);
        snprintf(af->tmp, n, "%s.tmpXXXXXX", target);
        fd = mkstemp(af->tmp);
        if (fd < 0)
            goto fail;
        /* a replacement keeps the old file's permissions (and owner, when
         * allowed); a new file gets what open(2) would have given it */
        mask = umask(0);
        umask(mask);
        mode = want_mode >= 0 ? (mode_t)want_mode & 07777 :
               exists ? st.st_mode & 07777 : 0666 & ~mask;
        if (fchmod(fd, mode) != 0)
            goto fail;
        if (exists && (st.st_uid != geteuid() || st.st_gid != getegid()) &&
            fchown(fd, st.st_uid, st.st_gid) != 0) {
            /* not allowed: the file becomes ours, which is what a
             * non-atomic write by another user could not have done either */
        }
    }
    sink = xmalloc(sizeof(*sink));
    sink->fd = fd;
    sink->err = 0;
    af->f = fopencookie(sink, "w", sink_io);
    if (af->f == NULL)
        goto fail;
    af->sink = sink;
    af->path = target;
    return 0;
fail:
    saved = errno != 0 ? errno : EIO;
    if (fd >= 0)
        close(fd);
    if (fd >= 0 && af->tmp != NULL)
        unlink(af->tmp);
    free(sink);
    free(af->tmp);
    free(target);
    memset(af, 0, sizeof(*af));
    errno = saved;
    return -1;
}

void util_atomic_abort(struct atomic_file *af)
{
    int saved = errno;

    if (af->sink != NULL && af->sink->err == 0)
        af->sink->err = ECANCELED;      /* fclose must not flush the rest out */
    if (af->f != NULL)
        fclose(af->f);
    if (af->sink != NULL && af->sink->fd >= 0)
        close(af->sink->fd);
    if (af->tmp != NULL)
        unlink(af->tmp);
    free(af->sink);
    free(af->tmp);
    free(af->path);
    memset(af, 0, sizeof(*af));
    errno = saved;
}

int util_atomic_prepare(struct atomic_file *af)
{
    struct atomic_sink *s = af->sink;
    int rc, saved;

    if (af->f == NULL)
        return 0;                       /* prepared already */
    errno = 0;
    if (fflush(af->f) != 0 || s->err != 0 || ferror(af->f))
        goto fail;
    rc = fclose(af->f);                 /* the sink has no close: fd stays open */
    af->f = NULL;
    if (rc != 0)
        goto fail;
    if (af->tmp != NULL && fsync(s->fd) != 0)
        goto fail;
    rc = close(s->fd);
    s->fd = -1;                         /* closed even when close failed */
    if (rc != 0)
        goto fail;
    return 0;
fail:
    saved = s->err != 0 ? s->err : errno != 0 ? errno : EIO;
    util_atomic_abort(af);
    errno = saved;
    return -1;
}

static int atomic_commit(struct atomic_file *af, int sync_dir)
{
    int saved;

    if (util_atomic_prepare(af) != 0)
        return -1;
    if (af->tmp != NULL) {
        if (rename(af->tmp, af->path) != 0) {
            saved = errno != 0 ? errno : EIO;
            util_atomic_abort(af);
            errno = saved;
            return -1;
        }
        if (sync_dir)
            atomic_sync_dir(af->path);
        free(af->tmp);
        af->tmp = NULL;
    }
    free(af->sink);
    free(af->path);
    memset(af, 0, sizeof(*af));
    return 0;
}

int util_atomic_commit(struct atomic_file *af)
{
    return atomic_commit(af, 1);
}

static int write_file_atomic(const char *path, const char *data, size_t len, int mode,
                             int sync_dir)
{
    struct atomic_file af;

    if (util_atomic_open_mode(&af, path, mode) != 0)
        return -1;
    /* a failed fwrite leaves its errno in the sink: commit reports it */
    if (len > 0)
        (void)fwrite(data, 1, len, af.f);
    return atomic_commit(&af, sync_dir);
}

int util_write_file_atomic(const char *path, const char *data, size_t len)
{
    return write_file_atomic(path, data, len, -1, 1);
}

int util_write_file_atomic_unsynced(const char *path, const char *data, size_t len, int mode)
{
    return write_file_atomic(path, data, len, mode, 0);
}

int util_cp_width(unsigned long cp)
{
    static locale_t utf8;
    static int tried;
    locale_t old;
    int w;

    if (cp < 0x7f)
        return 1;               /* ASCII, the usual case, without a locale switch */
    if (!tried) {
        /* the first caller creates it; verdict's other threads (the
         * snapshot reader) never measure text */
        tried = 1;
        utf8 = newlocale(LC_CTYPE_MASK, "C.UTF-8", (locale_t)0);
    }
    if (utf8 == (locale_t)0)
        return 1;
    old = uselocale(utf8);
    w = wcwidth((wchar_t)cp);
    uselocale(old);
    return w < 0 ? 1 : w;
}

double util_now_s(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

void util_errf(char *err, size_t errlen, const char *fmt, ...)
{
    va_list ap;

    if (err == NULL || errlen == 0)
        return;
    va_start(ap, fmt);
    vsnprintf(err, errlen, fmt, ap);
    va_end(ap);
}

size_t util_utf8_len(const char *str, unsigned long *cp_out)
{
    const unsigned char *s = (const unsigned char *)str;
    unsigned c = s[0];
    size_t n, i;
    unsigned long cp;

    if (c < 0x80) {
        cp = c;
        n = 1;
        goto done;
    }
    if (c >= 0xc2 && c <= 0xdf) {
        n = 2;
        cp = c & 0x1f;
    } else if (c >= 0xe0 && c <= 0xef) {
        n = 3;
        cp = c & 0x0f;
    } else if (c >= 0xf0 && c <= 0xf4) {
        n = 4;
        cp = c & 0x07;
    } else {
        return 0;
    }
    for (i = 1; i < n; i++) {
        if ((s[i] & 0xc0) != 0x80)
            return 0;
        cp = (cp << 6) | (s[i] & 0x3f);
    }
    if ((n == 3 && cp < 0x800) || (n == 4 && (cp < 0x10000 || cp > 0x10ffff)) ||
        (cp >= 0xd800 && cp <= 0xdfff))
        return 0;
done:
    if (cp_out != NULL)
        *cp_out = cp;
    return n;
}

/*
 * Characters a reader cannot see, or that reorder what is shown around
 * them, so that a name can display as another (CVE-2021-42574, "Trojan
 * Source", showed it for source code).  ALM, LRM and RLM, the embeddings
 * and overrides (LRE, RLE, PDF, LRO, RLO) and the isolates (LRI, RLI, FSI,
 * PDI) are exactly Unicode's Bidi_Control property (PropList.txt): the
 * marks are as invisible as the rest and move neutral characters.  Then
 * the zero-width space, non-joiner and joiner, the word joiner and the
 * zero-width no-break space (a BOM inside text), which hide a difference
 * between two names, and the line and paragraph separators, which break a
 * line where a reader sees no newline.  Sorted; ranges inclusive.
 */
static const struct { unsigned long first, last; } invisible_table[] = {
    { 0x061c, 0x061c },     /* ALM */
    { 0x200b, 0x200d },     /* ZWSP, ZWNJ, ZWJ */
    { 0x200e, 0x200f },     /* LRM, RLM */
    { 0x2028, 0x2029 },     /* LS, PS */
    { 0x202a, 0x202e },     /* LRE, RLE, PDF, LRO, RLO */
    { 0x2060, 0x2060 },     /* WJ */
    { 0x2066, 0x2069 },     /* LRI, RLI, FSI, PDI */
    { 0xfeff, 0xfeff },     /* ZWNBSP (BOM) */
};

int util_invisible(unsigned long cp)
{
    size_t i;

    for (i = 0; i < sizeof(invisible_table) / sizeof(invisible_table[0]); i++) {
        if (cp < invisible_table[i].first)
            return 0;
        if (cp <= invisible_table[i].last)
            return 1;
    }
    return 0;
}

size_t util_escape(char *out, unsigned long cp)
{
    /* 21 bits are at most 6 digits: always fits */
    return (size_t)snprintf(out, UTIL_ESCAPE_SIZE, "<U+%04lX>", cp & 0x1ffffful);
}

size_t util_escape_len(const char *s)
{
    char want[UTIL_ESCAPE_SIZE];
    unsigned long cp = 0;
    size_t i;

    if (strncmp(s, "<U+", 3) != 0)
        return 0;
    for (i = 3; i < 9 && ((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'A' && s[i] <= 'F')); i++)
        cp = cp << 4 | (unsigned long)(s[i] <= '9' ? s[i] - '0' : s[i] - 'A' + 10);
    if (s[i] != '>' || !util_invisible(cp))
        return 0;
    /* only the spelling util_escape writes: no extra leading zeros */
    return util_escape(want, cp) == i + 1 && memcmp(want, s, i + 1) == 0 ? i + 1 : 0;
}

size_t util_sanitize(char *dst, size_t dstlen, const char *src)
{
    size_t o = 0, need = 0;
    int full = dstlen == 0;

    while (*src != '\0') {
        unsigned long cp = 0;
        size_t n = util_utf8_len(src, &cp), k = n;
        char esc[UTIL_ESCAPE_SIZE];
        const char *put = src;

        /* C0, DEL and C1 (U+0080..U+009F; U+009B is CSI) would act on a
         * terminal; invalid UTF-8 is replaced too */
        if (n == 0 || cp < 0x20 || cp == 0x7f || (cp >= 0x80 && cp <= 0x9f)) {
            put = "?";
            k = 1;
            n = n ? n : 1;
        } else if (util_invisible(cp)) {
            k = util_escape(esc, cp);
            put = esc;
        }
        /* whole or not at all, and nothing after the first that is not */
        if (!full && o + k < dstlen) {
            memcpy(dst + o, put, k);
            o += k;
        } else {
            full = 1;
        }
        need += k;
        src += n;
    }
    if (dstlen > 0)
        dst[o] = '\0';
    return need;
}

/* ---- secrets ----------------------------------------------------------- */

char *util_base64(const void *data, size_t len)
{
    static const char digits[] =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    const unsigned char *p = data;
    char *out = xmalloc((len + 2) / 3 * 4 + 1), *o = out;
    size_t i;

    for (i = 0; i + 2 < len; i += 3) {
        unsigned long v = (unsigned long)p[i] << 16 | (unsigned long)p[i + 1] << 8 |
                          p[i + 2];

        *o++ = digits[v >> 18 & 63];
        *o++ = digits[v >> 12 & 63];
        *o++ = digits[v >> 6 & 63];
        *o++ = digits[v & 63];
    }
    if (i < len) {
        unsigned long v = (unsigned long)p[i] << 16;

        if (i + 1 < len)
            v |= (unsigned long)p[i + 1] << 8;

        *o++ = digits[v >> 18 & 63];
        *o++ = digits[v >> 12 & 63];
        *o++ = i + 1 < len ? digits[v >> 6 & 63] : '=';
        *o++ = '=';
    }
    *o = '\0';
    return out;
}

size_t util_mask(char *buf, size_t len, const char *secret)
{
    size_t n = secret != NULL ? strlen(secret) : 0, i, hits = 0;

    if (n == 0 || n > len)
        return 0;
    for (i = 0; i + n <= len; i++) {
        if (buf[i] == secret[0] && memcmp(buf + i, secret, n) == 0) {
            memset(buf + i, '*', n);
            i += n - 1;
            hits++;
        }
    }
    return hits;
}

/* ---- terminal-safe JSON ------------------------------------------------ */

int util_fputs_json(const char *json, FILE *f)
{
    const unsigned char *p = (const unsigned char *)json;

    for (; *p != '\0'; p++) {
        unsigned long cp;
        size_t n;
        int rc;

        /* JSON text is ASCII outside its strings, so these bytes are
         * inside one, where \u escapes mean the same characters */
        n = *p >= 0x80 ? util_utf8_len((const char *)p, &cp) : 0;
        if (*p == 0x7f) {
            rc = fputs("\\u007f", f);
        } else if (n > 0 && (cp <= 0x9f || util_invisible(cp))) {
            /* all in the Basic Multilingual Plane: one \u escape each */
            rc = fprintf(f, "\\u%04lx", cp);
            p += n - 1;
        } else {
            rc = fputc(*p, f);
        }
        if (rc < 0)
            return EOF;
    }
    return 0;
}
