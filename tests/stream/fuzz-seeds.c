/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Writes a seed corpus of valid stream-v1 messages for fuzz-decode: one file
 * a message, the topic index first. */
#include <stdio.h>
#include <string.h>

#include <glib.h>

#include "dqm-stream.h"
#include "test-util.h"

static void
write_seed (const char *dir, guint index, DqmMessage *message)
{
  g_autoptr(GByteArray) body = g_byte_array_new ();
  g_autoptr(GByteArray) seed = g_byte_array_new ();
  g_autofree char *path = g_strdup_printf ("%s/seed-%u", dir, index);
  guint8 topic = message->type - 1;

  dqm_stream_encode (message, body);
  g_byte_array_append (seed, &topic, 1);
  g_byte_array_append (seed, body->data, body->len);
  if (!g_file_set_contents (path, (const char *) seed->data, seed->len, NULL))
    g_error ("cannot write %s", path);
}

int
main (int argc, char **argv)
{
  g_autofree DqmEvent *event = g_new0 (DqmEvent, 1);
  DqmMessage message = { .run = 1 };
  guint n = 0;

  if (argc != 2)
    {
      fprintf (stderr, "usage: fuzz-seeds DIR\n");
      return 1;
    }
  g_mkdir_with_parents (argv[1], 0755);
  for (guint shape = 0; shape < 4; shape++)
    {
      test_fill_event (event, shape * 3, 8 + shape * 8, shape * 2);
      message = (DqmMessage) { .type = DQM_MSG_EVT, .run = 1, .evt = event };
      write_seed (argv[1], n++, &message);
    }
  message = (DqmMessage) { .type = DQM_MSG_SOR, .run = 1, .sor = { .beam = 1, .beam_energy_gev = 100 } };
  strcpy (message.sor.tag, "NA64");
  write_seed (argv[1], n++, &message);
  message = (DqmMessage) { .type = DQM_MSG_EOR, .run = 1 };
  write_seed (argv[1], n++, &message);
  message = (DqmMessage) { .type = DQM_MSG_SOS, .run = 1, .sos = { .spill = 1 } };
  write_seed (argv[1], n++, &message);
  message = (DqmMessage) { .type = DQM_MSG_EOS, .run = 1, .eos = { .spill = 1, .events_sent = 3 } };
  write_seed (argv[1], n++, &message);
  message = (DqmMessage) { .type = DQM_MSG_HBT, .run = 1 };
  write_seed (argv[1], n++, &message);
  return 0;
}
