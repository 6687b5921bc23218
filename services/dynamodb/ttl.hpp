#pragma once
#include "engine.hpp"

#include <boost/asio/awaitable.hpp>

namespace stratus::dynamodb {

// Deletes up to `max_items` expired items; returns how many were due.
size_t sweep_expired(Engine& e, size_t max_items);
// Runs until the clock shuts down: sweeps once per (clock) second.
boost::asio::awaitable<void> ttl_sweeper(Engine& e);

}  // namespace stratus::dynamodb
