/* SPDX-License-Identifier: GPL-3.0-or-later */
/* N64RAW01 files: buffered writing, memory-mapped reading. */
/* madvise() is a BSD/Linux call, outside the POSIX the project asks for. */
#define _DEFAULT_SOURCE
#include "dqm-file.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "dqm-error.h"
#include "dqm-stream.h"

struct _DqmFileWriter {
  FILE *file;
  char *path;
};

struct _DqmFileReader {
  GMappedFile *mapped;
  char *path;
  const guint8 *data;
  gsize size;
  gsize offset;
  gsize released;  /* pages before this were given back */
};

/* Read pages stay resident in a mapping: give back what lies behind us, a
 * few MB at a time, so a long file does not swell the monitor. */
#define RELEASE_CHUNK (8u << 20)

static gboolean
io_error (GError **error, int saved_errno, const char *path, const char *what)
{
  g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved_errno), "%s: %s: %s",
               path, what, g_strerror (saved_errno));
  return FALSE;
}

DqmFileWriter *
dqm_file_writer_new (const char *path, GError **error)
{
  DqmFileWriter *writer;
  int fd = g_open (path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
  FILE *file;

  if (fd < 0)
    {
      int saved = errno;

      if (saved == EEXIST)
        g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_EXIST,
                     "%s: already exists; a recording is never overwritten, choose another name", path);
      else
        io_error (error, saved, path, "cannot create");
      return NULL;
    }
  file = fdopen (fd, "wb");
  if (file == NULL)
    {
      io_error (error, errno, path, "cannot open");
      close (fd);
      return NULL;
    }
  /* A file without its whole magic is no recording: ours (O_EXCL), so gone. */
  if (fwrite (DQM_FILE_MAGIC, 1, DQM_FILE_MAGIC_SIZE, file) != DQM_FILE_MAGIC_SIZE || fflush (file) != 0)
    {
      io_error (error, errno, path, "cannot write");
      fclose (file);
      g_unlink (path);
      return NULL;
    }
  writer = g_new0 (DqmFileWriter, 1);
  writer->file = file;
  writer->path = g_strdup (path);
  return writer;
}

gboolean
dqm_file_writer_write (DqmFileWriter *writer, const guint8 *body, gsize length, GError **error)
{
  g_return_val_if_fail (writer != NULL, FALSE);

  if (fwrite (body, 1, length, writer->file) != length)
    return io_error (error, errno, writer->path, "cannot write");
  return TRUE;
}

gboolean
dqm_file_writer_close (DqmFileWriter *writer, GError **error)
{
  gboolean ok = TRUE;

  if (writer == NULL)
    return TRUE;
  /* ENOSPC often surfaces only here, when the buffer is flushed. */
  if (fflush (writer->file) != 0 || fsync (fileno (writer->file)) != 0)
    ok = io_error (error, errno, writer->path, "cannot write");
  if (fclose (writer->file) != 0 && ok)
    ok = io_error (error, errno, writer->path, "cannot close");
  g_free (writer->path);
  g_free (writer);
  return ok;
}

DqmFileReader *
dqm_file_reader_open (const char *path, GError **error)
{
  g_autoptr(GMappedFile) mapped = g_mapped_file_new (path, FALSE, error);
  DqmFileReader *reader;

  if (mapped == NULL)
    return NULL;
  if (g_mapped_file_get_length (mapped) < DQM_FILE_MAGIC_SIZE
      || memcmp (g_mapped_file_get_contents (mapped), DQM_FILE_MAGIC, DQM_FILE_MAGIC_SIZE) != 0)
    {
      g_set_error (error, DQM_ERROR, DQM_ERROR_FILE_FORMAT,
                   "%s: not a recorded NA64 stream (it does not start with “N64RAW01”)", path);
      return NULL;
    }
  reader = g_new0 (DqmFileReader, 1);
  reader->path = g_strdup (path);
  reader->data = (const guint8 *) g_mapped_file_get_contents (mapped);
  reader->size = g_mapped_file_get_length (mapped);
  reader->offset = DQM_FILE_MAGIC_SIZE;
  reader->mapped = g_steal_pointer (&mapped);
  return reader;
}

void
dqm_file_reader_free (DqmFileReader *reader)
{
  if (reader == NULL)
    return;
  g_mapped_file_unref (reader->mapped);
  g_free (reader->path);
  g_free (reader);
}

gsize
dqm_file_reader_offset (DqmFileReader *reader)
{
  g_return_val_if_fail (reader != NULL, 0);

  return reader->offset;
}

gsize
dqm_file_reader_size (DqmFileReader *reader)
{
  g_return_val_if_fail (reader != NULL, 0);

  return reader->size;
}

void
dqm_file_reader_rewind (DqmFileReader *reader)
{
  g_return_if_fail (reader != NULL);

  reader->offset = DQM_FILE_MAGIC_SIZE;
  reader->released = 0;
}

/* A plausible body starts here: magic, version, type and a size in range. */
static gboolean
header_at (DqmFileReader *reader, gsize offset, guint32 *size)
{
  return dqm_stream_peek_header (reader->data + offset, reader->size - offset, NULL, size, NULL)
         && *size >= DQM_HEADER_SIZE && *size <= DQM_MAX_BODY_SIZE;
}

DqmFileStatus
dqm_file_reader_next (DqmFileReader *reader, const guint8 **body, gsize *length, GError **error)
{
  g_return_val_if_fail (reader != NULL, 0);

  gsize start = reader->offset;
  gsize remaining = reader->size - start;
  guint32 size;

  if (remaining == 0)
    return DQM_FILE_END;

  if (!header_at (reader, start, &size))
    {
      /* Garbage or a body we cannot frame: look for the next "N64S". */
      gsize next = start + 1;

      while (next + DQM_HEADER_SIZE <= reader->size && !header_at (reader, next, &size))
        next++;
      if (next + DQM_HEADER_SIZE > reader->size)
        next = reader->size;
      reader->offset = next;
      if (next == reader->size && remaining < DQM_HEADER_SIZE)
        g_set_error (error, DQM_ERROR, DQM_ERROR_TRUNCATED,
                     "%s: the last body at byte %" G_GSIZE_FORMAT " is truncated (%" G_GSIZE_FORMAT
                     " bytes, shorter than a header); it is ignored", reader->path, start, remaining);
      else
        g_set_error (error, DQM_ERROR, DQM_ERROR_FILE_FORMAT,
                     "%s: %" G_GSIZE_FORMAT " bytes at byte %" G_GSIZE_FORMAT
                     " are not a stream-v1 body; skipped to the next one", reader->path, next - start, start);
      return DQM_FILE_DAMAGED;
    }
  if (size > remaining)
    {
      reader->offset = reader->size;
      g_set_error (error, DQM_ERROR, DQM_ERROR_TRUNCATED,
                   "%s: the last body at byte %" G_GSIZE_FORMAT " is truncated (%" G_GSIZE_FORMAT
                   " of its %u bytes); it is ignored, the bodies before it are kept",
                   reader->path, start, remaining, size);
      return DQM_FILE_DAMAGED;
    }
  if (start + size < reader->size && !header_at (reader, start + size, &(guint32){ 0 }))
    {
      /* What follows is no body: if one starts inside this one, this body
       * was cut short when it was written, and its size is a lie. */
      guint32 inner_size;

      for (gsize inner = start + DQM_HEADER_SIZE; inner < start + size; inner++)
        if (header_at (reader, inner, &inner_size))
          {
            reader->offset = inner;
            g_set_error (error, DQM_ERROR, DQM_ERROR_FILE_FORMAT,
                         "%s: the body at byte %" G_GSIZE_FORMAT " is cut short after %" G_GSIZE_FORMAT
                         " of its %u bytes; skipped", reader->path, start, inner - start, size);
            return DQM_FILE_DAMAGED;
          }
    }
  *body = reader->data + start;
  *length = size;
  reader->offset = start + size;
  if (start > reader->released + 2 * RELEASE_CHUNK)
    {
      gsize page = (gsize) sysconf (_SC_PAGESIZE);
      gsize end = (start - RELEASE_CHUNK) / page * page;

      madvise ((void *) (reader->data + reader->released), end - reader->released, MADV_DONTNEED);
      reader->released = end;
    }
  return DQM_FILE_BODY;
}
