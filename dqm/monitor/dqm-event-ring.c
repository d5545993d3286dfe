/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A mutex-guarded ring of immutable, reference-counted messages: a copy
 * is a list of references, so copying 100 000 events for the inspector
 * holds the lock for a millisecond, not for a gigabyte of memcpy. */
#include "dqm-event-ring.h"

typedef struct {
  GBytes     **slots;
  guint        capacity, length, head; /* head: where the next one goes */
} Ring;

struct _DqmEventRing {
  GMutex  lock;
  Ring    events, candidates;
  guint64 pushed;
};

static void
ring_init (Ring *ring, guint capacity)
{
  ring->capacity = MAX (capacity, 1);
  ring->slots = g_new0 (GBytes *, ring->capacity);
  ring->length = ring->head = 0;
}

static void
ring_clear (Ring *ring)
{
  for (guint i = 0; i < ring->capacity; i++)
    if (ring->slots[i])
      g_bytes_unref (ring->slots[i]);
  g_free (ring->slots);
}

static GBytes *
ring_at (const Ring *ring, guint i) /* 0 = oldest */
{
  return ring->slots[(ring->head + ring->capacity - ring->length + i) % ring->capacity];
}

/* Takes @message. The one it replaces lives on in the copies that hold it. */
static void
ring_push (Ring *ring, GBytes *message)
{
  GBytes **slot = &ring->slots[ring->head];

  if (*slot)
    g_bytes_unref (*slot);
  *slot = message;
  ring->head = (ring->head + 1) % ring->capacity;
  ring->length = MIN (ring->length + 1, ring->capacity);
}

static GPtrArray *
ring_copy (const Ring *ring)
{
  GPtrArray *copy = g_ptr_array_new_full (ring->length, (GDestroyNotify) g_bytes_unref);

  for (guint i = 0; i < ring->length; i++)
    g_ptr_array_add (copy, g_bytes_ref (ring_at (ring, i)));
  return copy;
}

static gsize
ring_memory (const Ring *ring)
{
  gsize bytes = 0;

  for (guint i = 0; i < ring->length; i++)
    bytes += g_bytes_get_size (ring_at (ring, i));
  return bytes;
}

DqmEventRing *
dqm_event_ring_new (guint capacity, guint candidate_capacity)
{
  DqmEventRing *self = g_new0 (DqmEventRing, 1);

  g_mutex_init (&self->lock);
  ring_init (&self->events, capacity);
  ring_init (&self->candidates, candidate_capacity);
  return self;
}

void
dqm_event_ring_free (DqmEventRing *self)
{
  if (self == NULL)
    return;
  ring_clear (&self->events);
  ring_clear (&self->candidates);
  g_mutex_clear (&self->lock);
  g_free (self);
}

void
dqm_event_ring_set_capacity (DqmEventRing *self, guint capacity)
{
  Ring resized;
  guint keep;

  g_return_if_fail (self != NULL);

  ring_init (&resized, capacity);
  g_mutex_lock (&self->lock);
  /* The newest events stay; their buffers move over unchanged. */
  keep = MIN (self->events.length, resized.capacity);
  for (guint i = 0; i < keep; i++)
    {
      guint from = (self->events.head + self->events.capacity - keep + i) % self->events.capacity;

      resized.slots[i] = self->events.slots[from];
      self->events.slots[from] = NULL;
    }
  resized.length = keep;
  resized.head = keep % resized.capacity;
  ring_clear (&self->events);
  self->events = resized;
  g_mutex_unlock (&self->lock);
}

guint
dqm_event_ring_get_capacity (DqmEventRing *self)
{
  guint capacity;

  g_return_val_if_fail (self != NULL, 0);

  g_mutex_lock (&self->lock);
  capacity = self->events.capacity;
  g_mutex_unlock (&self->lock);
  return capacity;
}

void
dqm_event_ring_push (DqmEventRing *self, const guint8 *message, gsize length, gboolean candidate)
{
  GBytes *bytes;

  g_return_if_fail (self != NULL);

  /* Copied before the lock is taken: the lock only moves pointers. */
  bytes = g_bytes_new (message, length);
  g_mutex_lock (&self->lock);
  if (candidate)
    ring_push (&self->candidates, g_bytes_ref (bytes));
  ring_push (&self->events, bytes);
  self->pushed++;
  g_mutex_unlock (&self->lock);
}

GPtrArray *
dqm_event_ring_copy (DqmEventRing *self)
{
  GPtrArray *copy;

  g_return_val_if_fail (self != NULL, NULL);

  g_mutex_lock (&self->lock);
  copy = ring_copy (&self->events);
  g_mutex_unlock (&self->lock);
  return copy;
}

void
dqm_event_ring_set_candidates (DqmEventRing *self, GPtrArray *messages)
{
  g_return_if_fail (self != NULL && messages != NULL);

  g_mutex_lock (&self->lock);
  for (guint i = 0; i < messages->len; i++)
    ring_push (&self->candidates, g_bytes_ref (messages->pdata[i]));
  /* Only these: what fell out of the source's store falls out of ours. */
  self->candidates.length = MIN (messages->len, self->candidates.capacity);
  g_mutex_unlock (&self->lock);
}

GPtrArray *
dqm_event_ring_copy_candidates (DqmEventRing *self)
{
  GPtrArray *copy;

  g_return_val_if_fail (self != NULL, NULL);

  g_mutex_lock (&self->lock);
  copy = ring_copy (&self->candidates);
  g_mutex_unlock (&self->lock);
  return copy;
}

GBytes *
dqm_event_ring_newest (DqmEventRing *self, guint64 *serial)
{
  GBytes *newest = NULL;

  g_return_val_if_fail (self != NULL, NULL);

  g_mutex_lock (&self->lock);
  if (self->pushed != *serial && self->events.length > 0)
    {
      newest = g_bytes_ref (ring_at (&self->events, self->events.length - 1));
      *serial = self->pushed;
    }
  g_mutex_unlock (&self->lock);
  return newest;
}

gsize
dqm_event_ring_memory (DqmEventRing *self)
{
  gsize bytes;

  g_return_val_if_fail (self != NULL, 0);

  g_mutex_lock (&self->lock);
  bytes = ring_memory (&self->events) + ring_memory (&self->candidates);
  g_mutex_unlock (&self->lock);
  return bytes;
}

guint
dqm_event_ring_count (DqmEventRing *self)
{
  guint count;

  g_return_val_if_fail (self != NULL, 0);

  g_mutex_lock (&self->lock);
  count = self->events.length + self->candidates.length;
  g_mutex_unlock (&self->lock);
  return count;
}
