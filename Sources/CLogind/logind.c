#define _GNU_SOURCE
#include "CLogind.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <systemd/sd-bus.h>

int cadence_logind_inhibit(
  const char *what, const char *who, const char *why, const char *mode, unsigned timeout_ms, const char **step,
  char *message, size_t message_size) {
  sd_bus *bus = NULL;
  sd_bus_message *call = NULL;
  sd_bus_message *reply = NULL;
  sd_bus_error error = SD_BUS_ERROR_NULL;
  if (message_size > 0) message[0] = 0;
  int r = sd_bus_open_system(&bus);
  if (r < 0) {
    *step = "sd_bus_open_system";
    goto done;
  }
  r = sd_bus_message_new_method_call(
    bus, &call, "org.freedesktop.login1", "/org/freedesktop/login1", "org.freedesktop.login1.Manager", "Inhibit");
  if (r >= 0) r = sd_bus_message_append(call, "ssss", what, who, why, mode);
  if (r < 0) {
    *step = "sd_bus_message_new_method_call";
    goto done;
  }
  r = sd_bus_call(bus, call, (uint64_t)timeout_ms * 1000, &error, &reply);
  if (r < 0) {
    *step = "Inhibit";
    if (error.message && message_size > 0) snprintf(message, message_size, "%s", error.message);
    goto done;
  }
  int held = -1;
  r = sd_bus_message_read(reply, "h", &held);
  if (r < 0) {
    *step = "sd_bus_message_read";
    goto done;
  }
  // The descriptor belongs to the reply: keep a copy of our own, past stdin/out/err.
  r = fcntl(held, F_DUPFD_CLOEXEC, 3);
  if (r < 0) {
    r = -errno;
    *step = "fcntl";
  }
done:
  sd_bus_error_free(&error);
  sd_bus_message_unref(reply);
  sd_bus_message_unref(call);
  sd_bus_flush_close_unref(bus);
  return r;
}
