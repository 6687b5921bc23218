#include "backend.hpp"

#include "connections.hpp"
#include "dataplane.hpp"

#include <stratus/store.hpp>

namespace stratus::apigateway {

Backend::Backend() = default;
Backend::~Backend() = default;

Backend& Backend::get() {
  static Backend instance;
  return instance;
}

void Backend::start(Env& env) {
  if (env_ == &env) return;
  env_ = &env;
  store_ = std::make_unique<Store>(env.storage.database("apigateway"));
  dataplane_ = std::make_unique<DataPlane>();
  connections_ = std::make_unique<Connections>();
}

void Backend::reset() {
  if (!env_) return;
  connections_->close_all();
  dataplane_->reset();
  store_->wipe();
}

}  // namespace stratus::apigateway
