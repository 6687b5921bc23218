#pragma once
// DynamoDB Streams: one stream per enablement of a table's StreamSpecification, one shard per
// stream, records in SQLite with 24-hour retention.
#include "engine.hpp"

#include <stratus/service.hpp>

namespace stratus::dynamodb {

void create_stream(Engine& e, Table& t);
void disable_stream(Engine& e, Table& t);

namespace streams_ops {
Output list_streams(Engine& e, Call& c);
Output describe_stream(Engine& e, Call& c);
Output get_shard_iterator(Engine& e, Call& c);
Output get_records(Engine& e, Call& c);
}  // namespace streams_ops

}  // namespace stratus::dynamodb
