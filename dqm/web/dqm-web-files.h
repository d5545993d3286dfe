/* SPDX-License-Identifier: GPL-3.0-or-later */
/* JSROOT's files, served to browsers: the tree under a directory (JSROOT as
 * installed with the program) is listed once, at start, into a table of
 * relative names; a request is a key into that table, never a path. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct _DqmWebFiles DqmWebFiles;

/* Lists @root/modules and @root/fonts. NULL (with @error) when @root holds
 * no JSROOT (no modules/gui.mjs). */
DqmWebFiles *dqm_web_files_new   (const char   *root,
                                  GError      **error);
void         dqm_web_files_free  (DqmWebFiles  *files);
/* The contents of the file listed as @name ("modules/gui.mjs") and its
 * MIME type, or NULL when no such file was listed. Thread-safe. */
GBytes      *dqm_web_files_get   (DqmWebFiles  *files,
                                  const char   *name,
                                  const char  **type);
guint        dqm_web_files_count (DqmWebFiles  *files);
/* Where JSROOT is: $NA64DQM_JSROOT_DIR, the installed copy, or the one the
 * source tree's tests use. */
char        *dqm_web_files_default_root (void);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (DqmWebFiles, dqm_web_files_free)

G_END_DECLS
