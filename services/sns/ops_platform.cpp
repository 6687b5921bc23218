// Mobile push (platform applications and endpoints) and SMS settings. Deliveries to them are
// recorded (GET /_stratus/sns/messages), since Stratus reaches no phone or push service.
// https://docs.aws.amazon.com/sns/latest/dg/sns-mobile-application-as-subscriber.html
#include "errors.hpp"
#include "model.hpp"
#include "sns_service.hpp"
#include "store.hpp"

#include <stratus/bus.hpp>
#include <stratus/crypto.hpp>
#include <stratus/ids.hpp>
#include <stratus/strings.hpp>

#include <algorithm>

namespace stratus::sns {

namespace {

constexpr size_t kPageSize = 100;

std::string attr_text(const json::value& v) { return v.is_string() ? std::string(v.get_string()) : json::serialize(v); }

json::object string_map(const json::object* in) {
  json::object out;
  if (in)
    for (auto& [k, v] : *in) out[k] = attr_text(v);
  return out;
}

bool valid_platform(std::string_view p) {
  static const std::vector<std::string_view> kPlatforms = {"ADM", "APNS", "APNS_SANDBOX", "APNS_VOIP", "APNS_VOIP_SANDBOX",
                                                           "BAIDU", "GCM", "MACOS", "MACOS_SANDBOX", "MPNS", "WNS"};
  return std::find(kPlatforms.begin(), kPlatforms.end(), p) != kPlatforms.end();
}

// What GetPlatformApplicationAttributes shows: never the credentials.
json::object visible_app_attributes(const json::object& attrs) {
  json::object out{{"Enabled", "true"}};
  for (auto& [k, v] : attrs)
    if (k != "PlatformCredential" && k != "PlatformPrincipal") out[k] = v;
  return out;
}

template <class T, class F>
json::object page(const std::vector<T*>& items, const json::object& in, std::string_view list_key, F entry) {
  std::optional<std::string> after;
  if (auto t = opt_str(in, "NextToken"); t && !t->empty()) {
    auto raw = crypto::base64_decode(*t);
    if (!raw) throw err::invalid_parameter("NextToken");
    after = *raw;
  }
  json::array list;
  json::object out;
  std::string last;
  for (T* item : items) {
    if (after && item->arn <= *after) continue;
    if (list.size() == kPageSize) {
      out["NextToken"] = crypto::base64(last);
      break;
    }
    list.push_back(entry(*item));
    last = item->arn;
  }
  out[list_key] = std::move(list);
  return out;
}

PlatformApp& app_for(Store& store, std::string_view arn) {
  auto a = Arn::parse(arn);
  if (!a || a->service != "sns" || !a->resource.starts_with("app/")) throw err::invalid_parameter("PlatformApplicationArn");
  PlatformApp* app = store.app(arn);
  if (!app) throw err::not_found("PlatformApplication does not exist");
  return *app;
}

PlatformEndpoint& endpoint_for(Store& store, std::string_view arn) {
  auto a = Arn::parse(arn);
  if (!a || a->service != "sns" || !a->resource.starts_with("endpoint/")) throw err::invalid_parameter("EndpointArn");
  PlatformEndpoint* e = store.endpoint(arn);
  if (!e) throw err::not_found("Endpoint does not exist");
  return *e;
}

}  // namespace

Output SnsService::create_platform_application(Call& c) {
  std::string name(str_or(c.input, "Name"));
  std::string platform(str_or(c.input, "Platform"));
  if (name.empty() || name.size() > 256 ||
      !std::all_of(name.begin(), name.end(), [](char ch) { return std::isalnum(static_cast<unsigned char>(ch)) || ch == '-' || ch == '_' || ch == '.'; }))
    throw err::invalid_parameter("Invalid Platform Application Name: " + name);
  if (!valid_platform(platform)) throw err::invalid_parameter("Platform");
  json::object attrs = string_map(opt_obj(c.input, "Attributes"));
  std::string arn = "arn:aws:sns:" + c.ctx.region + ":" + c.ctx.account_id + ":app/" + platform + "/" + name;
  if (PlatformApp* existing = store_->app(arn)) {
    existing->attributes = std::move(attrs);
    store_->save(*existing);
    return json::object{{"PlatformApplicationArn", arn}};
  }
  store_->put(PlatformApp{arn, c.ctx.account_id, c.ctx.region, name, platform, std::move(attrs)});
  return json::object{{"PlatformApplicationArn", arn}};
}

Output SnsService::delete_platform_application(Call& c) {
  std::string arn(str_or(c.input, "PlatformApplicationArn"));
  if (store_->app(arn)) store_->remove_app(arn);
  return json::object{};
}

Output SnsService::list_platform_applications(Call& c) {
  return page(store_->apps(c.ctx.account_id, c.ctx.region), c.input, "PlatformApplications", [](const PlatformApp& a) {
    return json::object{{"PlatformApplicationArn", a.arn}, {"Attributes", visible_app_attributes(a.attributes)}};
  });
}

Output SnsService::get_platform_application_attributes(Call& c) {
  PlatformApp& app = app_for(*store_, str_or(c.input, "PlatformApplicationArn"));
  return json::object{{"Attributes", visible_app_attributes(app.attributes)}};
}

Output SnsService::set_platform_application_attributes(Call& c) {
  PlatformApp& app = app_for(*store_, str_or(c.input, "PlatformApplicationArn"));
  for (auto& [k, v] : string_map(opt_obj(c.input, "Attributes"))) app.attributes[k] = v;
  store_->save(app);
  return json::object{};
}

Output SnsService::create_platform_endpoint(Call& c) {
  PlatformApp& app = app_for(*store_, str_or(c.input, "PlatformApplicationArn"));
  std::string token(str_or(c.input, "Token"));
  if (token.empty()) throw err::invalid_parameter("Token");
  json::object attrs = string_map(opt_obj(c.input, "Attributes"));
  if (auto data = opt_str(c.input, "CustomUserData")) attrs["CustomUserData"] = *data;
  attrs["Token"] = token;
  if (!attrs.contains("Enabled")) attrs["Enabled"] = "true";
  // The same token twice is idempotent, unless the attributes differ.
  for (PlatformEndpoint* e : store_->endpoints_of(app.arn)) {
    if (str_or(e->attributes, "Token") != token) continue;
    if (e->attributes != attrs)
      throw err::invalid_parameter("Token Reason: Endpoint " + e->arn +
                                   " already exists with the same Token, but different attributes.");
    return json::object{{"EndpointArn", e->arn}};
  }
  std::string arn = "arn:aws:sns:" + app.region + ":" + app.account + ":endpoint/" + app.platform + "/" + app.name + "/" + ids::uuid4();
  store_->put(PlatformEndpoint{arn, app.arn, app.account, app.region, std::move(attrs)});
  return json::object{{"EndpointArn", arn}};
}

Output SnsService::delete_endpoint(Call& c) {
  std::string arn(str_or(c.input, "EndpointArn"));
  if (store_->endpoint(arn)) store_->remove_endpoint(arn);
  return json::object{};
}

Output SnsService::get_endpoint_attributes(Call& c) {
  PlatformEndpoint& e = endpoint_for(*store_, str_or(c.input, "EndpointArn"));
  return json::object{{"Attributes", e.attributes}};
}

Output SnsService::set_endpoint_attributes(Call& c) {
  PlatformEndpoint& e = endpoint_for(*store_, str_or(c.input, "EndpointArn"));
  for (auto& [k, v] : string_map(opt_obj(c.input, "Attributes"))) {
    if (k != "CustomUserData" && k != "Enabled" && k != "Token") throw err::invalid_parameter("Attributes Reason: Invalid attribute name: " + std::string(k));
    e.attributes[k] = v;
  }
  store_->save(e);
  return json::object{};
}

Output SnsService::list_endpoints_by_platform_application(Call& c) {
  PlatformApp& app = app_for(*store_, str_or(c.input, "PlatformApplicationArn"));
  return page(store_->endpoints_of(app.arn), c.input, "Endpoints", [](const PlatformEndpoint& e) {
    return json::object{{"EndpointArn", e.arn}, {"Attributes", e.attributes}};
  });
}

// ---- SMS ----

Output SnsService::set_sms_attributes(Call& c) {
  static const std::vector<std::string_view> kNames = {"MonthlySpendLimit", "DeliveryStatusIAMRole",
                                                       "DeliveryStatusSuccessSamplingRate", "DefaultSenderID",
                                                       "DefaultSMSType", "UsageReportS3Bucket"};
  json::object attrs = store_->sms_attributes(c.ctx.account_id, c.ctx.region);
  for (auto& [k, v] : string_map(opt_obj(c.input, "attributes"))) {
    if (std::find(kNames.begin(), kNames.end(), std::string_view(k)) == kNames.end())
      throw err::invalid_parameter(std::string(k));
    std::string value(v.get_string());
    if (k == "DefaultSMSType" && value != "Promotional" && value != "Transactional")
      throw err::invalid_parameter("DefaultSMSType Reason: Invalid value [" + value + "]. Must be Promotional or Transactional.");
    attrs[k] = value;
  }
  store_->set_sms_attributes(c.ctx.account_id, c.ctx.region, attrs);
  return json::object{};
}

Output SnsService::get_sms_attributes(Call& c) {
  json::object all = store_->sms_attributes(c.ctx.account_id, c.ctx.region);
  const json::array* names = opt_arr(c.input, "attributes");
  if (!names || names->empty()) return json::object{{"attributes", all}};
  json::object out;
  for (auto& n : *names)
    if (n.is_string())
      if (auto* v = find(all, n.get_string())) out[n.get_string()] = *v;
  return json::object{{"attributes", out}};
}

Output SnsService::check_if_phone_number_is_opted_out(Call& c) {
  std::string phone(str_or(c.input, "phoneNumber"));
  if (!valid_phone_number(phone)) throw err::invalid_parameter("PhoneNumber");
  return json::object{{"isOptedOut", store_->opted_out(c.ctx.account_id, c.ctx.region, phone)}};
}

Output SnsService::list_phone_numbers_opted_out(Call& c) {
  json::array numbers;
  for (auto& n : store_->opted_out_numbers(c.ctx.account_id, c.ctx.region)) numbers.push_back(json::string(n));
  return json::object{{"phoneNumbers", std::move(numbers)}};
}

Output SnsService::opt_in_phone_number(Call& c) {
  std::string phone(str_or(c.input, "phoneNumber"));
  if (!valid_phone_number(phone)) throw err::invalid_parameter("PhoneNumber");
  store_->set_opted_out(c.ctx.account_id, c.ctx.region, phone, false);
  return json::object{};
}

// Stratus accounts are out of the SMS sandbox: every number can receive (recorded) messages.
Output SnsService::get_sms_sandbox_account_status(Call&) { return json::object{{"IsInSandbox", false}}; }

Output SnsService::create_sms_sandbox_phone_number(Call& c) {
  std::string phone(str_or(c.input, "PhoneNumber"));
  if (!valid_phone_number(phone)) throw err::invalid_parameter("PhoneNumber");
  store_->set_sandbox_number(c.ctx.account_id, c.ctx.region, phone, std::string("Pending"));
  return json::object{};
}

Output SnsService::delete_sms_sandbox_phone_number(Call& c) {
  std::string phone(str_or(c.input, "PhoneNumber"));
  auto numbers = store_->sandbox_numbers(c.ctx.account_id, c.ctx.region);
  if (!numbers.count(phone)) throw AwsError("ResourceNotFoundException", "Phone number does not exist in the sandbox", 404);
  store_->set_sandbox_number(c.ctx.account_id, c.ctx.region, phone, std::nullopt);
  return json::object{};
}

Output SnsService::verify_sms_sandbox_phone_number(Call& c) {
  std::string phone(str_or(c.input, "PhoneNumber"));
  auto numbers = store_->sandbox_numbers(c.ctx.account_id, c.ctx.region);
  if (!numbers.count(phone)) throw AwsError("ResourceNotFoundException", "Phone number does not exist in the sandbox", 404);
  store_->set_sandbox_number(c.ctx.account_id, c.ctx.region, phone, std::string("Verified"));
  return json::object{};
}

Output SnsService::list_sms_sandbox_phone_numbers(Call& c) {
  json::array list;
  for (auto& [phone, status] : store_->sandbox_numbers(c.ctx.account_id, c.ctx.region))
    list.push_back(json::object{{"PhoneNumber", phone}, {"Status", status}});
  return json::object{{"PhoneNumbers", std::move(list)}};
}

Output SnsService::list_origination_numbers(Call&) { return json::object{{"PhoneNumbers", json::array{}}}; }

}  // namespace stratus::sns
