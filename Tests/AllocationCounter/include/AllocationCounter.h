#ifndef CADENCE_ALLOCATION_COUNTER_H
#define CADENCE_ALLOCATION_COUNTER_H
// Counts heap allocations made by the calling thread between begin and end. The test binary
// links this file, whose malloc/calloc/realloc/aligned_alloc/posix_memalign/memalign/free
// replace glibc's for the whole process and forward to glibc's __libc_* entry points.
void CCadenceAlloc_begin(void);
/// Allocations (and frees, added in) made by this thread since begin.
long CCadenceAlloc_end(void);
#endif
