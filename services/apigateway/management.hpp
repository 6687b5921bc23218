#pragma once
#include "common.hpp"

#include <boost/asio/awaitable.hpp>

namespace stratus::apigateway::mgmt {

boost::asio::awaitable<Output> post_to_connection(Call& c);
Output get_connection(Call& c);
boost::asio::awaitable<Output> delete_connection(Call& c);

}  // namespace stratus::apigateway::mgmt
