/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Translations: binds the program's text domain to its catalogues, in the
 * install prefix or, for a run from the build tree, $NA64DQM_LOCALEDIR. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* After setlocale (LC_ALL, ""). */
void dqm_i18n_init (void);

G_END_DECLS
