/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Wire sizes of the run and spill messages: only the codec needs them
 * (shared/spec/stream-v1.md, "Messages"). */
#pragma once

#include "dqm-stream.h"

#define DQM_SOR_FIXED_SIZE      30
#define DQM_EOR_SIZE            32
#define DQM_SOS_SIZE            32
#define DQM_EOS_SIZE            56
#define DQM_HBT_SIZE            32
