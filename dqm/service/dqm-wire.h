/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Plain C structs to and from GVariant dictionaries (a{sv}) by a table of
 * their fields: one table a struct says each member's key and wire type,
 * so the encoder, the decoder and docs/state-v1.md cannot disagree. A
 * decoder takes what it knows and leaves the rest zero: a newer monitor's
 * extra keys are ignored, a missing key reads as zero. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum {
  DQM_WIRE_BOOL,    /* gboolean          → "b" */
  DQM_WIRE_U32,     /* guint32 / guint   → "u" */
  DQM_WIRE_U64,     /* guint64           → "t" */
  DQM_WIRE_I64,     /* gint64            → "x" */
  DQM_WIRE_DOUBLE,  /* double            → "d" (NAN: unknown) */
  DQM_WIRE_ENUM,    /* a C enum (int)    → "u", below .limit */
  DQM_WIRE_STRING,  /* char[.size]       → "s", cut at .size − 1 bytes */
  DQM_WIRE_U64S,    /* guint64[n]        → "at" */
  DQM_WIRE_DOUBLES, /* double[n]         → "ad" */
} DqmWireType;

typedef struct {
  const char  *key;
  DqmWireType  type;
  gsize        offset;
  gsize        size;   /* of the member, bytes */
  guint        limit;  /* DQM_WIRE_ENUM: values allowed are 0 … limit − 1 */
} DqmWireField;

#define DQM_WIRE_FIELD(Struct, member, wire_type) \
  { #member, wire_type, G_STRUCT_OFFSET (Struct, member), sizeof (((Struct *) 0)->member), 0 }
#define DQM_WIRE_FIELD_AS(Struct, member, key, wire_type) \
  { key, wire_type, G_STRUCT_OFFSET (Struct, member), sizeof (((Struct *) 0)->member), 0 }
#define DQM_WIRE_ENUM_FIELD(Struct, member, n_values) \
  { #member, DQM_WIRE_ENUM, G_STRUCT_OFFSET (Struct, member), sizeof (((Struct *) 0)->member), n_values }

/* The struct at @data as a floating a{sv}. */
GVariant *dqm_wire_encode (const DqmWireField *fields,
                           guint               n_fields,
                           gconstpointer       data);
/* Fills @data (zeroed first) from @dict; FALSE with @error naming @what and
 * the key when a value has the wrong type or an enum is out of range. */
gboolean  dqm_wire_decode (const DqmWireField *fields,
                           guint               n_fields,
                           GVariant           *dict,
                           gpointer            data,
                           gsize               size,
                           const char         *what,
                           GError            **error);
/* The GVariant type string of one field, for the format's documentation. */
const char *dqm_wire_type_string (DqmWireType type);

G_END_DECLS
