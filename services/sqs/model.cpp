#include "model.hpp"

#include "errors.hpp"

#include <stratus/crypto.hpp>
#include <stratus/strings.hpp>

#include <algorithm>
#include <cmath>

namespace stratus::sqs {

namespace {

bool name_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
}

std::string_view path_of(std::string_view url, std::string_view& host) {
  auto scheme = url.find("://");
  if (scheme == std::string_view::npos) return {};
  std::string_view rest = url.substr(scheme + 3);
  auto slash = rest.find('/');
  if (slash == std::string_view::npos) return {};
  host = rest.substr(0, slash);
  std::string_view path = rest.substr(slash);
  auto q = path.find_first_of("?#");
  if (q != std::string_view::npos) path = path.substr(0, q);
  return path;
}

bool looks_like_region(std::string_view s) {
  // us-east-1, eu-central-2, us-gov-west-1, cn-north-1 ...
  auto parts = split(s, '-');
  if (parts.size() < 3) return false;
  for (char c : parts.back())
    if (c < '0' || c > '9') return false;
  return !parts.back().empty();
}

int64_t parse_attr_int(const json::value& v, std::string_view name, int64_t lo, int64_t hi) {
  std::optional<int64_t> n;
  if (v.is_string()) {
    auto s = trim(v.get_string());
    if (!s.empty() && s.find_first_not_of("0123456789") == std::string_view::npos && s.size() < 16) n = parse_int(s);
  } else if (v.is_int64()) {
    n = v.get_int64();
  }
  if (!n || *n < lo || *n > hi) throw err::invalid_attribute_value(std::string(name));
  return *n;
}

std::string attr_text(const json::value& v) {
  if (v.is_string()) return std::string(v.get_string());
  return json::serialize(v);
}

bool parse_attr_bool(const json::value& v, std::string_view name) {
  std::string s = attr_text(v);
  if (iequals(s, "true")) return true;
  if (iequals(s, "false")) return false;
  throw err::invalid_attribute_value(std::string(name));
}

void put_u32(std::string& out, uint32_t n) {
  out += static_cast<char>((n >> 24) & 0xff);
  out += static_cast<char>((n >> 16) & 0xff);
  out += static_cast<char>((n >> 8) & 0xff);
  out += static_cast<char>(n & 0xff);
}
void put_lp(std::string& out, std::string_view s) {
  put_u32(out, static_cast<uint32_t>(s.size()));
  out.append(s);
}

std::string redrive_reason(const std::string& raw, const std::string& reason) {
  return "Value " + raw + " for parameter RedrivePolicy is invalid. Reason: " + reason;
}

void apply_redrive(QueueConfig& c, const std::string& raw) {
  if (raw.empty()) {
    c.redrive_policy.clear();
    c.dead_letter_target_arn.clear();
    c.max_receive_count = 0;
    return;
  }
  boost::system::error_code ec;
  json::value v = json::parse(raw, ec);
  if (ec || !v.is_object())
    throw err::invalid_parameter_value(redrive_reason(raw, "Redrive policy is not a valid JSON map."));
  const auto& o = v.as_object();
  for (auto& [k, _] : o)
    if (k != "deadLetterTargetArn" && k != "maxReceiveCount")
      throw err::invalid_parameter_value(redrive_reason(raw, "Only following attributes are supported: [deadLetterTargetArn, maxReceiveCount]."));
  auto* arn = find(o, "deadLetterTargetArn");
  auto* mrc = find(o, "maxReceiveCount");
  if (!arn) throw err::invalid_parameter_value(redrive_reason(raw, "Redrive policy does not contain mandatory attribute: deadLetterTargetArn."));
  if (!mrc) throw err::invalid_parameter_value(redrive_reason(raw, "Redrive policy does not contain mandatory attribute: maxReceiveCount."));
  std::string target = arn->is_string() ? std::string(arn->get_string()) : "";
  if (target.size() < 12 || !target.starts_with("arn:") || split(target, ':').size() != 6 ||
      split(target, ':')[2] != "sqs")
    throw err::invalid_parameter_value(redrive_reason(raw, "Invalid value for deadLetterTargetArn."));
  std::optional<int64_t> n;
  if (mrc->is_int64()) n = mrc->get_int64();
  else if (mrc->is_string()) n = parse_int(mrc->get_string());
  std::string shown = mrc->is_string() ? std::string(mrc->get_string()) : json::serialize(*mrc);
  if (!n || *n < 1 || *n > 1000)
    throw err::invalid_parameter_value(redrive_reason(
        raw, "Invalid value for maxReceiveCount: " + shown + ", valid values are from 1 to 1000 both inclusive."));
  c.dead_letter_target_arn = target;
  c.max_receive_count = *n;
  c.redrive_policy = json::serialize(json::object{{"deadLetterTargetArn", target}, {"maxReceiveCount", *n}});
}

void apply_redrive_allow(QueueConfig& c, const std::string& raw) {
  if (raw.empty()) {
    c.redrive_allow_policy.clear();
    return;
  }
  auto bad = [&] {
    return err::invalid_attribute_value(
        "RedriveAllowPolicy", "Amazon SQS can't create the redrive allow policy, as it's in an unsupported format.");
  };
  boost::system::error_code ec;
  json::value v = json::parse(raw, ec);
  if (ec || !v.is_object()) throw bad();
  const auto& o = v.as_object();
  auto perm = str_or(o, "redrivePermission");
  if (perm != "allowAll" && perm != "denyAll" && perm != "byQueue") throw bad();
  auto* arns = find(o, "sourceQueueArns");
  if (perm == "byQueue") {
    if (!arns || !arns->is_array() || arns->get_array().empty() || arns->get_array().size() > 10) throw bad();
    for (auto& a : arns->get_array())
      if (!a.is_string()) throw bad();
  } else if (arns) {
    throw bad();
  }
  c.redrive_allow_policy = raw;
}

}  // namespace

bool valid_queue_name(std::string_view name, bool fifo) {
  if (fifo) {
    if (!name.ends_with(".fifo")) return false;
    if (name.size() > 80) return false;
    name.remove_suffix(5);
    if (name.empty()) return false;
  } else if (name.empty() || name.size() > 80) {
    return false;
  }
  return std::all_of(name.begin(), name.end(), name_char);
}

std::optional<QueueLocation> parse_queue_url(std::string_view url) {
  std::string_view host;
  std::string_view path = path_of(url, host);
  if (path.empty()) return std::nullopt;
  auto parts = split(path.substr(1), '/');
  while (!parts.empty() && parts.back().empty()) parts.pop_back();
  QueueLocation loc;
  if (parts.size() == 4 && parts[0] == "queue") {  // LocalStack path strategy
    loc.region = parts[1];
    parts.erase(parts.begin(), parts.begin() + 2);
  }
  if (parts.size() != 2 || parts[0].empty() || parts[1].empty()) return std::nullopt;
  loc.account = parts[0];
  loc.name = parts[1];
  if (loc.region.empty()) {
    auto h = host.substr(0, host.find(':'));
    auto labels = split(h, '.');
    if (labels.size() >= 3 && labels[0] == "sqs" && looks_like_region(labels[1])) loc.region = labels[1];
    else if (labels.size() >= 3 && labels[1] == "queue" && looks_like_region(labels[0])) loc.region = labels[0];
    else if (labels.size() >= 2 && labels[0] == "queue") loc.region = "us-east-1";  // legacy queue.amazonaws.com
  }
  return loc;
}

// ---- queue attributes ----

void QueueConfig::apply(const json::object& attrs, bool creating) {
  // Type-specific attribute names first: AWS rejects them before looking at values.
  for (auto& [k, v] : attrs) {
    std::string_view name = k;
    if (name == "FifoQueue") {
      if (!creating) {
        if (!fifo || !iequals(attr_text(v), "true"))
          throw err::invalid_attribute_value("FifoQueue", "Modifying queue type is not supported.");
      }
      continue;
    }
    if (!fifo && (name == "ContentBasedDeduplication" || name == "DeduplicationScope" || name == "FifoThroughputLimit"))
      throw err::invalid_attribute_name("You can specify the " + std::string(name) + " only when FifoQueue is set to true.");
    static const std::vector<std::string_view> kSettable = {
        "DelaySeconds", "MaximumMessageSize", "MessageRetentionPeriod", "Policy", "ReceiveMessageWaitTimeSeconds",
        "VisibilityTimeout", "RedrivePolicy", "RedriveAllowPolicy", "KmsMasterKeyId", "KmsDataKeyReusePeriodSeconds",
        "SqsManagedSseEnabled", "ContentBasedDeduplication", "DeduplicationScope", "FifoThroughputLimit"};
    if (std::find(kSettable.begin(), kSettable.end(), name) == kSettable.end()) throw err::unknown_attribute(k);
  }
  bool kms_given = false, sse_given = false;
  for (auto& [k, v] : attrs) {
    std::string_view name = k;
    if (name == "DelaySeconds") delay_seconds = parse_attr_int(v, name, 0, 900);
    else if (name == "MaximumMessageSize") maximum_message_size = parse_attr_int(v, name, 1024, kMaxMessageSize);
    else if (name == "MessageRetentionPeriod") message_retention_period = parse_attr_int(v, name, 60, 1209600);
    else if (name == "ReceiveMessageWaitTimeSeconds") receive_message_wait_time_seconds = parse_attr_int(v, name, 0, 20);
    else if (name == "VisibilityTimeout") visibility_timeout = parse_attr_int(v, name, 0, kMaxVisibilityTimeout);
    else if (name == "KmsDataKeyReusePeriodSeconds") kms_data_key_reuse_period_seconds = parse_attr_int(v, name, 60, 86400);
    else if (name == "Policy") {
      std::string p = attr_text(v);
      if (!p.empty()) {
        boost::system::error_code ec;
        json::value pv = json::parse(p, ec);
        if (ec || !pv.is_object()) throw err::invalid_attribute_value("Policy");
      }
      policy = p;
    } else if (name == "RedrivePolicy") {
      apply_redrive(*this, attr_text(v));
    } else if (name == "RedriveAllowPolicy") {
      apply_redrive_allow(*this, attr_text(v));
    } else if (name == "KmsMasterKeyId") {
      kms_master_key_id = attr_text(v);
      kms_given = !kms_master_key_id.empty();
    } else if (name == "SqsManagedSseEnabled") {
      sqs_managed_sse = parse_attr_bool(v, name);
      sse_given = sqs_managed_sse;
    } else if (name == "ContentBasedDeduplication") {
      content_based_deduplication = parse_attr_bool(v, name);
    } else if (name == "DeduplicationScope") {
      std::string s = attr_text(v);
      if (s != "messageGroup" && s != "queue") throw err::invalid_attribute_value("DeduplicationScope");
      deduplication_scope = s;
    } else if (name == "FifoThroughputLimit") {
      std::string s = attr_text(v);
      if (s != "perQueue" && s != "perMessageGroupId") throw err::invalid_attribute_value("FifoThroughputLimit");
      fifo_throughput_limit = s;
    }
  }
  if (kms_given && sse_given)
    throw err::invalid_attribute_name(
        "You can use one type of server-side encryption (SSE) at one time. You can either enable KMS SSE or SQS SSE.");
  // Choosing KMS turns SSE-SQS off, and the other way round.
  if (kms_given) sqs_managed_sse = false;
  if (sse_given) kms_master_key_id.clear();
  if (fifo_throughput_limit == "perMessageGroupId" && deduplication_scope != "messageGroup")
    throw err::invalid_attribute_value(
        "FifoThroughputLimit", "The perMessageGroupId value is allowed only when the value for DeduplicationScope is messageGroup.");
}

std::optional<std::string> QueueConfig::get(std::string_view name) const {
  if (name == "DelaySeconds") return std::to_string(delay_seconds);
  if (name == "MaximumMessageSize") return std::to_string(maximum_message_size);
  if (name == "MessageRetentionPeriod") return std::to_string(message_retention_period);
  if (name == "ReceiveMessageWaitTimeSeconds") return std::to_string(receive_message_wait_time_seconds);
  if (name == "VisibilityTimeout") return std::to_string(visibility_timeout);
  if (name == "Policy") return policy.empty() ? std::nullopt : std::optional<std::string>(policy);
  if (name == "RedrivePolicy") return redrive_policy.empty() ? std::nullopt : std::optional<std::string>(redrive_policy);
  if (name == "RedriveAllowPolicy")
    return redrive_allow_policy.empty() ? std::nullopt : std::optional<std::string>(redrive_allow_policy);
  if (name == "KmsMasterKeyId")
    return kms_master_key_id.empty() ? std::nullopt : std::optional<std::string>(kms_master_key_id);
  if (name == "KmsDataKeyReusePeriodSeconds")
    return kms_master_key_id.empty() ? std::nullopt : std::optional<std::string>(std::to_string(kms_data_key_reuse_period_seconds));
  if (name == "SqsManagedSseEnabled") return sqs_managed_sse ? "true" : "false";
  if (!fifo) return std::nullopt;
  if (name == "FifoQueue") return "true";
  if (name == "ContentBasedDeduplication") return content_based_deduplication ? "true" : "false";
  if (name == "DeduplicationScope") return deduplication_scope;
  if (name == "FifoThroughputLimit") return fifo_throughput_limit;
  return std::nullopt;
}

json::object QueueConfig::to_json() const {
  json::object o;
  for (auto name : all_queue_attribute_names())
    if (auto v = get(name)) o[name] = *v;
  return o;
}

QueueConfig QueueConfig::from_json(const json::object& stored) {
  QueueConfig c;
  c.fifo = iequals(str_or(stored, "FifoQueue"), "true");
  json::object settable = stored;
  settable.erase("FifoQueue");
  try {
    c.apply(settable, true);
  } catch (const AwsError&) {
    // Stored attributes were valid when written; a rule change must not make a queue unloadable.
  }
  return c;
}

const std::vector<std::string_view>& all_queue_attribute_names() {
  static const std::vector<std::string_view> kNames = {
      "QueueArn", "ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible",
      "ApproximateNumberOfMessagesDelayed", "CreatedTimestamp", "LastModifiedTimestamp", "VisibilityTimeout",
      "MaximumMessageSize", "MessageRetentionPeriod", "DelaySeconds", "ReceiveMessageWaitTimeSeconds", "Policy",
      "RedrivePolicy", "RedriveAllowPolicy", "KmsMasterKeyId", "KmsDataKeyReusePeriodSeconds", "SqsManagedSseEnabled",
      "FifoQueue", "DeduplicationScope", "FifoThroughputLimit", "ContentBasedDeduplication"};
  return kNames;
}

bool is_queue_attribute_name(std::string_view name) {
  const auto& all = all_queue_attribute_names();
  return std::find(all.begin(), all.end(), name) != all.end();
}

// ---- messages ----

bool valid_message_characters(std::string_view s) {
  for (size_t i = 0; i < s.size();) {
    auto c = static_cast<unsigned char>(s[i]);
    uint32_t cp;
    size_t n;
    if (c < 0x80) {
      cp = c;
      n = 1;
    } else if ((c & 0xE0) == 0xC0) {
      cp = c & 0x1F;
      n = 2;
    } else if ((c & 0xF0) == 0xE0) {
      cp = c & 0x0F;
      n = 3;
    } else if ((c & 0xF8) == 0xF0) {
      cp = c & 0x07;
      n = 4;
    } else {
      return false;
    }
    if (i + n > s.size()) return false;
    for (size_t k = 1; k < n; ++k) {
      auto cc = static_cast<unsigned char>(s[i + k]);
      if ((cc & 0xC0) != 0x80) return false;
      cp = (cp << 6) | (cc & 0x3F);
    }
    i += n;
    bool ok = cp == 0x9 || cp == 0xA || cp == 0xD || (cp >= 0x20 && cp <= 0xD7FF) || (cp >= 0xE000 && cp <= 0xFFFD) ||
              (cp >= 0x10000 && cp <= 0x10FFFF);
    if (!ok) return false;
  }
  return true;
}

namespace {

void validate_attribute(const std::string& name, const json::value& val) {
  if (name.empty()) throw err::invalid_parameter_value("The request must contain non-empty message attribute name.");
  if (name.size() > 256)
    throw err::invalid_parameter_value("Message (user) attribute name '" + name + "' exceeds the allowed maximum length of 256 bytes.");
  bool chars_ok = std::all_of(name.begin(), name.end(), [](char c) { return name_char(c) || c == '.'; });
  if (!chars_ok)
    throw err::invalid_parameter_value("Message (user) attribute name '" + name +
                                       "' can only contain alphanumeric characters, hyphens (-), underscores (_), and periods (.).");
  std::string lower = to_lower(name);
  if (lower.starts_with("aws.") || lower.starts_with("amazon."))
    throw err::invalid_parameter_value("Message (user) attribute name '" + name +
                                       "' uses a reserved prefix. The prefixes 'AWS.' and 'Amazon.' are reserved.");
  if (name.front() == '.' || name.back() == '.' || name.find("..") != std::string::npos)
    throw err::invalid_parameter_value("Message (user) attribute name '" + name +
                                       "' can't start or end with a period (.), or contain two consecutive periods.");
  if (!val.is_object())
    throw err::invalid_parameter_value("The message attribute '" + name + "' must contain non-empty message attribute value.");
  const auto& o = val.get_object();
  std::string type(str_or(o, "DataType"));
  if (type.empty())
    throw err::invalid_parameter_value("The message attribute '" + name + "' must contain non-empty message attribute type.");
  if (type.size() > 256)
    throw err::invalid_parameter_value("Message (user) attribute '" + name + "' type exceeds the allowed maximum length of 256 bytes.");
  std::string base = type.substr(0, type.find('.'));
  if (base != "String" && base != "Number" && base != "Binary")
    throw err::invalid_parameter_value("The message attribute '" + name +
                                       "' has an invalid message attribute type, the set of supported type prefixes is "
                                       "Binary, Number, and String.");
  if (type.size() > base.size() && type.size() == base.size() + 1)
    throw err::invalid_parameter_value("The message attribute '" + name +
                                       "' has an invalid message attribute type, the set of supported type prefixes is "
                                       "Binary, Number, and String.");
  auto* sv = find(o, "StringValue");
  auto* bv = find(o, "BinaryValue");
  if (find(o, "StringListValues") || find(o, "BinaryListValues"))
    throw err::invalid_parameter_value("Message (user) attribute '" + name +
                                       "': list values (StringListValues, BinaryListValues) are not supported.");
  if (base == "Binary") {
    if (sv) throw err::invalid_parameter_value("The message attribute '" + name + "' with type 'Binary' must use field 'Binary'.");
    if (!bv || !bv->is_string() || bv->get_string().empty())
      throw err::invalid_parameter_value("The message attribute '" + name +
                                         "' must contain non-empty message attribute value for message attribute type '" +
                                         type + "'.");
    return;
  }
  if (bv)
    throw err::invalid_parameter_value("The message attribute '" + name + "' with type '" + base +
                                       "' must use field 'String'.");
  if (!sv || !sv->is_string() || sv->get_string().empty())
    throw err::invalid_parameter_value("The message attribute '" + name +
                                       "' must contain non-empty message attribute value for message attribute type '" +
                                       type + "'.");
  std::string_view s = sv->get_string();
  if (!valid_message_characters(s))
    throw err::invalid_parameter_value("Message (user) attribute '" + name + "' value contains invalid characters.");
  if (base == "Number") {
    auto t = trim(s);
    auto d = parse_double(t);
    bool numeric = d && std::isfinite(*d) && t.find_first_not_of("0123456789.eE+-") == std::string_view::npos;
    if (!numeric)
      throw err::invalid_parameter_value("Can't cast the value '" + std::string(s) + "' of message attribute '" + name +
                                         "' to a number.");
    if (std::fabs(*d) >= 1e126 || (t.size() > 38 && t.find_first_of("eE") == std::string_view::npos &&
                                   std::count_if(t.begin(), t.end(), [](char c) { return c >= '0' && c <= '9'; }) > 38))
      throw err::invalid_parameter_value("Value " + std::string(s) + " for message attribute '" + name +
                                         "' is out of range for the Number type.");
  }
}

}  // namespace

void validate_message_attributes(const json::object& attrs) {
  if (attrs.size() > 10)
    throw err::invalid_parameter_value("Number of message attributes [" + std::to_string(attrs.size()) +
                                       "] exceeds the allowed maximum [10].");
  for (auto& [k, v] : attrs) validate_attribute(std::string(k), v);
}

void validate_system_attributes(const json::object& attrs) {
  for (auto& [k, v] : attrs) {
    if (k != "AWSTraceHeader")
      throw err::invalid_parameter_value("Message system attribute name '" + std::string(k) + "' is invalid.");
    const json::object* o = v.is_object() ? &v.get_object() : nullptr;
    if (!o || str_or(*o, "DataType") != "String" || str_or(*o, "StringValue").empty())
      throw err::invalid_parameter_value("Message system attribute 'AWSTraceHeader' must use the String data type with a non-empty value.");
  }
}

int64_t message_attributes_size(const json::object& attrs) {
  int64_t n = 0;
  for (auto& [k, v] : attrs) {
    n += static_cast<int64_t>(k.size());
    if (!v.is_object()) continue;
    const auto& o = v.get_object();
    n += static_cast<int64_t>(str_or(o, "DataType").size());
    n += static_cast<int64_t>(str_or(o, "StringValue").size());
    n += static_cast<int64_t>(str_or(o, "BinaryValue").size());
  }
  return n;
}

std::string md5_of_message_attributes(const json::object& attrs) {
  if (attrs.empty()) return {};
  std::vector<std::string_view> names;
  names.reserve(attrs.size());
  for (auto& [k, _] : attrs) names.push_back(k);
  std::sort(names.begin(), names.end());
  std::string buf;
  for (auto name : names) {
    const json::value& v = attrs.at(name);
    if (!v.is_object()) continue;
    const auto& o = v.get_object();
    std::string_view type = str_or(o, "DataType");
    put_lp(buf, name);
    put_lp(buf, type);
    if (auto* b = find(o, "BinaryValue"); b && b->is_string()) {
      buf += static_cast<char>(2);
      put_lp(buf, b->get_string());
    } else {
      buf += static_cast<char>(1);
      put_lp(buf, str_or(o, "StringValue"));
    }
  }
  return crypto::md5_hex(buf);
}

bool valid_fifo_id(std::string_view id) {
  if (id.empty() || id.size() > 128) return false;
  for (unsigned char c : id)
    if (c < 0x21 || c > 0x7e) return false;
  return true;
}

bool valid_batch_entry_id(std::string_view id) {
  return !id.empty() && id.size() <= 80 && std::all_of(id.begin(), id.end(), name_char);
}

bool message_attribute_selected(const std::vector<std::string>& requested, std::string_view name) {
  for (auto& r : requested) {
    if (r == "All" || r == ".*") return true;
    if (r.size() > 2 && r.ends_with(".*")) {
      if (name.starts_with(std::string_view(r).substr(0, r.size() - 1))) return true;
    } else if (r == name) {
      return true;
    }
  }
  return false;
}

// ---- handles ----

std::string encode_receipt(const Receipt& r) {
  std::string raw = std::to_string(r.queue_id) + " " + std::to_string(r.message_row) + " " + std::to_string(r.nonce) +
                    " " + r.message_id + " " + r.queue_arn;
  return "AQEB" + crypto::base64(raw);
}

std::optional<Receipt> decode_receipt(std::string_view handle) {
  if (!handle.starts_with("AQEB")) return std::nullopt;
  auto raw = crypto::base64_decode(handle.substr(4));
  if (!raw) return std::nullopt;
  auto parts = split(*raw, ' ');
  if (parts.size() != 5) return std::nullopt;
  Receipt r;
  auto q = parse_int(parts[0]);
  auto m = parse_int(parts[1]);
  if (!q || !m) return std::nullopt;
  uint64_t nonce = 0;
  for (char c : parts[2]) {
    if (c < '0' || c > '9') return std::nullopt;
    nonce = nonce * 10 + static_cast<uint64_t>(c - '0');
  }
  r.queue_id = *q;
  r.message_row = *m;
  r.nonce = nonce;
  r.message_id = std::string(parts[3]);
  r.queue_arn = std::string(parts[4]);
  return r;
}

std::string encode_task_handle(std::string_view task_id, std::string_view source_arn) {
  return crypto::base64(json::serialize(json::object{{"taskId", task_id}, {"sourceArn", source_arn}}));
}

std::optional<std::pair<std::string, std::string>> decode_task_handle(std::string_view handle) {
  auto raw = crypto::base64_decode(handle);
  if (!raw) return std::nullopt;
  boost::system::error_code ec;
  json::value v = json::parse(*raw, ec);
  if (ec || !v.is_object()) return std::nullopt;
  auto id = str_or(v.as_object(), "taskId");
  auto arn = str_or(v.as_object(), "sourceArn");
  if (id.empty() || arn.empty()) return std::nullopt;
  return std::make_pair(std::string(id), std::string(arn));
}

}  // namespace stratus::sqs
