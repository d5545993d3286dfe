/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The web thread: a SoupServer on a GMainContext of its own. */
#include "dqm-web-server.h"

#include <string.h>

#include <libsoup/soup.h>

#include "dqm-root-json.h"
#include "dqm-service-error.h"
#include "dqm-status.h"
#include "dqm-web-cache.h"
#include "dqm-web-files.h"
#include "dqm-web-guard.h"
#include "dqm-web-items.h"
#include "dqm-web-passwords.h"
#include "dqm-web-reply.h"
#include "dqm-web-resources.h"
#include "dqm-web-runs.h"

#define MAX_PATH     200
#define MAX_CLIENTS     64
#define MAX_PER_CLIENT  16 /* a browser opens 6 connections, JSROOT's monitoring a few more */
#define LISTEN_BACKLOG  128
#define IDLE_TIMEOUT_S  15 /* JSROOT's monitoring asks every 2 s */

struct _DqmWebServer {
  DqmWebOptions  options;
  char          *address;
  GThread       *thread;
  GMainContext  *context;
  GMainLoop     *loop;
  SoupServer    *soup;
  guint          port;
  guint          under_way;
  DqmWebFiles   *files;        /* JSROOT, or NULL when it is not installed */
  DqmWebRuns    *runs;         /* the snapshots of past runs */
  DqmWebGuard   *guard;
  DqmWebCache   *cache;        /* the live answers of the newest state */
  DqmWebPasswords *passwords;  /* or NULL: no authentication */
  GTlsCertificate *certificate; /* or NULL: plain HTTP */
  /* start-up: the thread says whether it listens */
  GMutex         lock;
  GCond          started;
  gboolean       ready;
  GError        *error;
  DqmWebCounters counters;
};

#define COUNT(self, field) G_STMT_START { g_mutex_lock (&(self)->lock); (self)->counters.field++; \
                                          g_mutex_unlock (&(self)->lock); } G_STMT_END

/* Letters, digits, '_', '.', '-', '/' and no "..", "//" or "%": an item path
 * or nothing (an escape, encoded or not, never reaches a lookup). */
static gboolean
plain_path (const char *path)
{
  if (strlen (path) > MAX_PATH || path[0] != '/' || strstr (path, "..") || strstr (path, "//"))
    return FALSE;
  for (const char *c = path; *c; c++)
    if (!g_ascii_isalnum (*c) && !strchr ("_./-", *c))
      return FALSE;
  return TRUE;
}

static void
count_bytes (DqmWebServer *self, gsize bytes)
{
  g_mutex_lock (&self->lock);
  self->counters.bytes += bytes;
  g_mutex_unlock (&self->lock);
}

static void
respond (DqmWebServer *self, SoupServerMessage *msg, guint status, const char *type, char *body)
{
  count_bytes (self, dqm_web_reply (msg, status, type, body));
}

static void
not_found (DqmWebServer *self, SoupServerMessage *msg, const char *what)
{
  COUNT (self, not_found);
  respond (self, msg, SOUP_STATUS_NOT_FOUND, "text/plain", g_strdup_printf ("no such %s\n", what));
}

/* A JSON text (taken) as it is asked for: gzipped for a path ending ".gz". */
static GBytes *
encoded (const char *path, char *text)
{
  return g_str_has_suffix (path, ".gz") ? dqm_web_gzip (text) : g_bytes_new_take (text, strlen (text));
}

static void
reply_json (DqmWebServer *self, SoupServerMessage *msg, const char *path, GBytes *body)
{
  if (body == NULL)
    respond (self, msg, SOUP_STATUS_INTERNAL_SERVER_ERROR, "text/plain", g_strdup ("compression failed\n"));
  else
    count_bytes (self, dqm_web_reply_json (msg, body, g_str_has_suffix (path, ".gz")));
}

/* The state's status, and the web view's own counters. */
static char *
status_json (DqmWebServer *self, const DqmState *state)
{
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  DqmRegistryStatus registry;
  g_autoptr(JsonNode) root = NULL;
  JsonObject *web = json_object_new ();
  DqmWebCounters counters;

  if (self->options.registry)
    dqm_registry_get_status (self->options.registry, &registry);
  root = dqm_status_to_json (state, NULL, self->options.registry ? &registry : NULL);
  dqm_web_server_get_counters (self, &counters);
  /* The state's age by this machine's clock: a browser's may be off. */
  json_object_set_double_member (json_node_get_object (root), "age_s",
                                 (g_get_real_time () - state->made_us) / (double) G_USEC_PER_SEC);
  json_object_set_int_member (web, "requests", counters.requests);
  json_object_set_int_member (web, "not_found", counters.not_found);
  json_object_set_int_member (web, "refused", counters.refused);
  json_object_set_int_member (web, "bytes", counters.bytes);
  json_object_set_int_member (web, "unauthorized", counters.unauthorized);
  json_object_set_int_member (web, "locked_out", counters.locked_out);

  json_object_set_object_member (json_node_get_object (root), "web", web);
  json_generator_set_root (generator, root);
  return json_generator_to_data (generator, NULL);
}

/* "FOLDER/NAME" of "[/]FOLDER/NAME/root.json", or of ".../root.json.gz" as
 * JSROOT asks for it. */
static char *
item_of (const char *path)
{
  const char *const suffixes[] = { "/root.json", "/root.json.gz" };

  path += path[0] == '/';
  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    if (g_str_has_suffix (path, suffixes[i]) && strlen (path) > strlen (suffixes[i]))
      return g_strndup (path, strlen (path) - strlen (suffixes[i]));
  return NULL;
}

/* JSROOT's own online browser, as THttpServer serves it: it reads h.json
 * next to it and draws FOLDER/NAME/root.json.gz; &monitoring=2000 redraws.
 * @top: the way up to the server's root from the page ("./", "../../"). */
static void
browser_page (DqmWebServer *self, SoupServerMessage *msg, const char *top, const char *title)
{
  g_autofree char *escaped = g_markup_escape_text (title, -1);

  if (self->files == NULL)
    {
      respond (self, msg, SOUP_STATUS_SERVICE_UNAVAILABLE, "text/plain",
               g_strdup ("JSROOT is not installed with this monitor: h.json, FOLDER/NAME/root.json and status.json "
                         "are served all the same\n"));
      return;
    }
  respond (self, msg, SOUP_STATUS_OK, "text/html; charset=utf-8",
           g_strdup_printf ("<!DOCTYPE html>\n"
                            "<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
                            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
                            "<title>%s</title>\n</head>\n"
                            "<body style=\"margin:0\">\n"
                            "<div id=\"onlineGUI\" style=\"position:absolute;inset:0\"></div>\n"
                            "<script type=\"module\">\n"
                            "import { buildGUI } from '%sjsrootsys/modules/gui.mjs';\n"
                            "buildGUI('onlineGUI', 'online');\n"
                            "</script>\n</body>\n</html>\n",
                            escaped, top));
}

/* A page of this library's own resources (shift.html, runs.html). */
static void
resource_page (DqmWebServer *self, SoupServerMessage *msg, const char *name)
{
  /* From this library's own resource: a static library's constructor may not be linked in. */
  g_autofree char *path = g_strconcat ("/org/na64/dqm/web/", name, NULL);
  g_autoptr(GBytes) page = g_resource_lookup_data (dqm_web_get_resource (), path, 0, NULL);

  if (self->files == NULL)
    browser_page (self, msg, "./", ""); /* says JSROOT is missing */
  else
    count_bytes (self, dqm_web_reply_bytes (msg, "text/html; charset=utf-8", page, 0));
}

static void
jsroot_file (DqmWebServer *self, SoupServerMessage *msg, const char *name)
{
  const char *type = NULL;
  g_autoptr(GBytes) bytes = self->files ? dqm_web_files_get (self->files, name, &type) : NULL;

  if (bytes == NULL)
    not_found (self, msg, "file");
  else /* JSROOT changes only with the program: browsers may keep it. */
    count_bytes (self, dqm_web_reply_bytes (msg, type, bytes, 3600));
}

/* /runs/: the table of past runs and its summary.json; /runs/NAME/: JSROOT's
 * browser on that snapshot, its h.json and FOLDER/NAME/root.json, its own
 * summary.json and histograms.json. NAME is one the listing holds. */
static void
runs (DqmWebServer *self, SoupServerMessage *msg, const char *path)
{
  g_auto(GStrv) parts = g_strsplit (path, "/", 3); /* "", NAME, the rest */
  g_autoptr(GPtrArray) histograms = NULL;
  g_autoptr(GBytes) file = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *item = NULL, *title = NULL;
  const char *name = parts[1], *rest = parts[1] ? parts[2] : NULL;
  const DqmHistogram *h;

  if (name == NULL || g_str_equal (name, ""))
    resource_page (self, msg, "runs.html");
  else if (g_str_equal (name, "summary.json") && rest == NULL)
    respond (self, msg, SOUP_STATUS_OK, "application/json", dqm_web_runs_summary_json (self->runs));
  else if (!dqm_web_runs_has (self->runs, name))
    not_found (self, msg, "run");
  else if (rest == NULL)
    {
      g_autofree char *location = g_strdup_printf ("/runs/%s/", name);

      count_bytes (self, dqm_web_reply_redirect (msg, location));
    }
  else if (g_str_equal (rest, ""))
    {
      title = g_strdup_printf ("NA64 DQM: %s", name);
      browser_page (self, msg, "../../", title);
    }
  else if (g_str_equal (rest, "summary.json") || g_str_equal (rest, "histograms.json"))
    {
      if ((file = dqm_web_runs_file (self->runs, name, rest, &error)))
        count_bytes (self, dqm_web_reply_bytes (msg, "application/json", file, 0));
      else
        respond (self, msg, SOUP_STATUS_INTERNAL_SERVER_ERROR, "text/plain", g_strdup_printf ("%s\n", error->message));
    }
  else if ((histograms = dqm_web_runs_histograms (self->runs, name, &error)) == NULL)
    respond (self, msg, SOUP_STATUS_INTERNAL_SERVER_ERROR, "text/plain", g_strdup_printf ("%s\n", error->message));
  else if (g_str_equal (rest, "h.json"))
    {
      title = g_strdup_printf ("NA64 DQM: %s", name);
      respond (self, msg, SOUP_STATUS_OK, "application/json", dqm_web_hierarchy_json (histograms, title, 0));
    }
  else if ((item = item_of (rest)) && (h = dqm_web_find_item (histograms, item)))
    reply_json (self, msg, rest, encoded (rest, dqm_root_json_write_histogram (h)));
  else
    not_found (self, msg, "item");
}

/* The live state's h.json, status.json and FOLDER/NAME/root.json; all but
 * status.json (the age and the counters) encoded once per state. */
static void
live (DqmWebServer *self, SoupServerMessage *msg, const char *path)
{
  g_autoptr(DqmState) state = self->options.get_state (self->options.data);
  g_autoptr(GBytes) body = NULL;
  g_autofree char *item = NULL;
  const DqmHistogram *h;

  if (g_str_equal (path, "/status.json"))
    {
      respond (self, msg, SOUP_STATUS_OK, "application/json", status_json (self, state));
      return;
    }
  if ((body = dqm_web_cache_get (self->cache, state, path)) == NULL)
    {
      /* The state's histograms and the alarms' states, borrowed and made. */
      g_autoptr(DqmHistogram) alarms = dqm_web_alarm_states (state);
      g_autoptr(GPtrArray) items = g_ptr_array_sized_new (state->histograms->len + 1);

      for (guint i = 0; i < state->histograms->len; i++)
        g_ptr_array_add (items, state->histograms->pdata[i]);
      g_ptr_array_add (items, alarms);
      if (g_str_equal (path, "/h.json"))
        body = encoded (path, dqm_web_hierarchy_json (items, "NA64 DQM: live histograms", 2000));
      else if ((item = item_of (path)) && (h = dqm_web_find_item (items, item)))
        body = encoded (path, dqm_root_json_write_histogram (h));
      else
        {
          not_found (self, msg, "item");
          return;
        }
      if (body)
        dqm_web_cache_put (self->cache, state, path, body);
    }
  reply_json (self, msg, path, body);
}

static void
handle (SoupServer *soup, SoupServerMessage *msg, const char *path, GHashTable *query, gpointer data)
{
  DqmWebServer *self = data;

  if (!plain_path (path))
    not_found (self, msg, "item");
  else if (g_str_equal (path, "/jsroot.htm"))
    browser_page (self, msg, "./", "NA64 DQM: live histograms");
  else if (g_str_equal (path, "/") || g_str_equal (path, "/index.html"))
    resource_page (self, msg, "shift.html");
  else if (g_str_has_prefix (path, "/jsrootsys/"))
    jsroot_file (self, msg, path + strlen ("/jsrootsys/"));
  else if (g_str_equal (path, "/runs"))
    count_bytes (self, dqm_web_reply_redirect (msg, "/runs/"));
  else if (g_str_has_prefix (path, "/runs/"))
    runs (self, msg, path + strlen ("/runs"));
  else
    live (self, msg, path);
}

/* A request whose headers were read counts until it is answered or
 * aborted; a socket that never sends a whole request counts for nothing. */
static void
on_request_finished (SoupServer *soup, SoupServerMessage *msg, DqmWebServer *self)
{
  g_autofree char *client = g_object_steal_data (G_OBJECT (msg), "dqm-client");

  if (client == NULL)
    return;
  dqm_web_guard_release (self->guard, client);
  if (self->under_way > 0)
    self->under_way--;
}

static void
refuse (DqmWebServer *self, SoupServerMessage *msg, guint status, const char *why)
{
  COUNT (self, refused);
  respond (self, msg, status, "text/plain", g_strdup_printf ("%s\n", why));
}

/* Basic authentication against the password file, wrong tries counted.
 * Here and not by a SoupAuthDomain: libsoup skips the early handler (and
 * with it every limit above) for a message a domain has looked at. */
static gboolean
authorized (DqmWebServer *self, SoupServerMessage *msg, const char *client)
{
  const char *header = soup_message_headers_get_one (soup_server_message_get_request_headers (msg), "Authorization");
  g_autofree guchar *decoded = NULL;
  g_autofree char *both = NULL;
  gsize length = 0;
  char *colon;

  if (header && g_ascii_strncasecmp (header, "Basic ", 6) == 0 && strlen (header) < 1024)
    {
      decoded = g_base64_decode (header + 6, &length);
      both = g_strndup ((const char *) decoded, length);
    }
  if (both && (colon = strchr (both, ':')) && strlen (both) == length)
    {
      *colon = '\0';
      switch (dqm_web_passwords_check (self->passwords, client, both, colon + 1, g_get_monotonic_time ()))
        {
        case DQM_WEB_AUTH_OK:
          return TRUE;
        case DQM_WEB_AUTH_LOCKED:
          COUNT (self, locked_out);
          break;
        case DQM_WEB_AUTH_WRONG:
          break;
        }
    }
  COUNT (self, unauthorized);
  soup_message_headers_replace (soup_server_message_get_response_headers (msg), "WWW-Authenticate",
                                "Basic realm=\"NA64 DQM\", charset=\"UTF-8\"");
  respond (self, msg, SOUP_STATUS_UNAUTHORIZED, "text/plain", g_strdup ("a user and password, please\n"));
  return FALSE;
}

/* Before any body is read: a body is never kept (read-only), a method other
 * than GET or HEAD is refused; so are a Host that is not this loopback
 * server's, an overlong request line, requests beyond max_clients at once
 * or max_per_client from one address (503 at once), and then, with a
 * password file, a request without the right password (401). */
static void
early_handle (SoupServer *soup, SoupServerMessage *msg, const char *path, GHashTable *query, gpointer data)
{
  DqmWebServer *self = data;
  const char *method = soup_server_message_get_method (msg);
  const char *client = soup_server_message_get_remote_host (msg);
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  const char *host = soup_message_headers_get_one (headers, "Host");
  GUri *uri = soup_server_message_get_uri (msg);
  gsize length = strlen (g_uri_get_path (uri)) + (g_uri_get_query (uri) ? strlen (g_uri_get_query (uri)) : 0);

  soup_message_body_set_accumulate (soup_server_message_get_request_body (msg), FALSE);
  COUNT (self, requests);
  if (soup_message_headers_get_content_length (headers) > 0
      || soup_message_headers_get_encoding (headers) == SOUP_ENCODING_CHUNKED)
    {
      /* libsoup would read a body to its end before any answer: no body is
       * ever read, the connection is closed. */
      g_autoptr(GIOStream) stolen = soup_server_message_steal_connection (msg);

      COUNT (self, refused);
      if (stolen)
        g_io_stream_close (stolen, NULL, NULL);
      return;
    }
  if (!g_str_equal (method, "GET") && !g_str_equal (method, "HEAD"))
    {
      soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Allow", "GET, HEAD");
      refuse (self, msg, SOUP_STATUS_METHOD_NOT_ALLOWED, "read-only: GET and HEAD");
      return;
    }
  if (self->under_way >= self->options.max_clients)
    {
      refuse (self, msg, SOUP_STATUS_SERVICE_UNAVAILABLE, "busy: too many requests at once");
      return;
    }
  switch (dqm_web_guard_admit (self->guard, client ? client : "?", host, length))
    {
    case DQM_WEB_ADMITTED:
      self->under_way++;
      g_object_set_data_full (G_OBJECT (msg), "dqm-client", g_strdup (client ? client : "?"), g_free);
      if (self->passwords)
        authorized (self, msg, client ? client : "?"); /* else answers 401: released when it is sent */
      break;
    case DQM_WEB_WRONG_HOST:
      refuse (self, msg, SOUP_STATUS_MISDIRECTED_REQUEST,
              "this web view answers to localhost only (a page elsewhere may not read it)");
      break;
    case DQM_WEB_TOO_LONG:
      refuse (self, msg, SOUP_STATUS_REQUEST_URI_TOO_LONG, "request line too long");
      break;
    case DQM_WEB_TOO_MANY:
      refuse (self, msg, SOUP_STATUS_SERVICE_UNAVAILABLE, "busy: too many requests at once from your address");
      break;
    }
}

/* A connection's every message starts here, its first as soon as it is
 * accepted: from then on each read and write of it times out, so an idle
 * keep-alive or a request never finished closes (libsoup has no timeout). */
static void
on_request_started (SoupServer *soup, SoupServerMessage *msg, DqmWebServer *self)
{
  GSocket *socket = soup_server_message_get_socket (msg);

  if (socket && g_socket_get_timeout (socket) != IDLE_TIMEOUT_S)
    g_socket_set_timeout (socket, IDLE_TIMEOUT_S);
}

/* GLib listens with a backlog of 10: fifty browsers coming at once would
 * wait a second for a SYN sent again. */
static GSocket *
listening_socket (GSocketAddress *address, GError **error)
{
  g_autoptr(GSocket) socket = g_socket_new (g_socket_address_get_family (address), G_SOCKET_TYPE_STREAM,
                                            G_SOCKET_PROTOCOL_TCP, error);

  if (socket == NULL)
    return NULL;
  g_socket_set_listen_backlog (socket, LISTEN_BACKLOG);
  if (!g_socket_bind (socket, address, TRUE, error) || !g_socket_listen (socket, error))
    return NULL;
  return g_steal_pointer (&socket);
}

static gpointer
serve (gpointer data)
{
  DqmWebServer *self = data;
  g_autoptr(GInetAddress) inet = g_inet_address_new_from_string (self->address);
  g_autoptr(GSocketAddress) address = NULL;
  g_autoptr(GSocket) socket = NULL;
  g_autoptr(GSocketAddress) bound = NULL;
  GError *error = NULL;

  g_main_context_push_thread_default (self->context);
  self->soup = soup_server_new ("server-header", "na64dqm", "tls-certificate", self->certificate, NULL);
  soup_server_add_early_handler (self->soup, NULL, early_handle, self, NULL);
  soup_server_add_handler (self->soup, NULL, handle, self, NULL);
  g_signal_connect (self->soup, "request-started", G_CALLBACK (on_request_started), self);
  g_signal_connect (self->soup, "request-finished", G_CALLBACK (on_request_finished), self);
  g_signal_connect (self->soup, "request-aborted", G_CALLBACK (on_request_finished), self);
  address = g_inet_socket_address_new (inet, self->options.port);
  if ((socket = listening_socket (address, &error))
      && soup_server_listen_socket (self->soup, socket, self->certificate ? SOUP_SERVER_LISTEN_HTTPS : 0, &error)
      && (bound = g_socket_get_local_address (socket, &error)))
    self->port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
  g_mutex_lock (&self->lock);
  self->error = error;
  self->ready = TRUE;
  g_cond_signal (&self->started);
  g_mutex_unlock (&self->lock);
  if (error == NULL)
    g_main_loop_run (self->loop);
  soup_server_disconnect (self->soup);
  g_clear_object (&self->soup);
  g_main_context_pop_thread_default (self->context);
  return NULL;
}

/* The certificate and the password file, and whether they are enough for
 * @inet: beyond loopback both, or the operator's --http-insecure. */
static gboolean
load_security (DqmWebServer *self, GInetAddress *inet, GError **error)
{
  const DqmWebOptions *o = &self->options;

  if ((o->tls_certificate == NULL) != (o->tls_key == NULL))
    {
      g_set_error (error, DQM_SERVICE_ERROR, DQM_SERVICE_ERROR_KEYS,
                   "TLS needs both a certificate and its key file (--http-cert and --http-key)");
      return FALSE;
    }
  if (o->tls_certificate)
    {
      if (!g_tls_backend_supports_tls (g_tls_backend_get_default ()))
        {
          g_set_error (error, DQM_SERVICE_ERROR, DQM_SERVICE_ERROR_KEYS,
                       "this GLib has no TLS: install glib-networking");
          return FALSE;
        }
      if ((self->certificate = g_tls_certificate_new_from_files (o->tls_certificate, o->tls_key, error)) == NULL)
        {
          g_prefix_error (error, "%s, %s: ", o->tls_certificate, o->tls_key);
          return FALSE;
        }
      /* Browsers refuse an expired one with no word to the monitor: said here. */
      {
        g_autoptr(GDateTime) until = g_tls_certificate_get_not_valid_after (self->certificate);
        g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
        g_autofree char *when = until ? g_date_time_format_iso8601 (until) : NULL;

        if (until && g_date_time_compare (until, now) < 0)
          {
            g_set_error (error, DQM_SERVICE_ERROR, DQM_SERVICE_ERROR_KEYS, "%s: the certificate expired on %s",
                         o->tls_certificate, when);
            return FALSE;
          }
      }
    }
  if (o->passwords && (self->passwords = dqm_web_passwords_load (o->passwords, error)) == NULL)
    return FALSE;
  if (!g_inet_address_get_is_loopback (inet) && !o->insecure && (self->certificate == NULL || self->passwords == NULL))
    {
      g_set_error (error, DQM_SERVICE_ERROR, DQM_SERVICE_ERROR_KEYS,
                   "refusing to serve the web view on %s %s: give a loopback address; or --http-cert, --http-key "
                   "and --http-passwords (see na64dqm-ctl web-password); or --http-insecure to serve it to anyone "
                   "who reaches it", o->address,
                   self->certificate == NULL && self->passwords == NULL ? "without TLS and passwords"
                   : self->certificate == NULL                          ? "without TLS (the passwords would go in the clear)"
                                                                        : "without passwords");
      return FALSE;
    }
  return TRUE;
}

DqmWebServer *
dqm_web_server_new (const DqmWebOptions *options, GError **error)
{
  g_autoptr(GInetAddress) inet = NULL;
  DqmWebServer *self;

  g_return_val_if_fail (options && options->address && options->get_state, NULL);

  if ((inet = g_inet_address_new_from_string (options->address)) == NULL)
    {
      g_set_error (error, DQM_SERVICE_ERROR, DQM_SERVICE_ERROR_TRANSPORT,
                   "%s: give the web view's address as an IP address (127.0.0.1, ::1, 0.0.0.0…)", options->address);
      return NULL;
    }
  self = g_new0 (DqmWebServer, 1);
  self->options = *options;
  if (self->options.max_clients == 0)
    self->options.max_clients = MAX_CLIENTS;
  if (self->options.max_per_client == 0)
    self->options.max_per_client = MAX_PER_CLIENT;
  self->address = g_strdup (options->address);
  self->options.address = self->address;
  g_mutex_init (&self->lock);
  g_cond_init (&self->started);
  if (!load_security (self, inet, error))
    {
      dqm_web_server_free (self);
      return NULL;
    }
  {
    g_autofree char *root = options->jsroot_dir ? g_strdup (options->jsroot_dir) : dqm_web_files_default_root ();
    g_autoptr(GError) missing = NULL;

    if ((self->files = dqm_web_files_new (root, &missing)) == NULL)
      g_message ("%s", missing->message);
  }
  self->runs = dqm_web_runs_new (options->snapshot_dir);
  self->cache = dqm_web_cache_new ();
  self->guard = dqm_web_guard_new (g_inet_address_get_is_loopback (inet), self->options.max_per_client);
  self->context = g_main_context_new ();
  self->loop = g_main_loop_new (self->context, FALSE);
  self->thread = g_thread_new ("dqm-web", serve, self);
  g_mutex_lock (&self->lock);
  while (!self->ready)
    g_cond_wait (&self->started, &self->lock);
  g_mutex_unlock (&self->lock);
  if (self->error)
    {
      g_propagate_prefixed_error (error, g_steal_pointer (&self->error), "%s:%u: ", self->address, options->port);
      dqm_web_server_free (self);
      return NULL;
    }
  return self;
}

static gboolean
quit (gpointer loop)
{
  g_main_loop_quit (loop);
  return G_SOURCE_REMOVE;
}

void
dqm_web_server_free (DqmWebServer *self)
{
  if (self == NULL)
    return;
  if (self->thread)
    {
      g_main_context_invoke (self->context, quit, self->loop);
      g_thread_join (self->thread);
    }
  g_clear_pointer (&self->loop, g_main_loop_unref);
  g_clear_pointer (&self->context, g_main_context_unref);
  dqm_web_files_free (self->files);
  dqm_web_runs_free (self->runs);
  dqm_web_guard_free (self->guard);
  dqm_web_cache_free (self->cache);
  dqm_web_passwords_free (self->passwords);
  g_clear_object (&self->certificate);
  g_clear_error (&self->error);
  g_mutex_clear (&self->lock);
  g_cond_clear (&self->started);
  g_free (self->address);
  g_free (self);
}

guint
dqm_web_server_get_port (DqmWebServer *self)
{
  return self->port;
}

void
dqm_web_server_get_counters (DqmWebServer *self, DqmWebCounters *counters)
{
  g_mutex_lock (&self->lock);
  *counters = self->counters;
  g_mutex_unlock (&self->lock);
}
