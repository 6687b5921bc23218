#pragma once
// The state the three API Gateway services share (REST control plane, v2 control plane and the
// @connections management API): one store, the data-plane caches and the live WebSocket
// connections. One per process, created by whichever service starts first; all access is on the
// event-loop thread.
#include "store.hpp"

#include <memory>

namespace stratus::apigateway {

class DataPlane;
class Connections;

class Backend {
 public:
  static Backend& get();
  void start(Env& env);  // idempotent
  void reset();          // drops all state and closes every WebSocket connection
  bool started() const { return env_ != nullptr; }

  Env& env() const { return *env_; }
  Store& store() const { return *store_; }
  DataPlane& dataplane() const { return *dataplane_; }
  Connections& connections() const { return *connections_; }

 private:
  Backend();
  ~Backend();
  Env* env_ = nullptr;
  std::unique_ptr<Store> store_;
  std::unique_ptr<DataPlane> dataplane_;
  std::unique_ptr<Connections> connections_;
};

inline Store& db() { return Backend::get().store(); }

}  // namespace stratus::apigateway
