// The rule index: patterns keyed by an exact-valued field, so an event meets only the rules that
// could match it.
#include "pattern_internal.hpp"

#include <algorithm>

namespace stratus::events::pattern {

void PatternIndex::add(uint64_t id, std::shared_ptr<const Pattern> p) {
  remove(id);
  Entry e;
  e.pattern = std::move(p);
  // The key field: source, else detail-type, else the exact-valued field with the fewest values.
  const std::vector<std::string>* best = nullptr;
  for (const char* preferred : {"source", "detail-type"}) {
    const auto& vals = e.pattern->exact_values(preferred);
    if (!vals.empty()) {
      e.key_path = preferred;
      best = &vals;
      break;
    }
  }
  if (!best)
    for (auto& [path, vals] : e.pattern->exact_fields())
      if (!vals.empty() && (!best || vals.size() < best->size() || (vals.size() == best->size() && path < e.key_path))) {
        e.key_path = path;
        best = &vals;
      }
  const Candidate c{id, e.pattern.get()};
  if (!best) {
    unindexed_.push_back(c);
  } else {
    e.keys = *best;
    auto it = by_path_.find(e.key_path);
    if (it == by_path_.end()) {
      it = by_path_.emplace(e.key_path, KeyIndex{}).first;
      it->second.path_hash = FlatEvent::path_hash(e.key_path);
    }
    for (auto& key : e.keys) it->second.values[key].push_back(c);
  }
  patterns_.emplace(id, std::move(e));
}

void PatternIndex::remove(uint64_t id) {
  auto it = patterns_.find(id);
  if (it == patterns_.end()) return;
  auto drop = [id](std::vector<Candidate>& v) {
    v.erase(std::remove_if(v.begin(), v.end(), [id](const Candidate& c) { return c.id == id; }), v.end());
  };
  if (it->second.key_path.empty()) {
    drop(unindexed_);
  } else if (auto pi = by_path_.find(it->second.key_path); pi != by_path_.end()) {
    auto& map = pi->second.values;
    for (auto& key : it->second.keys) {
      auto m = map.find(key);
      if (m == map.end()) continue;
      drop(m->second);
      if (m->second.empty()) map.erase(m);
    }
    if (map.empty()) by_path_.erase(pi);
  }
  patterns_.erase(it);
}

void PatternIndex::clear() {
  patterns_.clear();
  by_path_.clear();
  unindexed_.clear();
}

void PatternIndex::candidates(const FlatEvent& e, std::vector<Candidate>& out) const {
  out.clear();
  size_t lookups = 0;
  for (auto& [path, index] : by_path_) {
    auto [lo, hi] = e.at(path, index.path_hash);
    for (auto* f = lo; f != hi; ++f) {
      if (f->kind != Kind::string) continue;
      auto it = index.values.find(f->text);
      if (it == index.values.end()) continue;
      out.insert(out.end(), it->second.begin(), it->second.end());
      ++lookups;
    }
  }
  if (lookups > 1) {
    std::sort(out.begin(), out.end());
    out.erase(std::unique(out.begin(), out.end()), out.end());
  }
  out.insert(out.end(), unindexed_.begin(), unindexed_.end());
}

}  // namespace stratus::events::pattern
