#ifndef CADENCE_CSAMPLERATE_SHIM_H
#define CADENCE_CSAMPLERATE_SHIM_H
#include <samplerate.h>
#endif
