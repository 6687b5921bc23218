// PutEvents and the events bus target (other services and bus-to-bus rules putting events).
// https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_PutEvents.html
#include "errors.hpp"
#include "events_service.hpp"
#include "json_text.hpp"

#include <stratus/bus.hpp>
#include <stratus/ids.hpp>

#include <cmath>

namespace stratus::events {
namespace {

// Entries of one request may total 1 MB (raised from 256 KB in January 2026), counted as
// https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-putevent-size.html describes.
constexpr size_t kMaxRequestSize = 1024 * 1024;

size_t entry_size(const json::object& e) {
  size_t n = find(e, "Time") ? 14 : 0;
  n += str_or(e, "Source").size() + str_or(e, "DetailType").size() + str_or(e, "Detail").size();
  if (auto* res = opt_arr(e, "Resources"))
    for (auto& x : *res)
      if (x.is_string()) n += x.get_string().size();
  return n;
}

}  // namespace

std::optional<EventsService::BuiltEvent> EventsService::make_event(const Region& r, const json::object& entry,
                                                                   EntryError& error, bool trusted) {
  auto source = opt_str(entry, "Source");
  if (!source || source->empty()) {
    error = {"InvalidArgument", "Parameter Source is not valid. Reason: Source is a required argument."};
    return std::nullopt;
  }
  auto detail_type = opt_str(entry, "DetailType");
  if (!detail_type || detail_type->empty()) {
    error = {"InvalidArgument", "Parameter DetailType is not valid. Reason: DetailType is a required argument."};
    return std::nullopt;
  }
  auto detail = opt_str(entry, "Detail");
  if (!detail || detail->empty()) {
    error = {"InvalidArgument", "Parameter Detail is not valid. Reason: Detail is a required argument."};
    return std::nullopt;
  }
  // "aws." sources belong to AWS services.
  if (!trusted && source->starts_with("aws.")) {
    error = {"NotAuthorizedForSourceException", "Not authorized for the source."};
    return std::nullopt;
  }
  auto node = json_text::parse(*detail);
  if (!node || node->type != json_text::Node::Type::object) {
    error = {"MalformedDetail", "Detail is malformed."};
    return std::nullopt;
  }
  double t = now();
  if (auto* tv = find(entry, "Time")) {
    if (tv->is_number()) t = tv->to_number<double>();
    else if (tv->is_string()) parse_time(tv->get_string(), t);
  }
  BuiltEvent ev;
  ev.id = ids::uuid4();
  std::string& out = ev.text;
  out.reserve(detail->size() + 256);
  out += R"({"version":"0","id":")";
  out += ev.id;
  out += R"(","detail-type":)";
  out += json_text::quote(*detail_type);
  out += R"(,"source":)";
  out += json_text::quote(*source);
  out += R"(,"account":")";
  out += r.account;
  out += R"(","time":")";
  out += iso8601(std::floor(t), false);
  out += R"(","region":")";
  out += r.region;
  out += R"(","resources":[)";
  if (auto* res = opt_arr(entry, "Resources")) {
    bool first = true;
    for (auto& x : *res) {
      if (!x.is_string()) continue;
      if (!first) out += ',';
      first = false;
      out += json_text::quote(x.get_string());
    }
  }
  out += R"(],"detail":)";
  json_text::write(*node, out);
  out += '}';
  return ev;
}

Output EventsService::put_events(Call& c) {
  const json::array* entries = opt_arr(c.input, "Entries");
  if (!entries) return json::object{{"FailedEntryCount", 0}, {"Entries", json::array{}}};
  size_t total = 0;
  for (auto& e : *entries)
    if (e.is_object()) total += entry_size(e.get_object());
  if (total > kMaxRequestSize) throw err::validation("Total size of the entries in the request is over the limit.");
  json::array results;
  int64_t failed = 0;
  for (auto& ev : *entries) {
    const json::object& entry = ev.get_object();
    // A bus ARN may name another account's or region's bus.
    std::string account = c.ctx.account_id, region_name = c.ctx.region;
    std::string bus_name(str_or(entry, "EventBusName", "default"));
    if (bus_name.starts_with("arn:")) {
      if (auto arn = Arn::parse(bus_name)) {
        account = arn->account;
        region_name = arn->region;
      }
    }
    Region& r = region(account, region_name);
    EntryError error;
    auto built = make_event(r, entry, error, false);
    if (!built) {
      ++failed;
      results.push_back(json::object{{"ErrorCode", error.code}, {"ErrorMessage", error.message}});
      continue;
    }
    // Events for a bus that does not exist are accepted and dropped, as AWS does.
    if (Bus* b = find_bus(r, bus_name)) route(r, *b, built->text, Ingest{});
    results.push_back(json::object{{"EventId", built->id}});
  }
  return json::object{{"FailedEntryCount", failed}, {"Entries", std::move(results)}};
}

boost::asio::awaitable<json::value> EventsService::receive(const Delivery& d) {
  auto arn = Arn::parse(d.target_arn);
  if (!arn || arn->service != "events" || !arn->resource.starts_with("event-bus/"))
    throw AwsError("ResourceNotFoundException", "Not an event bus ARN: " + d.target_arn, 400);
  Region& r = region(arn->account, arn->region);
  Bus* b = find_bus(r, arn->resource.substr(10));
  if (!b) throw err::bus_not_found(arn->resource.substr(10));
  // Bus to bus: the event as the first bus routed it.
  if (auto forwarded = opt_str(d.attributes, "Event")) {
    if (auto flat = pattern::FlatEvent::parse(*forwarded)) {
      auto [lo, hi] = flat->at("id");
      std::string id = lo == hi ? std::string() : std::string(lo->text);
      Ingest how;
      how.hops = static_cast<int>(opt_int(d.attributes, "Hops").value_or(0));
      route(r, *b, *forwarded, how);
      co_return json::object{{"EventId", id}};
    }
  }
  boost::system::error_code ec;
  json::value entry = json::parse(d.payload, ec);
  if (ec || !entry.is_object()) throw AwsError("ValidationException", "The event is not a PutEvents entry.", 400);
  EntryError error;
  auto built = make_event(r, entry.get_object(), error, true);
  if (!built) throw AwsError(error.code, error.message, 400);
  Ingest how;
  how.hops = static_cast<int>(opt_int(d.attributes, "Hops").value_or(0));
  route(r, *b, built->text, how);
  co_return json::object{{"EventId", built->id}};
}

}  // namespace stratus::events
