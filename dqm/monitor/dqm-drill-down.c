/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Drill-down: one scratch book; before each event only the histogram asked
 * about is cleared, so an event costs its reconstruction and one fill.
 * Events are reconstructed oldest first, as the analysis saw them. */
#include "dqm-drill-down.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "dqm-book.h"
#include "dqm-stream.h"

void
dqm_drill_region_bin (DqmDrillRegion *region, const char *histogram, guint ix, guint iy)
{
  memset (region, 0, sizeof *region);
  g_strlcpy (region->histogram, histogram, sizeof region->histogram);
  region->ix0 = region->ix1 = ix;
  region->iy0 = region->iy1 = iy;
}

/* The run scope's name: an event fills both scopes alike. */
static char *
run_scope_name (const char *name)
{
  return g_str_has_suffix (name, "_spill") ? g_strndup (name, strlen (name) - strlen ("_spill")) : g_strdup (name);
}

static gboolean
region_filled (const DqmHistogram *h, const DqmDrillRegion *r)
{
  guint ny = dqm_histogram_is_2d (h) ? h->ny + 1 : 0;

  for (guint iy = r->iy0; iy <= MIN (r->iy1, ny); iy++)
    for (guint ix = r->ix0; ix <= MIN (r->ix1, h->nx + 1); ix++)
      if (dqm_histogram_get (h, ix, iy) != 0)
        return TRUE;
  return FALSE;
}

GArray *
dqm_drill_down (DqmEventList *list, const DqmSetup *setup, const DqmDrillRegion *region, guint max,
                GCancellable *cancellable, GError **error)
{
  g_autoptr(DqmBook) book = dqm_book_new (setup);
  g_autoptr(DqmReco) reco = dqm_reco_new (setup);
  g_autofree DqmEvent *storage = g_new (DqmEvent, 1);
  g_autofree DqmRecoEvent *event = g_new (DqmRecoEvent, 1);
  g_autofree char *name = run_scope_name (region->histogram);
  g_autoptr(GArray) found = g_array_new (FALSE, FALSE, sizeof (guint));
  const char *const *histories = dqm_book_history_names ();
  DqmHistogram *h = dqm_book_get_filled (book, DQM_SCOPE_RUN, name);

  if (h == NULL || g_strv_contains (histories, name) || g_str_has_prefix (name, "pedestal_")
      || g_str_has_prefix (name, "led_") || g_str_has_prefix (name, "central_cell"))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                   _("%s is not filled event by event: no event can be found in it"), region->histogram);
      return NULL;
    }
  /* In stream order: the reconstruction follows the pedestals as it goes. */
  for (guint i = 0; i < dqm_event_list_length (list); i++)
    {
      DqmMessage message;
      gsize length;
      const guint8 *data = dqm_event_list_get (list, i, &length);

      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        return NULL;
      if (!dqm_stream_decode (data, length, &message, storage, NULL) || message.type != DQM_MSG_EVT)
        continue;
      dqm_reco_event (reco, message.run, message.evt, event);
      dqm_book_reset_histogram (book, name);
      dqm_book_fill (book, event);
      if (region_filled (h, region))
        g_array_append_val (found, i);
    }
  /* Newest first, the newest @max. */
  for (guint a = 0, b = found->len; a + 1 < b; a++, b--)
    {
      guint swap = g_array_index (found, guint, a);

      g_array_index (found, guint, a) = g_array_index (found, guint, b - 1);
      g_array_index (found, guint, b - 1) = swap;
    }
  if (max && found->len > max)
    g_array_set_size (found, max);
  return g_steal_pointer (&found);
}
