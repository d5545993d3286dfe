/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Folders and items of the web view. */
#include "dqm-web-items.h"

#include <string.h>

#include <json-glib/json-glib.h>

/* The first prefix that fits names the folder; the order matters
 * (ecal_vs_hcal is physics, not ECAL). */
static const struct {
  const char *prefix, *folder;
} folders[] = {
  { "ecal_vs_hcal", "Physics" }, { "cut_flow", "Physics" }, { "event_class", "Physics" },
  { "ecal", "ECAL" }, { "ps_", "ECAL" }, { "bad_energy", "ECAL" }, { "shower_chi2", "ECAL" },
  { "central_cell", "ECAL" }, { "hcal", "HCAL" }, { "veto", "VETO" },
  { "srd", "Beam" }, { "momentum", "Beam" }, { "trigger", "Beam" },
  { "mm", "Trackers" }, { "time_", "Timing" },
  { "pedestal", "Channels" }, { "led", "Channels" },
  { "spill_", "Spills" }, /* one bin a spill: the run's history */
  { "alarm_", "Alarms" },
};

DqmHistogram *
dqm_web_alarm_states (const DqmState *state)
{
  guint n = MAX (state->n_alarms, 1);
  DqmHistogram *h = dqm_histogram_new_1d ("alarm_states", "Alarm states: 0 OK, 1 WARNING, 2 ALARM;;state", n, 0, n);
  g_autofree const char **ids = g_new0 (const char *, n + 1);

  for (guint i = 0; i < state->n_alarms; i++)
    {
      ids[i] = state->alarms[i].id;
      dqm_histogram_fill (h, i + 0.5, state->alarms[i].state);
    }
  if (state->n_alarms)
    dqm_histogram_set_x_labels (h, ids);
  return h;
}

const char *
dqm_web_folder_of (const char *histogram)
{
  for (guint i = 0; i < G_N_ELEMENTS (folders); i++)
    if (g_str_has_prefix (histogram, folders[i].prefix))
      return folders[i].folder;
  return "Other";
}

static const char *
kind_of (const DqmHistogram *h)
{
  return dqm_histogram_is_2d (h) ? "ROOT.TH2D" : "ROOT.TH1D";
}

/* The title before ROOT's ";x axis;y axis". */
static char *
title_of (const DqmHistogram *h)
{
  const char *semicolon = strchr (h->title, ';');

  return semicolon ? g_strndup (h->title, semicolon - h->title) : g_strdup (h->title);
}

char *
dqm_web_hierarchy_json (const GPtrArray *histograms, const char *title, guint monitoring_ms)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GPtrArray) names = g_ptr_array_new ();

  /* The folders in the order of the table, then Other. */
  for (guint i = 0; i < G_N_ELEMENTS (folders); i++)
    if (!g_ptr_array_find_with_equal_func (names, folders[i].folder, g_str_equal, NULL))
      g_ptr_array_add (names, (gpointer) folders[i].folder);
  g_ptr_array_add (names, "Other");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "_name"); json_builder_add_string_value (b, "");
  json_builder_set_member_name (b, "_kind"); json_builder_add_string_value (b, "ROOT.Session");
  json_builder_set_member_name (b, "_title"); json_builder_add_string_value (b, "NA64 DQM");
  /* What JSROOT's browser shows on top, and how often it redraws unless told. */
  json_builder_set_member_name (b, "_toptitle"); json_builder_add_string_value (b, title);
  if (monitoring_ms)
    {
      g_autofree char *ms = g_strdup_printf ("%u", monitoring_ms);

      json_builder_set_member_name (b, "_monitoring"); json_builder_add_string_value (b, ms);
    }
  json_builder_set_member_name (b, "_childs");
  json_builder_begin_array (b);
  for (guint f = 0; f < names->len; f++)
    {
      gboolean open = FALSE;

      for (guint i = 0; i < histograms->len; i++)
        {
          const DqmHistogram *h = histograms->pdata[i];
          g_autofree char *item_title = NULL;

          if (!g_str_equal (dqm_web_folder_of (h->name), names->pdata[f]))
            continue;
          if (!open)
            {
              json_builder_begin_object (b);
              json_builder_set_member_name (b, "_name"); json_builder_add_string_value (b, names->pdata[f]);
              json_builder_set_member_name (b, "_kind"); json_builder_add_string_value (b, "ROOT.TFolder");
              json_builder_set_member_name (b, "_childs");
              json_builder_begin_array (b);
              open = TRUE;
            }
          item_title = title_of (h);
          json_builder_begin_object (b);
          json_builder_set_member_name (b, "_name"); json_builder_add_string_value (b, h->name);
          json_builder_set_member_name (b, "_kind"); json_builder_add_string_value (b, kind_of (h));
          json_builder_set_member_name (b, "_title"); json_builder_add_string_value (b, item_title);
          json_builder_end_object (b);
        }
      if (open)
        {
          json_builder_end_array (b);
          json_builder_end_object (b);
        }
    }
  json_builder_end_array (b);
  json_builder_end_object (b);
  root = json_builder_get_root (b);
  json_generator_set_root (generator, root);
  return json_generator_to_data (generator, NULL);
}

const DqmHistogram *
dqm_web_find_item (const GPtrArray *histograms, const char *item)
{
  const char *slash = strchr (item, '/');
  const DqmHistogram *h = NULL;

  if (slash == NULL || strchr (slash + 1, '/'))
    return NULL;
  for (guint i = 0; i < histograms->len && h == NULL; i++)
    if (g_str_equal (((const DqmHistogram *) histograms->pdata[i])->name, slash + 1))
      h = histograms->pdata[i];
  if (h == NULL || strlen (dqm_web_folder_of (h->name)) != (gsize) (slash - item)
      || strncmp (dqm_web_folder_of (h->name), item, slash - item) != 0)
    return NULL;
  return h;
}
