#include "model.hpp"

#include "errors.hpp"

#include <stratus/bus.hpp>
#include <stratus/crypto.hpp>
#include <stratus/strings.hpp>

#include <algorithm>
#include <cmath>

namespace stratus::sns {

namespace {
bool name_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
}
}  // namespace

bool valid_topic_name(std::string_view name, bool fifo) {
  if (name.empty() || name.size() > 256) return false;
  if (fifo) {
    if (!name.ends_with(".fifo")) return false;
    name.remove_suffix(5);
    if (name.empty()) return false;
  }
  return std::all_of(name.begin(), name.end(), name_char);
}

bool known_protocol(std::string_view p) {
  static const std::vector<std::string_view> kProtocols = {"http", "https", "email", "email-json", "sms", "sqs",
                                                           "application", "lambda", "firehose"};
  return std::find(kProtocols.begin(), kProtocols.end(), p) != kProtocols.end();
}

bool needs_confirmation(std::string_view p) {
  return p == "http" || p == "https" || p == "email" || p == "email-json";
}

bool valid_phone_number(std::string_view n) {
  if (n.size() < 3 || n.size() > 16 || n[0] != '+' || n[1] == '0') return false;
  return std::all_of(n.begin() + 1, n.end(), [](char c) { return c >= '0' && c <= '9'; });
}

void validate_endpoint(std::string_view protocol, std::string_view endpoint) {
  auto arn_of = [&](std::string_view service) {
    auto a = Arn::parse(endpoint);
    return a && a->service == service && !a->region.empty() && !a->account.empty();
  };
  if (protocol == "sqs") {
    if (!arn_of("sqs")) throw err::invalid_parameter("SQS endpoint ARN");
  } else if (protocol == "lambda") {
    auto a = Arn::parse(endpoint);
    if (!a || a->service != "lambda" || !a->resource.starts_with("function:"))
      throw err::invalid_parameter("Lambda endpoint ARN");
  } else if (protocol == "firehose") {
    if (!arn_of("firehose")) throw err::invalid_parameter("Firehose endpoint ARN");
  } else if (protocol == "application") {
    auto a = Arn::parse(endpoint);
    if (!a || a->service != "sns" || !a->resource.starts_with("endpoint/"))
      throw err::invalid_parameter("Application endpoint arn invalid:" + std::string(endpoint));
  } else if (protocol == "http" || protocol == "https") {
    std::string scheme = std::string(protocol) + "://";
    if (!endpoint.starts_with(scheme) || endpoint.size() <= scheme.size())
      throw err::invalid_parameter("Endpoint must match the specified protocol");
  } else if (protocol == "email" || protocol == "email-json") {
    auto at = endpoint.find('@');
    if (at == std::string_view::npos || at == 0 || at + 1 >= endpoint.size() ||
        endpoint.find('@', at + 1) != std::string_view::npos || endpoint.find(' ') != std::string_view::npos)
      throw err::invalid_parameter("Email address");
  } else if (protocol == "sms") {
    std::string digits;
    for (char c : endpoint)
      if (c != '-' && c != ' ' && c != '(' && c != ')') digits += c;
    if (!valid_phone_number(digits) && !(digits.size() >= 3 && digits.size() <= 15 &&
                                          std::all_of(digits.begin(), digits.end(), [](char c) { return c >= '0' && c <= '9'; })))
      throw err::invalid_parameter("Invalid SMS endpoint: " + std::string(endpoint));
  }
}

bool settable_topic_attribute(std::string_view name, bool fifo) {
  static const std::vector<std::string_view> kNames = {
      "DisplayName", "Policy", "DeliveryPolicy", "KmsMasterKeyId", "SignatureVersion", "TracingConfig",
      "ArchivePolicy", "HTTPSuccessFeedbackRoleArn", "HTTPSuccessFeedbackSampleRate", "HTTPFailureFeedbackRoleArn",
      "LambdaSuccessFeedbackRoleArn", "LambdaSuccessFeedbackSampleRate", "LambdaFailureFeedbackRoleArn",
      "SQSSuccessFeedbackRoleArn", "SQSSuccessFeedbackSampleRate", "SQSFailureFeedbackRoleArn",
      "ApplicationSuccessFeedbackRoleArn", "ApplicationSuccessFeedbackSampleRate",
      "ApplicationFailureFeedbackRoleArn", "FirehoseSuccessFeedbackRoleArn", "FirehoseSuccessFeedbackSampleRate",
      "FirehoseFailureFeedbackRoleArn"};
  if (std::find(kNames.begin(), kNames.end(), name) != kNames.end()) return true;
  return fifo && (name == "ContentBasedDeduplication" || name == "FifoThroughputScope");
}

void validate_topic_attribute(std::string_view name, std::string_view value, bool fifo) {
  auto json_object = [&] {
    if (value.empty()) return;
    boost::system::error_code ec;
    json::value v = json::parse(value, ec);
    if (ec || !v.is_object()) throw err::invalid_parameter("Attributes Reason: " + std::string(name) + ": failed to parse JSON");
  };
  if (name == "Policy" || name == "DeliveryPolicy" || name == "ArchivePolicy") json_object();
  else if (name == "SignatureVersion") {
    if (value != "1" && value != "2")
      throw err::invalid_parameter("Attributes Reason: SignatureVersion: Invalid value [" + std::string(value) +
                                   "]. Must be 1 or 2.");
  } else if (name == "TracingConfig") {
    if (value != "PassThrough" && value != "Active")
      throw err::invalid_parameter("Attributes Reason: TracingConfig: Invalid value [" + std::string(value) +
                                   "]. Must be PassThrough or Active.");
  } else if (name == "ContentBasedDeduplication") {
    if (!fifo) throw err::invalid_parameter("Attributes Reason: ContentBasedDeduplication: Content-based deduplication can only be set for FIFO topics");
    if (value != "true" && value != "false")
      throw err::invalid_parameter("Attributes Reason: ContentBasedDeduplication: Invalid value [" + std::string(value) +
                                   "]. Must be true or false.");
  } else if (name == "FifoThroughputScope") {
    if (value != "Topic" && value != "MessageGroup")
      throw err::invalid_parameter("Attributes Reason: FifoThroughputScope: Invalid value [" + std::string(value) +
                                   "]. Must be Topic or MessageGroup.");
  } else if (name.ends_with("SampleRate")) {
    auto n = parse_int(value);
    if (!n || *n < 0 || *n > 100)
      throw err::invalid_parameter("Attributes Reason: " + std::string(name) + ": Invalid value [" + std::string(value) +
                                   "]. Must be an integer between 0 and 100.");
  }
}

std::string default_topic_policy(std::string_view topic_arn, std::string_view account) {
  json::object statement{
      {"Sid", "__default_statement_ID"},
      {"Effect", "Allow"},
      {"Principal", json::object{{"AWS", "*"}}},
      {"Action", json::array{"SNS:GetTopicAttributes", "SNS:SetTopicAttributes", "SNS:AddPermission",
                             "SNS:RemovePermission", "SNS:DeleteTopic", "SNS:Subscribe", "SNS:ListSubscriptionsByTopic",
                             "SNS:Publish"}},
      {"Resource", topic_arn},
      {"Condition", json::object{{"StringEquals", json::object{{"AWS:SourceOwner", account}}}}}};
  return json::serialize(json::object{
      {"Version", "2008-10-17"}, {"Id", "__default_policy_ID"}, {"Statement", json::array{std::move(statement)}}});
}

std::string default_effective_delivery_policy() {
  return R"({"http":{"defaultHealthyRetryPolicy":{"minDelayTarget":20,"maxDelayTarget":20,"numRetries":3,)"
         R"("numMaxDelayRetries":0,"numNoDelayRetries":0,"numMinDelayRetries":0,"backoffFunction":"linear"},)"
         R"("disableSubscriptionOverrides":false,"defaultRequestPolicy":{"headerContentType":"text/plain; charset=UTF-8"}}})";
}

bool settable_subscription_attribute(std::string_view name) {
  static const std::vector<std::string_view> kNames = {"DeliveryPolicy",  "FilterPolicy",        "FilterPolicyScope",
                                                       "RawMessageDelivery", "RedrivePolicy",   "SubscriptionRoleArn",
                                                       "ReplayPolicy"};
  return std::find(kNames.begin(), kNames.end(), name) != kNames.end();
}

// ---- message attributes ----

void validate_message_attributes(const json::object& attrs) {
  if (attrs.size() > 10)
    throw err::invalid_parameter_value("Number of message attributes [" + std::to_string(attrs.size()) +
                                       "] exceeds the allowed maximum [10].");
  for (auto& [k, v] : attrs) {
    std::string name(k);
    if (name.empty() || name.size() > 256)
      throw err::invalid_parameter_value("Length of message attribute name must be less than 256 bytes.");
    for (char c : name)
      if (!name_char(c) && c != '.')
        throw err::invalid_parameter_value("Invalid non-alphanumeric character '#x" +
                                           [&] {
                                             char buf[8];
                                             std::snprintf(buf, sizeof buf, "%X", static_cast<unsigned char>(c));
                                             return std::string(buf);
                                           }() +
                                           "' was found in the message attribute name. Can only include alphanumeric "
                                           "characters, hyphens, underscores, or dots.");
    std::string lower = to_lower(name);
    if (lower.starts_with("aws.") || lower.starts_with("amazon."))
      throw err::invalid_parameter_value("You can't use message attribute names beginning with 'AWS.' or 'Amazon.'. "
                                         "These strings are reserved for internal use.");
    if (name.front() == '.' || name.back() == '.' || name.find("..") != std::string::npos)
      throw err::invalid_parameter_value("Message attribute name can not start or end with a dot or have consecutive dots.");
    const json::object* o = v.is_object() ? &v.get_object() : nullptr;
    std::string type(o ? str_or(*o, "DataType") : std::string_view());
    if (type.empty())
      throw err::invalid_parameter_value("The message attribute '" + name + "' must contain non-empty message attribute type.");
    std::string base = type.substr(0, type.find('.'));
    if (base != "String" && base != "Number" && base != "Binary")
      throw err::invalid_parameter_value("The message attribute '" + name +
                                         "' has an invalid message attribute type, the set of supported type prefixes "
                                         "is Binary, Number, and String.");
    auto* sv = find(*o, "StringValue");
    auto* bv = find(*o, "BinaryValue");
    if (base == "Binary") {
      if (!bv || !bv->is_string() || bv->get_string().empty())
        throw err::invalid_parameter_value("The message attribute '" + name +
                                           "' must contain non-empty message attribute value for message attribute "
                                           "type '" + type + "'.");
      continue;
    }
    if (!sv || !sv->is_string() || sv->get_string().empty())
      throw err::invalid_parameter_value("The message attribute '" + name +
                                         "' must contain non-empty message attribute value for message attribute type '" +
                                         type + "'.");
    std::string_view s = sv->get_string();
    if (base == "Number") {
      auto t = trim(s);
      auto d = parse_double(t);
      if (!d || !std::isfinite(*d) || t.find_first_not_of("0123456789.eE+-") != std::string_view::npos)
        throw err::invalid_parameter_value("Could not cast message attribute '" + name + "' value to number.");
    } else if (type == "String.Array") {
      boost::system::error_code ec;
      json::value arr = json::parse(s, ec);
      bool ok = !ec && arr.is_array();
      if (ok)
        for (auto& x : arr.get_array()) ok = ok && !x.is_object() && !x.is_array();
      if (!ok)
        throw err::invalid_parameter("Message attribute '" + name + "' with type 'String.Array' must use field 'String'.");
    }
  }
}

int64_t message_attributes_size(const json::object& attrs) {
  int64_t n = 0;
  for (auto& [k, v] : attrs) {
    n += static_cast<int64_t>(k.size());
    if (!v.is_object()) continue;
    const auto& o = v.get_object();
    n += static_cast<int64_t>(str_or(o, "DataType").size() + str_or(o, "StringValue").size() +
                              str_or(o, "BinaryValue").size());
  }
  return n;
}

json::object parse_message_structure(std::string_view message) {
  boost::system::error_code ec;
  json::value v = json::parse(message, ec);
  if (ec || !v.is_object()) throw err::invalid_parameter("Message Structure - JSON message body failed to parse");
  auto& o = v.as_object();
  auto* d = find(o, "default");
  if (!d || !d->is_string()) throw err::invalid_parameter("Message Structure - No default entry in JSON message body");
  return std::move(o);
}

std::string message_for(const json::object& structure, std::string_view protocol) {
  if (auto* v = find(structure, protocol); v && v->is_string()) return std::string(v->get_string());
  return std::string(str_or(structure, "default"));
}

json::object envelope_attributes(const json::object& attrs) {
  json::object out;
  for (auto& [k, v] : attrs) {
    if (!v.is_object()) continue;
    const auto& o = v.get_object();
    std::string type(str_or(o, "DataType"));
    std::string value = type.starts_with("Binary") ? crypto::base64(str_or(o, "BinaryValue"))
                                                   : std::string(str_or(o, "StringValue"));
    out[k] = json::object{{"Type", type}, {"Value", value}};
  }
  return out;
}

std::string pretty_json(const json::object& o) {
  std::string out = "{\n";
  bool first = true;
  for (auto& [k, v] : o) {
    if (!first) out += ",\n";
    first = false;
    out += "  " + json::serialize(json::value(k)) + " : " + json::serialize(v);
  }
  out += "\n}";
  return out;
}

std::string string_to_sign(const json::object& e) {
  std::string_view type = str_or(e, "Type");
  static const std::vector<std::string_view> kNotification = {"Message", "MessageId", "Subject", "Timestamp",
                                                              "TopicArn", "Type"};
  static const std::vector<std::string_view> kConfirmation = {"Message",  "MessageId", "SubscribeURL", "Timestamp",
                                                              "Token",    "TopicArn",  "Type"};
  const auto& keys = type == "Notification" ? kNotification : kConfirmation;
  std::string s;
  for (auto k : keys) {
    auto* v = find(e, k);
    if (!v || !v->is_string()) continue;
    s.append(k).append("\n").append(v->get_string()).append("\n");
  }
  return s;
}

}  // namespace stratus::sns
