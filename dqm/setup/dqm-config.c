/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Default + user configuration, and checked typed reads. */
#include "dqm-config.h"

#include <math.h>

#include <gio/gio.h>

#include "dqm-channel.h"
#include "dqm-config-resources.h"
#include "dqm-error.h"

#define DEFAULT_RESOURCE "/org/na64/dqm/config/na64.conf"

struct _DqmConfig {
  gatomicrefcount ref;
  GKeyFile *keys;
  char *user_path;        /* NULL when only the default is used */
  GHashTable *overridden; /* "group\nkey" set by the user file */
};

static DqmConfig *
config_new (GKeyFile *defaults)
{
  DqmConfig *config = g_new0 (DqmConfig, 1);

  g_atomic_ref_count_init (&config->ref);
  config->keys = defaults;
  config->overridden = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  return config;
}

DqmConfig *
dqm_config_new_default (void)
{
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GKeyFile) keys = g_key_file_new ();
  g_autoptr(GError) error = NULL;

  /* Through the resource itself, so a static link keeps it. */
  bytes = g_resource_lookup_data (dqm_config_get_resource (), DEFAULT_RESOURCE,
                                  G_RESOURCE_LOOKUP_FLAGS_NONE, &error);
  if (bytes == NULL || !g_key_file_load_from_bytes (keys, bytes, G_KEY_FILE_KEEP_COMMENTS, &error))
    g_error ("built-in configuration %s is broken: %s", DEFAULT_RESOURCE, error->message);
  return config_new (g_steal_pointer (&keys));
}

/* Groups whose keys are channel names, not fixed settings. */
static gboolean
is_channel_group (const char *group)
{
  return g_str_equal (group, "calibration");
}

static const char *
origin (DqmConfig *config, const char *group, const char *key)
{
  g_autofree char *id = g_strconcat (group, "\n", key, NULL);

  if (config->user_path && g_hash_table_contains (config->overridden, id))
    return config->user_path;
  return "built-in configuration";
}

gboolean
dqm_config_set (DqmConfig *config, const char *group, const char *key,
                const char *value, GError **error)
{
  guint channel;

  g_return_val_if_fail (config != NULL, FALSE);

  if (is_channel_group (group) && !dqm_channel_parse (key, &channel, NULL))
    {
      g_set_error (error, DQM_ERROR, DQM_ERROR_CONFIG, "%s: [%s] %s: not a channel name (such as ecal-main:3,3)",
                   config->user_path ? config->user_path : "override", group, key);
      return FALSE;
    }
  if (!is_channel_group (group) && !g_key_file_has_key (config->keys, group, key, NULL))
    {
      g_set_error (error, DQM_ERROR, DQM_ERROR_CONFIG,
                   "%s: [%s] %s is not a known setting (misspelt? see the built-in configuration)",
                   config->user_path ? config->user_path : "override", group, key);
      return FALSE;
    }
  g_key_file_set_value (config->keys, group, key, value);
  g_hash_table_add (config->overridden, g_strconcat (group, "\n", key, NULL));
  return TRUE;
}

DqmConfig *
dqm_config_load (const char *user_path, GError **error)
{
  g_autoptr(DqmConfig) config = dqm_config_new_default ();
  g_autoptr(GKeyFile) user = NULL;
  g_auto(GStrv) groups = NULL;

  if (user_path == NULL)
    return g_steal_pointer (&config);

  user = g_key_file_new ();
  if (!g_key_file_load_from_file (user, user_path, G_KEY_FILE_NONE, error))
    {
      g_prefix_error (error, "%s: ", user_path);
      return NULL;
    }
  config->user_path = g_strdup (user_path);
  groups = g_key_file_get_groups (user, NULL);
  for (gsize g = 0; groups[g]; g++)
    {
      g_auto(GStrv) keys = g_key_file_get_keys (user, groups[g], NULL, NULL);

      if (!g_key_file_has_group (config->keys, groups[g]))
        {
          g_set_error (error, DQM_ERROR, DQM_ERROR_CONFIG,
                       "%s: group [%s] is not a known section", user_path, groups[g]);
          return NULL;
        }
      for (gsize k = 0; keys && keys[k]; k++)
        {
          g_autofree char *value = g_key_file_get_value (user, groups[g], keys[k], NULL);

          if (!dqm_config_set (config, groups[g], keys[k], value, error))
            return NULL;
        }
    }
  return g_steal_pointer (&config);
}

DqmConfig *
dqm_config_ref (DqmConfig *config)
{
  g_return_val_if_fail (config != NULL, NULL);

  g_atomic_ref_count_inc (&config->ref);
  return config;
}

void
dqm_config_unref (DqmConfig *config)
{
  if (config && g_atomic_ref_count_dec (&config->ref))
    {
      g_key_file_unref (config->keys);
      g_hash_table_unref (config->overridden);
      g_free (config->user_path);
      g_free (config);
    }
}

char **
dqm_config_get_keys (DqmConfig *config, const char *group)
{
  g_return_val_if_fail (config != NULL, NULL);

  char **keys = g_key_file_get_keys (config->keys, group, NULL, NULL);

  return keys ? keys : g_new0 (char *, 1);
}

gboolean
dqm_config_has_group (DqmConfig *config, const char *group)
{
  g_return_val_if_fail (config != NULL, FALSE);

  return g_key_file_has_group (config->keys, group);
}

static gboolean G_GNUC_PRINTF (5, 6)
bad_value (DqmConfig *config, const char *group, const char *key, GError **error,
           const char *format, ...)
{
  g_autofree char *what = NULL;
  va_list args;

  va_start (args, format);
  what = g_strdup_vprintf (format, args);
  va_end (args);
  g_set_error (error, DQM_ERROR, DQM_ERROR_CONFIG, "%s: [%s] %s: %s",
               origin (config, group, key), group, key, what);
  return FALSE;
}

static char *
raw_value (DqmConfig *config, const char *group, const char *key, GError **error)
{
  char *value = g_key_file_get_value (config->keys, group, key, NULL);

  if (value == NULL)
    bad_value (config, group, key, error, "missing");
  return value;
}

static gboolean
parse_double (DqmConfig   *config,
              const char  *group,
              const char  *key,
              const char  *text,
              double       min,
              double       max,
              double      *out,
              GError     **error)
{
  g_autofree char *trimmed = g_strstrip (g_strdup (text));
  char *end = NULL;
  double value = g_ascii_strtod (trimmed, &end);

  if (*trimmed == '\0' || end == NULL || *end != '\0' || !isfinite (value))
    return bad_value (config, group, key, error, "“%s” is not a number", trimmed);
  if (value < min || value > max)
    return bad_value (config, group, key, error, "%g is outside the allowed range %g…%g", value, min, max);
  *out = value;
  return TRUE;
}

gboolean
dqm_config_get_double (DqmConfig *config, const char *group, const char *key,
                       double min, double max, double *out, GError **error)
{
  g_return_val_if_fail (config != NULL, FALSE);

  g_autofree char *text = raw_value (config, group, key, error);

  return text && parse_double (config, group, key, text, min, max, out, error);
}

gboolean
dqm_config_get_uint (DqmConfig *config, const char *group, const char *key,
                     guint min, guint max, guint *out, GError **error)
{
  g_return_val_if_fail (config != NULL, FALSE);

  g_autofree char *text = raw_value (config, group, key, error);
  guint64 value;

  if (text == NULL)
    return FALSE;
  g_strstrip (text);
  if (!g_ascii_string_to_unsigned (text, 10, 0, G_MAXUINT, &value, NULL))
    return bad_value (config, group, key, error, "“%s” is not a whole number", text);
  if (value < min || value > max)
    return bad_value (config, group, key, error, "%" G_GUINT64_FORMAT " is outside the allowed range %u…%u",
                      value, min, max);
  *out = (guint) value;
  return TRUE;
}

gboolean
dqm_config_get_doubles (DqmConfig *config, const char *group, const char *key,
                        gsize count, double min, double max, double *out, GError **error)
{
  g_return_val_if_fail (config != NULL, FALSE);

  g_autofree char *text = raw_value (config, group, key, error);
  g_auto(GStrv) items = NULL;

  if (text == NULL)
    return FALSE;
  items = g_strsplit (text, ";", -1);
  /* A trailing ';' is GKeyFile's list style: tolerate one empty last item. */
  if (g_strv_length (items) == count + 1 && *g_strstrip (items[count]) == '\0')
    g_clear_pointer (&items[count], g_free);
  if (g_strv_length (items) != count)
    return bad_value (config, group, key, error, "expected %" G_GSIZE_FORMAT " numbers separated by ';', found %u",
                      count, g_strv_length (items));
  for (gsize i = 0; i < count; i++)
    if (!parse_double (config, group, key, items[i], min, max, &out[i], error))
      return FALSE;
  return TRUE;
}

char *
dqm_config_get_string (DqmConfig *config, const char *group, const char *key, GError **error)
{
  g_return_val_if_fail (config != NULL, NULL);

  char *value = g_key_file_get_string (config->keys, group, key, NULL);

  if (value == NULL)
    bad_value (config, group, key, error, "missing or not valid text");
  return value;
}

int
dqm_config_get_choice (DqmConfig *config, const char *group, const char *key,
                       const char * const *choices, GError **error)
{
  g_return_val_if_fail (config != NULL, 0);

  g_autofree char *value = dqm_config_get_string (config, group, key, error);
  g_autofree char *allowed = NULL;

  if (value == NULL)
    return -1;
  g_strstrip (value);
  for (int i = 0; choices[i]; i++)
    if (g_str_equal (value, choices[i]))
      return i;
  allowed = g_strjoinv (", ", (char **) choices);
  bad_value (config, group, key, error, "“%s” is not one of %s", value, allowed);
  return -1;
}
