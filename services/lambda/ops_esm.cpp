// Event-source mappings: the API. The pollers are in esm_pollers.cpp.
// https://docs.aws.amazon.com/lambda/latest/dg/invocation-eventsourcemapping.html
#include "errors.hpp"
#include "filter.hpp"
#include "lambda_service.hpp"
#include "model.hpp"

#include <stratus/bus.hpp>
#include <stratus/ids.hpp>

namespace stratus::lambda {

namespace {

enum class Source { sqs, dynamodb, kinesis, other };

Source source_of(std::string_view arn) {
  auto a = Arn::parse(arn);
  if (!a) return Source::other;
  if (a->service == "sqs") return Source::sqs;
  if (a->service == "dynamodb" && a->resource.find("/stream/") != std::string::npos) return Source::dynamodb;
  if (a->service == "kinesis") return Source::kinesis;
  return Source::other;
}

void validate_filters(const json::object& in) {
  auto* fc = opt_obj(in, "FilterCriteria");
  if (!fc) return;
  if (auto* filters = opt_arr(*fc, "Filters")) {
    if (filters->size() > 5) throw errors::invalid_parameter("Number of filters cannot be greater than 5.");
    for (auto& f : *filters) {
      if (!f.is_object()) continue;
      try {
        parse_pattern(str_or(f.get_object(), "Pattern"));
      } catch (const std::invalid_argument&) {
        throw errors::invalid_parameter("Invalid filter pattern definition.");
      }
    }
  }
}

json::object public_doc(const json::object& d) { return d; }

}  // namespace

Output LambdaService::create_event_source_mapping(Call& c) {
  const auto& in = c.input;
  std::string source_arn(str_or(in, "EventSourceArn"));
  Source src = source_of(source_arn);
  if (src == Source::other || src == Source::kinesis)
    throw errors::invalid_parameter(source_arn.empty()
                                        ? "Unrecognized event source, must be kafka or specify an EventSourceArn."
                                        : "Stratus supports event-source mappings from SQS queues and DynamoDB streams; " +
                                              source_arn + " is neither.");
  Function& f = require_function(c);
  auto ref = parse_function_name(str_or(in, "FunctionName"), c.ctx.account_id, c.ctx.region);
  std::string fn_arn = ref.qualifier ? f.arn() + ":" + *ref.qualifier : f.arn();
  for (Mapping* m : store_.mappings())
    if (str_or(m->doc, "EventSourceArn") == source_arn && str_or(m->doc, "FunctionArn") == fn_arn)
      throw errors::conflict("The event source arn (" + source_arn + ") and function (" + f.name +
                             ") provided mapping already exists. Please update or delete the existing mapping with UUID " +
                             m->uuid);
  validate_filters(in);
  int64_t batch = opt_int(in, "BatchSize").value_or(src == Source::sqs ? 10 : 100);
  int64_t window = opt_int(in, "MaximumBatchingWindowInSeconds").value_or(0);
  if (src == Source::sqs) {
    if (batch > 10 && window < 1)
      throw errors::invalid_parameter("Maximum batch window in seconds must be greater than 0 if maximum batch size is greater than 10");
    if (batch > 10000) throw errors::invalid_parameter("BatchSize must be less than or equal to 10000");
    if (find(in, "StartingPosition"))
      throw errors::invalid_parameter("StartingPosition is not valid for SQS event sources.");
  } else {
    if (!find(in, "StartingPosition"))
      throw errors::invalid_parameter("1 validation error detected: Value null at 'startingPosition' failed to satisfy "
                                      "constraint: Member must not be null");
  }
  std::string uuid = ids::uuid4();
  json::object d{{"UUID", uuid},
                 {"BatchSize", batch},
                 {"MaximumBatchingWindowInSeconds", window},
                 {"EventSourceArn", source_arn},
                 {"FunctionArn", fn_arn},
                 {"LastModified", env().clock.now_seconds()},
                 {"State", opt_bool(in, "Enabled").value_or(true) ? "Enabled" : "Disabled"},
                 {"StateTransitionReason", "USER_INITIATED"},
                 {"FunctionResponseTypes", json::array{}},
                 {"EventSourceMappingArn", "arn:aws:lambda:" + c.ctx.region + ":" + c.ctx.account_id +
                                               ":event-source-mapping:" + uuid}};
  if (src == Source::dynamodb) {
    d["StartingPosition"] = str_or(in, "StartingPosition");
    if (auto* t = find(in, "StartingPositionTimestamp")) d["StartingPositionTimestamp"] = *t;
    d["ParallelizationFactor"] = opt_int(in, "ParallelizationFactor").value_or(1);
    d["MaximumRecordAgeInSeconds"] = opt_int(in, "MaximumRecordAgeInSeconds").value_or(-1);
    d["BisectBatchOnFunctionError"] = opt_bool(in, "BisectBatchOnFunctionError").value_or(false);
    d["MaximumRetryAttempts"] = opt_int(in, "MaximumRetryAttempts").value_or(-1);
    d["TumblingWindowInSeconds"] = opt_int(in, "TumblingWindowInSeconds").value_or(0);
    d["LastProcessingResult"] = "No records processed";
    json::object dest{{"OnFailure", json::object{}}};
    if (auto* dc = opt_obj(in, "DestinationConfig"))
      for (auto& [k, v] : *dc) dest[k] = v;
    d["DestinationConfig"] = std::move(dest);
  }
  if (auto* fc = opt_obj(in, "FilterCriteria")) d["FilterCriteria"] = *fc;
  if (auto* t = opt_arr(in, "FunctionResponseTypes")) d["FunctionResponseTypes"] = *t;
  if (auto* s = opt_obj(in, "ScalingConfig")) d["ScalingConfig"] = *s;
  if (auto* tags = opt_obj(in, "Tags")) d["Tags"] = *tags;
  Mapping& m = store_.put(Mapping{uuid, c.ctx.account_id, c.ctx.region, d});
  if (str_or(m.doc, "State") == "Enabled") start_mapping(uuid);
  json::object out = public_doc(d);
  out["State"] = "Creating";
  out.erase("Tags");
  Output o(std::move(out));
  o.status = 202;
  return o;
}

Output LambdaService::get_event_source_mapping(Call& c) {
  Mapping* m = store_.mapping(str_or(c.input, "UUID"));
  if (!m) throw errors::not_found("The resource you requested does not exist.");
  json::object out = public_doc(m->doc);
  out.erase("Tags");
  return out;
}

Output LambdaService::update_event_source_mapping(Call& c) {
  const auto& in = c.input;
  Mapping* m = store_.mapping(str_or(in, "UUID"));
  if (!m) throw errors::not_found("The resource you requested does not exist.");
  validate_filters(in);
  json::object& d = m->doc;
  if (auto fn = opt_str(in, "FunctionName")) {
    Function& f = require_function(c);
    auto ref = parse_function_name(*fn, c.ctx.account_id, c.ctx.region);
    d["FunctionArn"] = ref.qualifier ? f.arn() + ":" + *ref.qualifier : f.arn();
  }
  for (auto key : {"BatchSize", "MaximumBatchingWindowInSeconds", "MaximumRecordAgeInSeconds", "MaximumRetryAttempts",
                   "ParallelizationFactor", "TumblingWindowInSeconds"})
    if (auto n = opt_int(in, key)) d[key] = *n;
  if (auto b = opt_bool(in, "BisectBatchOnFunctionError")) d["BisectBatchOnFunctionError"] = *b;
  if (auto* fc = opt_obj(in, "FilterCriteria")) d["FilterCriteria"] = *fc;
  if (auto* t = opt_arr(in, "FunctionResponseTypes")) d["FunctionResponseTypes"] = *t;
  if (auto* dc = opt_obj(in, "DestinationConfig")) d["DestinationConfig"] = *dc;
  if (auto* s = opt_obj(in, "ScalingConfig")) d["ScalingConfig"] = *s;
  if (auto e = opt_bool(in, "Enabled")) d["State"] = *e ? "Enabled" : "Disabled";
  d["LastModified"] = env().clock.now_seconds();
  store_.save(*m);
  std::string uuid = m->uuid;
  stop_mapping(uuid);
  if (str_or(d, "State") == "Enabled") start_mapping(uuid);
  json::object out = public_doc(d);
  out["State"] = "Updating";
  out.erase("Tags");
  Output o(std::move(out));
  o.status = 202;
  return o;
}

Output LambdaService::delete_event_source_mapping(Call& c) {
  std::string uuid(str_or(c.input, "UUID"));
  Mapping* m = store_.mapping(uuid);
  if (!m) throw errors::not_found("The resource you requested does not exist.");
  json::object out = public_doc(m->doc);
  out["State"] = "Deleting";
  out.erase("Tags");
  stop_mapping(uuid);
  store_.remove_mapping(uuid);
  Output o(std::move(out));
  o.status = 202;
  return o;
}

Output LambdaService::list_event_source_mappings(Call& c) {
  std::string source(str_or(c.input, "EventSourceArn"));
  std::optional<std::string> fn_arn;
  if (auto fn = opt_str(c.input, "FunctionName")) {
    Function& f = require_function(c);
    auto ref = parse_function_name(*fn, c.ctx.account_id, c.ctx.region);
    fn_arn = ref.qualifier ? f.arn() + ":" + *ref.qualifier : f.arn();
  }
  int max = static_cast<int>(opt_int(c.input, "MaxItems").value_or(100));
  std::string marker(str_or(c.input, "Marker"));
  json::array list;
  std::string next;
  for (Mapping* m : store_.mappings()) {
    if (m->account != c.ctx.account_id || m->region != c.ctx.region) continue;
    if (!source.empty() && str_or(m->doc, "EventSourceArn") != source) continue;
    if (fn_arn && str_or(m->doc, "FunctionArn") != *fn_arn) continue;
    if (!marker.empty() && m->uuid <= marker) continue;
    if (static_cast<int>(list.size()) == max) {
      next = std::string(list.back().as_object().at("UUID").get_string());
      break;
    }
    json::object d = public_doc(m->doc);
    d.erase("Tags");
    list.push_back(std::move(d));
  }
  json::object out{{"EventSourceMappings", std::move(list)}};
  if (!next.empty()) out["NextMarker"] = next;
  return out;
}

}  // namespace stratus::lambda
