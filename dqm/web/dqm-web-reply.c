/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Status, type, body and caching of an answer. */
#include "dqm-web-reply.h"

#include <string.h>

static void
cache (SoupServerMessage *msg, guint max_age_s)
{
  g_autofree char *value = max_age_s ? g_strdup_printf ("max-age=%u", max_age_s) : g_strdup ("no-cache");

  soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Cache-Control", value);
}

gsize
dqm_web_reply (SoupServerMessage *msg, guint status, const char *type, char *body)
{
  gsize length = body ? strlen (body) : 0;

  soup_server_message_set_status (msg, status, NULL);
  if (body)
    soup_server_message_set_response (msg, type, SOUP_MEMORY_TAKE, body, length);
  cache (msg, 0);
  return length;
}

gsize
dqm_web_reply_bytes (SoupServerMessage *msg, const char *type, GBytes *body, guint max_age_s)
{
  soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
  soup_message_headers_set_content_type (soup_server_message_get_response_headers (msg), type, NULL);
  soup_message_body_append_bytes (soup_server_message_get_response_body (msg), body);
  cache (msg, max_age_s);
  return g_bytes_get_size (body);
}

GBytes *
dqm_web_gzip (char *text)
{
  g_autoptr(GZlibCompressor) compressor = g_zlib_compressor_new (G_ZLIB_COMPRESSOR_FORMAT_GZIP, 1);
  g_autoptr(GOutputStream) memory = g_memory_output_stream_new_resizable ();
  g_autoptr(GOutputStream) out = g_converter_output_stream_new (memory, G_CONVERTER (compressor));
  gboolean ok = g_output_stream_write_all (out, text, strlen (text), NULL, NULL, NULL)
                && g_output_stream_close (out, NULL, NULL);

  g_free (text);
  return ok ? g_memory_output_stream_steal_as_bytes (G_MEMORY_OUTPUT_STREAM (memory)) : NULL;
}

gsize
dqm_web_reply_json (SoupServerMessage *msg, GBytes *body, gboolean gzipped)
{
  if (gzipped)
    soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Content-Encoding", "gzip");
  return dqm_web_reply_bytes (msg, "application/json", body, 0);
}

gsize
dqm_web_reply_redirect (SoupServerMessage *msg, const char *location)
{
  soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Location", location);
  return dqm_web_reply (msg, SOUP_STATUS_MOVED_PERMANENTLY, "text/plain", g_strdup_printf ("see %s\n", location));
}
