/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Endpoint names of the service. */
#include "dqm-endpoint.h"

#include <stdlib.h>
#include <string.h>

#include <gio/gio.h>

#include "dqm-service-error.h"

gboolean
dqm_endpoint_split (const char *base, char **feed, char **commands, GError **error)
{
  const char *colon = strrchr (base, ':');
  char *end = NULL;
  guint64 port = 0;

  if (g_str_has_prefix (base, "tcp://") && colon && colon > base + 6)
    port = g_ascii_strtoull (colon + 1, &end, 10);
  if (port == 0 || port >= 65535 || end == colon + 1 || *end != '\0')
    {
      g_set_error (error, DQM_SERVICE_ERROR, DQM_SERVICE_ERROR_TRANSPORT,
                   "%s: give the monitor's service as tcp://HOST:PORT (the feed on PORT, the commands on PORT + 1)",
                   base);
      return FALSE;
    }
  *feed = g_strdup (base);
  *commands = g_strdup_printf ("%.*s:%u", (int) (colon - base), base, (guint) port + 1);
  return TRUE;
}

gboolean
dqm_endpoint_is_loopback (const char *endpoint)
{
  const char *host, *colon;
  g_autofree char *name = NULL;

  if (g_str_has_prefix (endpoint, "ipc://") || g_str_has_prefix (endpoint, "inproc://"))
    return TRUE;
  if (!g_str_has_prefix (endpoint, "tcp://"))
    return FALSE;
  host = endpoint + 6;
  colon = strrchr (host, ':');
  name = colon ? g_strndup (host, colon - host) : g_strdup (host);
  if (g_str_equal (name, "localhost"))
    return TRUE;
  if (name[0] == '[' && g_str_has_suffix (name, "]"))
    {
      memmove (name, name + 1, strlen (name));
      name[strlen (name) - 1] = '\0';
    }
  g_autoptr(GInetAddress) address = g_inet_address_new_from_string (name);
  return address && g_inet_address_get_is_loopback (address);
}
