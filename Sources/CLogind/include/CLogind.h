#ifndef CADENCE_CLOGIND_H
#define CADENCE_CLOGIND_H

#include <stddef.h>

/// Asks logind (org.freedesktop.login1.Manager.Inhibit on the system bus, the one
/// DBUS_SYSTEM_BUS_ADDRESS names if set) for an inhibitor lock, waiting at most `timeout_ms`
/// for the answer. Returns a descriptor that holds the lock (close it to let go; it is
/// close-on-exec), or a negative errno with the step that failed in *step and the bus's own
/// message, if any, in `message`. Control thread only.
int cadence_logind_inhibit(
  const char *what, const char *who, const char *why, const char *mode, unsigned timeout_ms, const char **step,
  char *message, size_t message_size);

#endif
