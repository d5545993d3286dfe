/* SPDX-License-Identifier: GPL-3.0-or-later */
/* na64dqm-ctl: the monitor's service from the command line, for shift
 * scripts and tests: status, acknowledge, reset, snapshot, reference,
 * events, and the CURVE keys (docs/state-v1.md). Exit status 0 when done,
 * 1 when the monitor refused or could not be reached, 2 on bad usage. */
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include <glib.h>
#include <json-glib/json-glib.h>

#include "dqm-client.h"
#include "dqm-endpoint.h"
#include "dqm-file.h"
#include "dqm-keys.h"
#include "dqm-stream.h"
#include "dqm-web-passwords.h"
#include "na64dqm-ctl-runs.h"

typedef struct {
  char    *connect, *keys_dir, *key, *monitor_key, *comment, *who, *output, *name, *event;
  char    *registry, *since, *beam;
  int      newest;
  double   timeout;
  gboolean candidates, monitor, force, allow, open_feed, pretty, csv;
} Options;

static const char summary[] =
  "Commands:\n"
  "  status                     the monitor's run, spill, counters, alarms (JSON)\n"
  "  ack ALARM|all              acknowledge an alarm or all (--comment, --who)\n"
  "  reset HISTOGRAM|all        clear a histogram (NAME_spill: its spill scope)\n"
  "  snapshot                   write a snapshot of the run now\n"
  "  reference RUN              compare with run RUN's snapshot (0: none)\n"
  "  events                     fetch kept events (--newest N, --candidates or\n"
  "                             --event RUN/SPILL/ID) into --output FILE\n"
  "  keygen                     make a key pair in --keys DIR (--name NAME,\n"
  "                             --monitor for the monitor's own, --allow to\n"
  "                             put it in this machine's allowlist)\n"
  "  allow NAME KEY|FILE.pub    let a client's key send commands\n"
  "  elog                       an e-log entry of the run now (--comment TEXT):\n"
  "                             its text and pictures, written by the monitor\n"
  "  flag RUN good|bad|clear    a shifter's verdict on a run, in the monitor's\n"
  "                             registry (--comment TEXT)\n"
  "  runs                       the run registry --registry FILE (--since DATE,\n"
  "                             --beam B, --csv)\n"
  "  web-password USER          a line for the web view's --http-passwords\n"
  "                             file, the password read from the terminal\n"
  "                             (twice) or from stdin's first line\n"
  "\n"
  "Changing commands need a key in the monitor's allowlist; status, events\n"
  "and watching do not. Exit status: 0 done, 1 refused or unreachable, 2 usage.";

static int
fail (const char *format, ...) G_GNUC_PRINTF (1, 2);

static int
fail (const char *format, ...)
{
  va_list args;
  g_autofree char *text = NULL;

  va_start (args, format);
  text = g_strdup_vprintf (format, args);
  va_end (args);
  g_printerr ("na64dqm-ctl: %s\n", text);
  return 1;
}

/* A line of stdin; on a terminal, after @prompt and without echo. */
static char *
read_password (const char *prompt)
{
  struct termios saved, quiet;
  gboolean terminal = isatty (STDIN_FILENO) && tcgetattr (STDIN_FILENO, &saved) == 0;
  char line[512];
  char *got;

  if (terminal)
    {
      quiet = saved;
      quiet.c_lflag &= ~ECHO;
      tcsetattr (STDIN_FILENO, TCSAFLUSH, &quiet);
      fprintf (stderr, "%s", prompt);
    }
  got = fgets (line, sizeof line, stdin);
  if (terminal)
    {
      tcsetattr (STDIN_FILENO, TCSAFLUSH, &saved);
      fprintf (stderr, "\n");
    }
  if (got == NULL)
    return NULL;
  line[strcspn (line, "\r\n")] = '\0';
  return g_strdup (line);
}

static int
web_password (const char *user)
{
  g_autofree char *password = read_password ("password: "), *again = NULL, *line = NULL;
  g_autoptr(GError) error = NULL;

  if (password == NULL)
    return fail ("no password given"), 2;
  if (isatty (STDIN_FILENO) && ((again = read_password ("again: ")) == NULL || !g_str_equal (again, password)))
    return fail ("the two passwords differ"), 2;
  if ((line = dqm_web_password_line (user, password, &error)) == NULL)
    return fail ("%s", error->message), 2;
  g_print ("%s\n", line);
  return 0;
}

static char *
keys_dir (const Options *o)
{
  return o->keys_dir ? g_strdup (o->keys_dir) : dqm_keys_default_dir ();
}

static int
keygen (const Options *o)
{
  g_autofree char *dir = keys_dir (o);
  const char *name = o->monitor ? DQM_KEYS_MONITOR : o->name ? o->name : DQM_KEYS_CLIENT;
  g_autoptr(GError) error = NULL;
  DqmKeyPair pair;

  if (!dqm_keys_generate (name, &pair, &error) || !dqm_keys_save (dir, &pair, o->force, &error))
    return fail ("%s", error->message);
  g_print ("%s/%s.key (secret) and %s.pub written\npublic key: %s\n", dir, name, name, pair.public_key);
  if (o->allow)
    {
      g_autofree char *allowlist = g_build_filename (dir, DQM_KEYS_ALLOWLIST, NULL);

      if (!dqm_keys_allow (allowlist, name, pair.public_key, &error))
        return fail ("%s", error->message);
      g_print ("allowed in %s\n", allowlist);
    }
  return 0;
}

static int
allow (const Options *o, const char *name, const char *key)
{
  g_autofree char *dir = keys_dir (o);
  g_autofree char *allowlist = g_build_filename (dir, DQM_KEYS_ALLOWLIST, NULL);
  g_autoptr(GError) error = NULL;
  DqmKeyPair pair;

  if (!dqm_keys_public_is_valid (key))
    {
      if (!dqm_keys_load (key, TRUE, &pair, &error))
        return fail ("%s is neither a public key nor a key file: %s", key, error->message);
      key = pair.public_key;
    }
  if (g_mkdir_with_parents (dir, 0700) != 0 || !dqm_keys_allow (allowlist, name, key, &error))
    return fail ("%s", error ? error->message : "cannot make the key directory");
  g_print ("%s may send commands (%s)\n", name, allowlist);
  return 0;
}

static void
print_json (JsonNode *node, gboolean pretty)
{
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autofree char *text = NULL;

  json_generator_set_pretty (generator, pretty);
  json_generator_set_root (generator, node);
  text = json_generator_to_data (generator, NULL);
  g_print ("%s\n", text);
}

static int
events (DqmClient *client, const Options *o, JsonObject *request)
{
  g_autoptr(GPtrArray) frames = NULL;
  g_autoptr(GError) error = NULL;
  DqmFileWriter *writer = NULL;
  g_autofree DqmEvent *storage = g_new (DqmEvent, 1);

  if (o->candidates)
    json_object_set_boolean_member (request, "candidates", TRUE);
  else if (o->newest > 0)
    json_object_set_int_member (request, "newest", o->newest);
  else if (o->event)
    {
      guint64 ids[3];
      g_auto(GStrv) parts = g_strsplit (o->event, "/", -1);

      if (g_strv_length (parts) != 3 || !g_ascii_string_to_unsigned (parts[0], 10, 0, G_MAXUINT32, &ids[0], NULL)
          || !g_ascii_string_to_unsigned (parts[1], 10, 0, G_MAXUINT32, &ids[1], NULL)
          || !g_ascii_string_to_unsigned (parts[2], 10, 0, G_MAXINT64, &ids[2], NULL))
        return fail ("--event RUN/SPILL/ID, e.g. --event 12/3/4567"), 2;
      json_object_set_int_member (request, "run", (gint64) ids[0]);
      json_object_set_int_member (request, "spill", (gint64) ids[1]);
      json_object_set_int_member (request, "event_id", (gint64) ids[2]);
    }
  else
    return fail ("events: give --newest N, --candidates or --event RUN/SPILL/ID"), 2;
  if (!dqm_client_request (client, request, o->timeout, NULL, &frames, &error))
    return fail ("%s", error->message);
  if (o->output && (writer = dqm_file_writer_new (o->output, &error)) == NULL)
    return fail ("%s", error->message);
  for (guint i = 0; i < frames->len; i++)
    {
      gsize size;
      const guint8 *data = g_bytes_get_data (frames->pdata[i], &size);
      DqmMessage message;

      if (writer && !dqm_file_writer_write (writer, data, size, &error))
        {
          dqm_file_writer_close (writer, NULL);
          return fail ("%s", error->message);
        }
      if (dqm_stream_decode (data, size, &message, storage, NULL) && message.type == DQM_MSG_EVT)
        g_print ("run %u spill %u event %" G_GUINT64_FORMAT " (%" G_GSIZE_FORMAT " bytes)\n", message.run,
                 storage->spill, storage->event_id, size);
      else
        g_print ("an undecodable message of %" G_GSIZE_FORMAT " bytes\n", size);
    }
  if (writer && !dqm_file_writer_close (writer, &error))
    return fail ("%s", error->message);
  if (o->output)
    g_print ("%u events written to %s\n", frames->len, o->output);
  return 0;
}

static int
remote (const Options *o, const char *command, char **args)
{
  g_autofree char *feed = NULL, *commands = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(DqmClient) client = NULL;
  g_autoptr(JsonObject) request = json_object_new ();
  g_autoptr(JsonObject) reply = NULL;
  DqmClientOptions options = { 0 };

  if (!dqm_endpoint_split (o->connect, &feed, &commands, &error))
    return fail ("%s", error->message), 2;
  options.feed_endpoint = feed;
  options.command_endpoint = commands;
  options.keys_dir = o->keys_dir;
  options.client_key = o->key;
  options.monitor_key = o->monitor_key;
  options.open_feed = o->open_feed;
  if ((client = dqm_client_new (&options, &error)) == NULL)
    return fail ("%s", error->message);
  json_object_set_string_member (request, "command", command);
  if (g_str_equal (command, "ack") || g_str_equal (command, "reset"))
    {
      if (args[0] == NULL || args[1] != NULL)
        return fail ("%s takes one argument: %s", command, g_str_equal (command, "ack") ? "ALARM|all" : "HISTOGRAM|all"), 2;
      json_object_set_string_member (request, g_str_equal (command, "ack") ? "alarm" : "histogram", args[0]);
      if (g_str_equal (command, "ack"))
        {
          json_object_set_string_member (request, "who", o->who ? o->who : g_get_user_name ());
          if (o->comment)
            json_object_set_string_member (request, "comment", o->comment);
        }
    }
  else if (g_str_equal (command, "reference"))
    {
      guint64 run;

      if (args[0] == NULL || args[1] != NULL || !g_ascii_string_to_unsigned (args[0], 10, 0, 999999, &run, NULL))
        return fail ("reference takes a run number (0: none)"), 2;
      json_object_set_int_member (request, "run", (gint64) run);
    }
  else if (g_str_equal (command, "flag"))
    {
      guint64 run;

      if (args[0] == NULL || args[1] == NULL || args[2] != NULL
          || !g_ascii_string_to_unsigned (args[0], 10, 1, G_MAXUINT32, &run, NULL)
          || !g_strv_contains ((const char *const[]) { "good", "bad", "clear", NULL }, args[1]))
        return fail ("flag takes a run number and good, bad or clear"), 2;
      json_object_set_int_member (request, "run", (gint64) run);
      json_object_set_string_member (request, "flag", g_str_equal (args[1], "clear") ? "" : args[1]);
      if (o->comment)
        json_object_set_string_member (request, "comment", o->comment);
    }
  else if (g_str_equal (command, "elog"))
    {
      if (args[0] != NULL)
        return fail ("elog takes no argument (the text goes in --comment)"), 2;
      json_object_set_string_member (request, "who", o->who ? o->who : g_get_user_name ());
      if (o->comment)
        json_object_set_string_member (request, "comment", o->comment);
    }
  else if (g_str_equal (command, "events"))
    return events (client, o, request);
  else if (args[0] != NULL)
    return fail ("%s takes no argument", command), 2;
  if (!dqm_client_request (client, request, o->timeout, &reply, NULL, &error))
    return fail ("%s: %s", command, error->message);
  if (g_str_equal (command, "status"))
    print_json (json_object_get_member (reply, "status"), o->pretty);
  else if (g_str_equal (command, "ack"))
    g_print ("%" G_GINT64_FORMAT " alarm%s acknowledged\n", json_object_get_int_member (reply, "acknowledged"),
             json_object_get_int_member (reply, "acknowledged") == 1 ? "" : "s");
  else if (g_str_equal (command, "elog"))
    g_print ("e-log entry %s\n", json_object_get_string_member (reply, "entry"));
  else
    g_print ("%s: done\n", command);
  return 0;
}

int
main (int argc, char **argv)
{
  Options o = { .timeout = 5, .pretty = TRUE };
  gboolean compact = FALSE;
  const GOptionEntry entries[] = {
    { "connect", 'C', 0, G_OPTION_ARG_STRING, &o.connect, "The monitor's service (default " DQM_SERVICE_DEFAULT_BASE ")", "tcp://HOST:PORT" },
    { "keys", 'k', 0, G_OPTION_ARG_FILENAME, &o.keys_dir, "Key directory (default ~/.config/na64dqm/keys)", "DIR" },
    { "key", 0, 0, G_OPTION_ARG_FILENAME, &o.key, "This client's key pair (default KEYS/client.key)", "FILE" },
    { "monitor-key", 0, 0, G_OPTION_ARG_STRING, &o.monitor_key, "The monitor's public key, a file or Z85 (default KEYS/monitor.pub)", "FILE|KEY" },
    { "open-feed", 0, 0, G_OPTION_ARG_NONE, &o.open_feed, "The monitor's feed has no CURVE (--feed-security open)", NULL },
    { "timeout", 't', 0, G_OPTION_ARG_DOUBLE, &o.timeout, "Seconds to wait for the monitor (default 5)", "S" },
    { "comment", 'm', 0, G_OPTION_ARG_STRING, &o.comment, "ack, flag, elog: a comment for the alarm log, the run or the entry", "TEXT" },
    { "who", 0, 0, G_OPTION_ARG_STRING, &o.who, "ack, elog: who acknowledges or writes (default the user name)", "NAME" },
    { "newest", 'n', 0, G_OPTION_ARG_INT, &o.newest, "events: the N newest kept", "N" },
    { "candidates", 0, 0, G_OPTION_ARG_NONE, &o.candidates, "events: the signal-box candidates kept", NULL },
    { "event", 'e', 0, G_OPTION_ARG_STRING, &o.event, "events: one event", "RUN/SPILL/ID" },
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &o.output, "events: write them to FILE (N64RAW01; never overwritten)", "FILE" },
    { "name", 0, 0, G_OPTION_ARG_STRING, &o.name, "keygen: the pair's name (default client)", "NAME" },
    { "monitor", 0, 0, G_OPTION_ARG_NONE, &o.monitor, "keygen: the monitor's own pair", NULL },
    { "allow", 0, 0, G_OPTION_ARG_NONE, &o.allow, "keygen: also allow it in KEYS/allowed-clients", NULL },
    { "force", 'f', 0, G_OPTION_ARG_NONE, &o.force, "keygen: replace an existing pair", NULL },
    { "compact", 0, 0, G_OPTION_ARG_NONE, &compact, "status: JSON on one line", NULL },
    { "registry", 0, 0, G_OPTION_ARG_FILENAME, &o.registry,
      "runs: the monitor's registry (SNAPSHOT_DIR/registry.sqlite)", "FILE" },
    { "since", 0, 0, G_OPTION_ARG_STRING, &o.since, "runs: started at or after DATE (2026-12-01, or an ISO 8601 time)",
      "DATE" },
    { "beam", 0, 0, G_OPTION_ARG_STRING, &o.beam, "runs: of beam B only (e-, e+, mu-, pi-)", "B" },
    { "csv", 0, 0, G_OPTION_ARG_NONE, &o.csv, "runs: CSV, one line a run", NULL },
    { NULL },
  };
  g_autoptr(GOptionContext) context = g_option_context_new ("COMMAND [ARGUMENT]");
  g_autoptr(GError) error = NULL;
  int status;

  setlocale (LC_ALL, "");
  g_option_context_set_summary (context, "Commands and keys for the NA64 DQM monitor's service.");
  g_option_context_set_description (context, summary);
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    return fail ("%s (see --help)", error->message), 2;
  o.pretty = !compact;
  if (!o.connect)
    o.connect = g_strdup (DQM_SERVICE_DEFAULT_BASE);
  if (argc < 2)
    return fail ("a command, please: status, ack, reset, snapshot, reference, events, runs, keygen, allow, web-password "
                 "(see --help)"), 2;
  if (g_str_equal (argv[1], "keygen"))
    status = argc == 2 ? keygen (&o) : (fail ("keygen takes no argument"), 2);
  else if (g_str_equal (argv[1], "runs"))
    status = argc != 2    ? (fail ("runs takes no argument"), 2)
             : !o.registry ? (fail ("runs needs --registry FILE: the monitor's, SNAPSHOT_DIR/registry.sqlite"), 2)
                           : ctl_runs (o.registry, o.since, o.beam, o.csv);
  else if (g_str_equal (argv[1], "web-password"))
    status = argc == 3 ? web_password (argv[2]) : (fail ("web-password USER"), 2);
  else if (g_str_equal (argv[1], "allow"))
    status = argc == 4 ? allow (&o, argv[2], argv[3]) : (fail ("allow NAME KEY|FILE.pub"), 2);
  else if (g_strv_contains ((const char *const[]) { "status", "ack", "reset", "snapshot", "reference", "events", "flag",
                                                    "elog", NULL },
                            argv[1]))
    status = remote (&o, argv[1], argv + 2);
  else
    status = (fail ("unknown command “%s” (see --help)", argv[1]), 2);
  g_free (o.connect);
  return status;
}
