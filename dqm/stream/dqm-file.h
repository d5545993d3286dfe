/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Recorded streams (stream-v1 "Files"): "N64RAW01" then bodies back to back.
 * The writer never replaces an existing file; the reader keeps every intact
 * body, reports a truncated tail and resynchronises after garbage. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define DQM_FILE_MAGIC "N64RAW01"
#define DQM_FILE_MAGIC_SIZE 8

typedef struct _DqmFileWriter DqmFileWriter;
typedef struct _DqmFileReader DqmFileReader;

DqmFileWriter *dqm_file_writer_new     (const char     *path,
                                        GError        **error);
gboolean       dqm_file_writer_write   (DqmFileWriter  *writer,
                                        const guint8   *body,
                                        gsize           length,
                                        GError        **error);
/* Flushes and closes; reports a late write error (disk full). Frees. */
gboolean       dqm_file_writer_close   (DqmFileWriter  *writer,
                                        GError        **error);

typedef enum {
  DQM_FILE_BODY,      /* *body and *length point into the mapped file */
  DQM_FILE_DAMAGED,   /* bytes skipped or a truncated tail: @error says what */
  DQM_FILE_END,
} DqmFileStatus;

DqmFileReader *dqm_file_reader_open    (const char     *path,
                                        GError        **error);
DqmFileStatus  dqm_file_reader_next    (DqmFileReader  *reader,
                                        const guint8  **body,
                                        gsize          *length,
                                        GError        **error);
gsize          dqm_file_reader_offset  (DqmFileReader  *reader);
gsize          dqm_file_reader_size    (DqmFileReader  *reader);
/* Rewind to the first body. */
void           dqm_file_reader_rewind  (DqmFileReader  *reader);
void           dqm_file_reader_free    (DqmFileReader  *reader);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (DqmFileReader, dqm_file_reader_free)

G_END_DECLS
