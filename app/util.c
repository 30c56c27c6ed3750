/* util.c: allocation that cannot fail, whole-file I/O, atomic saves, safe text. */
#include "verdict/util.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

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

char *util_read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    char *buf = NULL;
    size_t cap = 0, n = 0;
    int saved;

    if (f == NULL)
        return NULL;
    for (;;) {
        size_t got;

        if (cap - n < 65536) {
            cap = cap ? cap * 2 : 65536;
            buf = xrealloc(buf, cap + 1);
        }
        got = fread(buf + n, 1, cap - n, f);
        n += got;
        if (got == 0)
            break;
    }
    if (ferror(f)) {
        saved = errno ? errno : EIO;
        fclose(f);
        free(buf);
        errno = saved;
        return NULL;
    }
    fclose(f);
    buf[n] = '\0';
    if (len != NULL)
        *len = n;
    return buf;
}

int util_atomic_open(struct atomic_file *af, const char *path)
{
    size_t plen = strlen(path);
    struct stat st;
    mode_t mode = 0644;
    int fd, saved;

    memset(af, 0, sizeof(*af));
    if (stat(path, &st) == 0)
        mode = st.st_mode & 07777;
    af->tmp = xmalloc(plen + 16);
    snprintf(af->tmp, plen + 16, "%s.tmpXXXXXX", path);
    fd = mkstemp(af->tmp);
    if (fd < 0)
        goto fail;
    if (fchmod(fd, mode) != 0) {
        saved = errno;
        close(fd);
        unlink(af->tmp);
        errno = saved;
        goto fail;
    }
    af->f = fdopen(fd, "w");
    if (af->f == NULL) {
        saved = errno;
        close(fd);
        unlink(af->tmp);
        errno = saved;
        goto fail;
    }
    af->path = xstrdup(path);
    return 0;
fail:
    saved = errno;
    free(af->tmp);
    af->tmp = NULL;
    errno = saved;
    return -1;
}

void util_atomic_abort(struct atomic_file *af)
{
    int saved = errno;

    if (af->f != NULL)
        fclose(af->f);
    if (af->tmp != NULL)
        unlink(af->tmp);
    free(af->tmp);
    free(af->path);
    memset(af, 0, sizeof(*af));
    errno = saved;
}

int util_atomic_commit(struct atomic_file *af)
{
    int saved;

    if (fflush(af->f) != 0 || ferror(af->f) || fsync(fileno(af->f)) != 0)
        goto fail;
    if (fclose(af->f) != 0) {
        af->f = NULL;
        goto fail;
    }
    af->f = NULL;
    if (rename(af->tmp, af->path) != 0)
        goto fail;
    free(af->tmp);
    free(af->path);
    memset(af, 0, sizeof(*af));
    return 0;
fail:
    saved = errno ? errno : EIO;
    util_atomic_abort(af);
    errno = saved;
    return -1;
}

int util_write_file_atomic(const char *path, const char *data, size_t len)
{
    struct atomic_file af;

    if (util_atomic_open(&af, path) != 0)
        return -1;
    if (len > 0 && fwrite(data, 1, len, af.f) != len) {
        util_atomic_abort(&af);
        return -1;
    }
    return util_atomic_commit(&af);
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

void util_sanitize(char *dst, size_t dstlen, const char *src)
{
    size_t o = 0;

    if (dstlen == 0)
        return;
    while (*src != '\0' && o + 1 < dstlen) {
        unsigned long cp = 0;
        size_t n = util_utf8_len(src, &cp);

        /* C0, DEL and C1 (U+0080..U+009F; U+009B is CSI) would act on a
         * terminal; invalid UTF-8 is replaced too */
        if (n == 0 || cp < 0x20 || cp == 0x7f || (cp >= 0x80 && cp <= 0x9f)) {
            dst[o++] = '?';
            src += n ? n : 1;
        } else {
            if (o + n >= dstlen)
                break;
            memcpy(dst + o, src, n);
            o += n;
            src += n;
        }
    }
    dst[o] = '\0';
}
