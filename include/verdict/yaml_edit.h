/* yaml_edit.h: change values of a YAML file in place, keeping everything else. */
#ifndef VERDICT_YAML_EDIT_H
#define VERDICT_YAML_EDIT_H

#include <stddef.h>
#include <sys/types.h>
#include <time.h>

/*
 * A document loaded for editing keeps its original bytes.  Each edit
 * replaces exactly the bytes of one scalar (the marks of app/config/yaml_tree.c),
 * or inserts a missing key into an existing block map with the map's
 * indentation, so comments, order, quoting style of other values and
 * formatting survive byte for byte.  Saving writes a temporary file in the
 * same directory, fsyncs it, keeps the previous file as PATH.bak and
 * renames; it refuses when the file changed on disk since it was loaded
 * (size, mtime or content hash differ).
 *
 * Paths name a value with dots and service names in brackets:
 *   "economics.horizon_months"
 *   "services[checkout].instances"
 *   "services[checkout].team.experience"
 *   "scoring.weights.runtime_share"
 */
struct yaml_doc;

/* Load path.  Returns 0, or -1 with a message in err (errlen bytes). */
int yaml_doc_load(const char *path, struct yaml_doc **out, char *err, size_t errlen);

/* The same from memory (for tests and the embedded demo); name is used in
 * messages; save is refused for a document without a path. */
int yaml_doc_load_buffer(const char *name, const char *buf, size_t len,
                         struct yaml_doc **out, char *err, size_t errlen);

void yaml_doc_free(struct yaml_doc *d);

/* The current bytes (after edits), NUL-terminated; valid until the next edit. */
const char *yaml_doc_text(const struct yaml_doc *d, size_t *len);

/* Those bytes parsed (NULL for an empty document), with marks into them;
 * valid until the next edit.  The loader decodes this tree rather than
 * parse the text a second time (config_load_tree). */
const struct yaml_tree_node *yaml_doc_root(const struct yaml_doc *d);

/*
 * Set the value at path to `value`, which is YAML text for a scalar or a
 * flow sequence ("12", "0.25", "[2, 3, 5]", "some", "\"a b\"").  An
 * existing scalar keeps its quoting style when the new text allows it; an
 * existing flow sequence [..] may be replaced by a scalar and vice versa.
 * A missing key is added to its (block-style) parent map; missing maps on
 * the way are added too ("a.b.c" with no "b": "b:" then "  c: VALUE"), but
 * not missing list items ("services[NAME]" must exist).  The document is re-parsed after the
 * edit: if it no longer parses, or the value no longer reads back as
 * given, the edit is undone and -1 returned with the reason in err.
 * Returns 0 on success.
 */
int yaml_doc_set(struct yaml_doc *d, const char *path, const char *value, char *err,
                 size_t errlen);

/* Undo the last successful yaml_doc_set (edits form a stack).  Returns 0,
 * or -1 when there is nothing to undo. */
int yaml_doc_undo(struct yaml_doc *d);

/* Number of edits not yet saved (0 after a save). */
size_t yaml_doc_dirty(const struct yaml_doc *d);

/* Where the value at path is: 1-based line and column; 0 if absent. */
int yaml_doc_locate(const struct yaml_doc *d, const char *path, size_t *line, size_t *col);

enum yaml_save_status {
    YAML_SAVE_OK,
    YAML_SAVE_CHANGED_ON_DISK,   /* somebody else edited the file: refused */
    YAML_SAVE_NO_PATH,           /* loaded from memory */
    YAML_SAVE_IO                 /* write, fsync or rename failed (errno in err) */
};

/* Save as described above; the old version is kept as PATH.bak.  On any
 * failure the file on disk is the old one, complete.  Before writing, the
 * temporaries a killed save left are removed (util_clean_stale_temps). */
enum yaml_save_status yaml_doc_save(struct yaml_doc *d, char *err, size_t errlen);

/*
 * Write the current text (edits included) to path, a new file or one to
 * replace, atomically as util_atomic_open writes (a symbolic link is kept,
 * its target replaced; stale temporaries are cleaned).  No .bak and no
 * changed-on-disk check: the caller asks before replacing a file.  A path
 * that exists and is not a regular file (a directory, a FIFO, a device) is
 * refused.  On success path becomes the document's file: later saves go
 * there, compared with what was just written, and the edits count as
 * saved.  Returns YAML_SAVE_OK, YAML_SAVE_NO_PATH for an empty path, or
 * YAML_SAVE_IO with the reason in err; on failure the document is as it
 * was and an existing file at path is untouched.
 */
enum yaml_save_status yaml_doc_save_as(struct yaml_doc *d, const char *path, char *err,
                                       size_t errlen);

/* The file the last successful save replaced, its .bak beside it: the
 * path itself, or when that is a symbolic link, its target (absolute, as
 * realpath gives it).  NULL before the first save.  Valid until the next
 * save or yaml_doc_free. */
const char *yaml_doc_saved_to(const struct yaml_doc *d);

/* Test hook: make the save fail at a step (1 write, 2 fsync, 3 rename,
 * 0 none) so crash safety can be tested.  Not for production use. */
void yaml_doc_fail_at(struct yaml_doc *d, int step);

#endif /* VERDICT_YAML_EDIT_H */
