/* test_app_atomic.c: saving survives a failure at every step (fault injection). */

/*
 * How the faults get in: this program defines mkstemp, fchmod, open,
 * write, fsync, close and rename itself.  The linker binds app/util.c's
 * and app/config/yaml_edit.c's calls (static objects in this executable) to these
 * definitions, which pass through to the C library (dlsym RTLD_NEXT, so an
 * ASan build still goes through its interceptors) unless a fault is armed.
 * No production hook and no special link flags: --wrap would need a Makefile
 * rule, an LD_PRELOAD shim a second build product.  The atomic writer's
 * stream sends its bytes through write(2) itself (util.c's sink), so the
 * stdio buffer does not hide its writes from us.
 *
 * A fault is "the k-th call of OP fails with errno E" (or: writes only half
 * and returns short, is interrupted, returns 0).  Calls on descriptors the
 * save did not open are never touched.  Each case runs with k = 1, 2, ...
 * until the save no longer reaches the k-th call, so every call of every
 * step is failed once.  After each run:
 *   - failed before the final rename: the save reports the error (errno,
 *     or the message for yaml_doc_save), the file is byte-identical to the
 *     old one (or still absent), no temporary file is left;
 *   - failed after the rename (fsync or close of the directory), or a
 *     short or interrupted write: the save succeeds, the file is the new
 *     one, complete, with the old permissions;
 *   - yaml_doc_save: .bak is the old file after a success, and the
 *     previous .bak or the old file after a failure; a second, fault-free
 *     save of the same document then succeeds.
 *
 * Then the temporaries a killed save leaves: the next save of that file
 * removes them, and nothing that merely looks like them.
 */
#define _GNU_SOURCE
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <time.h>
#include <unistd.h>

#include "verdict/util.h"
#include "verdict/yaml_edit.h"

/* ---- the fault injector ------------------------------------------------ */

enum op { OP_MKSTEMP, OP_FCHMOD, OP_OPEN, OP_WRITE, OP_FSYNC, OP_CLOSE, OP_RENAME, N_OPS };
static const char *const op_names[N_OPS] = {
    "mkstemp", "fchmod", "open", "write", "fsync", "close", "rename",
};

enum mode {
    M_FAIL,             /* -1 with err */
    M_SHORT,            /* write half of it and return that: must go on */
    M_SHORT_THEN_FAIL,  /* half, then the next write fails with err */
    M_EINTR,            /* -1 EINTR before doing anything: must retry */
    M_ZERO,             /* write returns 0: must not loop for ever */
};

static struct {
    int armed;
    enum op op;
    enum mode mode;
    int nth, err;
    int calls[N_OPS];
    int fired, fired_after_rename, fail_next_write;
    int fds[16];
    size_t n_fds;
    const char *target;         /* the rename onto it is the commit */
    int target_renamed;
    int file_syncs;             /* fsyncs of files before that rename */
    int dir_syncs;              /* fsyncs of a directory after it */
} inj;

static void *real(const char *name)
{
    void *f = dlsym(RTLD_NEXT, name);

    if (f == NULL) {
        fprintf(stderr, "test_app_atomic: no %s in the C library\n", name);
        abort();
    }
    return f;
}

/* ISO C has no cast from dlsym's void * to a function pointer; POSIX
 * guarantees the bytes are the same. */
#define REAL(fn, name) do {                     \
        void *p_ = real(name);                  \
        memcpy(&(fn), &p_, sizeof(fn));         \
    } while (0)

static void track(int fd)
{
    if (inj.armed && fd >= 0 && inj.n_fds < sizeof(inj.fds) / sizeof(inj.fds[0]))
        inj.fds[inj.n_fds++] = fd;
}

static int tracked(int fd)
{
    size_t i;

    for (i = 0; i < inj.n_fds; i++)
        if (inj.fds[i] == fd)
            return 1;
    return 0;
}

static void untrack(int fd)
{
    size_t i;

    for (i = 0; i < inj.n_fds; i++) {
        if (inj.fds[i] == fd) {
            inj.fds[i] = inj.fds[--inj.n_fds];
            return;
        }
    }
}

/* Count a call of op; 1 when this is the one to fail. */
static int hit(enum op op)
{
    if (!inj.armed)
        return 0;
    inj.calls[op]++;
    if (op != inj.op || inj.calls[op] != inj.nth)
        return 0;
    inj.fired = 1;
    inj.fired_after_rename = inj.target_renamed;
    return 1;
}

int mkstemp(char *tmpl)
{
    int (*f)(char *);
    int fd;

    REAL(f, "mkstemp");

    if (hit(OP_MKSTEMP)) {
        errno = inj.err;
        return -1;
    }
    fd = f(tmpl);
    track(fd);
    return fd;
}

int fchmod(int fd, mode_t mode)
{
    int (*f)(int, mode_t);

    REAL(f, "fchmod");

    if (tracked(fd) && hit(OP_FCHMOD)) {
        errno = inj.err;
        return -1;
    }
    return f(fd, mode);
}

int open(const char *path, int flags, ...)
{
    int (*f)(const char *, int, ...);
    mode_t mode = 0;
    int fd;

    REAL(f, "open");

    if (flags & O_CREAT) {
        va_list ap;

        va_start(ap, flags);
        mode = (mode_t)va_arg(ap, int);
        va_end(ap);
    }
    if (hit(OP_OPEN)) {
        errno = inj.err;
        return -1;
    }
    fd = f(path, flags, mode);
    track(fd);
    return fd;
}

ssize_t write(int fd, const void *buf, size_t n)
{
    ssize_t (*f)(int, const void *, size_t);

    REAL(f, "write");

    if (!tracked(fd))
        return f(fd, buf, n);
    if (inj.fail_next_write) {
        inj.fail_next_write = 0;
        errno = inj.err;
        return -1;
    }
    if (!hit(OP_WRITE))
        return f(fd, buf, n);
    switch (inj.mode) {
    case M_SHORT:
    case M_SHORT_THEN_FAIL:
        inj.fail_next_write = inj.mode == M_SHORT_THEN_FAIL;
        return f(fd, buf, n > 1 ? n / 2 : n);
    case M_EINTR:
        errno = EINTR;
        return -1;
    case M_ZERO:
        return 0;
    case M_FAIL:
    default:
        errno = inj.err;
        return -1;
    }
}

int fsync(int fd)
{
    int (*f)(int);

    REAL(f, "fsync");

    struct stat st;
    int rc;

    REAL(f, "fsync");
    if (tracked(fd) && hit(OP_FSYNC)) {
        errno = inj.err;
        return -1;
    }
    rc = f(fd);
    if (rc == 0 && tracked(fd) && fstat(fd, &st) == 0) {
        if (S_ISDIR(st.st_mode))
            inj.dir_syncs += inj.target_renamed;
        else
            inj.file_syncs += !inj.target_renamed;
    }
    return rc;
}

int close(int fd)
{
    int (*f)(int);
    int was = tracked(fd), rc;

    REAL(f, "close");

    untrack(fd);
    rc = f(fd);                 /* Linux: the descriptor is gone even on EIO */
    if (was && hit(OP_CLOSE)) {
        errno = inj.err;
        return -1;
    }
    return rc;
}

int rename(const char *from, const char *to)
{
    int (*f)(const char *, const char *);
    int rc;

    REAL(f, "rename");

    if (hit(OP_RENAME)) {
        errno = inj.err;
        return -1;
    }
    rc = f(from, to);
    if (rc == 0 && inj.armed && inj.target != NULL && strcmp(to, inj.target) == 0)
        inj.target_renamed = 1;
    return rc;
}

static void arm(enum op op, enum mode mode, int nth, int err, const char *target)
{
    memset(&inj, 0, sizeof(inj));
    inj.op = op;
    inj.mode = mode;
    inj.nth = nth;
    inj.err = err;
    inj.target = target;
    inj.armed = 1;
}

static void disarm(void)
{
    inj.armed = 0;
    inj.n_fds = 0;
}

/* ---- files ------------------------------------------------------------- */

static void put(const char *path, const char *data, size_t len, mode_t mode)
{
    FILE *f = fopen(path, "wb");

    assert_non_null(f);
    assert_int_equal(fwrite(data, 1, len, f), len);
    assert_int_equal(fclose(f), 0);
    assert_int_equal(chmod(path, mode), 0);
}

static void assert_file(const char *path, const char *want, size_t want_len)
{
    size_t len = 0;
    char *got = util_read_file(path, &len);

    if (got == NULL)
        fail_msg("%s: cannot read it back: %s", path, strerror(errno));
    if (len != want_len || memcmp(got, want, len) != 0)
        fail_msg("%s: %zu bytes, wanted %zu (%s)", path, len, want_len,
                 len < want_len ? "cut short" : "different");
    free(got);
}

static void assert_mode(const char *path, mode_t want)
{
    struct stat st;

    assert_int_equal(stat(path, &st), 0);
    assert_int_equal(st.st_mode & 07777, want);
}

/* The directory holds exactly the names given (NULL-terminated): no
 * temporary file was left behind. */
static void assert_listing(const char *dir, const char *const *names, const char *what)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    size_t n = 0, want = 0, i;

    assert_non_null(d);
    while (names[want] != NULL)
        want++;
    while ((e = readdir(d)) != NULL) {
        int known = 0;

        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        for (i = 0; i < want; i++)
            known |= strcmp(e->d_name, names[i]) == 0;
        if (!known) {
            closedir(d);
            fail_msg("%s: left behind: %s", what, e->d_name);
        }
        n++;
    }
    closedir(d);
    if (n != want)
        fail_msg("%s: %zu files, wanted %zu", what, n, want);
}

/* ---- the cases --------------------------------------------------------- */

struct fault_case {
    enum op op;
    enum mode mode;
    int err;
};

static const struct fault_case cases[] = {
    { OP_MKSTEMP, M_FAIL, EACCES },     /* the temporary cannot be created */
    { OP_MKSTEMP, M_FAIL, EMFILE },
    { OP_FCHMOD, M_FAIL, EPERM },
    { OP_WRITE, M_FAIL, ENOSPC },       /* every write, one at a time */
    { OP_WRITE, M_FAIL, EIO },
    { OP_WRITE, M_FAIL, EFBIG },
    { OP_WRITE, M_SHORT, 0 },           /* short writes carry on */
    { OP_WRITE, M_SHORT_THEN_FAIL, ENOSPC },
    { OP_WRITE, M_EINTR, 0 },
    { OP_WRITE, M_ZERO, 0 },
    { OP_FSYNC, M_FAIL, EIO },          /* the file's, then the directory's */
    { OP_CLOSE, M_FAIL, EIO },          /* NFS and quotas report at close */
    { OP_CLOSE, M_FAIL, EDQUOT },
    { OP_RENAME, M_FAIL, EIO },
    { OP_RENAME, M_FAIL, EXDEV },
    { OP_OPEN, M_FAIL, EACCES },        /* the directory, for its fsync */
};
#define N_CASES (sizeof(cases) / sizeof(cases[0]))

static int must_succeed(const struct fault_case *c)
{
    return !inj.fired || inj.fired_after_rename || c->mode == M_SHORT || c->mode == M_EINTR;
}

static int want_errno(const struct fault_case *c)
{
    return c->mode == M_ZERO ? ENOSPC : c->err;
}

static char dir[64];

static int setup(void **state)
{
    (void)state;
    snprintf(dir, sizeof(dir), "/tmp/verdict-atomic-XXXXXX");
    return mkdtemp(dir) != NULL ? 0 : -1;
}

static int teardown(void **state)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    char path[512];

    (void)state;
    while (d != NULL && (e = readdir(d)) != NULL) {
        if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0) {
            snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
            unlink(path);
        }
    }
    if (d != NULL)
        closedir(d);
    return rmdir(dir);
}

/* A payload of many stdio buffers, so the writer makes many writes. */
static char *payload(size_t n, char seed)
{
    char *p = malloc(n);
    size_t i;

    assert_non_null(p);
    for (i = 0; i < n; i++)
        p[i] = (char)('a' + (seed + i * 7 + i / 61) % 26);
    for (i = 80; i < n; i += 81)
        p[i] = '\n';
    return p;
}

/*
 * util_write_file_atomic over an existing file (0640, 3 KB of old text)
 * and over no file at all: every call of every step failed once.
 */
static void run_util_cases(int existing)
{
    const size_t old_len = 3000, new_len = 100000;    /* ~13 stdio buffers */
    char *old = payload(old_len, 1), *data = payload(new_len, 2), path[256];
    const char *only[] = { "out.txt", NULL }, *none[] = { NULL };
    size_t i;
    int k, runs = 0, failures = 0;

    snprintf(path, sizeof(path), "%s/out.txt", dir);
    for (i = 0; i < N_CASES; i++) {
        const struct fault_case *c = &cases[i];

        for (k = 1; k < 200; k++) {
            int rc, saved;

            unlink(path);
            if (existing)
                put(path, old, old_len, 0640);
            arm(c->op, c->mode, k, c->err, path);
            errno = 0;
            rc = util_write_file_atomic(path, data, new_len);
            saved = errno;
            disarm();
            runs++;
            if (must_succeed(c)) {
                if (rc != 0)
                    fail_msg("%s #%d (%s): failed: %s", op_names[c->op], k,
                             strerror(c->err), strerror(saved));
                assert_file(path, data, new_len);
                assert_mode(path, existing ? 0640 : 0666 & ~(mode_t)022);
                assert_listing(dir, only, op_names[c->op]);
            } else {
                if (rc != -1)
                    fail_msg("%s #%d (%s): not reported", op_names[c->op], k,
                             strerror(c->err));
                assert_int_equal(saved, want_errno(c));
                if (existing) {
                    assert_file(path, old, old_len);
                    assert_mode(path, 0640);
                }
                assert_listing(dir, existing ? only : none, op_names[c->op]);
                failures++;
            }
            if (!inj.fired) {
                /* a clean run: the data was on disk before the rename,
                 * and the rename itself was made durable */
                assert_true(inj.file_syncs >= 1);
                assert_true(inj.dir_syncs >= 1);
                break;      /* the save no longer gets that far: next case */
            }
        }
        /* the step was reached at least once, and the loop ended */
        if (k < 2 || k >= 200)
            fail_msg("%s (%s): reached %d times", op_names[c->op], strerror(c->err), k - 1);
    }
    assert_true(failures > 0 && runs > failures);
    free(old);
    free(data);
}

static void test_util_faults_existing(void **state)
{
    (void)state;
    umask(022);
    run_util_cases(1);
}

static void test_util_faults_new_file(void **state)
{
    (void)state;
    umask(022);
    run_util_cases(0);
}

/*
 * The streaming interface (fetch -o): a caller that ignores fwrite's
 * result still gets the error from commit; abort leaves the old file.
 */
static void test_util_stream(void **state)
{
    const char *only[] = { "snap.json", NULL };
    char path[256];
    struct atomic_file af;
    int i, saved;

    (void)state;
    snprintf(path, sizeof(path), "%s/snap.json", dir);
    put(path, "old\n", 4, 0600);

    /* the third write fails; the caller goes on printing regardless */
    arm(OP_WRITE, M_FAIL, 3, ENOSPC, path);
    assert_int_equal(util_atomic_open(&af, path), 0);
    for (i = 0; i < 20000; i++)
        fprintf(af.f, "line %d of a long snapshot\n", i);
    assert_int_equal(util_atomic_commit(&af), -1);
    saved = errno;
    disarm();
    assert_int_equal(saved, ENOSPC);
    assert_file(path, "old\n", 4);
    assert_listing(dir, only, "stream");

    /* abort after writing: nothing of it anywhere */
    assert_int_equal(util_atomic_open(&af, path), 0);
    for (i = 0; i < 20000; i++)
        fprintf(af.f, "line %d\n", i);
    util_atomic_abort(&af);
    assert_file(path, "old\n", 4);
    assert_mode(path, 0600);
    assert_listing(dir, only, "abort");

    /* and a clean run replaces it */
    assert_int_equal(util_atomic_open(&af, path), 0);
    fputs("new\n", af.f);
    assert_int_equal(util_atomic_commit(&af), 0);
    assert_file(path, "new\n", 4);
    assert_mode(path, 0600);
    assert_listing(dir, only, "commit");
    unlink(path);
}

/*
 * A failing write in the middle of one big fwrite: glibc's fwrite goes on
 * with what the stream's sink says it wrote, and a sink that said -1 made
 * it copy past the end of the caller's buffer (a crash with `report
 * --format html -o` under ulimit -f).  The data ends at a page the process
 * may not read, so reading one byte too many faults here, with or without
 * ASan (which does not see inside the C library).
 */
static void test_util_fwrite_guard(void **state)
{
    const char *only[] = { "big.html", NULL };
    long page = sysconf(_SC_PAGESIZE);
    size_t len = 433337, span = (len + (size_t)page - 1) / (size_t)page * (size_t)page;
    char path[256], *map, *data;
    int k, rc;

    (void)state;
    map = mmap(NULL, span + (size_t)page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
               -1, 0);
    assert_true(map != MAP_FAILED);
    assert_int_equal(mprotect(map + span, (size_t)page, PROT_NONE), 0);
    data = map + span - len;                    /* the last byte touches the guard */
    memset(data, 'x', len);
    snprintf(path, sizeof(path), "%s/big.html", dir);
    /* the first write fails, or the k-th is short and the next fails */
    for (k = 1; k < 20; k++) {
        put(path, "old\n", 4, 0644);
        arm(OP_WRITE, k == 1 ? M_FAIL : M_SHORT_THEN_FAIL, k, EFBIG, path);
        errno = 0;
        rc = util_write_file_atomic(path, data, len);
        disarm();
        if (!inj.fired) {
            assert_int_equal(rc, 0);
            assert_file(path, data, len);
            break;
        }
        assert_int_equal(rc, -1);
        assert_int_equal(errno, EFBIG);
        assert_file(path, "old\n", 4);
        assert_listing(dir, only, "fwrite guard");
    }
    assert_true(k > 2 && k < 20);
    munmap(map, span + (size_t)page);
}

/*
 * Targets that are not regular files: a symbolic link keeps being a link
 * (its target is replaced); a FIFO and a character device are written
 * straight through, never renamed over.  /dev/full is reached through a
 * link in our directory, so a regression replaces the link, not the
 * device.
 */
static void test_util_special_targets(void **state)
{
    char link[256], real_file[256], fifo[256], full[256], buf[64];
    const char *after_link[] = { "real.txt", "link.txt", NULL };
    struct stat st;
    int rfd;
    ssize_t n;

    (void)state;
    snprintf(real_file, sizeof(real_file), "%s/real.txt", dir);
    snprintf(link, sizeof(link), "%s/link.txt", dir);
    put(real_file, "old\n", 4, 0644);
    assert_int_equal(symlink("real.txt", link), 0);
    assert_int_equal(util_write_file_atomic(link, "via link\n", 9), 0);
    assert_int_equal(lstat(link, &st), 0);
    assert_true(S_ISLNK(st.st_mode));
    assert_file(real_file, "via link\n", 9);
    assert_listing(dir, after_link, "symlink");
    unlink(link);
    unlink(real_file);

    snprintf(fifo, sizeof(fifo), "%s/pipe", dir);
    assert_int_equal(mkfifo(fifo, 0600), 0);
    rfd = open(fifo, O_RDONLY | O_NONBLOCK);    /* a reader, so the open does not wait */
    assert_true(rfd >= 0);
    assert_int_equal(util_write_file_atomic(fifo, "through\n", 8), 0);
    n = read(rfd, buf, sizeof(buf));
    assert_int_equal(n, 8);
    assert_memory_equal(buf, "through\n", 8);
    close(rfd);
    assert_int_equal(lstat(fifo, &st), 0);
    assert_true(S_ISFIFO(st.st_mode));
    unlink(fifo);

    if (stat("/dev/full", &st) == 0 && S_ISCHR(st.st_mode)) {
        snprintf(full, sizeof(full), "%s/full", dir);
        assert_int_equal(symlink("/dev/full", full), 0);
        errno = 0;
        assert_int_equal(util_write_file_atomic(full, "x\n", 2), -1);
        assert_int_equal(errno, ENOSPC);
        assert_int_equal(lstat(full, &st), 0);
        assert_true(S_ISLNK(st.st_mode));
        assert_int_equal(stat("/dev/full", &st), 0);
        assert_true(S_ISCHR(st.st_mode));
        unlink(full);
    }
    /* a null device node of our own (root only: mknod): written through,
     * still a device afterwards.  The writer used to rename a regular
     * file over it, which for `-o /dev/null` as root replaced the
     * system's /dev/null. */
    snprintf(full, sizeof(full), "%s/null", dir);
    if (mknod(full, S_IFCHR | 0666, makedev(1, 3)) == 0) {
        assert_int_equal(util_write_file_atomic(full, "gone\n", 5), 0);
        assert_int_equal(lstat(full, &st), 0);
        assert_true(S_ISCHR(st.st_mode));
        unlink(full);
    }
    /* a directory is refused, not renamed over */
    errno = 0;
    assert_int_equal(util_write_file_atomic(dir, "x", 1), -1);
    assert_int_equal(errno, EISDIR);
}

/* ---- yaml_doc_save ----------------------------------------------------- */

static const char yaml_old[] =
    "# team assumptions: keep this comment\n"
    "version: 1\n"
    "economics:\n"
    "  horizon_months: 24   # two years\n"
    "  discount_rate: 0.08\n"
    "services:\n"
    "  - name: checkout\n"
    "    language: python\n"
    "    instances: 12\n";
static const char yaml_bak_before[] = "# the backup from an earlier save\nversion: 1\n";

static void test_yaml_save_faults(void **state)
{
    const char *both[] = { "v.yaml", "v.yaml.bak", NULL };
    char path[256], bak[256], err[512];
    char *want = NULL;
    size_t want_len = 0, i;
    int k, runs = 0, failures = 0;

    (void)state;
    snprintf(path, sizeof(path), "%s/v.yaml", dir);
    snprintf(bak, sizeof(bak), "%s/v.yaml.bak", dir);
    for (i = 0; i < N_CASES; i++) {
        const struct fault_case *c = &cases[i];

        for (k = 1; k < 50; k++) {
            struct yaml_doc *d = NULL;
            enum yaml_save_status st;
            const char *text;
            size_t len;

            put(path, yaml_old, sizeof(yaml_old) - 1, 0640);
            put(bak, yaml_bak_before, sizeof(yaml_bak_before) - 1, 0640);
            assert_int_equal(yaml_doc_load(path, &d, err, sizeof(err)), 0);
            assert_int_equal(yaml_doc_set(d, "economics.horizon_months", "36", err,
                                          sizeof(err)), 0);
            text = yaml_doc_text(d, &len);
            if (want == NULL) {
                want = malloc(len);
                assert_non_null(want);
                memcpy(want, text, len);
                want_len = len;
            }
            err[0] = '\0';
            arm(c->op, c->mode, k, c->err, path);
            st = yaml_doc_save(d, err, sizeof(err));
            disarm();
            runs++;
            if (must_succeed(c)) {
                if (st != YAML_SAVE_OK)
                    fail_msg("save, %s #%d (%s): failed: %s", op_names[c->op], k,
                             strerror(c->err), err);
                assert_file(path, want, want_len);
                assert_file(bak, yaml_old, sizeof(yaml_old) - 1);
                assert_mode(path, 0640);
                assert_int_equal(yaml_doc_dirty(d), 0);
            } else {
                size_t bak_len = 0;
                char *b;

                if (st != YAML_SAVE_IO)
                    fail_msg("save, %s #%d (%s): status %d", op_names[c->op], k,
                             strerror(c->err), (int)st);
                /* "cannot save PATH: REASON (the file is unchanged)" */
                assert_non_null(strstr(err, "cannot save"));
                assert_non_null(strstr(err, path));
                assert_non_null(strstr(err, "unchanged"));
                if (c->mode == M_FAIL || c->mode == M_SHORT_THEN_FAIL)
                    assert_non_null(strstr(err, strerror(c->err)));
                assert_file(path, yaml_old, sizeof(yaml_old) - 1);
                assert_mode(path, 0640);
                /* .bak: the earlier backup, or the old file once its own
                 * rename went through; never something half-written */
                b = util_read_file(bak, &bak_len);
                assert_non_null(b);
                assert_true((bak_len == sizeof(yaml_bak_before) - 1 &&
                             memcmp(b, yaml_bak_before, bak_len) == 0) ||
                            (bak_len == sizeof(yaml_old) - 1 &&
                             memcmp(b, yaml_old, bak_len) == 0));
                free(b);
                assert_true(yaml_doc_dirty(d) > 0);     /* the edit is kept */
                failures++;
            }
            assert_listing(dir, both, op_names[c->op]);
            /* whatever happened, saving again without faults works */
            if (st != YAML_SAVE_OK) {
                assert_int_equal(yaml_doc_save(d, err, sizeof(err)), YAML_SAVE_OK);
                assert_file(path, want, want_len);
                assert_file(bak, yaml_old, sizeof(yaml_old) - 1);
                assert_listing(dir, both, "second save");
            }
            yaml_doc_free(d);
            if (!inj.fired) {
                /* the new text and the .bak were on disk before the
                 * rename, and the directory was synced after it */
                assert_true(inj.file_syncs >= 2);
                assert_true(inj.dir_syncs >= 1);
                break;
            }
        }
        if (k < 2 || k >= 50)
            fail_msg("save: %s (%s): reached %d times", op_names[c->op], strerror(c->err),
                     k - 1);
    }
    /* two temporaries (new text and .bak): most steps are reached twice */
    assert_true(failures > 20 && runs > failures);
    free(want);
    unlink(path);
    unlink(bak);
}

/* ---- stale temporaries --------------------------------------------------- */

/* Set path's times (not following a link) to `ago` seconds before now. */
static void age(const char *path, time_t ago)
{
    struct timespec t[2];

    clock_gettime(CLOCK_REALTIME, &t[0]);
    t[0].tv_sec -= ago;
    t[1] = t[0];
    assert_int_equal(utimensat(AT_FDCWD, path, t, AT_SYMLINK_NOFOLLOW), 0);
}

/* An old file at dir/name (an hour before this process started). */
static void put_old(const char *name, const char *data)
{
    char path[512];

    snprintf(path, sizeof(path), "%s/%s", dir, name);
    put(path, data, strlen(data), 0600);
    age(path, 3600);
}

/*
 * The predicate alone, so that what cannot be staged as a file here (a
 * file of another user when not root) is still covered: one base name,
 * one start; each case changes one thing from a stale temporary.
 */
static void test_stale_predicate(void **state)
{
    const struct timespec start = { 1700000000, 500000000 };
    const uid_t me = 1000;
    static const struct {
        const char *name;
        mode_t type;
        uid_t uid;
        time_t sec;
        long nsec;
        int stale;
        const char *why;
    } preds[] = {
        { "v.yaml.tmpAb12Cd", S_IFREG, 1000, 1699999000, 0, 1, "a killed save's" },
        { "v.yaml.bak.tmpZZ09az", S_IFREG, 1000, 1699999000, 0, 1, "a killed backup's" },
        { "v.yaml.tmpAb12Cd", S_IFREG, 1000, 1700000000, 499999999, 1, "1 ns before start" },
        { "v.yaml.tmpAb12Cd", S_IFREG, 1000, 1700000000, 500000000, 0, "at the start" },
        { "v.yaml.tmpAb12Cd", S_IFREG, 1000, 1700000001, 0, 0, "newer than the process" },
        { "v.yaml.tmpAb12Cd", S_IFREG, 0, 1699999000, 0, 0, "another user's" },
        { "v.yaml.tmpAb12Cd", S_IFLNK, 1000, 1699999000, 0, 0, "a symbolic link" },
        { "v.yaml.tmpAb12Cd", S_IFDIR, 1000, 1699999000, 0, 0, "a directory" },
        { "v.yaml.tmpAb12C", S_IFREG, 1000, 1699999000, 0, 0, "5 characters" },
        { "v.yaml.tmpAb12Cd7", S_IFREG, 1000, 1699999000, 0, 0, "7 characters" },
        { "v.yaml.tmpAb-2Cd", S_IFREG, 1000, 1699999000, 0, 0, "not mkstemp's alphabet" },
        { "v.yaml.tmp", S_IFREG, 1000, 1699999000, 0, 0, "no suffix" },
        { "v.yaml.bak.tmpAb12C", S_IFREG, 1000, 1699999000, 0, 0, "backup, 5 characters" },
        { "v.yaml.baktmpAb12Cd", S_IFREG, 1000, 1699999000, 0, 0, "not .bak.tmp" },
        { "v.yaml.bak", S_IFREG, 1000, 1699999000, 0, 0, "the backup itself" },
        { "v.yaml", S_IFREG, 1000, 1699999000, 0, 0, "the file itself" },
        { "w.yaml.tmpAb12Cd", S_IFREG, 1000, 1699999000, 0, 0, "another file's" },
        { "xv.yaml.tmpAb12Cd", S_IFREG, 1000, 1699999000, 0, 0, "a longer name's" },
        { "v.yaml.tmp.tmpAb12Cd", S_IFREG, 1000, 1699999000, 0, 0, "a temporary's temporary" },
    };
    size_t i;

    (void)state;
    for (i = 0; i < sizeof(preds) / sizeof(preds[0]); i++) {
        struct stat st;

        memset(&st, 0, sizeof(st));
        st.st_mode = preds[i].type | 0600;
        st.st_uid = preds[i].uid;
        st.st_mtim.tv_sec = preds[i].sec;
        st.st_mtim.tv_nsec = preds[i].nsec;
        if (util_stale_temp("v.yaml", preds[i].name, &st, me, &start) != preds[i].stale)
            fail_msg("%s (%s): wanted %s", preds[i].name, preds[i].why,
                     preds[i].stale ? "stale" : "kept");
    }
}

/* The start is in the past, and recent: this test began less than ten
 * minutes ago, even under a sanitizer. */
static void test_process_start(void **state)
{
    struct timespec start, now;

    (void)state;
    assert_int_equal(util_process_start(&start), 0);
    clock_gettime(CLOCK_REALTIME, &now);
    assert_true(start.tv_sec <= now.tv_sec);
    assert_true(now.tv_sec - start.tv_sec < 600);
    assert_true(start.tv_nsec >= 0 && start.tv_nsec < 1000000000L);
}

/*
 * The next save of out.txt removes what a killed save of it left (kill -9
 * between mkstemp and rename leaves exactly these), and nothing else:
 * near-miss names, a fresh temporary (another verdict saving right now),
 * a symbolic link named like one (and the file it points to), a directory,
 * another file's temporaries, and, when we can make one (as root), another
 * user's.
 */
static void test_stale_cleanup(void **state)
{
    const char *kept[] = {
        "out.txt", "out.txt.tmp12345", "out.txt.tmp1234567", "out.txt.tmpFresh1",
        "out.txt.tmpLink12", "victim", "other.txt.tmpAbCdEf", "out.txt.tmp12-456",
        "out.txt.tmpOther1", NULL
    };
    char path[256], p[512];
    struct stat st;

    (void)state;
    snprintf(path, sizeof(path), "%s/out.txt", dir);
    put(path, "old\n", 4, 0644);
    put_old("out.txt.tmpAb12Cd", "half a save");
    put_old("out.txt.bak.tmpZZ09az", "half a backup");
    put_old("out.txt.tmp12345", "5");
    put_old("out.txt.tmp1234567", "7");
    put_old("out.txt.tmp12-456", "-");
    put_old("other.txt.tmpAbCdEf", "not ours");
    put_old("victim", "a link points here");
    put_old("out.txt.tmpOther1", "another user's");
    snprintf(p, sizeof(p), "%s/out.txt.tmpOther1", dir);
    if (chown(p, 4242, 4242) != 0) {
        unlink(p);          /* not root: the predicate's test covers it */
        kept[8] = NULL;
    }
    snprintf(p, sizeof(p), "%s/out.txt.tmpFresh1", dir);
    put(p, "in progress", 11, 0600);
    snprintf(p, sizeof(p), "%s/out.txt.tmpLink12", dir);
    assert_int_equal(symlink("victim", p), 0);
    age(p, 3600);
    snprintf(p, sizeof(p), "%s/out.txt.tmpDirec1", dir);
    assert_int_equal(mkdir(p, 0700), 0);
    age(p, 3600);

    assert_int_equal(util_write_file_atomic(path, "new\n", 4), 0);
    assert_file(path, "new\n", 4);
    assert_int_equal(lstat(p, &st), 0);
    assert_true(S_ISDIR(st.st_mode));
    assert_int_equal(rmdir(p), 0);
    assert_listing(dir, kept, "cleanup");
    snprintf(p, sizeof(p), "%s/victim", dir);
    assert_file(p, "a link points here", 18);
}

/*
 * yaml_doc_save cleans too, beside the file it really writes: through a
 * symbolic link, the target's temporaries go and a stale-looking name
 * beside the link (not the target's) stays.
 */
static void test_stale_yaml_save(void **state)
{
    const char *kept[] = { "link.yaml", "link.yaml.tmpAbCdEf", "real", NULL };
    const char *in_real[] = { "v.yaml", "v.yaml.bak", NULL };
    char link[256], real_dir[256], path[320], p[512], err[512];
    struct yaml_doc *d = NULL;

    (void)state;
    snprintf(real_dir, sizeof(real_dir), "%s/real", dir);
    assert_int_equal(mkdir(real_dir, 0700), 0);
    snprintf(path, sizeof(path), "%s/v.yaml", real_dir);
    put(path, yaml_old, sizeof(yaml_old) - 1, 0644);
    snprintf(link, sizeof(link), "%s/link.yaml", dir);
    assert_int_equal(symlink("real/v.yaml", link), 0);
    put_old("link.yaml.tmpAbCdEf", "beside the link: not the target's");
    put_old("real/v.yaml.tmpAb12Cd", "half a save");
    put_old("real/v.yaml.bak.tmpZZ09az", "half a backup");

    assert_int_equal(yaml_doc_load(link, &d, err, sizeof(err)), 0);
    assert_int_equal(yaml_doc_set(d, "economics.horizon_months", "36", err, sizeof(err)), 0);
    assert_int_equal(yaml_doc_save(d, err, sizeof(err)), YAML_SAVE_OK);
    yaml_doc_free(d);
    assert_listing(dir, kept, "beside the link");
    assert_listing(real_dir, in_real, "beside the target");
    unlink(path);
    snprintf(p, sizeof(p), "%s.bak", path);
    unlink(p);
    assert_int_equal(rmdir(real_dir), 0);
}

int main(void)
{
    /* each test in a new, empty directory, removed afterwards */
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_util_faults_existing, setup, teardown),
        cmocka_unit_test_setup_teardown(test_util_faults_new_file, setup, teardown),
        cmocka_unit_test_setup_teardown(test_util_stream, setup, teardown),
        cmocka_unit_test_setup_teardown(test_util_fwrite_guard, setup, teardown),
        cmocka_unit_test_setup_teardown(test_util_special_targets, setup, teardown),
        cmocka_unit_test_setup_teardown(test_yaml_save_faults, setup, teardown),
        cmocka_unit_test_setup_teardown(test_stale_predicate, setup, teardown),
        cmocka_unit_test(test_process_start),
        cmocka_unit_test_setup_teardown(test_stale_cleanup, setup, teardown),
        cmocka_unit_test_setup_teardown(test_stale_yaml_save, setup, teardown),
    };

    return cmocka_run_group_tests_name("atomic", tests, NULL, NULL);
}
