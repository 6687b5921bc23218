#include "model.hpp"

namespace stratus::events {
namespace {

void set_if(json::object& o, const char* k, const std::string& v) {
  if (!v.empty()) o[k] = v;
}
std::string s(const json::object& o, const char* k) { return std::string(str_or(o, k)); }
double f(const json::object& o, const char* k) {
  auto* v = find(o, k);
  if (!v) return 0;
  if (v->is_double()) return v->get_double();
  if (v->is_int64()) return static_cast<double>(v->get_int64());
  if (v->is_uint64()) return static_cast<double>(v->get_uint64());
  return 0;
}

}  // namespace

json::object Rule::to_doc() const {
  json::object o{{"Name", name}, {"EventBusName", bus}, {"Arn", arn}, {"State", state}};
  set_if(o, "EventPattern", event_pattern);
  set_if(o, "ScheduleExpression", schedule_expression);
  set_if(o, "Description", description);
  set_if(o, "RoleArn", role_arn);
  set_if(o, "ManagedBy", managed_by);
  set_if(o, "CreatedBy", created_by);
  set_if(o, "Archive", archive);
  o["ScheduleAnchor"] = schedule_anchor;
  json::array t;
  for (auto& x : targets) t.push_back(x);
  o["Targets"] = std::move(t);
  return o;
}

Rule Rule::from_doc(const json::object& d) {
  Rule r;
  r.name = s(d, "Name");
  r.bus = s(d, "EventBusName");
  r.arn = s(d, "Arn");
  r.state = s(d, "State");
  r.event_pattern = s(d, "EventPattern");
  r.schedule_expression = s(d, "ScheduleExpression");
  r.description = s(d, "Description");
  r.role_arn = s(d, "RoleArn");
  r.managed_by = s(d, "ManagedBy");
  r.created_by = s(d, "CreatedBy");
  r.archive = s(d, "Archive");
  r.schedule_anchor = opt_int(d, "ScheduleAnchor").value_or(0);
  if (auto* t = opt_arr(d, "Targets"))
    for (auto& x : *t)
      if (x.is_object()) r.targets.push_back(x.get_object());
  return r;
}

json::object Bus::to_doc() const {
  json::object o{{"Name", name}, {"Arn", arn}, {"CreationTime", created}, {"LastModifiedTime", modified}};
  set_if(o, "Description", description);
  set_if(o, "KmsKeyIdentifier", kms_key);
  set_if(o, "DeadLetterArn", dead_letter_arn);
  set_if(o, "Policy", policy);
  return o;
}

Bus Bus::from_doc(const json::object& d) {
  Bus b;
  b.name = s(d, "Name");
  b.arn = s(d, "Arn");
  b.created = f(d, "CreationTime");
  b.modified = f(d, "LastModifiedTime");
  b.description = s(d, "Description");
  b.kms_key = s(d, "KmsKeyIdentifier");
  b.dead_letter_arn = s(d, "DeadLetterArn");
  b.policy = s(d, "Policy");
  return b;
}

json::object Archive::to_doc() const {
  json::object o{{"ArchiveName", name},       {"ArchiveArn", arn},         {"EventSourceArn", source_arn},
                 {"State", state},            {"RetentionDays", retention_days}, {"CreationTime", created},
                 {"EventCount", event_count}, {"SizeBytes", size_bytes}};
  set_if(o, "Description", description);
  set_if(o, "EventPattern", event_pattern);
  return o;
}

Archive Archive::from_doc(const json::object& d) {
  Archive a;
  a.name = s(d, "ArchiveName");
  a.arn = s(d, "ArchiveArn");
  a.source_arn = s(d, "EventSourceArn");
  a.state = s(d, "State");
  a.retention_days = opt_int(d, "RetentionDays").value_or(0);
  a.created = f(d, "CreationTime");
  a.event_count = opt_int(d, "EventCount").value_or(0);
  a.size_bytes = opt_int(d, "SizeBytes").value_or(0);
  a.description = s(d, "Description");
  a.event_pattern = s(d, "EventPattern");
  return a;
}

json::object Replay::to_doc() const {
  json::object o{{"ReplayName", name},        {"ReplayArn", arn},         {"EventSourceArn", source_arn},
                 {"State", state},            {"Destination", destination}, {"EventStartTime", event_start},
                 {"EventEndTime", event_end}, {"ReplayStartTime", started}};
  set_if(o, "Description", description);
  set_if(o, "StateReason", state_reason);
  if (ended > 0) o["ReplayEndTime"] = ended;
  if (last_replayed > 0) o["EventLastReplayedTime"] = last_replayed;
  return o;
}

Replay Replay::from_doc(const json::object& d) {
  Replay r;
  r.name = s(d, "ReplayName");
  r.arn = s(d, "ReplayArn");
  r.source_arn = s(d, "EventSourceArn");
  r.state = s(d, "State");
  if (auto* dest = opt_obj(d, "Destination")) r.destination = *dest;
  r.event_start = f(d, "EventStartTime");
  r.event_end = f(d, "EventEndTime");
  r.started = f(d, "ReplayStartTime");
  r.ended = f(d, "ReplayEndTime");
  r.last_replayed = f(d, "EventLastReplayedTime");
  r.description = s(d, "Description");
  r.state_reason = s(d, "StateReason");
  return r;
}

json::object Connection::to_doc() const {
  json::object o{{"Name", name},
                 {"ConnectionArn", arn},
                 {"ConnectionState", state},
                 {"AuthorizationType", authorization_type},
                 {"AuthParameters", auth_parameters},
                 {"CreationTime", created},
                 {"LastModifiedTime", modified},
                 {"LastAuthorizedTime", authorized},
                 {"SecretArn", secret_arn}};
  set_if(o, "Description", description);
  if (!connectivity.empty()) o["InvocationConnectivityParameters"] = connectivity;
  return o;
}

Connection Connection::from_doc(const json::object& d) {
  Connection c;
  c.name = s(d, "Name");
  c.arn = s(d, "ConnectionArn");
  c.state = s(d, "ConnectionState");
  c.authorization_type = s(d, "AuthorizationType");
  if (auto* a = opt_obj(d, "AuthParameters")) c.auth_parameters = *a;
  if (auto* a = opt_obj(d, "InvocationConnectivityParameters")) c.connectivity = *a;
  c.created = f(d, "CreationTime");
  c.modified = f(d, "LastModifiedTime");
  c.authorized = f(d, "LastAuthorizedTime");
  c.secret_arn = s(d, "SecretArn");
  c.description = s(d, "Description");
  return c;
}

json::object ApiDestination::to_doc() const {
  json::object o{{"Name", name},
                 {"ApiDestinationArn", arn},
                 {"ApiDestinationState", state},
                 {"ConnectionArn", connection_arn},
                 {"InvocationEndpoint", endpoint},
                 {"HttpMethod", method},
                 {"InvocationRateLimitPerSecond", rate_limit},
                 {"CreationTime", created},
                 {"LastModifiedTime", modified}};
  set_if(o, "Description", description);
  return o;
}

ApiDestination ApiDestination::from_doc(const json::object& d) {
  ApiDestination a;
  a.name = s(d, "Name");
  a.arn = s(d, "ApiDestinationArn");
  a.state = s(d, "ApiDestinationState");
  a.connection_arn = s(d, "ConnectionArn");
  a.endpoint = s(d, "InvocationEndpoint");
  a.method = s(d, "HttpMethod");
  a.rate_limit = opt_int(d, "InvocationRateLimitPerSecond").value_or(300);
  a.created = f(d, "CreationTime");
  a.modified = f(d, "LastModifiedTime");
  a.description = s(d, "Description");
  return a;
}

}  // namespace stratus::events
