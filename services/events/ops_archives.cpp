// Archives (a managed rule on the bus keeps matching events) and replays (archived events sent
// back to the bus with "replay-name" set, to the rules the replay names or all of them).
// https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-archive.html
#include "errors.hpp"
#include "events_service.hpp"
#include "json_text.hpp"

#include <stratus/bus.hpp>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/use_awaitable.hpp>

namespace stratus::events {
namespace asio = boost::asio;

namespace {

const std::string kNoReplays = R"({"replay-name":[{"exists":false}]})";

std::string archive_rule_name(const std::string& archive) { return "Events-Archive-" + archive; }

std::string name_after_slash(std::string_view arn) {
  auto p = arn.rfind('/');
  return std::string(p == std::string_view::npos ? arn : arn.substr(p + 1));
}

json::object summary(const Archive& a) {
  json::object o{{"ArchiveName", a.name},     {"EventSourceArn", a.source_arn}, {"State", a.state},
                 {"RetentionDays", a.retention_days}, {"SizeBytes", a.size_bytes}, {"EventCount", a.event_count},
                 {"CreationTime", a.created}};
  return o;
}

json::object replay_summary(const Replay& rp) {
  json::object o{{"ReplayName", rp.name},
                 {"EventSourceArn", rp.source_arn},
                 {"State", rp.state},
                 {"EventStartTime", rp.event_start},
                 {"EventEndTime", rp.event_end},
                 {"ReplayStartTime", rp.started}};
  if (!rp.state_reason.empty()) o["StateReason"] = rp.state_reason;
  if (rp.last_replayed > 0) o["EventLastReplayedTime"] = rp.last_replayed;
  if (rp.ended > 0) o["ReplayEndTime"] = rp.ended;
  return o;
}

}  // namespace

Output EventsService::create_archive(Call& c) {
  Region& r = region(c.ctx);
  const std::string name(str_or(c.input, "ArchiveName"));
  if (r.archives.count(name)) throw err::exists("Archive " + name + " already exists.");
  const std::string source(str_or(c.input, "EventSourceArn"));
  Bus& b = bus(r, source);
  const std::string pattern_text(str_or(c.input, "EventPattern"));
  if (!pattern_text.empty()) {
    try {
      pattern::compile(pattern_text);
    } catch (const pattern::InvalidPattern& e) {
      throw err::invalid_pattern(e.reason);
    }
  }
  Archive a;
  a.name = name;
  a.arn = r.arn("archive/" + name);
  a.source_arn = b.arn;
  a.description = std::string(str_or(c.input, "Description"));
  a.event_pattern = pattern_text;
  a.retention_days = opt_int(c.input, "RetentionDays").value_or(0);
  a.created = now();
  // The managed rule AWS creates for the archive.
  Rule& rule = b.rules[archive_rule_name(name)];
  rule.name = archive_rule_name(name);
  rule.bus = b.name;
  rule.arn = r.rule_arn(b.name, rule.name);
  rule.event_pattern = pattern_text.empty() ? kNoReplays : pattern_text;
  rule.managed_by = kArchiveManager;
  rule.created_by = r.account;
  rule.description = "Auto generated rule for archive " + name;
  rule.archive = name;
  rule.targets = {json::object{{"Id", archive_rule_name(name)}, {"Arn", a.arn}}};
  activate(b, rule);
  save(r, rule);
  auto& stored = r.archives.insert_or_assign(name, std::move(a)).first->second;
  save(r, stored);
  return json::object{{"ArchiveArn", stored.arn}, {"State", stored.state}, {"CreationTime", stored.created}};
}

Output EventsService::delete_archive(Call& c) {
  Region& r = region(c.ctx);
  const std::string name(str_or(c.input, "ArchiveName"));
  auto it = r.archives.find(name);
  if (it == r.archives.end()) throw err::not_found("Archive " + name + " does not exist.");
  if (Bus* b = find_bus(r, it->second.source_arn)) {
    auto rit = b->rules.find(archive_rule_name(name));
    if (rit != b->rules.end()) {
      deactivate(*b, rit->second);
      erase(r, "rule", b->name + "\n" + rit->first);
      b->rules.erase(rit);
    }
  }
  store_.drop_archive(r.account, r.region, name);
  erase(r, "archive", name);
  r.archives.erase(it);
  return json::object{};
}

Output EventsService::describe_archive(Call& c) {
  Region& r = region(c.ctx);
  const std::string name(str_or(c.input, "ArchiveName"));
  auto it = r.archives.find(name);
  if (it == r.archives.end()) throw err::not_found("Archive " + name + " does not exist.");
  const Archive& a = it->second;
  json::object o = summary(a);
  o["ArchiveArn"] = a.arn;
  if (!a.description.empty()) o["Description"] = a.description;
  if (!a.event_pattern.empty()) o["EventPattern"] = a.event_pattern;
  return o;
}

Output EventsService::list_archives(Call& c) {
  Region& r = region(c.ctx);
  std::string prefix(str_or(c.input, "NamePrefix"));
  std::string source(str_or(c.input, "EventSourceArn"));
  std::string state(str_or(c.input, "State"));
  if (!source.empty()) bus(r, source);
  size_t start = decode_token(c.input);
  size_t limit = static_cast<size_t>(opt_int(c.input, "Limit").value_or(100));
  json::array out;
  size_t i = 0, next = 0;
  for (auto& [name, a] : r.archives) {
    if (!name.starts_with(prefix) || (!source.empty() && a.source_arn != source) || (!state.empty() && a.state != state))
      continue;
    if (i++ < start) continue;
    if (out.size() == limit) {
      next = i - 1;
      break;
    }
    out.push_back(summary(a));
  }
  json::object res{{"Archives", std::move(out)}};
  if (next) res["NextToken"] = encode_token(next);
  return res;
}

Output EventsService::update_archive(Call& c) {
  Region& r = region(c.ctx);
  const std::string name(str_or(c.input, "ArchiveName"));
  auto it = r.archives.find(name);
  if (it == r.archives.end()) throw err::not_found("Archive " + name + " does not exist.");
  Archive& a = it->second;
  if (auto d = opt_str(c.input, "Description")) a.description = *d;
  if (auto days = opt_int(c.input, "RetentionDays")) a.retention_days = *days;
  if (auto p = opt_str(c.input, "EventPattern")) {
    if (!p->empty()) {
      try {
        pattern::compile(*p);
      } catch (const pattern::InvalidPattern& e) {
        throw err::invalid_pattern(e.reason);
      }
    }
    a.event_pattern = *p;
    if (Bus* b = find_bus(r, a.source_arn)) {
      auto rit = b->rules.find(archive_rule_name(name));
      if (rit != b->rules.end()) {
        rit->second.event_pattern = p->empty() ? kNoReplays : *p;
        activate(*b, rit->second);
        save(r, rit->second);
      }
    }
  }
  save(r, a);
  return json::object{{"ArchiveArn", a.arn}, {"State", a.state}, {"CreationTime", a.created}};
}

Output EventsService::start_replay(Call& c) {
  Region& r = region(c.ctx);
  const std::string name(str_or(c.input, "ReplayName"));
  if (r.replays.count(name)) throw err::exists("Replay " + name + " already exists.");
  auto num = [&](const char* k) {
    auto* v = find(c.input, k);
    return v && v->is_number() ? v->to_number<double>() : 0.0;
  };
  const double start = num("EventStartTime"), end = num("EventEndTime");
  if (end <= start)
    throw err::validation("Parameter EventEndTime is not valid. Reason: EventStartTime must be before EventEndTime.");
  const std::string source(str_or(c.input, "EventSourceArn"));
  const std::string archive_name = name_after_slash(source);
  auto ait = r.archives.find(archive_name);
  if (ait == r.archives.end() || ait->second.arn != source)
    throw err::validation("Parameter EventSourceArn is not valid. Reason: Archive " + archive_name + " does not exist.");
  const json::object* dest = opt_obj(c.input, "Destination");
  std::string dest_arn = dest ? std::string(str_or(*dest, "Arn")) : std::string();
  if (dest_arn != ait->second.source_arn) {
    if (find_bus(r, dest_arn) && dest_arn.starts_with("arn:"))
      throw err::validation("Parameter Destination.Arn is not valid. Reason: Cross event bus replay is not permitted.");
    throw err::bus_not_found(name_after_slash(dest_arn));
  }
  Replay rp;
  rp.name = name;
  rp.arn = r.arn("replay/" + name);
  rp.description = std::string(str_or(c.input, "Description"));
  rp.source_arn = source;
  rp.destination = dest ? *dest : json::object{};
  rp.event_start = start;
  rp.event_end = end;
  rp.started = now();
  rp.state = "STARTING";
  auto& stored = r.replays.insert_or_assign(name, std::move(rp)).first->second;
  save(r, stored);
  asio::co_spawn(env().io, replay_task(r.account, r.region, name), asio::detached);
  return json::object{{"ReplayArn", stored.arn}, {"State", stored.state}, {"ReplayStartTime", stored.started}};
}

asio::awaitable<void> EventsService::replay_task(std::string account, std::string region_name, std::string name) {
  co_await asio::post(env().io, asio::use_awaitable);  // StartReplay answers STARTING first
  // Looked up again after every suspension: a reset may have dropped the region meanwhile.
  auto find_region = [&]() -> Region* {
    auto it = regions_.find(account + "/" + region_name);
    return it == regions_.end() ? nullptr : &it->second;
  };
  auto find_replay = [&]() -> Replay* {
    Region* r = find_region();
    if (!r) return nullptr;
    auto it = r->replays.find(name);
    return it == r->replays.end() ? nullptr : &it->second;
  };
  Replay* rp = find_replay();
  if (!rp || rp->cancel) co_return;
  rp->state = "RUNNING";
  save(*find_region(), *rp);
  const std::string archive = name_after_slash(rp->source_arn);
  std::vector<std::string> filters;
  if (auto* f = opt_arr(rp->destination, "FilterArns"))
    for (auto& x : *f)
      if (x.is_string()) filters.emplace_back(x.get_string());
  const std::string dest(str_or(rp->destination, "Arn"));
  auto events = store_.archived(account, region_name, archive, rp->event_start, rp->event_end);
  size_t n = 0;
  for (auto& ev : events) {
    rp = find_replay();
    if (!rp) co_return;
    if (rp->cancel) break;
    Region& r = *find_region();
    Bus* b = find_bus(r, dest);
    if (!b) break;
    std::string text = ev.event;
    if (!text.empty() && text.back() == '}')
      text.insert(text.size() - 1, ",\"replay-name\":" + json_text::quote(name));
    route(r, *b, text, Ingest{name, &filters, true});
    rp->last_replayed = ev.time;
    if (++n % 100 == 0) co_await asio::post(env().io, asio::use_awaitable);
  }
  rp = find_replay();
  if (!rp) co_return;
  rp->state = rp->cancel ? "CANCELLED" : "COMPLETED";
  rp->ended = now();
  save(*find_region(), *rp);
}

Output EventsService::cancel_replay(Call& c) {
  Region& r = region(c.ctx);
  const std::string name(str_or(c.input, "ReplayName"));
  auto it = r.replays.find(name);
  if (it == r.replays.end()) throw err::not_found("Replay " + name + " does not exist.");
  Replay& rp = it->second;
  if (rp.state != "STARTING" && rp.state != "RUNNING")
    throw err::illegal_status("Replay " + name + " is not in a valid state for this operation.");
  rp.cancel = true;
  rp.state = "CANCELLING";
  save(r, rp);
  return json::object{{"ReplayArn", rp.arn}, {"State", rp.state}};
}

Output EventsService::describe_replay(Call& c) {
  Region& r = region(c.ctx);
  const std::string name(str_or(c.input, "ReplayName"));
  auto it = r.replays.find(name);
  if (it == r.replays.end()) throw err::not_found("Replay " + name + " does not exist.");
  const Replay& rp = it->second;
  json::object o = replay_summary(rp);
  o["ReplayArn"] = rp.arn;
  o["Destination"] = rp.destination;
  if (!rp.description.empty()) o["Description"] = rp.description;
  return o;
}

Output EventsService::list_replays(Call& c) {
  Region& r = region(c.ctx);
  std::string prefix(str_or(c.input, "NamePrefix"));
  std::string source(str_or(c.input, "EventSourceArn"));
  std::string state(str_or(c.input, "State"));
  size_t start = decode_token(c.input);
  size_t limit = static_cast<size_t>(opt_int(c.input, "Limit").value_or(100));
  json::array out;
  size_t i = 0, next = 0;
  for (auto& [name, rp] : r.replays) {
    if (!name.starts_with(prefix) || (!source.empty() && rp.source_arn != source) || (!state.empty() && rp.state != state))
      continue;
    if (i++ < start) continue;
    if (out.size() == limit) {
      next = i - 1;
      break;
    }
    out.push_back(replay_summary(rp));
  }
  json::object res{{"Replays", std::move(out)}};
  if (next) res["NextToken"] = encode_token(next);
  return res;
}

}  // namespace stratus::events
