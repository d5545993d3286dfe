/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The past runs' snapshots, listed and read for the web view. */
#include "dqm-web-runs.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "dqm-root-json.h"

#define MAX_NAME        64
#define LIST_EVERY_US   G_USEC_PER_SEC /* a new listing at most once a second */
#define KEPT_SNAPSHOTS  4              /* whose histograms stay in memory */
#define MAX_FILE        (256 << 20)    /* a snapshot's file, at most */

struct _DqmWebRuns {
  char       *dir;
  GPtrArray  *names;       /* the listing, newest first */
  gint64      listed_us;
  GHashTable *lines;       /* name → JsonNode: its figures for summary.json */
  GHashTable *histograms;  /* name → GPtrArray, for the KEPT_SNAPSHOTS last read */
  GQueue      recent;      /* those names, the last read first */
};

/* "run-" and then digits, letters and '-' only: a name the monitor writes
 * (run-000123, run-000123-spill-0004, run-000123-2), and no hidden
 * ".run-….partial-…" that is still being written. */
static gboolean
run_name (const char *name)
{
  if (!g_str_has_prefix (name, "run-") || strlen (name) > MAX_NAME || !g_ascii_isdigit (name[4]))
    return FALSE;
  for (const char *c = name; *c; c++)
    if (!g_ascii_isalnum (*c) && *c != '-')
      return FALSE;
  return TRUE;
}

/* A real directory (no link) with a summary.json in it; when its summary
 * was written (a snapshot is renamed into place whole). */
static gboolean
snapshot_there (const char *dir, const char *name, gint64 *written_ns)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autofree char *summary = g_build_filename (path, "summary.json", NULL);
  struct stat st;

  if (lstat (path, &st) != 0 || !S_ISDIR (st.st_mode) || lstat (summary, &st) != 0 || !S_ISREG (st.st_mode))
    return FALSE;
  *written_ns = st.st_mtim.tv_sec * (gint64) 1000000000 + st.st_mtim.tv_nsec;
  return TRUE;
}

typedef struct {
  char  *name;
  gint64 written_ns;
} Listed;

/* Newest first: the higher run, then of one run's snapshots (its end's, a
 * spill's, a second one "-2") the later written, then the later name. */
static int
newest_first (gconstpointer a, gconstpointer b)
{
  const Listed *x = a, *y = b;
  guint64 rx = g_ascii_strtoull (x->name + 4, NULL, 10), ry = g_ascii_strtoull (y->name + 4, NULL, 10);

  if (rx != ry)
    return rx < ry ? 1 : -1;
  if (x->written_ns != y->written_ns)
    return x->written_ns < y->written_ns ? 1 : -1;
  return -strcmp (x->name, y->name);
}

static gboolean
not_listed (gpointer name, gpointer value, gpointer names)
{
  return !g_ptr_array_find_with_equal_func (names, name, g_str_equal, NULL);
}

static void
list (DqmWebRuns *self)
{
  g_autoptr(GDir) dir = NULL;
  g_autoptr(GArray) listed = g_array_new (FALSE, FALSE, sizeof (Listed));
  const char *name;
  gint64 now = g_get_monotonic_time ();
  Listed l;

  if (self->listed_us && now - self->listed_us < LIST_EVERY_US)
    return;
  self->listed_us = now;
  g_ptr_array_set_size (self->names, 0);
  if (self->dir == NULL || (dir = g_dir_open (self->dir, 0, NULL)) == NULL)
    return;
  while ((name = g_dir_read_name (dir)))
    if (run_name (name) && snapshot_there (self->dir, name, &l.written_ns))
      {
        l.name = g_strdup (name);
        g_array_append_val (listed, l);
      }
  g_array_sort (listed, newest_first);
  for (guint i = 0; i < listed->len; i++)
    g_ptr_array_add (self->names, g_array_index (listed, Listed, i).name); /* taken */
  g_hash_table_foreach_remove (self->lines, not_listed, self->names);
}

DqmWebRuns *
dqm_web_runs_new (const char *dir)
{
  DqmWebRuns *self = g_new0 (DqmWebRuns, 1);

  self->dir = g_strdup (dir);
  self->names = g_ptr_array_new_with_free_func (g_free);
  self->lines = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) json_node_unref);
  self->histograms = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) g_ptr_array_unref);
  g_queue_init (&self->recent);
  return self;
}

void
dqm_web_runs_free (DqmWebRuns *self)
{
  if (self == NULL)
    return;
  g_queue_clear_full (&self->recent, g_free);
  g_hash_table_unref (self->histograms);
  g_hash_table_unref (self->lines);
  g_ptr_array_unref (self->names);
  g_free (self->dir);
  g_free (self);
}

gboolean
dqm_web_runs_has (DqmWebRuns *self, const char *name)
{
  list (self);
  return g_ptr_array_find_with_equal_func (self->names, name, g_str_equal, NULL);
}

/* DIR/NAME/FILE, a regular file in a real directory: no link on the way is
 * followed (one put there after the listing included). The error names the
 * snapshot, not where it lies on the monitor's disk. */
static GBytes *
read_no_link (const char *dir, const char *name, const char *file, GError **error)
{
  g_autofree char *top = g_build_filename (dir, name, NULL);
  int folder = open (top, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC), fd = -1, saved;
  g_autoptr(GByteArray) bytes = g_byte_array_new ();
  struct stat st;

  if (folder >= 0)
    fd = openat (folder, file, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
  errno = 0;
  if (fd >= 0 && fstat (fd, &st) == 0 && !(S_ISREG (st.st_mode) && st.st_size < MAX_FILE))
    errno = EINVAL; /* a directory, a device, a file too large */
  else if (fd >= 0)
    {
      guint8 chunk[65536];
      ssize_t n;

      while ((n = read (fd, chunk, sizeof chunk)) > 0)
        g_byte_array_append (bytes, chunk, n);
      if (n == 0)
        {
          close (fd);
          close (folder);
          return g_byte_array_free_to_bytes (g_steal_pointer (&bytes));
        }
    }
  saved = errno ? errno : EIO;
  if (fd >= 0)
    close (fd);
  if (folder >= 0)
    close (folder);
  g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved), "%s/%s cannot be read: %s", name, file,
               g_strerror (saved));
  return NULL;
}

GBytes *
dqm_web_runs_file (DqmWebRuns *self, const char *name, const char *file, GError **error)
{
  if (!dqm_web_runs_has (self, name) || (!g_str_equal (file, "summary.json") && !g_str_equal (file, "histograms.json")))
    {
      g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_NOENT, "%s/%s: no such snapshot file", name, file);
      return NULL;
    }
  return read_no_link (self->dir, name, file, error);
}

static void
copy_member (JsonObject *to, JsonObject *from, const char *member)
{
  JsonNode *node = json_object_get_member (from, member);

  if (node)
    json_object_set_member (to, member, json_node_copy (node));
}

/* The figures of one snapshot that a table of runs shows: what, when, how
 * much (events, spills, the S1·S2 beam counts of its spills) and the worst
 * alarm latched, with the alarms that latched. */
static JsonNode *
line_of (DqmWebRuns *self, const char *name)
{
  static const char *const copied[] = {
    "run", "beam", "beam_energy_gev", "setup_tag", "start", "end", "ended", "events", "n_spills",
    "snapshot_time", "signal_box_candidates_total",
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = dqm_web_runs_file (self, name, "summary.json", &error);
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *line = json_object_new ();
  JsonNode *node = json_node_new (JSON_NODE_OBJECT);
  JsonObject *summary;
  JsonArray *latched = json_array_new ();
  const char *worst = "OK";
  gint64 beam_counts = 0;

  json_node_take_object (node, line);
  json_object_set_string_member (line, "name", name);
  if (bytes == NULL
      || !json_parser_load_from_data (parser, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), &error)
      || !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    {
      g_autofree char *why = g_strdup_printf ("%s/summary.json: %s", name,
                                              error ? error->message : "holds no JSON object");

      json_object_set_string_member (line, "error", why);
      json_array_unref (latched);
      return node;
    }
  summary = json_node_get_object (json_parser_get_root (parser));
  for (guint i = 0; i < G_N_ELEMENTS (copied); i++)
    copy_member (line, summary, copied[i]);
  if (json_object_has_member (summary, "spills") && JSON_NODE_HOLDS_ARRAY (json_object_get_member (summary, "spills")))
    {
      JsonArray *spills = json_object_get_array_member (summary, "spills");

      for (guint i = 0; i < json_array_get_length (spills); i++)
        {
          JsonNode *spill = json_array_get_element (spills, i);

          if (JSON_NODE_HOLDS_OBJECT (spill))
            beam_counts += json_object_get_int_member_with_default (json_node_get_object (spill), "beam_counts", 0);
        }
    }
  json_object_set_int_member (line, "beam_counts", beam_counts);
  if (json_object_has_member (summary, "alarms") && JSON_NODE_HOLDS_ARRAY (json_object_get_member (summary, "alarms")))
    {
      JsonArray *alarms = json_object_get_array_member (summary, "alarms");

      for (guint i = 0; i < json_array_get_length (alarms); i++)
        {
          JsonNode *alarm = json_array_get_element (alarms, i);
          const char *id, *state;

          if (!JSON_NODE_HOLDS_OBJECT (alarm))
            continue;
          id = json_object_get_string_member_with_default (json_node_get_object (alarm), "id", "?");
          state = json_object_get_string_member_with_default (json_node_get_object (alarm), "latched", "OK");
          if (g_str_equal (state, "OK"))
            continue;
          json_array_add_string_element (latched, id);
          if (g_str_equal (state, "ALARM") || g_str_equal (worst, "OK"))
            worst = g_str_equal (state, "ALARM") ? "ALARM" : "WARNING";
        }
    }
  json_object_set_string_member (line, "worst_alarm", worst);
  json_object_set_array_member (line, "alarms_latched", latched);
  return node;
}

char *
dqm_web_runs_summary_json (DqmWebRuns *self)
{
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = json_node_new (JSON_NODE_ARRAY);
  JsonArray *lines = json_array_new ();

  list (self);
  json_node_take_array (root, lines);
  for (guint i = 0; i < self->names->len; i++)
    {
      const char *name = self->names->pdata[i];
      JsonNode *line = g_hash_table_lookup (self->lines, name);

      if (line == NULL)
        g_hash_table_insert (self->lines, g_strdup (name), line = line_of (self, name));
      json_array_add_element (lines, json_node_copy (line));
    }
  json_generator_set_root (generator, root);
  return json_generator_to_data (generator, NULL);
}

GPtrArray *
dqm_web_runs_histograms (DqmWebRuns *self, const char *name, GError **error)
{
  GPtrArray *histograms;
  g_autoptr(GBytes) bytes = NULL;
  GList *link;

  if (!dqm_web_runs_has (self, name))
    {
      g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_NOENT, "%s: no such snapshot", name);
      return NULL;
    }
  if ((histograms = g_hash_table_lookup (self->histograms, name)))
    {
      link = g_queue_find_custom (&self->recent, name, (GCompareFunc) strcmp);
      g_queue_unlink (&self->recent, link);
      g_queue_push_head_link (&self->recent, link);
      return g_ptr_array_ref (histograms);
    }
  if ((bytes = read_no_link (self->dir, name, "histograms.json", error)) == NULL)
    return NULL;
  if ((histograms = dqm_root_json_read (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), error)) == NULL)
    {
      g_prefix_error (error, "%s/histograms.json: ", name);
      return NULL;
    }
  if (g_queue_get_length (&self->recent) >= KEPT_SNAPSHOTS)
    {
      g_autofree char *oldest = g_queue_pop_tail (&self->recent);

      g_hash_table_remove (self->histograms, oldest);
    }
  g_queue_push_head (&self->recent, g_strdup (name));
  g_hash_table_insert (self->histograms, g_strdup (name), g_ptr_array_ref (histograms));
  return histograms;
}
