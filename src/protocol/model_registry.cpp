#include <stratus/model.hpp>

#include <spdlog/spdlog.h>

#include <map>
#include <mutex>

namespace stratus::embedded {
struct ModelBlob {
  std::string_view name;
  const char* begin;
  const char* end;
};
extern const ModelBlob kModels[];
extern const std::size_t kModelCount;
}  // namespace stratus::embedded

namespace stratus::model {

// Models are parsed on first use (a service's first request), so start-up costs nothing.
const Model* find_model(std::string_view name) {
  static std::mutex mu;
  static std::map<std::string, std::unique_ptr<Model>, std::less<>> cache;
  std::lock_guard lock(mu);
  if (auto it = cache.find(name); it != cache.end()) return it->second.get();
  for (std::size_t i = 0; i < embedded::kModelCount; ++i) {
    const auto& blob = embedded::kModels[i];
    if (blob.name != name) continue;
    auto m = Model::parse(name, std::string_view(blob.begin, static_cast<size_t>(blob.end - blob.begin)));
    auto* raw = m.get();
    cache.emplace(std::string(name), std::move(m));
    return raw;
  }
  return nullptr;
}

std::vector<std::string_view> embedded_model_names() {
  std::vector<std::string_view> names;
  for (std::size_t i = 0; i < embedded::kModelCount; ++i) names.push_back(embedded::kModels[i].name);
  return names;
}

}  // namespace stratus::model
