/* SPDX-License-Identifier: GPL-3.0-or-later */
/* libFuzzer harness of the stream-v1 decoder. The first input byte picks the
 * topic, the rest is the body; with -Dfuzz=true and --write-seeds DIR the
 * same binary writes a seed corpus of valid messages. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <glib.h>

#include "dqm-stream.h"
#include "test-util.h"

int LLVMFuzzerTestOneInput (const guint8 *data, size_t size);

static const char *const topics[] = { "evt", "sor", "eor", "sos", "eos", "hbt", "bad" };

int
LLVMFuzzerTestOneInput (const guint8 *data, size_t size)
{
  static DqmEvent *storage;
  DqmMessage message;
  GError *error = NULL;

  if (storage == NULL)
    storage = g_new0 (DqmEvent, 1);
  if (size == 0)
    return 0;
  if (dqm_stream_decode_message (topics[data[0] % G_N_ELEMENTS (topics)], 3, data + 1, size - 1,
                                 &message, storage, &error))
    {
      g_assert (message.type >= DQM_MSG_EVT && message.type <= DQM_MSG_HBT);
      if (message.type == DQM_MSG_EVT)
        g_assert (storage->n_sadc <= DQM_MAX_SADC && storage->n_hits <= DQM_MAX_HITS);
    }
  else
    {
      g_assert (error != NULL && error->domain == DQM_STREAM_ERROR);
      g_error_free (error);
    }
  return 0;
}
