#ifndef CADENCE_CPOSIXSHIMS_H
#define CADENCE_CPOSIXSHIMS_H

// Linux calls that glibc declares only under _GNU_SOURCE, which Swift's Glibc module does not
// define. Each wrapper is a plain forward.

/// pthread_setname_np on the calling thread: names it for top, ps -L and gdb.
int CCadence_setThreadName(const char *name);

/// pipe2(fds, O_CLOEXEC | O_NONBLOCK).
int CCadence_pipeCloexecNonblock(int fds[2]);

#endif
