#pragma once
// Blocking work (password hashing, zip extraction, large copies) runs on a small thread pool and
// resumes the awaiting coroutine on the event loop. Services never block the loop.
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <type_traits>
#include <utility>

namespace stratus {

class BlockingPool {
 public:
  explicit BlockingPool(std::size_t threads) : pool_(threads) {}
  ~BlockingPool() { stop(); }
  void stop() {
    pool_.stop();
    pool_.join();
  }

  template <class F>
  boost::asio::awaitable<std::invoke_result_t<F>> run(F f) {
    using R = std::invoke_result_t<F>;
    // Named, not a temporary inside the co_await expression: GCC 12 destroys such temporaries
    // twice (a double free of whatever `f` captured).
    auto task = [f = std::move(f)]() mutable -> boost::asio::awaitable<R> {
      if constexpr (std::is_void_v<R>) {
        f();
        co_return;
      } else {
        co_return f();
      }
    };
    co_return co_await boost::asio::co_spawn(pool_.get_executor(), std::move(task), boost::asio::use_awaitable);
  }

 private:
  boost::asio::thread_pool pool_;
};

}  // namespace stratus
