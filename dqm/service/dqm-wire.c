/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The table-driven struct ⇄ a{sv} codec. */
#include "dqm-wire.h"

#include <string.h>

#include "dqm-service-error.h"

const char *
dqm_wire_type_string (DqmWireType type)
{
  static const char *const names[] = {
    [DQM_WIRE_BOOL] = "b", [DQM_WIRE_U32] = "u", [DQM_WIRE_U64] = "t", [DQM_WIRE_I64] = "x",
    [DQM_WIRE_DOUBLE] = "d", [DQM_WIRE_ENUM] = "u", [DQM_WIRE_STRING] = "s",
    [DQM_WIRE_U64S] = "at", [DQM_WIRE_DOUBLES] = "ad",
  };

  return names[type];
}

static GVariant *
encode_field (const DqmWireField *f, const guint8 *base)
{
  const void *p = base + f->offset;

  switch (f->type)
    {
    case DQM_WIRE_BOOL:    return g_variant_new_boolean (*(const gboolean *) p);
    case DQM_WIRE_U32:     return g_variant_new_uint32 (*(const guint32 *) p);
    case DQM_WIRE_U64:     return g_variant_new_uint64 (*(const guint64 *) p);
    case DQM_WIRE_I64:     return g_variant_new_int64 (*(const gint64 *) p);
    case DQM_WIRE_DOUBLE:  return g_variant_new_double (*(const double *) p);
    case DQM_WIRE_ENUM:    return g_variant_new_uint32 ((guint32) *(const int *) p);
    case DQM_WIRE_STRING:
      {
        /* A fixed buffer holds UTF-8 we wrote, but may have been cut mid-character. */
        g_autofree char *text = g_utf8_make_valid (p, strnlen (p, f->size));
        return g_variant_new_string (text);
      }
    case DQM_WIRE_U64S:
      return g_variant_new_fixed_array (G_VARIANT_TYPE_UINT64, p, f->size / sizeof (guint64), sizeof (guint64));
    case DQM_WIRE_DOUBLES:
      return g_variant_new_fixed_array (G_VARIANT_TYPE_DOUBLE, p, f->size / sizeof (double), sizeof (double));
    }
  g_return_val_if_reached (NULL);
}

GVariant *
dqm_wire_encode (const DqmWireField *fields, guint n_fields, gconstpointer data)
{
  GVariantBuilder builder;

  g_variant_builder_init (&builder, G_VARIANT_TYPE_VARDICT);
  for (guint i = 0; i < n_fields; i++)
    g_variant_builder_add (&builder, "{sv}", fields[i].key, encode_field (&fields[i], data));
  return g_variant_builder_end (&builder);
}

static void
copy_array (GVariant *value, void *p, gsize size, gsize element)
{
  gsize n = 0;
  gconstpointer values = g_variant_get_fixed_array (value, &n, element);

  /* A newer monitor may count more kinds: keep the ones we know. */
  memcpy (p, values, MIN (n * element, size));
}

static gboolean
decode_field (const DqmWireField *f, GVariant *value, guint8 *base, const char *what, GError **error)
{
  void *p = base + f->offset;
  const GVariantType *type = G_VARIANT_TYPE (dqm_wire_type_string (f->type));

  if (!g_variant_is_of_type (value, type))
    {
      g_set_error (error, DQM_SERVICE_ERROR, DQM_SERVICE_ERROR_FORMAT, "%s.%s is of type %s, not %s", what, f->key,
                   g_variant_get_type_string (value), dqm_wire_type_string (f->type));
      return FALSE;
    }
  switch (f->type)
    {
    case DQM_WIRE_BOOL:   *(gboolean *) p = g_variant_get_boolean (value) != FALSE; break;
    case DQM_WIRE_U32:    *(guint32 *) p = g_variant_get_uint32 (value); break;
    case DQM_WIRE_U64:    *(guint64 *) p = g_variant_get_uint64 (value); break;
    case DQM_WIRE_I64:    *(gint64 *) p = g_variant_get_int64 (value); break;
    case DQM_WIRE_DOUBLE: *(double *) p = g_variant_get_double (value); break;
    case DQM_WIRE_ENUM:
      {
        guint32 v = g_variant_get_uint32 (value);

        if (v >= f->limit)
          {
            g_set_error (error, DQM_SERVICE_ERROR, DQM_SERVICE_ERROR_FORMAT, "%s.%s is %u, beyond its %u values",
                         what, f->key, v, f->limit);
            return FALSE;
          }
        *(int *) p = (int) v;
        break;
      }
    case DQM_WIRE_STRING:
      {
        gsize length = 0;
        const char *text = g_variant_get_string (value, &length);

        gsize keep = MIN (length, f->size - 1);

        /* GVariant hands out valid UTF-8; cut it on a character boundary. */
        while (keep < length && keep > 0 && (text[keep] & 0xc0) == 0x80)
          keep--;
        memcpy (p, text, keep);
        ((char *) p)[keep] = '\0';
        break;
      }
    case DQM_WIRE_U64S:    copy_array (value, p, f->size, sizeof (guint64)); break;
    case DQM_WIRE_DOUBLES: copy_array (value, p, f->size, sizeof (double)); break;
    }
  return TRUE;
}

gboolean
dqm_wire_decode (const DqmWireField *fields, guint n_fields, GVariant *dict, gpointer data, gsize size,
                 const char *what, GError **error)
{
  memset (data, 0, size);
  if (!g_variant_is_of_type (dict, G_VARIANT_TYPE_VARDICT))
    {
      g_set_error (error, DQM_SERVICE_ERROR, DQM_SERVICE_ERROR_FORMAT, "%s is of type %s, not a{sv}", what,
                   g_variant_get_type_string (dict));
      return FALSE;
    }
  for (guint i = 0; i < n_fields; i++)
    {
      g_autoptr(GVariant) value = g_variant_lookup_value (dict, fields[i].key, NULL);

      if (value && !decode_field (&fields[i], value, data, what, error))
        return FALSE;
    }
  return TRUE;
}
