// Log streams. https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_<Operation>.html
#include "errors.hpp"
#include "logs_service.hpp"

#include <stratus/clock.hpp>
#include <stratus/strings.hpp>

#include <algorithm>

namespace stratus::logs {

Output LogsService::create_log_stream(Call& c) {
  LogGroup g = require_group(c, false);
  LogStream st{std::string(str_or(c.input, "logStreamName")), env().clock.now_ms()};
  if (!store_.insert_stream(scope(c), g.name, st)) throw errors::stream_exists();
  return json::object{};
}

Output LogsService::delete_log_stream(Call& c) {
  LogGroup g = require_group(c, false);
  std::string name(str_or(c.input, "logStreamName"));
  if (!store_.stream(scope(c), g.name, name)) throw errors::stream_not_found();
  store_.delete_stream(scope(c), g.name, name);
  return json::object{};
}

Output LogsService::describe_log_streams(Call& c) {
  const auto& in = c.input;
  LogGroup g = require_group(c, true);
  std::string_view order = str_or(in, "orderBy", "LogStreamName");
  std::string prefix(str_or(in, "logStreamNamePrefix"));
  if (order == "LastEventTime" && !prefix.empty())
    throw errors::invalid_parameter("Cannot order by LastEventTime with a logStreamNamePrefix.");
  bool descending = opt_bool(in, "descending").value_or(false);
  int limit = static_cast<int>(opt_int(in, "limit").value_or(50));
  size_t offset = 0;
  if (auto t = opt_str(in, "nextToken")) {
    auto n = t->starts_with("s/") ? parse_int(std::string_view(*t).substr(2)) : std::nullopt;
    if (!n || *n < 0) throw errors::invalid_parameter("The specified nextToken is invalid.");
    offset = static_cast<size_t>(*n);
  }
  Scope s = scope(c);
  auto streams = store_.list_streams(s, g.name, prefix);
  if (order == "LastEventTime")
    std::stable_sort(streams.begin(), streams.end(), [](const LogStream& a, const LogStream& b) {
      return a.last_ts.value_or(a.created) < b.last_ts.value_or(b.created);
    });
  if (descending) std::reverse(streams.begin(), streams.end());
  json::array out;
  size_t i = offset;
  for (; i < streams.size() && static_cast<int>(out.size()) < limit; ++i) {
    const LogStream& st = streams[i];
    json::object o{{"logStreamName", st.name},
                   {"creationTime", st.created},
                   {"arn", group_arn(s, g.name, false) + ":log-stream:" + st.name},
                   {"storedBytes", st.stored_bytes}};
    if (st.first_ts) o["firstEventTimestamp"] = *st.first_ts;
    if (st.last_ts) o["lastEventTimestamp"] = *st.last_ts;
    if (st.last_ingest) o["lastIngestionTime"] = *st.last_ingest;
    if (st.sequence > 0) o["uploadSequenceToken"] = encode_position(Position{st.sequence, 0});
    out.push_back(std::move(o));
  }
  json::object r{{"logStreams", std::move(out)}};
  if (i < streams.size()) r["nextToken"] = "s/" + std::to_string(i);
  return r;
}

}  // namespace stratus::logs
