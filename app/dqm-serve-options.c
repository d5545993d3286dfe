/* SPDX-License-Identifier: GPL-3.0-or-later */
/* --serve and its companions. */
#include "dqm-serve-options.h"

#include <glib/gi18n.h>

#include "dqm-endpoint.h"
#include "dqm-service-error.h"

GOptionGroup *
dqm_serve_option_group (DqmServeOptions *options)
{
  const GOptionEntry entries[] = {
    { "serve", 0, 0, G_OPTION_ARG_STRING, &options->serve,
      N_("Serve the state to attached displays and na64dqm-ctl: the feed on PORT, commands on PORT + 1 (e.g. tcp://127.0.0.1:5556)"),
      "tcp://HOST:PORT" },
    { "keys", 0, 0, G_OPTION_ARG_FILENAME, &options->keys_dir,
      N_("CURVE keys and the allowlist of clients (default ~/.config/na64dqm/keys)"), "DIR" },
    { "feed-security", 0, 0, G_OPTION_ARG_STRING, &options->feed_security,
      N_("Who may watch the feed: curve (any key, default), allowed (allowlisted keys), open (no CURVE)"), "MODE" },
    { "publish-ms", 0, 0, G_OPTION_ARG_INT, &options->publish_ms,
      N_("Send the state to viewers every MS milliseconds (default 250)"), "MS" },
    { NULL },
  };
  GOptionGroup *group = g_option_group_new ("service", _("Serving displays and na64dqm-ctl:"),
                                            _("Show the service options"), NULL, NULL);

  g_option_group_add_entries (group, entries);
  g_option_group_set_translation_domain (group, GETTEXT_PACKAGE);
  return group;
}

DqmServer *
dqm_serve_start (const DqmServeOptions *options, DqmPipeline *pipeline, const char *snapshot_dir,
                 DqmRegistry *registry, const DqmElogPlace *elog, gboolean lower_priority, GError **error)
{
  g_autofree char *feed = NULL, *commands = NULL;
  DqmServerOptions server;

  if (options->serve == NULL)
    return NULL;
  if (!dqm_endpoint_split (options->serve, &feed, &commands, error))
    return NULL;
  dqm_server_options_init (&server);
  server.feed_endpoint = feed;
  server.command_endpoint = commands;
  server.keys_dir = options->keys_dir;
  server.snapshot_dir = snapshot_dir;
  server.registry = registry;
  if (elog && elog->dir)
    {
      server.elog = dqm_elog_write_for_service;
      server.elog_data = (gpointer) elog;
    }
  server.lower_priority = lower_priority;
  if (options->publish_ms)
    {
      if (options->publish_ms < 20 || options->publish_ms > 10000)
        {
          g_set_error (error, DQM_SERVICE_ERROR, DQM_SERVICE_ERROR_TRANSPORT,
                       "--publish-ms %d: give 20 to 10000 milliseconds", options->publish_ms);
          return NULL;
        }
      server.publish_interval_s = options->publish_ms / 1000.0;
    }
  if (options->feed_security == NULL || g_str_equal (options->feed_security, "curve"))
    server.feed_security = DQM_FEED_CURVE;
  else if (g_str_equal (options->feed_security, "allowed"))
    server.feed_security = DQM_FEED_ALLOWED;
  else if (g_str_equal (options->feed_security, "open"))
    server.feed_security = DQM_FEED_OPEN;
  else
    {
      g_set_error (error, DQM_SERVICE_ERROR, DQM_SERVICE_ERROR_KEYS,
                   "--feed-security %s: give curve, allowed or open", options->feed_security);
      return NULL;
    }
  return dqm_server_new (pipeline, &server, error);
}

void
dqm_serve_options_clear (DqmServeOptions *options)
{
  g_clear_pointer (&options->serve, g_free);
  g_clear_pointer (&options->keys_dir, g_free);
  g_clear_pointer (&options->feed_security, g_free);
}
