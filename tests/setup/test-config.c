/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Configuration: the built-in default, user overrides, and clear errors. */
#include <string.h>

#include <glib.h>
#include <glib/gstdio.h>
#include <unistd.h>

#include "dqm-config.h"
#include "dqm-error.h"
#include "dqm-setup.h"

static char *
write_user_file (const char *contents)
{
  g_autoptr(GError) error = NULL;
  char *path = NULL;
  int fd = g_file_open_tmp ("na64dqm-test-XXXXXX.conf", &path, &error);

  g_assert_no_error (error);
  close (fd);
  g_assert_true (g_file_set_contents (path, contents, -1, &error));
  return path;
}

static void
expect_load_error (const char *contents, const char *beam, const char *text)
{
  g_autofree char *path = write_user_file (contents);
  g_autoptr(GError) error = NULL;
  g_autoptr(DqmConfig) config = dqm_config_load (path, &error);
  g_autoptr(DqmSetup) setup = NULL;

  if (config)
    setup = dqm_setup_load (config, beam, &error);
  g_assert_null (setup);
  g_assert_nonnull (error);
  if (strstr (error->message, text) == NULL)
    g_error ("error “%s” does not mention “%s”", error->message, text);
  g_unlink (path);
}

static void
test_default (void)
{
  g_autoptr(DqmConfig) config = dqm_config_new_default ();
  g_autoptr(GError) error = NULL;
  g_autoptr(DqmSetup) setup = dqm_setup_load (config, NULL, &error);
  const char *beams[] = { "e-", "e+", "mu-", "pi-" };
  const double energies[] = { 100, 100, 160, 50 };

  g_assert_no_error (error);
  g_assert_cmpstr (setup->beam.name, ==, "e-");
  g_assert_cmpint (setup->beam.primary, ==, DQM_PARTICLE_ELECTRON);
  g_assert_cmpfloat (setup->beam.energy_gev, ==, 100);
  g_assert_cmpuint (setup->msadc.samples, ==, 32);
  g_assert_cmpfloat (setup->ecal.cell_pitch_mm, ==, 38.2);
  g_assert_cmpuint (setup->ecal.beam_x, ==, 3);
  g_assert_cmpuint (setup->ecal.beam_y, ==, 3);
  g_assert_cmpfloat (setup->spill.length_s, ==, 4.8);
  for (gsize i = 0; i < G_N_ELEMENTS (beams); i++)
    {
      g_autoptr(DqmSetup) other = dqm_setup_load (config, beams[i], &error);

      g_assert_no_error (error);
      g_assert_cmpfloat (other->beam.energy_gev, ==, energies[i]);
    }
  /* The positron beam carries ~10× the hadrons of the electron beam. */
  {
    g_autoptr(DqmSetup) positrons = dqm_setup_load (config, "e+", NULL);
    g_assert_cmpfloat (positrons->beam.hadron_fraction, ==, 10 * setup->beam.hadron_fraction);
  }
}

static void
test_override (void)
{
  g_autofree char *path = write_user_file ("# my test beam\n[beam-e-]\nenergy_gev=80\n\n[ecal]\nbeam_cell=2;3\n");
  g_autoptr(GError) error = NULL;
  g_autoptr(DqmConfig) config = dqm_config_load (path, &error);
  g_autoptr(DqmSetup) setup = NULL;

  g_assert_no_error (error);
  setup = dqm_setup_load (config, "e-", &error);
  g_assert_no_error (error);
  g_assert_cmpfloat (setup->beam.energy_gev, ==, 80);
  g_assert_cmpuint (setup->ecal.beam_x, ==, 2);
  g_assert_cmpuint (setup->ecal.beam_y, ==, 3);
  g_assert_cmpfloat (setup->beam.hadron_fraction, ==, 0.005); /* untouched keys keep the default */
  g_unlink (path);
}

/* The signal box follows the data-taking year: E_ECAL < E0/2 until 2022,
 * < 0.4 E0 from 2023 (the VHCAL). */
static void
test_year_moves_the_signal_box (void)
{
  g_autoptr(DqmConfig) config = dqm_config_new_default ();
  g_autoptr(DqmSetup) until_2022 = dqm_setup_load (config, NULL, NULL);
  g_autoptr(DqmSetup) from_2023 = NULL;

  g_assert_cmpuint (until_2022->year, ==, 2022);
  g_assert_cmpfloat (until_2022->cuts.ecal_max_fraction, ==, 0.5);
  g_assert_true (dqm_config_set (config, "run", "year", "2023", NULL));
  from_2023 = dqm_setup_load (config, NULL, NULL);
  g_assert_cmpfloat (from_2023->cuts.ecal_max_fraction, ==, 0.4);
}

static void
test_errors (void)
{
  expect_load_error ("[beam-e-]\nenergy_gev=lots\n", "e-", "[beam-e-] energy_gev: “lots” is not a number");
  expect_load_error ("[beam-e-]\nenergy_gev=5000\n", "e-", "[beam-e-] energy_gev: 5000 is outside the allowed range 1…1000");
  expect_load_error ("[beam-e-]\nenergy_gv=100\n", "e-", "[beam-e-] energy_gv is not a known setting");
  expect_load_error ("[beam-x]\nenergy_gev=100\n", "e-", "group [beam-x] is not a known section");
  expect_load_error ("[ecal]\nbeam_cell=3\n", "e-", "[ecal] beam_cell: expected 2 numbers separated by ';', found 1");
  expect_load_error ("[msadc]\nsamples=128\n", "e-", "[msadc] samples: 128 is outside the allowed range 8…64");
  expect_load_error ("[msadc]\nsamples=3.5\n", "e-", "[msadc] samples: “3.5” is not a whole number");
  expect_load_error ("[beam-e-]\nprimary=proton\n", "e-", "[beam-e-] primary: “proton” is not one of electron, positron, muon, hadron");
  expect_load_error ("[beam-e-]\nhadron_fraction=0.7\nmuon_fraction=0.4\n", "e-", "exceed 1");
  expect_load_error ("[tracker]\nkick_z_m=40\n", "e-", "MM5 must lie downstream of");
  expect_load_error ("[spill]\nlength_s=1\n", "kaon", "beam “kaon” is not configured");
  expect_load_error ("this is not a key file\n", "e-", ".conf");
  expect_load_error ("[calibration]\necal-main:7,1=25\n", "e-", "[calibration] ecal-main:7,1: not a channel name");
  expect_load_error ("[calibration]\necal-main:3,3=-1\n", "e-", "[calibration] ecal-main:3,3: -1 is outside");
  expect_load_error ("[calibration]\ns1=2\n", "e-", "beam counters and upstream vetoes are read in counts");
}

static void
test_channel_calibration (void)
{
  g_autofree char *path = write_user_file ("[calibration]\necal-main:3,3=20.5\n201=0.06\n");
  g_autoptr(GError) error = NULL;
  g_autoptr(DqmConfig) config = dqm_config_load (path, &error);
  g_autoptr(DqmSetup) setup = NULL;

  g_assert_no_error (error);
  setup = dqm_setup_load (config, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpfloat (setup->mev_per_count[dqm_channel_slot (dqm_channel_ecal (1, 3, 3))], ==, 20.5);
  g_assert_cmpfloat (setup->mev_per_count[dqm_channel_slot (dqm_channel_veto (0, 1))], ==, 0.06);
  /* the others keep their detector's value */
  g_assert_cmpfloat (setup->mev_per_count[dqm_channel_slot (dqm_channel_ecal (1, 2, 3))], ==, 25);
  g_assert_cmpfloat (setup->mev_per_count[dqm_channel_slot (dqm_channel_ecal (0, 3, 3))], ==, 2.5);
  g_assert_cmpfloat (setup->mev_per_count[dqm_channel_slot (dqm_channel_beam_counter (1))], ==, 1);
  g_unlink (path);
}

static void
test_error_names_file (void)
{
  g_autofree char *path = write_user_file ("[veto]\nefficiency=1.5\n");
  g_autoptr(GError) error = NULL;
  g_autoptr(DqmConfig) config = dqm_config_load (path, &error);
  g_autoptr(DqmSetup) setup = NULL;

  g_assert_no_error (error);
  setup = dqm_setup_load (config, NULL, &error);
  g_assert_null (setup);
  g_assert_error (error, DQM_ERROR, DQM_ERROR_CONFIG);
  g_assert_true (g_str_has_prefix (error->message, path));
  g_unlink (path);

  g_clear_error (&error);
  g_assert_null (dqm_config_load ("/nonexistent/na64.conf", &error));
  g_assert_nonnull (strstr (error->message, "/nonexistent/na64.conf"));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/config/default", test_default);
  g_test_add_func ("/config/override", test_override);
  g_test_add_func ("/config/errors", test_errors);
  g_test_add_func ("/config/year-moves-the-signal-box", test_year_moves_the_signal_box);
  g_test_add_func ("/config/channel-calibration", test_channel_calibration);
  g_test_add_func ("/config/error-names-file", test_error_names_file);
  return g_test_run ();
}
