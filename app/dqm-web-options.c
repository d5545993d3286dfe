/* SPDX-License-Identifier: GPL-3.0-or-later */
/* --http and its companions. */
#include "dqm-web-options.h"

#include <string.h>

#include <glib/gi18n.h>

void
dqm_web_view_add_options (GOptionContext *context, DqmWebViewOptions *options)
{
  const GOptionEntry entries[] = {
    { "http", 0, 0, G_OPTION_ARG_STRING, &options->http,
      N_("Serve a read-only web view (THttpServer layout for JSROOT) on ADDRESS:PORT, e.g. 127.0.0.1:8080"),
      "ADDRESS:PORT" },
    { "http-cert", 0, 0, G_OPTION_ARG_FILENAME, &options->certificate,
      N_("Serve the web view over HTTPS with the PEM certificate FILE"), "FILE" },
    { "http-key", 0, 0, G_OPTION_ARG_FILENAME, &options->key, N_("The private key of --http-cert, a PEM FILE"),
      "FILE" },
    { "http-passwords", 0, 0, G_OPTION_ARG_FILENAME, &options->passwords,
      N_("Ask for a user and password from FILE (USER:HASH lines, see na64dqm-ctl web-password)"), "FILE" },
    { "http-insecure", 0, 0, G_OPTION_ARG_NONE, &options->insecure,
      N_("Allow the web view on an address beyond this machine, without TLS or passwords"), NULL },
    { NULL },
  };

  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
}

static DqmState *
pipeline_state (gpointer pipeline)
{
  return dqm_pipeline_get_state (pipeline);
}

/* ADDRESS:PORT, [::1]:8080 for IPv6. */
static gboolean
split (const char *http, char **address, guint *port, GError **error)
{
  const char *colon = strrchr (http, ':');
  guint64 number;

  if (colon == NULL || !g_ascii_string_to_unsigned (colon + 1, 10, 1, 65535, &number, NULL))
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE, "--http %s: give ADDRESS:PORT, e.g. 127.0.0.1:8080",
                   http);
      return FALSE;
    }
  *address = http[0] == '[' && colon > http + 1 && colon[-1] == ']' ? g_strndup (http + 1, colon - http - 2)
                                                                    : g_strndup (http, colon - http);
  *port = number;
  return TRUE;
}

DqmWebServer *
dqm_web_view_start (const DqmWebViewOptions *options, DqmPipeline *pipeline, const char *snapshot_dir,
                    DqmRegistry *registry, const char *program, GError **error)
{
  g_autofree char *address = NULL;
  DqmWebOptions web = { .insecure = options->insecure, .tls_certificate = options->certificate,
                        .tls_key = options->key, .passwords = options->passwords, .get_state = pipeline_state,
                        .data = pipeline, .snapshot_dir = snapshot_dir, .registry = registry };
  DqmWebServer *server;

  if (options->http == NULL)
    {
      if (options->certificate || options->key || options->passwords || options->insecure)
        g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                     "--http-cert, --http-key, --http-passwords and --http-insecure go with --http ADDRESS:PORT");
      return NULL;
    }
  if (!split (options->http, &address, &web.port, error))
    return NULL;
  web.address = address;
  if ((server = dqm_web_server_new (&web, error)) == NULL)
    {
      g_prefix_error (error, "--http %s: ", options->http);
      return NULL;
    }
  if (options->insecure && (options->certificate == NULL || options->passwords == NULL))
    g_printerr ("%s: warning: the web view on %s is served %s%s\n", program, options->http,
                options->certificate ? "" : "in the clear", options->passwords ? "" : " to anyone who reaches it");
  g_print ("%s: web view on %s://%s/ (JSROOT: h.json, FOLDER/NAME/root.json; status.json; runs/)%s\n", program,
           options->certificate ? "https" : "http", options->http,
           options->passwords ? ", with passwords" : "");
  return server;
}

void
dqm_web_view_options_clear (DqmWebViewOptions *options)
{
  g_clear_pointer (&options->http, g_free);
  g_clear_pointer (&options->certificate, g_free);
  g_clear_pointer (&options->key, g_free);
  g_clear_pointer (&options->passwords, g_free);
}
