/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The open run's checkpoint on disk, so a monitor killed mid-run (OOM,
 * power, kill -9) takes the run up again when it restarts: one file a run,
 * DIR/.checkpoint-run-NNNNNN, replaced atomically, removed once the run's
 * snapshot is written. The name comes from the run number alone. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

char     *dqm_checkpoint_path   (const char  *dir,
                                 guint32      run);
gboolean  dqm_checkpoint_write  (const char  *dir,
                                 guint32      run,
                                 GBytes      *checkpoint,
                                 GError     **error);
/* NULL without @error when the run has none. */
GBytes   *dqm_checkpoint_read   (const char  *dir,
                                 guint32      run,
                                 GError     **error);
void      dqm_checkpoint_remove (const char  *dir,
                                 guint32      run);
/* A plain struct (no pointers) as it lies in memory, for a checkpoint's
 * GVariant: "ay". */
GVariant *dqm_checkpoint_bytes  (gconstpointer data,
                                 gsize         size);

G_END_DECLS
