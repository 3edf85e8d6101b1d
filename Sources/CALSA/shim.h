#ifndef CADENCE_CALSA_SHIM_H
#define CADENCE_CALSA_SHIM_H
#include <alsa/asoundlib.h>
#include <poll.h>

// libasound prints its own diagnostics ("ALSA lib pcm.c:...") to stderr through a
// variadic handler; Swift cannot define a C variadic function, so the silent handler
// lives here. cadence reports every failure itself, naming the device and the fix.
static void CCadenceALSA_silentErrorHandler(const char *file, int line, const char *function,
                                            int err, const char *fmt, ...) {
  (void)file; (void)line; (void)function; (void)err; (void)fmt;
}

static inline void CCadenceALSA_silenceErrors(int silent) {
  snd_lib_error_set_handler(silent ? CCadenceALSA_silentErrorHandler : NULL);
}
#endif
