/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Recorded streams: write, read back, damage, and refuse to overwrite. */
#include <string.h>

#include <glib.h>
#include <glib/gstdio.h>

#include "dqm-error.h"
#include "dqm-file.h"
#include "dqm-stream.h"
#include "test-util.h"

typedef struct {
  char *dir;
  char *path;
  GPtrArray *bodies; /* GByteArray each, as written */
} Fixture;

static void
fixture_set_up (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autofree DqmEvent *event = g_new (DqmEvent, 1);
  DqmFileWriter *writer;

  f->dir = g_dir_make_tmp ("na64dqm-file-XXXXXX", &error);
  g_assert_no_error (error);
  f->path = g_build_filename (f->dir, "run.n64", NULL);
  f->bodies = g_ptr_array_new_with_free_func ((GDestroyNotify) g_byte_array_unref);
  for (guint i = 0; i < 25; i++)
    {
      test_fill_event (event, 1 + i * 3, 32, i);
      event->event_id = i + 1;
      g_ptr_array_add (f->bodies, test_encode_event (9, event));
    }
  writer = dqm_file_writer_new (f->path, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < f->bodies->len; i++)
    {
      GByteArray *body = f->bodies->pdata[i];

      g_assert_true (dqm_file_writer_write (writer, body->data, body->len, &error));
    }
  g_assert_true (dqm_file_writer_close (writer, &error));
  g_assert_no_error (error);
}

static void
fixture_tear_down (Fixture *f, gconstpointer data)
{
  g_autoptr(GDir) dir = g_dir_open (f->dir, 0, NULL);
  const char *name;

  while (dir && (name = g_dir_read_name (dir)))
    {
      g_autofree char *path = g_build_filename (f->dir, name, NULL);
      g_unlink (path);
    }
  g_rmdir (f->dir);
  g_free (f->dir);
  g_free (f->path);
  g_ptr_array_unref (f->bodies);
}

/* Reads @path; returns the bodies found and counts the damaged places. */
static GPtrArray *
read_all (const char *path, guint *damaged, GError **last_damage)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(DqmFileReader) reader = dqm_file_reader_open (path, &error);
  GPtrArray *found = g_ptr_array_new_with_free_func ((GDestroyNotify) g_byte_array_unref);
  const guint8 *body;
  gsize length;
  DqmFileStatus status;

  g_assert_no_error (error);
  *damaged = 0;
  while ((status = dqm_file_reader_next (reader, &body, &length, &error)) != DQM_FILE_END)
    {
      if (status == DQM_FILE_DAMAGED)
        {
          g_assert_nonnull (error);
          (*damaged)++;
          if (last_damage)
            {
              g_clear_error (last_damage);
              *last_damage = g_steal_pointer (&error);
            }
          g_clear_error (&error);
          continue;
        }
      g_ptr_array_add (found, g_byte_array_append (g_byte_array_new (), body, length));
    }
  return found;
}

static void
assert_same_bodies (GPtrArray *expected,
                    guint      first,
                    GPtrArray *found,
                    guint      found_first,
                    guint      count)
{
  for (guint i = 0; i < count; i++)
    {
      GByteArray *a = expected->pdata[first + i], *b = found->pdata[found_first + i];

      g_assert_cmpmem (a->data, a->len, b->data, b->len);
    }
}

static void
test_read_back (Fixture *f, gconstpointer data)
{
  guint damaged;
  g_autoptr(GPtrArray) found = read_all (f->path, &damaged, NULL);

  g_assert_cmpuint (damaged, ==, 0);
  g_assert_cmpuint (found->len, ==, f->bodies->len);
  assert_same_bodies (f->bodies, 0, found, 0, f->bodies->len);
}

/* Cut the file at every offset inside the last two bodies: the complete
 * bodies before the cut are all kept and the tail is reported. */
static void
test_truncated_tail (Fixture *f, gconstpointer data)
{
  g_autofree char *contents = NULL;
  g_autofree char *cut_path = g_build_filename (f->dir, "cut.n64", NULL);
  gsize size, offset = DQM_FILE_MAGIC_SIZE;
  guint n = f->bodies->len;

  g_assert_true (g_file_get_contents (f->path, &contents, &size, NULL));
  for (guint i = 0; i < n - 2; i++)
    offset += ((GByteArray *) f->bodies->pdata[i])->len;
  for (gsize cut = offset + 1; cut < size; cut += 7)
    {
      gsize boundary = offset + ((GByteArray *) f->bodies->pdata[n - 2])->len;
      guint damaged, complete = cut < boundary ? n - 2 : n - 1;
      g_autoptr(GError) damage = NULL;
      g_autoptr(GPtrArray) found = NULL;

      if (cut == boundary)
        continue; /* a clean end, not a truncation */

      g_assert_true (g_file_set_contents (cut_path, contents, cut, NULL));
      found = read_all (cut_path, &damaged, &damage);
      g_assert_cmpuint (found->len, ==, complete);
      assert_same_bodies (f->bodies, 0, found, 0, complete);
      g_assert_cmpuint (damaged, ==, 1);
      g_assert_error (damage, DQM_ERROR, DQM_ERROR_TRUNCATED);
      g_assert_nonnull (strstr (damage->message, "truncated"));
    }
}

/* Garbage between bodies, and a body cut short in the middle of the file,
 * lose only themselves. */
static void
test_damage_in_the_middle (Fixture *f, gconstpointer data)
{
  g_autoptr(GByteArray) file = g_byte_array_new ();
  g_autofree char *damaged_path = g_build_filename (f->dir, "damaged.n64", NULL);
  g_autoptr(GPtrArray) found = NULL;
  guint damaged;

  g_byte_array_append (file, (const guint8 *) DQM_FILE_MAGIC, DQM_FILE_MAGIC_SIZE);
  for (guint i = 0; i < f->bodies->len; i++)
    {
      GByteArray *body = f->bodies->pdata[i];

      if (i == 5)
        g_byte_array_append (file, (const guint8 *) "\x01garbage from a broken disk\xff", 29);
      if (i == 12)
        g_byte_array_append (file, body->data, body->len - 40); /* cut short, size field unchanged */
      else
        g_byte_array_append (file, body->data, body->len);
    }
  g_assert_true (g_file_set_contents (damaged_path, (const char *) file->data, file->len, NULL));
  found = read_all (damaged_path, &damaged, NULL);
  g_assert_cmpuint (damaged, ==, 2);
  g_assert_cmpuint (found->len, ==, f->bodies->len - 1);
  assert_same_bodies (f->bodies, 0, found, 0, 12);
  assert_same_bodies (f->bodies, 13, found, 12, f->bodies->len - 13);
}

static void
test_not_a_recording (Fixture *f, gconstpointer data)
{
  g_autofree char *other = g_build_filename (f->dir, "notes.txt", NULL);
  g_autoptr(GError) error = NULL;

  g_assert_true (g_file_set_contents (other, "shift notes", -1, NULL));
  g_assert_null (dqm_file_reader_open (other, &error));
  g_assert_error (error, DQM_ERROR, DQM_ERROR_FILE_FORMAT);
  g_assert_nonnull (strstr (error->message, "N64RAW01"));
  g_clear_error (&error);
  g_assert_null (dqm_file_reader_open ("/nonexistent.n64", &error));
  g_assert_nonnull (error);
}

static void
test_never_overwrites (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  gsize before_size, after_size;

  g_assert_true (g_file_get_contents (f->path, &before, &before_size, NULL));
  g_assert_null (dqm_file_writer_new (f->path, &error));
  g_assert_error (error, G_FILE_ERROR, G_FILE_ERROR_EXIST);
  g_assert_nonnull (strstr (error->message, "never overwritten"));
  g_assert_true (g_file_get_contents (f->path, &after, &after_size, NULL));
  g_assert_cmpmem (before, before_size, after, after_size);
  g_clear_error (&error);
  g_assert_null (dqm_file_writer_new ("/nonexistent-dir/run.n64", &error));
  g_assert_error (error, G_FILE_ERROR, G_FILE_ERROR_NOENT);
  g_assert_nonnull (strstr (error->message, "/nonexistent-dir/run.n64"));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add ("/file/read-back", Fixture, NULL, fixture_set_up, test_read_back, fixture_tear_down);
  g_test_add ("/file/truncated-tail", Fixture, NULL, fixture_set_up, test_truncated_tail, fixture_tear_down);
  g_test_add ("/file/damage-in-the-middle", Fixture, NULL, fixture_set_up, test_damage_in_the_middle, fixture_tear_down);
  g_test_add ("/file/not-a-recording", Fixture, NULL, fixture_set_up, test_not_a_recording, fixture_tear_down);
  g_test_add ("/file/never-overwrites", Fixture, NULL, fixture_set_up, test_never_overwrites, fixture_tear_down);
  return g_test_run ();
}
