#include <stratus/crypto.hpp>
#include <stratus/ids.hpp>
#include <stratus/store.hpp>

#include <spdlog/spdlog.h>
#include <unistd.h>

#include <fstream>
#include <stdexcept>

namespace stratus {
namespace fs = std::filesystem;

namespace store {

BlobStore::BlobStore(fs::path dir) : dir_(std::move(dir)) { fs::create_directories(dir_ / ".tmp"); }

fs::path BlobStore::path_for(std::string_view id) const {
  if (id.empty() || id.size() > 128) throw std::invalid_argument("bad blob id");
  for (char c : id) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_' ||
              c == '.';
    if (!ok) throw std::invalid_argument("bad blob id");
  }
  if (id == "." || id == ".." || id.front() == '.') throw std::invalid_argument("bad blob id");
  std::string fan = id.size() >= 2 ? std::string(id.substr(0, 2)) : std::string("__");
  return dir_ / fan / std::string(id);
}

fs::path BlobStore::temp_path() const { return dir_ / ".tmp" / (ids::uuid4() + ".part"); }

void BlobStore::write(std::string_view id, std::string_view data) const {
  fs::path dest = path_for(id);
  fs::create_directories(dest.parent_path());
  fs::path tmp = temp_path();
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    out.write(data.data(), static_cast<std::streamsize>(data.size()));
    if (!out) throw std::runtime_error("cannot write blob " + tmp.string());
  }
  fs::rename(tmp, dest);
}

void BlobStore::remove(std::string_view id) const {
  std::error_code ec;
  fs::remove(path_for(id), ec);
}

void BlobStore::wipe() const {
  std::error_code ec;
  for (auto& e : fs::directory_iterator(dir_, ec)) fs::remove_all(e.path(), ec);
  fs::create_directories(dir_ / ".tmp", ec);
}

}  // namespace store

Storage::Storage(std::optional<fs::path> data_dir) : data_dir_(std::move(data_dir)) {
  if (data_dir_) {
    fs::create_directories(*data_dir_);
    temp_dir_ = *data_dir_ / "tmp";
    std::error_code ec;
    fs::remove_all(temp_dir_, ec);  // leftovers of a killed process
    fs::create_directories(temp_dir_);
    thread_ = std::thread([this] { checkpointer(); });
  } else {
    const char* t = std::getenv("TMPDIR");
    scratch_ = fs::path(t && *t ? t : "/tmp") / ("stratus-" + std::to_string(::getpid()) + "-" + ids::upper_alnum(6));
    temp_dir_ = scratch_ / "tmp";
    fs::create_directories(temp_dir_);
  }
}

Storage::~Storage() {
  close_all();
  if (!scratch_.empty()) {
    std::error_code ec;
    fs::remove_all(scratch_, ec);
  }
}

store::Database& Storage::database(const std::string& name, store::Database::InMemory kind) {
  std::lock_guard lock(mu_);
  for (auto& d : dbs_)
    if (d->name() == name) return *d;
  std::optional<fs::path> file;
  if (data_dir_) file = *data_dir_ / (name + ".db");
  dbs_.push_back(std::make_unique<store::Database>(name, file, kind));
  return *dbs_.back();
}

store::BlobStore Storage::blobs(const std::string& name) {
  return store::BlobStore((data_dir_ ? *data_dir_ : scratch_) / name);
}

void Storage::close_all() {
  {
    std::lock_guard lock(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
  std::lock_guard lock(mu_);
  dbs_.clear();  // each closes with a final TRUNCATE checkpoint
}

void Storage::checkpointer() {
  std::unique_lock lock(mu_);
  while (!stop_) {
    cv_.wait_for(lock, std::chrono::seconds(1));
    if (stop_) break;
    std::vector<store::Database*> dbs;
    for (auto& d : dbs_) dbs.push_back(d.get());
    lock.unlock();
    for (auto* d : dbs) {
      try {
        d->checkpoint();
      } catch (const std::exception& e) {
        spdlog::warn("checkpoint {}: {}", d->name(), e.what());
      }
    }
    lock.lock();
  }
}

}  // namespace stratus
