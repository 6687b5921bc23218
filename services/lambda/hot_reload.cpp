#include "hot_reload.hpp"

#include <spdlog/spdlog.h>
#include <sys/inotify.h>
#include <unistd.h>

#include <cerrno>
#include <filesystem>

namespace stratus::lambda {
namespace fs = std::filesystem;

namespace {
constexpr uint32_t kMask = IN_MODIFY | IN_CREATE | IN_DELETE | IN_MOVED_FROM | IN_MOVED_TO | IN_CLOSE_WRITE |
                           IN_ATTRIB | IN_DELETE_SELF;
constexpr size_t kMaxWatches = 4096;
}  // namespace

HotReload::HotReload(boost::asio::io_context& io, OnChange on_change) : io_(io), on_change_(std::move(on_change)) {}

HotReload::~HotReload() { clear(); }

void HotReload::clear() {
  boost::system::error_code ec;
  if (stream_) stream_->close(ec);  // closes fd_ too
  stream_.reset();
  fd_ = -1;
  watches_.clear();
  generations_.clear();
}

uint64_t HotReload::generation(const std::string& root) const {
  auto it = generations_.find(root);
  return it == generations_.end() ? 0 : it->second;
}

void HotReload::watch(const std::string& root) {
  if (generations_.count(root)) return;
  if (fd_ < 0) {
    fd_ = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
    if (fd_ < 0) {
      spdlog::warn("lambda: hot reload unavailable (inotify: {})", std::strerror(errno));
      return;
    }
    stream_ = std::make_unique<boost::asio::posix::stream_descriptor>(io_, fd_);
    read_events();
  }
  generations_[root] = 1;
  add_tree(root, root);
}

void HotReload::add_tree(const std::string& root, const std::string& dir) {
  if (watches_.size() >= kMaxWatches) return;
  int wd = inotify_add_watch(fd_, dir.c_str(), kMask);
  if (wd >= 0) watches_[wd] = {root, dir};
  std::error_code ec;
  for (auto it = fs::directory_iterator(dir, ec); !ec && it != fs::directory_iterator(); it.increment(ec)) {
    if (!it->is_directory(ec) || it->is_symlink(ec)) continue;
    std::string name = it->path().filename().string();
    if (name == ".git") continue;
    add_tree(root, it->path().string());
  }
}

void HotReload::read_events() {
  if (!stream_) return;
  stream_->async_wait(boost::asio::posix::stream_descriptor::wait_read, [this](const boost::system::error_code& ec) {
    if (ec || fd_ < 0) return;
    alignas(inotify_event) char buf[8192];
    std::map<std::string, bool> changed;
    for (;;) {
      ssize_t n = ::read(fd_, buf, sizeof buf);
      if (n <= 0) break;
      for (char* p = buf; p < buf + n;) {
        auto* ev = reinterpret_cast<inotify_event*>(p);
        auto it = watches_.find(ev->wd);
        if (it != watches_.end()) {
          changed[it->second.first] = true;
          if ((ev->mask & IN_CREATE) && (ev->mask & IN_ISDIR) && ev->len)
            add_tree(it->second.first, it->second.second + "/" + ev->name);
        }
        if (ev->mask & IN_IGNORED) watches_.erase(ev->wd);
        p += sizeof(inotify_event) + ev->len;
      }
    }
    for (auto& [root, _] : changed) {
      ++generations_[root];
      if (on_change_) on_change_(root);
    }
    read_events();
  });
}

}  // namespace stratus::lambda
