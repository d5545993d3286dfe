/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The registry's side of the analysis callbacks. */
#include "dqm-registry-hooks.h"

#include <string.h>

#include "dqm-reference.h"

void
dqm_registry_hooks_record (DqmRegistry *registry, DqmAnalysis *analysis)
{
  g_autoptr(DqmState) state = dqm_analysis_make_state (analysis);

  dqm_registry_record (registry, state);
}

/* The run of a snapshot DIR/run-NNNNNN[-…]. */
static guint32
run_of_snapshot (const char *path)
{
  g_autofree char *name = g_path_get_basename (path);

  return g_str_has_prefix (name, "run-") ? (guint32) g_ascii_strtoull (name + 4, NULL, 10) : 0;
}

void
dqm_registry_hooks_snapshot_written (DqmRegistry *registry, const char *path)
{
  guint32 run = run_of_snapshot (path);
  /* Whoever reads the registry may not be where the program was started. */
  g_autofree char *absolute = g_canonicalize_filename (path, NULL);

  if (run)
    dqm_registry_set_snapshot (registry, run, absolute);
}

/* The registry's latest good run of the same beam, energy and setup: a
 * query and a snapshot read, a few tens of ms once a run. */
void
dqm_registry_hooks_choose_reference (DqmRegistry *registry, DqmAnalysis *analysis, guint32 run, const char *program)
{
  g_autoptr(DqmState) state = dqm_analysis_make_state (analysis);
  g_autofree char *snapshot = NULL, *label = NULL;
  g_autoptr(GPtrArray) histograms = NULL;
  g_autoptr(GError) error = NULL;

  if (strstr (state->reference_label, "set by hand"))
    return;
  if (!dqm_registry_choose_reference (registry, state, &snapshot, &label, &error))
    {
      if (state->reference_label[0])
        dqm_analysis_set_reference (analysis, NULL, NULL); /* another beam: the last run's is no reference */
      if (error && !g_error_matches (error, G_FILE_ERROR, G_FILE_ERROR_NOENT))
        g_printerr ("%s: no automatic reference for run %u: %s\n", program, run, error->message);
      return;
    }
  if ((histograms = dqm_reference_load (snapshot, &error)) == NULL)
    {
      g_printerr ("%s: no automatic reference for run %u: %s\n", program, run, error->message);
      return;
    }
  dqm_analysis_set_reference (analysis, histograms, label);
  g_print ("%s: reference for run %u: %s\n", program, run, label);
}

static void
on_spill_done (DqmAnalysis *analysis, const DqmSpillSummary *summary, gpointer registry)
{
  dqm_registry_hooks_record (registry, analysis);
}

static void
on_run_done (DqmAnalysis *analysis, gpointer registry)
{
  dqm_registry_hooks_record (registry, analysis);
}

static void
on_run_started (DqmAnalysis *analysis, guint32 run, gpointer registry)
{
  dqm_registry_hooks_choose_reference (registry, analysis, run, g_get_prgname ());
}

static void
on_snapshot_done (const char *path, const GError *error, gpointer registry)
{
  if (path)
    dqm_registry_hooks_snapshot_written (registry, path);
}

void
dqm_registry_hooks_install (DqmRegistry *registry, DqmPipelineOptions *options)
{
  options->callbacks = (DqmAnalysisCallbacks) { .spill_done = on_spill_done, .run_done = on_run_done,
                                                .run_started = on_run_started, .data = registry };
  options->snapshot_done = on_snapshot_done;
  options->snapshot_data = registry;
}

gboolean
dqm_registry_hooks_close (DqmRegistry *registry, const char *program)
{
  gboolean written = dqm_registry_flush (registry, 10);

  if (!written)
    {
      DqmRegistryStatus status;

      dqm_registry_get_status (registry, &status);
      g_printerr ("%s: the registry %s could not take %u batch%s of rows before the exit: %s\n", program,
                  dqm_registry_get_path (registry), status.pending, status.pending == 1 ? "" : "es",
                  status.last_error);
    }
  dqm_registry_free (registry, 0);
  return written;
}
