/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Per-thread scheduling priority. */
#define _GNU_SOURCE /* SCHED_BATCH, gettid */
#include "dqm-thread.h"

#include <errno.h>
#include <string.h>

#include <gio/gio.h>

#ifdef __linux__
#include <sched.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>
#endif

gboolean
dqm_thread_lower_priority (GError **error)
{
#ifdef __linux__
  struct sched_param param = { .sched_priority = 0 };
  pid_t tid = (pid_t) syscall (SYS_gettid);
  int nice;

  /* On Linux these act on the one thread named by its id. */
  errno = 0;
  nice = getpriority (PRIO_PROCESS, (id_t) tid);
  if ((nice == -1 && errno != 0) || setpriority (PRIO_PROCESS, (id_t) tid, MIN (nice + DQM_THREAD_NICE, 19)) != 0
      || sched_setscheduler (tid, SCHED_BATCH, &param) != 0)
    {
      int saved = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved), "cannot lower the thread's priority: %s",
                   g_strerror (saved));
      return FALSE;
    }
#endif
  return TRUE;
}
