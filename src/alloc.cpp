// Thread-local free lists in front of malloc for the C++ heap (operator new/delete), linked into
// the stratus executable (not into sanitizer builds, whose runtime must see every allocation).
//
// Why: a request allocates and frees a few dozen small objects — coroutine frames, strings, JSON
// values — and with 64 connections in flight the frees of one size come in bursts. glibc's
// per-thread cache keeps 7 blocks per size; the rest go to its fastbins, and the next allocation
// of 1 KiB or more (a coroutine frame) consolidates them all (malloc_consolidate). Measured on
// DynamoDB PutItem with 64 connections: +10% req/s, the same as GLIBC_TUNABLES
// glibc.malloc.tcache_count=200 (which a program cannot set for itself) or LD_PRELOADing
// mimalloc (Debian has no static mimalloc; linking it shared costs start-up time and RSS).
//
// Blocks up to 2 KiB are binned by size in 16-byte steps. A freed block goes to the bin its
// usable size (malloc_usable_size) fully covers, so any block taken from bin b holds b*16 bytes.
// Each thread caches at most kMaxCachedBytes; beyond that, and for larger blocks, free() as usual.
#include <malloc.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <new>

namespace {

constexpr std::size_t kGranule = 16;
constexpr std::size_t kMaxSize = 2048;
constexpr std::size_t kBins = kMaxSize / kGranule + 1;
constexpr std::size_t kMaxCachedBytes = 1 << 20;

struct Node {
  Node* next;
};

struct Cache {
  Node* head[kBins] = {};
  std::size_t bytes = 0;
  bool dead = false;  // this thread's cache is destroyed: blocks freed later go straight to free()
  ~Cache() {
    dead = true;
    for (auto& h : head) {
      while (h) {
        Node* n = h;
        h = n->next;
        std::free(n);
      }
    }
  }
};

thread_local Cache cache;

inline void* allocate(std::size_t n) {
  if (n <= kMaxSize) {
    const std::size_t b = n == 0 ? 1 : (n + kGranule - 1) / kGranule;
    Cache& c = cache;
    if (Node* p = c.head[b]) {
      c.head[b] = p->next;
      c.bytes -= b * kGranule;
      return p;
    }
    n = b * kGranule;
  }
  if (void* p = std::malloc(n)) return p;
  throw std::bad_alloc();
}

inline void release(void* p) noexcept {
  if (!p) return;
  const std::size_t b = malloc_usable_size(p) / kGranule;
  if (b < kBins) {
    Cache& c = cache;
    if (!c.dead && c.bytes + b * kGranule <= kMaxCachedBytes) {
      Node* n = static_cast<Node*>(p);
      n->next = c.head[b];
      c.head[b] = n;
      c.bytes += b * kGranule;
      return;
    }
  }
  std::free(p);
}

}  // namespace

void* operator new(std::size_t n) { return allocate(n); }
void* operator new[](std::size_t n) { return allocate(n); }
void* operator new(std::size_t n, const std::nothrow_t&) noexcept {
  try {
    return allocate(n);
  } catch (...) {
    return nullptr;
  }
}
void* operator new[](std::size_t n, const std::nothrow_t&) noexcept {
  try {
    return allocate(n);
  } catch (...) {
    return nullptr;
  }
}
void operator delete(void* p) noexcept { release(p); }
void operator delete[](void* p) noexcept { release(p); }
void operator delete(void* p, std::size_t) noexcept { release(p); }
void operator delete[](void* p, std::size_t) noexcept { release(p); }
void operator delete(void* p, const std::nothrow_t&) noexcept { release(p); }
void operator delete[](void* p, const std::nothrow_t&) noexcept { release(p); }
