// The one place every service is registered, explicitly (no static self-registration).
#include <stratus/service.hpp>

#include "../services/sts/sts_service.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <functional>

namespace stratus {

void register_services(ServiceRegistry& registry, const std::vector<std::string>& enabled) {
  using Factory = std::function<std::unique_ptr<Service>()>;
  const std::vector<std::pair<std::string, Factory>> all = {
      {"sts", [] { return std::make_unique<sts::StsService>(); }},
  };
  for (auto& name : enabled)
    if (std::none_of(all.begin(), all.end(), [&](auto& e) { return e.first == name; }))
      spdlog::warn("--services: unknown service '{}'", name);
  for (auto& [name, make] : all)
    if (enabled.empty() || std::find(enabled.begin(), enabled.end(), name) != enabled.end()) registry.add(make());
}

}  // namespace stratus
