/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The detector and beam configuration: the built-in default (a GResource)
 * with single keys overridden by a user file. Every read is checked, and a
 * bad value is reported with file, group, key and what is wrong. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct _DqmConfig DqmConfig;

DqmConfig   *dqm_config_new_default   (void);
DqmConfig   *dqm_config_load          (const char  *user_path,
                                       GError     **error);
DqmConfig   *dqm_config_ref           (DqmConfig   *config);
void         dqm_config_unref         (DqmConfig   *config);

gboolean     dqm_config_has_group     (DqmConfig   *config,
                                       const char  *group);
/* The keys of @group (an empty list when it has none). */
char       **dqm_config_get_keys      (DqmConfig   *config,
                                       const char  *group);
/* Overrides one key as a user file would (for tests and command-line flags). */
gboolean     dqm_config_set           (DqmConfig   *config,
                                       const char  *group,
                                       const char  *key,
                                       const char  *value,
                                       GError     **error);

gboolean     dqm_config_get_double    (DqmConfig   *config,
                                       const char  *group,
                                       const char  *key,
                                       double       min,
                                       double       max,
                                       double      *out,
                                       GError     **error);
gboolean     dqm_config_get_uint      (DqmConfig   *config,
                                       const char  *group,
                                       const char  *key,
                                       guint        min,
                                       guint        max,
                                       guint       *out,
                                       GError     **error);
gboolean     dqm_config_get_doubles   (DqmConfig   *config,
                                       const char  *group,
                                       const char  *key,
                                       gsize        count,
                                       double       min,
                                       double       max,
                                       double      *out,
                                       GError     **error);
char        *dqm_config_get_string    (DqmConfig   *config,
                                       const char  *group,
                                       const char  *key,
                                       GError     **error);
/* The value must be one of @choices (NULL-terminated); returns its index or -1. */
int          dqm_config_get_choice    (DqmConfig   *config,
                                       const char  *group,
                                       const char  *key,
                                       const char * const *choices,
                                       GError     **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (DqmConfig, dqm_config_unref)

G_END_DECLS
