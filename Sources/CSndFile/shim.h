#ifndef CADENCE_CSNDFILE_SHIM_H
#define CADENCE_CSNDFILE_SHIM_H
#include <sndfile.h>
#endif
