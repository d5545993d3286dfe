/* SPDX-License-Identifier: GPL-3.0-or-later */
/* TBufferJSON-layout writing and reading of TH1D/TH2D lists. */
#include "dqm-root-json.h"

#include <math.h>
#include <string.h>

#include <json-glib/json-glib.h>


/* The attributes ROOT writes for every TAttLine/TAttFill/TAttMarker/TAxis,
 * with ROOT's defaults. */
static void
add_axis (JsonBuilder  *b,
          const char   *member,
          const char   *name,
          const char   *title,
          guint         n,
          double        min,
          double        max,
          char        **labels)
{
  json_builder_set_member_name (b, member);
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "_typename"); json_builder_add_string_value (b, "TAxis");
  json_builder_set_member_name (b, "fUniqueID"); json_builder_add_int_value (b, 0);
  json_builder_set_member_name (b, "fBits"); json_builder_add_int_value (b, 0);
  json_builder_set_member_name (b, "fName"); json_builder_add_string_value (b, name);
  json_builder_set_member_name (b, "fTitle"); json_builder_add_string_value (b, title);
  json_builder_set_member_name (b, "fNdivisions"); json_builder_add_int_value (b, 510);
  json_builder_set_member_name (b, "fAxisColor"); json_builder_add_int_value (b, 1);
  json_builder_set_member_name (b, "fLabelColor"); json_builder_add_int_value (b, 1);
  json_builder_set_member_name (b, "fLabelFont"); json_builder_add_int_value (b, 42);
  json_builder_set_member_name (b, "fLabelOffset"); json_builder_add_double_value (b, 0.005);
  json_builder_set_member_name (b, "fLabelSize"); json_builder_add_double_value (b, 0.035);
  json_builder_set_member_name (b, "fTickLength"); json_builder_add_double_value (b, 0.03);
  json_builder_set_member_name (b, "fTitleOffset"); json_builder_add_double_value (b, 1);
  json_builder_set_member_name (b, "fTitleSize"); json_builder_add_double_value (b, 0.035);
  json_builder_set_member_name (b, "fTitleColor"); json_builder_add_int_value (b, 1);
  json_builder_set_member_name (b, "fTitleFont"); json_builder_add_int_value (b, 42);
  json_builder_set_member_name (b, "fNbins"); json_builder_add_int_value (b, n);
  json_builder_set_member_name (b, "fXmin"); json_builder_add_double_value (b, min);
  json_builder_set_member_name (b, "fXmax"); json_builder_add_double_value (b, max);
  json_builder_set_member_name (b, "fXbins"); json_builder_begin_array (b); json_builder_end_array (b);
  json_builder_set_member_name (b, "fFirst"); json_builder_add_int_value (b, 0);
  json_builder_set_member_name (b, "fLast"); json_builder_add_int_value (b, 0);
  json_builder_set_member_name (b, "fBits2"); json_builder_add_int_value (b, 0);
  json_builder_set_member_name (b, "fTimeDisplay"); json_builder_add_boolean_value (b, FALSE);
  json_builder_set_member_name (b, "fTimeFormat"); json_builder_add_string_value (b, "");
  json_builder_set_member_name (b, "fLabels");
  if (labels)
    {
      /* A THashList of TObjString; fUniqueID numbers the bins from 1. */
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "_typename"); json_builder_add_string_value (b, "THashList");
      json_builder_set_member_name (b, "name"); json_builder_add_string_value (b, "THashList");
      json_builder_set_member_name (b, "arr");
      json_builder_begin_array (b);
      for (guint i = 0; labels[i]; i++)
        {
          json_builder_begin_object (b);
          json_builder_set_member_name (b, "_typename"); json_builder_add_string_value (b, "TObjString");
          json_builder_set_member_name (b, "fUniqueID"); json_builder_add_int_value (b, i + 1);
          json_builder_set_member_name (b, "fBits"); json_builder_add_int_value (b, 0);
          json_builder_set_member_name (b, "fString"); json_builder_add_string_value (b, labels[i]);
          json_builder_end_object (b);
        }
      json_builder_end_array (b);
      json_builder_set_member_name (b, "opt");
      json_builder_begin_array (b);
      for (guint i = 0; labels[i]; i++)
        json_builder_add_string_value (b, "");
      json_builder_end_array (b);
      json_builder_end_object (b);
    }
  else
    json_builder_add_null_value (b);
  json_builder_set_member_name (b, "fModLabs"); json_builder_add_null_value (b);
  json_builder_end_object (b);
}

static void
add_number (JsonBuilder *b, const char *member, double value)
{
  json_builder_set_member_name (b, member);
  json_builder_add_double_value (b, isfinite (value) ? value : 0);
}

static void
add_histogram (JsonBuilder *b, const DqmHistogram *h)
{
  g_auto(GStrv) titles = g_strsplit (h->title, ";", 4);
  guint n_titles = g_strv_length (titles);
  gboolean two = dqm_histogram_is_2d (h);
  gsize cells = dqm_histogram_n_cells (h);

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "_typename"); json_builder_add_string_value (b, two ? "TH2D" : "TH1D");
  json_builder_set_member_name (b, "fUniqueID"); json_builder_add_int_value (b, 0);
  json_builder_set_member_name (b, "fBits"); json_builder_add_int_value (b, 8);
  json_builder_set_member_name (b, "fName"); json_builder_add_string_value (b, h->name);
  /* ROOT keeps axis titles in the axes; the title is what precedes ';'. */
  json_builder_set_member_name (b, "fTitle"); json_builder_add_string_value (b, n_titles ? titles[0] : "");
  json_builder_set_member_name (b, "fLineColor"); json_builder_add_int_value (b, 602);
  json_builder_set_member_name (b, "fLineStyle"); json_builder_add_int_value (b, 1);
  json_builder_set_member_name (b, "fLineWidth"); json_builder_add_int_value (b, 1);
  json_builder_set_member_name (b, "fFillColor"); json_builder_add_int_value (b, 0);
  json_builder_set_member_name (b, "fFillStyle"); json_builder_add_int_value (b, 1001);
  json_builder_set_member_name (b, "fMarkerColor"); json_builder_add_int_value (b, 1);
  json_builder_set_member_name (b, "fMarkerStyle"); json_builder_add_int_value (b, 1);
  json_builder_set_member_name (b, "fMarkerSize"); json_builder_add_double_value (b, 1);
  json_builder_set_member_name (b, "fNcells"); json_builder_add_int_value (b, cells);
  add_axis (b, "fXaxis", "xaxis", n_titles > 1 ? titles[1] : "", h->nx, h->xmin, h->xmax, h->x_labels);
  add_axis (b, "fYaxis", "yaxis", n_titles > 2 ? titles[2] : "", two ? h->ny : 1, two ? h->ymin : 0,
            two ? h->ymax : 1, NULL);
  add_axis (b, "fZaxis", "zaxis", n_titles > 3 ? titles[3] : "", 1, 0, 1, NULL);
  json_builder_set_member_name (b, "fBarOffset"); json_builder_add_int_value (b, 0);
  json_builder_set_member_name (b, "fBarWidth"); json_builder_add_int_value (b, 1000);
  add_number (b, "fEntries", h->entries);
  add_number (b, "fTsumw", h->sumw);
  add_number (b, "fTsumw2", h->sumw2);
  add_number (b, "fTsumwx", h->sumwx);
  add_number (b, "fTsumwx2", h->sumwx2);
  add_number (b, "fMaximum", -1111);
  add_number (b, "fMinimum", -1111);
  add_number (b, "fNormFactor", 0);
  json_builder_set_member_name (b, "fContour"); json_builder_begin_array (b); json_builder_end_array (b);
  json_builder_set_member_name (b, "fSumw2"); json_builder_begin_array (b); json_builder_end_array (b);
  json_builder_set_member_name (b, "fOption"); json_builder_add_string_value (b, "");
  json_builder_set_member_name (b, "fFunctions");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "_typename"); json_builder_add_string_value (b, "TList");
  json_builder_set_member_name (b, "name"); json_builder_add_string_value (b, "TList");
  json_builder_set_member_name (b, "arr"); json_builder_begin_array (b); json_builder_end_array (b);
  json_builder_set_member_name (b, "opt"); json_builder_begin_array (b); json_builder_end_array (b);
  json_builder_end_object (b);
  json_builder_set_member_name (b, "fBufferSize"); json_builder_add_int_value (b, 0);
  json_builder_set_member_name (b, "fBuffer"); json_builder_begin_array (b); json_builder_end_array (b);
  json_builder_set_member_name (b, "fBinStatErrOpt"); json_builder_add_int_value (b, 0);
  json_builder_set_member_name (b, "fStatOverflows"); json_builder_add_int_value (b, 2);
  if (two)
    {
      add_number (b, "fScalefactor", 1);
      add_number (b, "fTsumwy", h->sumwy);
      add_number (b, "fTsumwy2", h->sumwy2);
      add_number (b, "fTsumwxy", h->sumwxy);
    }
  json_builder_set_member_name (b, "fArray");
  json_builder_begin_array (b);
  for (gsize i = 0; i < cells; i++)
    json_builder_add_double_value (b, isfinite (h->bins[i]) ? h->bins[i] : 0);
  json_builder_end_array (b);
  json_builder_end_object (b);
}

char *
dqm_root_json_write (GPtrArray *histograms)
{
  g_return_val_if_fail (histograms != NULL, NULL);

  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "_typename"); json_builder_add_string_value (b, "TList");
  json_builder_set_member_name (b, "name"); json_builder_add_string_value (b, "TList");
  json_builder_set_member_name (b, "arr");
  json_builder_begin_array (b);
  for (guint i = 0; i < histograms->len; i++)
    add_histogram (b, histograms->pdata[i]);
  json_builder_end_array (b);
  json_builder_set_member_name (b, "opt");
  json_builder_begin_array (b);
  for (guint i = 0; i < histograms->len; i++)
    json_builder_add_string_value (b, "");
  json_builder_end_array (b);
  json_builder_end_object (b);
  root = json_builder_get_root (b);
  json_generator_set_root (generator, root);
  return json_generator_to_data (generator, NULL);
}

char *
dqm_root_json_write_histogram (const DqmHistogram *histogram)
{
  g_return_val_if_fail (histogram != NULL, NULL);

  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;

  add_histogram (b, histogram);
  root = json_builder_get_root (b);
  json_generator_set_root (generator, root);
  return json_generator_to_data (generator, NULL);
}

/* --- reading ------------------------------------------------------------- */

static gboolean
axis (JsonObject *h, const char *member, guint *n, double *min, double *max, char **title)
{
  JsonObject *a = json_object_has_member (h, member) ? json_object_get_object_member (h, member) : NULL;

  if (a == NULL || !json_object_has_member (a, "fNbins"))
    return FALSE;
  *n = (guint) json_object_get_int_member (a, "fNbins");
  *min = json_object_get_double_member (a, "fXmin");
  *max = json_object_get_double_member (a, "fXmax");
  *title = g_strdup (json_object_get_string_member_with_default (a, "fTitle", ""));
  return *n > 0 && *max > *min;
}

static DqmHistogram *
read_histogram (JsonObject *o)
{
  const char *type = json_object_get_string_member_with_default (o, "_typename", "");
  gboolean two = g_str_equal (type, "TH2D");
  guint nx, ny = 0;
  double xmin, xmax, ymin = 0, ymax = 1;
  g_autofree char *xt = NULL, *yt = NULL, *title = NULL;
  JsonArray *array;
  DqmHistogram *h;

  if (!two && !g_str_equal (type, "TH1D"))
    return NULL;
  if (!axis (o, "fXaxis", &nx, &xmin, &xmax, &xt) || !axis (o, "fYaxis", &ny, &ymin, &ymax, &yt)
      || !json_object_has_member (o, "fArray"))
    return NULL;
  title = g_strdup_printf ("%s;%s;%s", json_object_get_string_member_with_default (o, "fTitle", ""), xt, yt);
  h = two ? dqm_histogram_new_2d (json_object_get_string_member_with_default (o, "fName", "h"), title, nx, xmin,
                                  xmax, ny, ymin, ymax)
          : dqm_histogram_new_1d (json_object_get_string_member_with_default (o, "fName", "h"), title, nx, xmin, xmax);
  array = json_object_get_array_member (o, "fArray");
  if (array == NULL || json_array_get_length (array) != dqm_histogram_n_cells (h))
    {
      dqm_histogram_free (h);
      return NULL;
    }
  for (guint i = 0; i < json_array_get_length (array); i++)
    h->bins[i] = json_array_get_double_element (array, i);
  h->entries = json_object_get_double_member_with_default (o, "fEntries", 0);
  h->sumw = json_object_get_double_member_with_default (o, "fTsumw", 0);
  h->sumw2 = json_object_get_double_member_with_default (o, "fTsumw2", 0);
  h->sumwx = json_object_get_double_member_with_default (o, "fTsumwx", 0);
  h->sumwx2 = json_object_get_double_member_with_default (o, "fTsumwx2", 0);
  h->sumwy = json_object_get_double_member_with_default (o, "fTsumwy", 0);
  h->sumwy2 = json_object_get_double_member_with_default (o, "fTsumwy2", 0);
  h->sumwxy = json_object_get_double_member_with_default (o, "fTsumwxy", 0);
  return h;
}

GPtrArray *
dqm_root_json_read (const char *text, gssize length, GError **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  GPtrArray *histograms;
  JsonNode *root;
  JsonArray *arr;

  if (!json_parser_load_from_data (parser, text, length, error))
    return NULL;
  root = json_parser_get_root (parser);
  if (!JSON_NODE_HOLDS_OBJECT (root)
      || !json_object_has_member (json_node_get_object (root), "arr")
      || !JSON_NODE_HOLDS_ARRAY (json_object_get_member (json_node_get_object (root), "arr")))
    {
      g_set_error (error, DQM_HISTOGRAM_ERROR, DQM_HISTOGRAM_ERROR_FORMAT, "not a TList of histograms (no “arr”)");
      return NULL;
    }
  arr = json_object_get_array_member (json_node_get_object (root), "arr");
  histograms = g_ptr_array_new_with_free_func ((GDestroyNotify) dqm_histogram_free);
  for (guint i = 0; i < json_array_get_length (arr); i++)
    {
      JsonNode *node = json_array_get_element (arr, i);
      DqmHistogram *h = JSON_NODE_HOLDS_OBJECT (node) ? read_histogram (json_node_get_object (node)) : NULL;

      if (h)
        g_ptr_array_add (histograms, h);
    }
  return histograms;
}
