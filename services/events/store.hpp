#pragma once
// EventBridge's schema: every resource is a JSON document keyed by (account, region, kind, key);
// archived events get their own table (appended on every matching event, read by replays).
#include <stratus/json.hpp>
#include <stratus/store.hpp>

#include <functional>
#include <string>
#include <vector>

namespace stratus::events {

class Store {
 public:
  void open(store::Database& db);
  void wipe();

  void put(const std::string& account, const std::string& region, std::string_view kind, std::string_view key,
           const json::object& doc);
  void erase(const std::string& account, const std::string& region, std::string_view kind, std::string_view key);
  // fn(account, region, kind, key, doc) for every document.
  void load(const std::function<void(const std::string&, const std::string&, const std::string&, const std::string&,
                                     const json::object&)>& fn);

  void archive_event(const std::string& account, const std::string& region, const std::string& archive, double time,
                     std::string_view event);
  struct Archived {
    double time;
    std::string event;
  };
  std::vector<Archived> archived(const std::string& account, const std::string& region, const std::string& archive,
                                 double from, double to);
  void drop_archive(const std::string& account, const std::string& region, const std::string& archive);
  // Removes archived events older than `before` (retention); returns how many remain and their size.
  std::pair<int64_t, int64_t> expire(const std::string& account, const std::string& region, const std::string& archive,
                                     double before);

 private:
  store::Database* db_ = nullptr;
};

}  // namespace stratus::events
