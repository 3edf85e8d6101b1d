#define _GNU_SOURCE
#include "CPosixShims.h"
#include <fcntl.h>
#include <pthread.h>
#include <unistd.h>

int CCadence_setThreadName(const char *name) { return pthread_setname_np(pthread_self(), name); }

int CCadence_pipeCloexecNonblock(int fds[2]) { return pipe2(fds, O_CLOEXEC | O_NONBLOCK); }
