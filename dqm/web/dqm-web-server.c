/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The web thread: a SoupServer on a GMainContext of its own. */
#include "dqm-web-server.h"

#include <string.h>

#include <libsoup/soup.h>

#include "dqm-root-json.h"
#include "dqm-service-error.h"
#include "dqm-status.h"
#include "dqm-web-files.h"
#include "dqm-web-items.h"
#include "dqm-web-resources.h"

#define MAX_PATH     200
#define MAX_CLIENTS  64

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
respond (DqmWebServer *self, SoupServerMessage *msg, guint status, const char *type, char *body)
{
  gsize length = body ? strlen (body) : 0;

  soup_server_message_set_status (msg, status, NULL);
  if (body)
    soup_server_message_set_response (msg, type, SOUP_MEMORY_TAKE, body, length);
  /* The state changes all the time: nobody caches it. */
  soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Cache-Control", "no-cache");
  g_mutex_lock (&self->lock);
  self->counters.bytes += length;
  g_mutex_unlock (&self->lock);
}

/* @text gzipped, as THttpServer answers ".gz" (the browser inflates it by
 * its Content-Encoding; JSROOT in node does it itself). Takes @text. */
static GBytes *
gzipped (char *text)
{
  g_autoptr(GZlibCompressor) compressor = g_zlib_compressor_new (G_ZLIB_COMPRESSOR_FORMAT_GZIP, 1);
  g_autoptr(GOutputStream) memory = g_memory_output_stream_new_resizable ();
  g_autoptr(GOutputStream) out = g_converter_output_stream_new (memory, G_CONVERTER (compressor));
  gboolean ok = g_output_stream_write_all (out, text, strlen (text), NULL, NULL, NULL)
                && g_output_stream_close (out, NULL, NULL);

  g_free (text);
  return ok ? g_memory_output_stream_steal_as_bytes (G_MEMORY_OUTPUT_STREAM (memory)) : NULL;
}

static void
respond_gzipped (DqmWebServer *self, SoupServerMessage *msg, char *text)
{
  g_autoptr(GBytes) body = gzipped (text);

  if (body == NULL)
    {
      respond (self, msg, SOUP_STATUS_INTERNAL_SERVER_ERROR, "text/plain", g_strdup ("compression failed\n"));
      return;
    }
  soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
  soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Content-Encoding", "gzip");
  soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Cache-Control", "no-cache");
  soup_message_headers_set_content_type (soup_server_message_get_response_headers (msg), "application/json", NULL);
  soup_message_body_append_bytes (soup_server_message_get_response_body (msg), body);
  g_mutex_lock (&self->lock);
  self->counters.bytes += g_bytes_get_size (body);
  g_mutex_unlock (&self->lock);
}

/* The state's status, and the web view's own counters. */
static char *
status_json (DqmWebServer *self, const DqmState *state)
{
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = dqm_status_to_json (state, NULL);
  JsonObject *web = json_object_new ();
  DqmWebCounters counters;

  dqm_web_server_get_counters (self, &counters);
  /* The state's age by this machine's clock: a browser's may be off. */
  json_object_set_double_member (json_node_get_object (root), "age_s",
                                 (g_get_real_time () - state->made_us) / (double) G_USEC_PER_SEC);
  json_object_set_int_member (web, "requests", counters.requests);
  json_object_set_int_member (web, "not_found", counters.not_found);
  json_object_set_int_member (web, "refused", counters.refused);
  json_object_set_int_member (web, "bytes", counters.bytes);
  json_object_set_object_member (json_node_get_object (root), "web", web);
  json_generator_set_root (generator, root);
  return json_generator_to_data (generator, NULL);
}

/* "FOLDER/NAME" of ".../root.json", or of ".../root.json.gz" as JSROOT asks
 * for it. */
static char *
item_of (const char *path)
{
  const char *const suffixes[] = { "/root.json", "/root.json.gz" };

  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    if (g_str_has_suffix (path, suffixes[i]) && strlen (path) > strlen (suffixes[i]) + 1)
      return g_strndup (path + 1, strlen (path) - 1 - strlen (suffixes[i]));
  return NULL;
}

/* JSROOT's own online browser, as THttpServer serves it: it reads h.json
 * next to it, draws FOLDER/NAME/root.json.gz, and &monitoring=2000 redraws. */
static const char browser_html[] =
  "<!DOCTYPE html>\n"
  "<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
  "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
  "<title>NA64 DQM: live histograms</title>\n</head>\n"
  "<body style=\"margin:0\">\n<div id=\"onlineGUI\" style=\"position:absolute;inset:0\"></div>\n"
  "<script type=\"module\">\n"
  "import { buildGUI } from './jsrootsys/modules/gui.mjs';\n"
  "buildGUI('onlineGUI', 'online');\n"
  "</script>\n</body>\n</html>\n";

static void
browser_page (DqmWebServer *self, SoupServerMessage *msg)
{
  if (self->files == NULL)
    respond (self, msg, SOUP_STATUS_SERVICE_UNAVAILABLE, "text/plain",
             g_strdup ("JSROOT is not installed with this monitor: h.json, FOLDER/NAME/root.json and status.json "
                       "are served all the same\n"));
  else
    respond (self, msg, SOUP_STATUS_OK, "text/html; charset=utf-8", g_strdup (browser_html));
}

/* The shift page: the wall screen's plots, alarms and log (shift.html). */
static void
shift_page (DqmWebServer *self, SoupServerMessage *msg)
{
  /* From this library's own resource: a static library's constructor may not be linked in. */
  g_autoptr(GBytes) page = g_resource_lookup_data (dqm_web_get_resource (), "/org/na64/dqm/web/shift.html", 0, NULL);

  if (self->files == NULL)
    {
      browser_page (self, msg); /* says JSROOT is missing */
      return;
    }
  respond (self, msg, SOUP_STATUS_OK, "text/html; charset=utf-8", g_strndup (g_bytes_get_data (page, NULL),
                                                                             g_bytes_get_size (page)));
}

static void
jsroot_file (DqmWebServer *self, SoupServerMessage *msg, const char *name)
{
  const char *type = NULL;
  g_autoptr(GBytes) bytes = self->files ? dqm_web_files_get (self->files, name, &type) : NULL;

  if (bytes == NULL)
    {
      COUNT (self, not_found);
      respond (self, msg, SOUP_STATUS_NOT_FOUND, "text/plain", g_strdup ("no such file\n"));
      return;
    }
  soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
  soup_message_headers_set_content_type (soup_server_message_get_response_headers (msg), type, NULL);
  /* JSROOT changes only with the program: browsers may keep it. */
  soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Cache-Control", "max-age=3600");
  soup_message_body_append_bytes (soup_server_message_get_response_body (msg), bytes);
  g_mutex_lock (&self->lock);
  self->counters.bytes += g_bytes_get_size (bytes);
  g_mutex_unlock (&self->lock);
}

static void
handle (SoupServer *soup, SoupServerMessage *msg, const char *path, GHashTable *query, gpointer data)
{
  DqmWebServer *self = data;
  g_autoptr(DqmState) state = NULL;
  g_autofree char *item = NULL;
  const DqmHistogram *h;

  if (!plain_path (path))
    {
      COUNT (self, not_found);
      respond (self, msg, SOUP_STATUS_NOT_FOUND, "text/plain", g_strdup ("no such item\n"));
      return;
    }
  if (g_str_equal (path, "/jsroot.htm"))
    {
      browser_page (self, msg);
      return;
    }
  if (g_str_equal (path, "/") || g_str_equal (path, "/index.html"))
    {
      shift_page (self, msg);
      return;
    }
  if (g_str_has_prefix (path, "/jsrootsys/"))
    {
      jsroot_file (self, msg, path + strlen ("/jsrootsys/"));
      return;
    }
  state = self->options.get_state (self->options.data);
  if (g_str_equal (path, "/h.json"))
    respond (self, msg, SOUP_STATUS_OK, "application/json", dqm_web_hierarchy_json (state));
  else if (g_str_equal (path, "/status.json"))
    respond (self, msg, SOUP_STATUS_OK, "application/json", status_json (self, state));
  else if ((item = item_of (path)) && (h = dqm_web_find_item (state, item)))
    {
      if (g_str_has_suffix (path, ".gz"))
        respond_gzipped (self, msg, dqm_root_json_write_histogram (h));
      else
        respond (self, msg, SOUP_STATUS_OK, "application/json", dqm_root_json_write_histogram (h));
    }
  else
    {
      COUNT (self, not_found);
      respond (self, msg, SOUP_STATUS_NOT_FOUND, "text/plain", g_strdup ("no such item\n"));
    }
}

/* A request whose headers were read counts until it is answered or
 * aborted; a socket that never sends a whole request counts for nothing. */
static void
on_request_finished (SoupServer *soup, SoupServerMessage *msg, DqmWebServer *self)
{
  if (g_object_steal_data (G_OBJECT (msg), "dqm-under-way") && self->under_way > 0)
    self->under_way--;
}

static void
refuse_method (DqmWebServer *self, SoupServerMessage *msg)
{
  COUNT (self, refused);
  soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Allow", "GET, HEAD");
  respond (self, msg, SOUP_STATUS_METHOD_NOT_ALLOWED, "text/plain", g_strdup ("read-only: GET and HEAD\n"));
}

/* Before any body is read: a body is never kept (read-only), a method other
 * than GET or HEAD is refused, and beyond max_clients requests at once the
 * others get a 503 at once. */
static void
early_handle (SoupServer *soup, SoupServerMessage *msg, const char *path, GHashTable *query, gpointer data)
{
  DqmWebServer *self = data;
  const char *method = soup_server_message_get_method (msg);

  soup_message_body_set_accumulate (soup_server_message_get_request_body (msg), FALSE);
  COUNT (self, requests);
  if (!g_str_equal (method, "GET") && !g_str_equal (method, "HEAD"))
    refuse_method (self, msg);
  else if (self->under_way >= self->options.max_clients)
    {
      COUNT (self, refused);
      respond (self, msg, SOUP_STATUS_SERVICE_UNAVAILABLE, "text/plain", g_strdup ("busy: too many requests at once\n"));
    }
  else
    {
      self->under_way++;
      g_object_set_data (G_OBJECT (msg), "dqm-under-way", GINT_TO_POINTER (1));
    }
}

static gpointer
serve (gpointer data)
{
  DqmWebServer *self = data;
  g_autoptr(GInetAddress) inet = g_inet_address_new_from_string (self->address);
  g_autoptr(GSocketAddress) address = NULL;
  GError *error = NULL;
  GSList *uris;

  g_main_context_push_thread_default (self->context);
  self->soup = soup_server_new ("server-header", "na64dqm", NULL);
  soup_server_add_early_handler (self->soup, NULL, early_handle, self, NULL);
  soup_server_add_handler (self->soup, NULL, handle, self, NULL);
  g_signal_connect (self->soup, "request-finished", G_CALLBACK (on_request_finished), self);
  g_signal_connect (self->soup, "request-aborted", G_CALLBACK (on_request_finished), self);
  address = g_inet_socket_address_new (inet, self->options.port);
  if (soup_server_listen (self->soup, address, 0, &error) && (uris = soup_server_get_uris (self->soup)))
    {
      self->port = g_uri_get_port (uris->data);
      g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);
    }
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
  if (!g_inet_address_get_is_loopback (inet) && !options->insecure)
    {
      g_set_error (error, DQM_SERVICE_ERROR, DQM_SERVICE_ERROR_KEYS,
                   "refusing to serve the web view on %s without TLS and passwords: give a loopback address, or "
                   "--http-insecure to serve it in the clear to anyone who reaches it", options->address);
      return NULL;
    }
  self = g_new0 (DqmWebServer, 1);
  self->options = *options;
  if (self->options.max_clients == 0)
    self->options.max_clients = MAX_CLIENTS;
  self->address = g_strdup (options->address);
  self->options.address = self->address;
  g_mutex_init (&self->lock);
  g_cond_init (&self->started);
  {
    g_autofree char *root = options->jsroot_dir ? g_strdup (options->jsroot_dir) : dqm_web_files_default_root ();
    g_autoptr(GError) missing = NULL;

    if ((self->files = dqm_web_files_new (root, &missing)) == NULL)
      g_message ("%s", missing->message);
  }
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
  g_main_loop_unref (self->loop);
  g_main_context_unref (self->context);
  dqm_web_files_free (self->files);
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
