#include "AllocationCounter.h"
#include <errno.h>
#include <stddef.h>

extern void *__libc_malloc(size_t);
extern void *__libc_calloc(size_t, size_t);
extern void *__libc_realloc(void *, size_t);
extern void *__libc_memalign(size_t, size_t);
extern void __libc_free(void *);

static _Thread_local int counting;
static _Thread_local long events;

void CCadenceAlloc_begin(void) { events = 0; counting = 1; }
long CCadenceAlloc_end(void) { counting = 0; return events; }

void *malloc(size_t n) { if (counting) events++; return __libc_malloc(n); }
void *calloc(size_t m, size_t n) { if (counting) events++; return __libc_calloc(m, n); }
void *realloc(void *p, size_t n) { if (counting) events++; return __libc_realloc(p, n); }
void *memalign(size_t a, size_t n) { if (counting) events++; return __libc_memalign(a, n); }
void *aligned_alloc(size_t a, size_t n) { if (counting) events++; return __libc_memalign(a, n); }
int posix_memalign(void **out, size_t a, size_t n) {
  if (counting) events++;
  void *p = __libc_memalign(a, n);
  if (!p) return ENOMEM;
  *out = p;
  return 0;
}
void free(void *p) { if (counting && p) events++; __libc_free(p); }
