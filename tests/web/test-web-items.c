/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The web view's items: every histogram of a run is in h.json once, in a
 * named folder, and an item path finds exactly it and nothing else. */
#include <string.h>

#include <glib.h>
#include <json-glib/json-glib.h>

#include "dqm-web-items.h"
#include "test-chain.h"

static void
test_hierarchy_lists_every_histogram_once (void)
{
  g_autoptr(DqmState) state = test_short_run_state ();
  g_autofree char *text = dqm_web_hierarchy_json (state->histograms, "NA64 DQM: live histograms", 2000);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  JsonObject *top;
  JsonArray *folders;

  g_assert_true (json_parser_load_from_data (parser, text, -1, NULL));
  top = json_node_get_object (json_parser_get_root (parser));
  g_assert_cmpstr (json_object_get_string_member (top, "_kind"), ==, "ROOT.Session");
  folders = json_object_get_array_member (top, "_childs");
  for (guint f = 0; f < json_array_get_length (folders); f++)
    {
      JsonObject *folder = json_array_get_object_element (folders, f);
      const char *name = json_object_get_string_member (folder, "_name");
      JsonArray *items = json_object_get_array_member (folder, "_childs");

      g_assert_cmpstr (json_object_get_string_member (folder, "_kind"), ==, "ROOT.TFolder");
      g_assert_cmpstr (name, !=, "Other"); /* every histogram has a folder of its own */
      for (guint i = 0; i < json_array_get_length (items); i++)
        {
          JsonObject *item = json_array_get_object_element (items, i);
          const char *histogram = json_object_get_string_member (item, "_name");
          g_autofree char *path = g_strdup_printf ("%s/%s", name, histogram);
          const DqmHistogram *h = dqm_web_find_item (state->histograms, path);

          g_assert_nonnull (h);
          g_assert_cmpstr (h->name, ==, histogram);
          g_assert_cmpstr (json_object_get_string_member (item, "_kind"), ==,
                           dqm_histogram_is_2d (h) ? "ROOT.TH2D" : "ROOT.TH1D");
          g_assert_true (g_hash_table_add (seen, g_strdup (histogram)));
        }
    }
  g_assert_cmpuint (g_hash_table_size (seen), ==, state->histograms->len);
}

static void
test_item_paths_find_nothing_else (void)
{
  g_autoptr(DqmState) state = test_short_run_state ();
  const char *const wrong[] = {
    "ecal_energy", "HCAL/ecal_energy", "ECAL/ecal_energy/x", "ECAL/", "/ECAL/ecal_energy", "ECAL/nothing",
    "ECAL/../ECAL/ecal_energy", "", "Other/ecal_energy",
  };

  g_assert_nonnull (dqm_web_find_item (state->histograms, "ECAL/ecal_energy"));
  g_assert_nonnull (dqm_web_find_item (state->histograms, "Physics/ecal_vs_hcal"));
  for (guint i = 0; i < G_N_ELEMENTS (wrong); i++)
    g_assert_null (dqm_web_find_item (state->histograms, wrong[i]));
}

static void
test_alarm_states_are_an_item (void)
{
  g_autoptr(DqmState) state = test_short_run_state ();
  g_autoptr(DqmHistogram) h = NULL;

  g_assert_cmpuint (state->n_alarms, >, 10);
  /* This state is the test's own: two alarms raised. */
  state->alarms[1].state = DQM_ALARM_ALARM;
  state->alarms[2].state = DQM_ALARM_WARNING;
  h = dqm_web_alarm_states (state);
  g_assert_cmpfloat (dqm_histogram_get (h, 2, 0), ==, 2);
  g_assert_cmpfloat (dqm_histogram_get (h, 3, 0), ==, 1);
  g_assert_cmpuint (h->nx, ==, state->n_alarms);
  g_assert_cmpstr (dqm_web_folder_of (h->name), ==, "Alarms");
  for (guint i = 0; i < state->n_alarms; i++)
    {
      g_assert_cmpstr (h->x_labels[i], ==, state->alarms[i].id);
      g_assert_cmpfloat (dqm_histogram_get (h, i + 1, 0), ==, state->alarms[i].state);
    }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/web/hierarchy-lists-every-histogram-once", test_hierarchy_lists_every_histogram_once);
  g_test_add_func ("/web/item-paths-find-nothing-else", test_item_paths_find_nothing_else);
  g_test_add_func ("/web/alarm-states-are-an-item", test_alarm_states_are_an_item);
  return g_test_run ();
}
