#ifndef CADENCE_CSPEECH_H
#define CADENCE_CSPEECH_H
#include <stddef.h>

// Spoken cues through espeak-ng, loaded with dlopen when --voice asks for it: cadence runs
// without espeak-ng installed, and says what to install when --voice cannot find it.
// Not thread-safe: one thread synthesizes, before playback starts.

/// Loads `library` (NULL: libespeak-ng.so.1) and initializes it for synchronous synthesis.
/// Returns the speech sample rate (22050 with the default voices) or -1, with a reason in `error`.
int CCadence_speechOpen(const char *library, char *error, size_t errorSize);

/// Speaks `text` (UTF-8) at `wordsPerMinute` into a malloc'd buffer of 16-bit mono samples.
/// Returns the sample count (0 on failure); free the buffer with CCadence_speechFree.
size_t CCadence_speechSynthesize(const char *text, int wordsPerMinute, short **samples);

void CCadence_speechFree(short *samples);
#endif
