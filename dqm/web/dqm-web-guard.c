/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The Host rule, requests under way by address, the request line's length. */
#include "dqm-web-guard.h"

#include <string.h>

#include <gio/gio.h>

struct _DqmWebGuard {
  gboolean    loopback;
  guint       max_per_client;
  GHashTable *under_way; /* client address → requests under way */
};

DqmWebGuard *
dqm_web_guard_new (gboolean loopback, guint max_per_client)
{
  DqmWebGuard *self = g_new0 (DqmWebGuard, 1);

  self->loopback = loopback;
  self->max_per_client = max_per_client;
  self->under_way = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  return self;
}

void
dqm_web_guard_free (DqmWebGuard *self)
{
  if (self == NULL)
    return;
  g_hash_table_unref (self->under_way);
  g_free (self);
}

gboolean
dqm_web_loopback_host (const char *host)
{
  g_autofree char *name = NULL;
  g_autoptr(GInetAddress) address = NULL;
  const char *end;

  if (host[0] == '[') /* [::1] or [::1]:8080 */
    {
      if ((end = strchr (host, ']')) == NULL || (end[1] != '\0' && end[1] != ':'))
        return FALSE;
      name = g_strndup (host + 1, end - host - 1);
    }
  else
    name = (end = strchr (host, ':')) ? g_strndup (host, end - host) : g_strdup (host);
  if (end && *end == ']')
    end++;
  if (end && *end == ':')
    for (const char *c = end + 1; *c; c++)
      if (!g_ascii_isdigit (*c))
        return FALSE;
  if (g_ascii_strcasecmp (name, "localhost") == 0)
    return TRUE;
  address = g_inet_address_new_from_string (name);
  return address && g_inet_address_get_is_loopback (address);
}

DqmWebVerdict
dqm_web_guard_admit (DqmWebGuard *self, const char *client, const char *host, gsize uri_length)
{
  guint n = GPOINTER_TO_UINT (g_hash_table_lookup (self->under_way, client));

  if (self->loopback && host && !dqm_web_loopback_host (host))
    return DQM_WEB_WRONG_HOST;
  if (uri_length > DQM_WEB_MAX_URI)
    return DQM_WEB_TOO_LONG;
  if (n >= self->max_per_client)
    return DQM_WEB_TOO_MANY;
  g_hash_table_insert (self->under_way, g_strdup (client), GUINT_TO_POINTER (n + 1));
  return DQM_WEB_ADMITTED;
}

void
dqm_web_guard_release (DqmWebGuard *self, const char *client)
{
  guint n = GPOINTER_TO_UINT (g_hash_table_lookup (self->under_way, client));

  if (n > 1)
    g_hash_table_insert (self->under_way, g_strdup (client), GUINT_TO_POINTER (n - 1));
  else
    g_hash_table_remove (self->under_way, client);
}
