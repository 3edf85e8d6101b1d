#include "CSpeech.h"
#include <dlfcn.h>
#include <espeak-ng/speak_lib.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int (*initialize)(espeak_AUDIO_OUTPUT, int, const char *, int);
static void (*setCallback)(t_espeak_callback *);
static espeak_ERROR (*synth)(const void *, size_t, unsigned int, espeak_POSITION_TYPE, unsigned int, unsigned int,
                             unsigned int *, void *);
static espeak_ERROR (*setParameter)(espeak_PARAMETER, int, int);
static espeak_ERROR (*synchronize)(void);
static int sampleRate = -1;

// The synthesis callback appends to this buffer; synthesis is synchronous on one thread.
static short *buffer;
static size_t count, capacity;

static int collect(short *wav, int n, espeak_EVENT *events) {
  (void)events;
  if (!wav || n <= 0) return 0;
  if (count + (size_t)n > capacity) {
    size_t grown = capacity ? capacity * 2 : 65536;
    while (grown < count + (size_t)n) grown *= 2;
    short *next = realloc(buffer, grown * sizeof(short));
    if (!next) return 1;  // abort synthesis
    buffer = next;
    capacity = grown;
  }
  memcpy(buffer + count, wav, (size_t)n * sizeof(short));
  count += (size_t)n;
  return 0;
}

int CCadence_speechOpen(const char *library, char *error, size_t errorSize) {
  if (sampleRate > 0) return sampleRate;
  void *handle = dlopen(library ? library : "libespeak-ng.so.1", RTLD_NOW | RTLD_LOCAL);
  if (!handle) {
    snprintf(error, errorSize, "%s", dlerror());
    return -1;
  }
  initialize = dlsym(handle, "espeak_Initialize");
  setCallback = dlsym(handle, "espeak_SetSynthCallback");
  synth = dlsym(handle, "espeak_Synth");
  setParameter = dlsym(handle, "espeak_SetParameter");
  synchronize = dlsym(handle, "espeak_Synchronize");
  if (!initialize || !setCallback || !synth || !setParameter || !synchronize) {
    snprintf(error, errorSize, "the library lacks espeak-ng's functions");
    return -1;
  }
  int rate = initialize(AUDIO_OUTPUT_SYNCHRONOUS, 0, NULL, 0);
  if (rate <= 0) {
    snprintf(error, errorSize, "espeak-ng could not start (is espeak-ng-data installed?)");
    return -1;
  }
  setCallback(collect);
  sampleRate = rate;
  return rate;
}

size_t CCadence_speechSynthesize(const char *text, int wordsPerMinute, short **samples) {
  *samples = NULL;
  if (sampleRate <= 0) return 0;
  buffer = NULL;
  count = capacity = 0;
  setParameter(espeakRATE, wordsPerMinute, 0);
  if (synth(text, strlen(text) + 1, 0, POS_CHARACTER, 0, espeakCHARS_AUTO, NULL, NULL) != EE_OK) {
    free(buffer);
    return 0;
  }
  synchronize();
  *samples = buffer;
  return count;
}

void CCadence_speechFree(short *samples) { free(samples); }
