/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Browsable event lists and searching them. */
#include "dqm-event-list.h"

#include "dqm-file.h"

typedef struct {
  const guint8 *data;
  gsize         length;
} Entry;

struct _DqmEventList {
  gint           ref_count;
  GArray        *entries;   /* Entry */
  GPtrArray     *messages;  /* owns the data of a ring copy */
  DqmFileReader *file;      /* owns the mapping of a file's */
  DqmBeam        beam;
  guint          damage;
  char          *last_damage;
};

static DqmEventList *
list_new (void)
{
  DqmEventList *self = g_new0 (DqmEventList, 1);

  self->ref_count = 1;
  self->entries = g_array_new (FALSE, FALSE, sizeof (Entry));
  return self;
}

DqmEventList *
dqm_event_list_new_messages (GPtrArray *messages)
{
  DqmEventList *self = list_new ();

  g_return_val_if_fail (messages != NULL, NULL);

  self->messages = messages;
  for (guint i = 0; i < messages->len; i++)
    {
      Entry e;

      e.data = g_bytes_get_data (messages->pdata[i], &e.length);
      g_array_append_val (self->entries, e);
    }
  return self;
}

DqmEventList *
dqm_event_list_new_file (const char *path, GError **error)
{
  g_autoptr(DqmEventList) self = list_new ();
  g_autofree DqmEvent *scratch = NULL;

  self->file = dqm_file_reader_open (path, error);
  if (self->file == NULL)
    return NULL;
  for (;;)
    {
      g_autoptr(GError) damage = NULL;
      Entry e;
      DqmMsgType type;
      guint32 size;
      DqmFileStatus status = dqm_file_reader_next (self->file, &e.data, &e.length, &damage);

      if (status == DQM_FILE_END)
        break;
      if (status == DQM_FILE_DAMAGED)
        {
          self->damage++;
          g_free (self->last_damage);
          self->last_damage = g_strdup (damage->message);
          continue;
        }
      if (!dqm_stream_peek_header (e.data, e.length, &type, &size, NULL))
        continue;
      if (type == DQM_MSG_EVT)
        g_array_append_val (self->entries, e);
      else if (type == DQM_MSG_SOR && self->beam == 0)
        {
          DqmMessage message;

          if (scratch == NULL)
            scratch = g_new (DqmEvent, 1);
          if (dqm_stream_decode (e.data, e.length, &message, scratch, NULL))
            self->beam = message.sor.beam;
        }
    }
  return g_steal_pointer (&self);
}

DqmEventList *
dqm_event_list_ref (DqmEventList *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  g_atomic_int_inc (&self->ref_count);
  return self;
}

void
dqm_event_list_unref (DqmEventList *self)
{
  if (self == NULL || !g_atomic_int_dec_and_test (&self->ref_count))
    return;
  g_array_unref (self->entries);
  if (self->messages)
    g_ptr_array_unref (self->messages);
  if (self->file)
    dqm_file_reader_free (self->file);
  g_free (self->last_damage);
  g_free (self);
}

guint
dqm_event_list_length (DqmEventList *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->entries->len;
}

const guint8 *
dqm_event_list_get (DqmEventList *self, guint index, gsize *length)
{
  const Entry *e;

  g_return_val_if_fail (index < self->entries->len, NULL);
  e = &g_array_index (self->entries, Entry, index);
  *length = e->length;
  return e->data;
}

DqmBeam
dqm_event_list_get_beam (DqmEventList *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->beam;
}

guint
dqm_event_list_get_damage (DqmEventList *self, const char **last_error)
{
  g_return_val_if_fail (self != NULL, 0);

  if (last_error)
    *last_error = self->last_damage;
  return self->damage;
}

gboolean
dqm_event_matches (const DqmRecoEvent *e, DqmEventMatch match)
{
  g_return_val_if_fail (e != NULL, FALSE);

  switch (match)
    {
    case DQM_EVENT_MATCH_ELECTRON: return e->event_class == DQM_CLASS_ELECTRON;
    case DQM_EVENT_MATCH_HADRON: return e->event_class == DQM_CLASS_HADRON;
    case DQM_EVENT_MATCH_MUON: return e->event_class == DQM_CLASS_MUON;
    case DQM_EVENT_MATCH_EMPTY: return e->event_class == DQM_CLASS_EMPTY;
    case DQM_EVENT_MATCH_CANDIDATE: return e->candidate;
    case DQM_EVENT_MATCH_TRIGGER_PHYSICS: return (e->trigger & DQM_TRIGGER_PHYSICS) != 0;
    case DQM_EVENT_MATCH_TRIGGER_RANDOM: return (e->trigger & DQM_TRIGGER_RANDOM) != 0;
    case DQM_EVENT_MATCH_TRIGGER_LED: return (e->trigger & DQM_TRIGGER_LED) != 0;
    case DQM_EVENT_MATCH_TRIGGER_BEAM: return (e->trigger & DQM_TRIGGER_BEAM) != 0;
    case DQM_N_EVENT_MATCHES:
    default: return FALSE;
    }
}

const char *
dqm_event_match_name (DqmEventMatch match)
{
  static const char *const names[DQM_N_EVENT_MATCHES] = {
    "electron", "hadron", "muon", "empty", "candidate",
    "physics trigger", "random trigger", "LED trigger", "beam trigger",
  };

  return match < DQM_N_EVENT_MATCHES ? names[match] : "?";
}

static gboolean
decode (DqmEventList *self, guint index, DqmMessage *message, DqmEvent *storage)
{
  gsize length;
  const guint8 *data = dqm_event_list_get (self, index, &length);

  return dqm_stream_decode (data, length, message, storage, NULL) && message->type == DQM_MSG_EVT;
}

gboolean
dqm_event_list_find (DqmEventList *self, DqmReco *reco, guint from, int direction, DqmEventMatch match,
                     GCancellable *cancellable, guint *found)
{
  g_autofree DqmEvent *storage = g_new (DqmEvent, 1);
  g_autofree DqmRecoEvent *e = g_new (DqmRecoEvent, 1);
  DqmMessage message;

  g_return_val_if_fail (direction == 1 || direction == -1, FALSE);
  for (gint64 i = (gint64) from + direction; i >= 0 && i < self->entries->len; i += direction)
    {
      if (g_cancellable_is_cancelled (cancellable))
        return FALSE;
      if (!decode (self, (guint) i, &message, storage))
        continue;
      dqm_reco_event (reco, message.run, message.evt, e);
      if (dqm_event_matches (e, match))
        {
          *found = (guint) i;
          return TRUE;
        }
    }
  return FALSE;
}

gboolean
dqm_event_list_find_id (DqmEventList *self, guint32 run, guint64 event_id, GCancellable *cancellable,
                        guint *found)
{
  g_autofree DqmEvent *storage = g_new (DqmEvent, 1);
  DqmMessage message;

  g_return_val_if_fail (self != NULL, FALSE);

  /* Newest first: a live candidate is near the end. */
  for (guint i = self->entries->len; i-- > 0;)
    {
      if (g_cancellable_is_cancelled (cancellable))
        return FALSE;
      if (decode (self, i, &message, storage) && message.run == run && message.evt->event_id == event_id)
        {
          *found = i;
          return TRUE;
        }
    }
  return FALSE;
}
