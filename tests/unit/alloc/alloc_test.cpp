// src/alloc.cpp: the thread-local free lists in front of malloc (linked into this binary as into
// stratus, except in sanitizer builds).
#include <gtest/gtest.h>

#include <malloc.h>

#include <cstring>
#include <memory>
#include <set>
#include <thread>
#include <vector>

#ifndef STRATUS_SANITIZE_BUILD
TEST(Alloc, FreedBlocksAreReusedForTheSameSize) {
  for (std::size_t n : {1, 16, 17, 100, 1024, 1500, 2048}) {
    auto* a = static_cast<char*>(::operator new(n));
    std::memset(a, 0xab, n);
    ::operator delete(a);
    auto* b = static_cast<char*>(::operator new(n));
    EXPECT_EQ(a, b) << n;  // glibc alone would not always hand the same block back
    ::operator delete(b);
  }
}
#endif

TEST(Alloc, BlocksHoldWhatWasAskedForAndAreDistinct) {
  std::vector<std::pair<char*, std::size_t>> live;
  std::set<char*> seen;
  for (int round = 0; round < 3; ++round) {
    for (std::size_t n = 0; n <= 4200; n += 7) {
      auto* p = static_cast<char*>(::operator new(n));
      ASSERT_GE(malloc_usable_size(p), n);
      std::memset(p, static_cast<int>(n & 0xff), n);
      EXPECT_TRUE(seen.insert(p).second);
      live.emplace_back(p, n);
    }
    for (auto& [p, n] : live) {
      for (std::size_t i = 0; i < n; ++i) ASSERT_EQ(static_cast<unsigned char>(p[i]), n & 0xff);
      seen.erase(p);
      ::operator delete(p);
    }
    live.clear();
  }
}

TEST(Alloc, BlocksMayBeFreedOnAnotherThreadThatThenExits) {
  std::vector<std::unique_ptr<std::string>> made;
  for (int i = 0; i < 1000; ++i) made.push_back(std::make_unique<std::string>(static_cast<std::size_t>(i), 'x'));
  std::thread t([&] {
    made.clear();
    auto keep = std::make_unique<int[]>(100);  // this thread's own cache, dropped at its exit
    keep[0] = 1;
  });
  t.join();
  EXPECT_TRUE(made.empty());
  auto again = std::make_unique<std::string>(300, 'y');
  EXPECT_EQ(again->size(), 300u);
}
