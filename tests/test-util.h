/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Helpers shared by the test programs: valid messages to start from. */
#pragma once

#include <string.h>

#include <glib.h>
#include <glib/gstdio.h>

#include "dqm-channel.h"
#include "dqm-stream.h"

static inline void
test_fill_event (DqmEvent *event, guint n_sadc, guint n_samples, guint n_hits)
{
  g_assert_cmpuint (n_sadc, <=, DQM_N_CHANNELS);
  memset (event, 0, sizeof *event);
  event->spill = 3;
  event->event_in_spill = 17;
  event->event_id = 123456789012ull;
  event->time_ns = 1764000000123456789ull;
  event->trigger = DQM_TRIGGER_PHYSICS;
  event->n_samples = n_samples;
  event->n_sadc = n_sadc;
  event->n_hits = n_hits;
  for (guint i = 0; i < n_sadc; i++)
    {
      event->sadc[i].channel = dqm_channel_from_slot (i);
      event->sadc[i].flags = i % 7 == 0 ? DQM_SADC_FLAG_OVERFLOW : 0;
      for (guint s = 0; s < n_samples; s++)
        event->sadc[i].samples[s] = (guint16) ((i * 131 + s * 17) % 4096);
    }
  for (guint i = 0; i < n_hits; i++)
    {
      event->hits[i].plane = i % DQM_TRACKER_PLANES;
      event->hits[i].strip = (i * 7) % DQM_STRIPS_PER_PLANE;
      for (guint k = 0; k < 3; k++)
        event->hits[i].amp[k] = (guint16) ((i + k * 1000) % 4096);
    }
}

static inline GByteArray *
test_encode_event (guint32 run, const DqmEvent *event)
{
  DqmMessage message = { .type = DQM_MSG_EVT, .run = run, .evt = (DqmEvent *) event };
  GByteArray *body = g_byte_array_new ();

  dqm_stream_encode (&message, body);
  return body;
}

static inline void
test_put_u16 (GByteArray *body, gsize offset, guint value)
{
  g_assert_cmpuint (offset + 2, <=, body->len);
  body->data[offset] = value & 0xff;
  body->data[offset + 1] = (value >> 8) & 0xff;
}

static inline void
test_put_u32 (GByteArray *body, gsize offset, guint32 value)
{
  test_put_u16 (body, offset, value & 0xffff);
  test_put_u16 (body, offset + 2, value >> 16);
}

/* Removes the directory @path and all it holds (a test's temporary tree). */
static inline void
test_remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir && (name = g_dir_read_name (dir)))
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR))
        test_remove_tree (child);
      else
        g_unlink (child);
    }
  g_rmdir (path);
}
