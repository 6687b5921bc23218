// S3 hashes and copies bodies on the blocking pool with lambdas capturing paths and strings. GCC 12
// destroys non-trivial temporaries of a co_await full-expression twice, so callers name the job.
#include <stratus/blocking.hpp>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <gtest/gtest.h>

#include <filesystem>
#include <stdexcept>
#include <thread>

namespace {
struct Res {
  std::string a, b;
  uint64_t n = 0;
  std::thread::id thread;
};

boost::asio::awaitable<Res> work(stratus::BlockingPool& pool, const std::filesystem::path& p) {
  auto path = p;
  uint64_t off = 1, len = 2;
  // Named: GCC 12 destroys non-trivial temporaries of a co_await full-expression twice.
  auto job = [path, off, len] { return Res{path.string(), std::string(100, 'x'), off + len, std::this_thread::get_id()}; };
  Res r = co_await pool.run(std::move(job));
  co_return r;
}
}  // namespace

TEST(S3BlockingPool, RunsWorkCapturingAPath) {
  boost::asio::io_context io;
  stratus::BlockingPool pool(2);
  Res out;
  std::thread::id resumed_on;
  boost::asio::co_spawn(
      io,
      [&]() -> boost::asio::awaitable<void> {
        out = co_await work(pool, "/tmp/some/long/path/name/to/avoid/sso.bin");
        resumed_on = std::this_thread::get_id();
      },
      boost::asio::detached);
  io.run();
  EXPECT_EQ(out.a, "/tmp/some/long/path/name/to/avoid/sso.bin");
  EXPECT_EQ(out.n, 3u);
  EXPECT_NE(out.thread, std::this_thread::get_id());  // the work ran on the pool
  EXPECT_EQ(resumed_on, std::this_thread::get_id());  // and the coroutine resumed on the loop
}

TEST(S3BlockingPool, VoidWorkAndExceptions) {
  boost::asio::io_context io;
  stratus::BlockingPool pool(1);
  int ran = 0;
  std::string caught;
  boost::asio::co_spawn(
      io,
      [&]() -> boost::asio::awaitable<void> {
        std::string captured(64, 'c');
        auto count = [&ran, captured] { ran = static_cast<int>(captured.size()); };
        co_await pool.run(std::move(count));
        try {
          auto fail = [captured]() -> int { throw std::runtime_error("disk full " + captured.substr(0, 1)); };
          co_await pool.run(std::move(fail));
        } catch (const std::runtime_error& e) {
          caught = e.what();
        }
      },
      boost::asio::detached);
  io.run();
  EXPECT_EQ(ran, 64);
  EXPECT_EQ(caught, "disk full c");
}
