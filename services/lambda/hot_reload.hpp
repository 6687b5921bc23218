#pragma once
// Hot reload: functions whose code is a local directory (S3Bucket "hot-reload", S3Key = absolute
// path) get fresh execution environments after any change in that directory, watched with inotify.
#include <boost/asio/io_context.hpp>
#include <boost/asio/posix/stream_descriptor.hpp>

#include <functional>
#include <map>
#include <memory>
#include <string>

namespace stratus::lambda {

class HotReload {
 public:
  using OnChange = std::function<void(const std::string& root)>;
  HotReload(boost::asio::io_context& io, OnChange on_change);
  ~HotReload();
  // Starts watching `root` (and its subdirectories) if not watched yet.
  void watch(const std::string& root);
  // Bumped on every change below root: part of the environment pool key.
  uint64_t generation(const std::string& root) const;
  void clear();

 private:
  void add_tree(const std::string& root, const std::string& dir);
  void read_events();
  boost::asio::io_context& io_;
  OnChange on_change_;
  int fd_ = -1;
  std::unique_ptr<boost::asio::posix::stream_descriptor> stream_;
  std::map<int, std::pair<std::string, std::string>> watches_;  // wd → (root, directory)
  std::map<std::string, uint64_t> generations_;
};

}  // namespace stratus::lambda
