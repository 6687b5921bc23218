// Log events: PutLogEvents, GetLogEvents, FilterLogEvents.
// https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_<Operation>.html
#include "errors.hpp"
#include "filter_pattern.hpp"
#include "logs_service.hpp"

#include <stratus/clock.hpp>

#include <algorithm>

namespace stratus::logs {
namespace {

constexpr int64_t kDayMs = 86400000;
constexpr int64_t kMaxBatchBytes = 1048576;

std::optional<Position> token_position(const std::optional<std::string>& token, char kind) {
  if (!token) return std::nullopt;
  if (token->size() < 2 || (*token)[0] != kind || (*token)[1] != '/')
    throw errors::invalid_parameter("The specified nextToken is invalid.");
  auto p = decode_position(std::string_view(*token).substr(2));
  if (!p) throw errors::invalid_parameter("The specified nextToken is invalid.");
  return p;
}

json::object output_event(const Event& e) {
  return json::object{{"timestamp", e.timestamp}, {"message", e.message}, {"ingestionTime", e.ingested}};
}

}  // namespace

Output LogsService::put_log_events(Call& c) {
  const auto& in = c.input;
  LogGroup g = require_group(c, false);
  std::string stream(str_or(in, "logStreamName"));
  Scope s = scope(c);
  if (!store_.stream(s, g.name, stream)) throw errors::stream_not_found();
  const json::array* list = opt_arr(in, "logEvents");
  int64_t now = env().clock.now_ms();
  std::vector<Event> events;
  int64_t bytes = 0, prev = INT64_MIN, first = 0;
  json::object rejected;
  std::optional<int64_t> too_new, too_old, expired;
  for (size_t i = 0; list && i < list->size(); ++i) {
    const auto* o = (*list)[i].if_object();
    if (!o) continue;
    int64_t ts = opt_int(*o, "timestamp").value_or(0);
    std::string msg(str_or(*o, "message"));
    if (ts < prev)
      throw errors::invalid_parameter("Log events in a single PutLogEvents request must be in chronological order.");
    if (events.empty() && prev == INT64_MIN) first = ts;
    if (ts - first > kDayMs)
      throw errors::invalid_parameter(
          "The batch of log events in a single PutLogEvents request cannot span more than 24 hours.");
    prev = ts;
    bytes += static_cast<int64_t>(msg.size()) + 26;
    if (ts > now + 2 * 3600 * 1000) {
      if (!too_new) too_new = static_cast<int64_t>(i);
      continue;
    }
    if (ts < now - 14 * kDayMs) {
      too_old = static_cast<int64_t>(i);
      continue;
    }
    if (g.retention_days && ts < now - *g.retention_days * kDayMs) {
      expired = static_cast<int64_t>(i);
      continue;
    }
    events.push_back(Event{0, stream, ts, now, std::move(msg)});
  }
  if (bytes > kMaxBatchBytes)
    throw errors::invalid_parameter("Upload too large: " + std::to_string(bytes) +
                                    " bytes exceeds limit of " + std::to_string(kMaxBatchBytes));
  store_.append(s, g.name, stream, events, now);
  if (now - last_expiry_ms_ > 60000) {
    last_expiry_ms_ = now;
    store_.expire(now);
  }
  auto st = store_.stream(s, g.name, stream);
  json::object out{{"nextSequenceToken", encode_position(Position{st ? st->sequence : 0, 0})}};
  if (too_new) rejected["tooNewLogEventStartIndex"] = *too_new;
  if (too_old) rejected["tooOldLogEventEndIndex"] = *too_old;
  if (expired) rejected["expiredLogEventEndIndex"] = *expired;
  if (!rejected.empty()) out["rejectedLogEventsInfo"] = std::move(rejected);
  return out;
}

Output LogsService::get_log_events(Call& c) {
  const auto& in = c.input;
  LogGroup g = require_group(c, true);
  std::string stream(str_or(in, "logStreamName"));
  Scope s = scope(c);
  if (!store_.stream(s, g.name, stream)) throw errors::stream_not_found();
  int limit = static_cast<int>(opt_int(in, "limit").value_or(10000));
  auto start = opt_int(in, "startTime");
  auto end = opt_int(in, "endTime");
  auto token = opt_str(in, "nextToken");
  bool backward = token && token->starts_with("b/");
  std::optional<Position> pos = token_position(token, backward ? 'b' : 'f');
  bool from_head = opt_bool(in, "startFromHead").value_or(false);
  std::vector<Event> events;
  if (backward)
    events = store_.stream_events(s, g.name, stream, start, end, std::nullopt, pos, true, limit);
  else if (pos)
    events = store_.stream_events(s, g.name, stream, start, end, pos, std::nullopt, false, limit);
  else
    events = store_.stream_events(s, g.name, stream, start, end, std::nullopt, std::nullopt, !from_head, limit);
  if (g.retention_days) {
    int64_t cutoff = env().clock.now_ms() - *g.retention_days * kDayMs;
    std::erase_if(events, [&](const Event& e) { return e.timestamp < cutoff; });
  }
  json::array out;
  for (auto& e : events) out.push_back(output_event(e));
  // At either end the token handed back is the one passed in (how clients know to stop paging).
  Position first = events.empty() ? pos.value_or(Position{0, 0}) : Position{events.front().timestamp, events.front().id};
  Position last = events.empty() ? pos.value_or(Position{0, 0}) : Position{events.back().timestamp, events.back().id};
  if (events.empty() && !pos && !from_head) first = last = Position{0, 0};
  return json::object{{"events", std::move(out)},
                      {"nextForwardToken", "f/" + encode_position(last)},
                      {"nextBackwardToken", "b/" + encode_position(first)}};
}

Output LogsService::filter_log_events(Call& c) {
  const auto& in = c.input;
  LogGroup g = require_group(c, true);
  Scope s = scope(c);
  std::vector<std::string> names;
  if (auto* arr = opt_arr(in, "logStreamNames"))
    for (auto& v : *arr)
      if (v.is_string()) names.emplace_back(v.get_string());
  std::string prefix(str_or(in, "logStreamNamePrefix"));
  if (!names.empty() && !prefix.empty())
    throw errors::invalid_parameter("logStreamNames and logStreamNamePrefix are mutually exclusive parameters.");
  FilterPattern pattern;
  try {
    pattern = FilterPattern::parse(str_or(in, "filterPattern"));
  } catch (const std::invalid_argument& e) {
    throw errors::invalid_parameter(e.what());
  }
  int limit = static_cast<int>(opt_int(in, "limit").value_or(10000));
  auto start = opt_int(in, "startTime");
  auto end = opt_int(in, "endTime");
  if (g.retention_days) {
    int64_t cutoff = env().clock.now_ms() - *g.retention_days * kDayMs;
    start = std::max(start.value_or(cutoff), cutoff);
  }
  std::optional<Position> pos;
  if (auto t = opt_str(in, "nextToken")) {
    pos = decode_position(*t);
    if (!pos) throw errors::invalid_parameter("The specified nextToken is invalid.");
  }
  json::array out;
  bool more = false;
  Position last = pos.value_or(Position{0, 0});
  constexpr int kScan = 2000;
  // Scan in chunks until `limit` matches or the end; a page boundary inside a chunk leaves a token.
  while (static_cast<int>(out.size()) < limit) {
    auto rows = store_.group_events(s, g.name, names, prefix, start, end, pos, kScan);
    for (auto& e : rows) {
      pos = Position{e.timestamp, e.id};
      if (!pattern.matches(e.message)) continue;
      out.push_back(json::object{{"logStreamName", e.stream},
                                 {"timestamp", e.timestamp},
                                 {"message", e.message},
                                 {"ingestionTime", e.ingested},
                                 {"eventId", encode_position(*pos)}});
      last = *pos;
      if (static_cast<int>(out.size()) == limit) break;
    }
    if (static_cast<int>(out.size()) == limit) {
      more = !store_.group_events(s, g.name, names, prefix, start, end, last, 1).empty();
      break;
    }
    if (static_cast<int>(rows.size()) < kScan) break;
  }
  json::array searched;
  for (auto& st : store_.list_streams(s, g.name, prefix)) {
    if (!names.empty() && std::find(names.begin(), names.end(), st.name) == names.end()) continue;
    searched.push_back(json::object{{"logStreamName", st.name}, {"searchedCompletely", !more}});
  }
  json::object r{{"events", std::move(out)}, {"searchedLogStreams", std::move(searched)}};
  if (more) r["nextToken"] = encode_position(last);
  return r;
}

}  // namespace stratus::logs
