/* SPDX-License-Identifier: GPL-3.0-or-later */
/* gettext set-up shared by the three programs. */
#include "dqm-i18n.h"

#include <glib/gi18n-lib.h>

void
dqm_i18n_init (void)
{
  const char *dir = g_getenv ("NA64DQM_LOCALEDIR");

  bindtextdomain (GETTEXT_PACKAGE, dir && *dir ? dir : LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);
}
