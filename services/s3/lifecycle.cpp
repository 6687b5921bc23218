// Lifecycle: rule validation and matching (pure), and the sweep that applies expirations,
// noncurrent-version expirations, expired delete markers and incomplete-upload aborts.
#include "lifecycle.hpp"

#include "errors.hpp"
#include "s3_service.hpp"
#include "store.hpp"

#include <stratus/clock.hpp>

#include <cmath>
#include <set>

#include <spdlog/spdlog.h>

namespace stratus::s3 {

namespace {

bool has_action(const json::object& r) {
  for (const char* k : {"Expiration", "Transitions", "NoncurrentVersionTransitions", "NoncurrentVersionExpiration",
                        "AbortIncompleteMultipartUpload"})
    if (find(r, k)) return true;
  return false;
}

std::string_view rule_prefix(const json::object& rule) {
  if (auto* f = opt_obj(rule, "Filter")) {
    if (auto* a = opt_obj(*f, "And")) return str_or(*a, "Prefix");
    return str_or(*f, "Prefix");
  }
  return str_or(rule, "Prefix");
}

bool has_tag(const std::vector<std::pair<std::string, std::string>>& tags, const json::object& t) {
  for (auto& [k, v] : tags)
    if (k == str_or(t, "Key") && v == str_or(t, "Value")) return true;
  return false;
}

}  // namespace

void validate_lifecycle(const json::object& cfg) {
  const json::array* rules = opt_arr(cfg, "Rules");
  if (!rules || rules->empty() || rules->size() > 1000) throw err::malformed_xml();
  std::set<std::string> ids;
  for (auto& rv : *rules) {
    if (!rv.is_object()) throw err::malformed_xml();
    const auto& r = rv.get_object();
    auto status = str_or(r, "Status");
    if (status != "Enabled" && status != "Disabled") throw err::malformed_xml();
    bool filter = find(r, "Filter") != nullptr, prefix = find(r, "Prefix") != nullptr;
    if (filter == prefix) throw err::malformed_xml();
    if (auto id = opt_str(r, "ID")) {
      if (id->size() > 255) throw err::invalid_argument("ID length should not exceed allowed limit of 255", "ID", *id);
      if (!ids.insert(*id).second)
        throw err::invalid_argument("Rule ID must be unique. Found same ID for more than one rule", "ID", *id);
    }
    if (!has_action(r)) throw err::invalid_request("At least one action needs to be specified in a rule");
    if (auto* e = opt_obj(r, "Expiration")) {
      int n = (find(*e, "Days") ? 1 : 0) + (find(*e, "Date") ? 1 : 0) + (find(*e, "ExpiredObjectDeleteMarker") ? 1 : 0);
      if (n != 1) throw err::malformed_xml();
      if (auto d = opt_int(*e, "Days"); d && *d <= 0)
        throw err::invalid_argument("'Days' for Expiration action must be a positive integer", "Days",
                                    std::to_string(*d));
      if (auto* date = find(*e, "Date"); date && date->is_number()) {
        double t = date->to_number<double>();
        if (std::fmod(t, 86400.0) != 0)
          throw err::invalid_argument("'Date' must be at midnight GMT", "Date", iso8601(t, false));
      }
    }
    if (auto* nve = opt_obj(r, "NoncurrentVersionExpiration"))
      if (auto d = opt_int(*nve, "NoncurrentDays"); !d || *d <= 0)
        throw err::invalid_argument("'NoncurrentDays' for NoncurrentVersionExpiration action must be a positive integer",
                                    "NoncurrentDays", d ? std::to_string(*d) : "");
    if (auto* ab = opt_obj(r, "AbortIncompleteMultipartUpload"))
      if (auto d = opt_int(*ab, "DaysAfterInitiation"); !d || *d <= 0)
        throw err::invalid_argument("'DaysAfterInitiation' for AbortIncompleteMultipartUpload action must be a positive integer",
                                    "DaysAfterInitiation", d ? std::to_string(*d) : "");
  }
}

bool rule_applies(const json::object& rule, std::string_view key, uint64_t size,
                  const std::vector<std::pair<std::string, std::string>>& tags) {
  if (str_or(rule, "Status") != "Enabled") return false;
  if (!key.starts_with(rule_prefix(rule))) return false;
  const json::object* f = opt_obj(rule, "Filter");
  if (!f) return true;
  const json::object* conds = opt_obj(*f, "And");
  const json::object& c = conds ? *conds : *f;
  if (auto* t = opt_obj(c, "Tag"); t && !has_tag(tags, *t)) return false;
  if (auto* ts = opt_arr(c, "Tags"))
    for (auto& t : *ts)
      if (t.is_object() && !has_tag(tags, t.get_object())) return false;
  if (auto gt = opt_int(c, "ObjectSizeGreaterThan"); gt && !(static_cast<int64_t>(size) > *gt)) return false;
  if (auto lt = opt_int(c, "ObjectSizeLessThan"); lt && !(static_cast<int64_t>(size) < *lt)) return false;
  return true;
}

double next_midnight(double t) {
  double day = std::floor(t / 86400.0) * 86400.0;
  return day == t ? t : day + 86400.0;
}

std::optional<double> expiration_time(const json::object& rule, double created) {
  const json::object* e = opt_obj(rule, "Expiration");
  if (!e) return std::nullopt;
  if (auto d = opt_int(*e, "Days")) return next_midnight(created + static_cast<double>(*d) * 86400.0);
  if (auto* date = find(*e, "Date"); date && date->is_number()) return date->to_number<double>();
  return std::nullopt;
}

std::optional<Expiry> earliest_expiration(const json::object& cfg, std::string_view key, uint64_t size,
                                          const std::vector<std::pair<std::string, std::string>>& tags,
                                          double created) {
  std::optional<Expiry> best;
  if (auto* rules = opt_arr(cfg, "Rules")) {
    for (auto& rv : *rules) {
      if (!rv.is_object() || !rule_applies(rv.get_object(), key, size, tags)) continue;
      auto t = expiration_time(rv.get_object(), created);
      if (t && (!best || *t < best->when)) best = Expiry{*t, std::string(str_or(rv.get_object(), "ID"))};
    }
  }
  return best;
}

std::string S3Service::expiration_header(const BucketRow& b, const ObjectRow& row) {
  auto cfg = store_->config(b.name, "lifecycle");
  if (!cfg || !cfg->is_object()) return {};
  auto e = earliest_expiration(cfg->as_object(), row.key, row.size, row.tags, row.last_modified);
  if (!e) return {};
  return "expiry-date=\"" + rfc822(e->when) + "\", rule-id=\"" + e->rule_id + "\"";
}

void S3Service::run_lifecycle(bool force) {
  double now = env().clock.now_seconds();
  if (!force && now < lifecycle_due_) return;
  double next = now + 3600;
  RequestContext ctx;
  ctx.request_id = "LIFECYCLE";
  for (const std::string& bucket : store_->buckets_with_config("lifecycle")) {
    auto b = store_->bucket(bucket);
    auto cfg = store_->config(bucket, "lifecycle");
    if (!b || !cfg || !cfg->is_object()) continue;
    const json::array* rules = opt_arr(cfg->as_object(), "Rules");
    if (!rules) continue;
    ctx.account_id = b->account;
    ctx.region = b->region;
    try {
      // Objects: every version of every key, newest first per key.
      auto rows = store_->all_objects(bucket);
      for (size_t i = 0; i < rows.size(); ++i) {
        const ObjectRow& o = rows[i];
        for (auto& rv : *rules) {
          if (!rv.is_object()) continue;
          const json::object& rule = rv.get_object();
          if (!rule_applies(rule, o.key, o.size, o.tags)) continue;
          if (o.latest && !o.delete_marker) {
            auto t = expiration_time(rule, o.last_modified);
            if (!t) continue;
            if (*t > now) {
              next = std::min(next, *t);
              continue;
            }
            if (b->versioning.empty()) {
              drop_row(o);
              notify(ctx, *b, "LifecycleExpiration:Delete", o, "");
            } else {
              ObjectRow marker;
              marker.bucket = bucket;
              marker.key = o.key;
              marker.delete_marker = true;
              marker.last_modified = std::floor(*t);
              marker.owner = o.owner;
              marker = write_version(*b, std::move(marker));
              notify(ctx, *b, "LifecycleExpiration:DeleteMarkerCreated", marker, "");
            }
            break;
          }
          if (!o.latest) {
            // Noncurrent since its successor (the previous row: newer, same key) was written.
            const json::object* nve = opt_obj(rule, "NoncurrentVersionExpiration");
            if (!nve || i == 0 || rows[i - 1].key != o.key) continue;
            auto days = opt_int(*nve, "NoncurrentDays").value_or(0);
            double t = next_midnight(rows[i - 1].last_modified + static_cast<double>(days) * 86400.0);
            if (t > now) {
              next = std::min(next, t);
              continue;
            }
            drop_row(o);
            notify(ctx, *b, "LifecycleExpiration:Delete", o, "");
            break;
          }
          if (o.latest && o.delete_marker) {
            // An expired object delete marker: the only version left of its key.
            const json::object* e = opt_obj(rule, "Expiration");
            bool alone = (i + 1 >= rows.size() || rows[i + 1].key != o.key) && (i == 0 || rows[i - 1].key != o.key);
            if (e && opt_bool(*e, "ExpiredObjectDeleteMarker").value_or(false) && alone) {
              drop_row(o);
              break;
            }
          }
        }
      }
      // Incomplete multipart uploads.
      for (auto& u : store_->list_uploads(bucket)) {
        for (auto& rv : *rules) {
          if (!rv.is_object()) continue;
          const json::object& rule = rv.get_object();
          const json::object* ab = opt_obj(rule, "AbortIncompleteMultipartUpload");
          if (!ab || !rule_applies(rule, u.key, 0, {})) continue;
          double t = next_midnight(u.initiated + static_cast<double>(opt_int(*ab, "DaysAfterInitiation").value_or(0)) * 86400.0);
          if (t > now) {
            next = std::min(next, t);
            continue;
          }
          if (completing_.count(u.upload_id)) continue;
          for (auto& p : store_->parts(u.upload_id)) remove_blob(p.blob);
          store_->delete_upload(u.upload_id);
          break;
        }
      }
    } catch (const std::exception& e) {
      spdlog::error("s3 lifecycle on bucket {}: {}", bucket, e.what());
    }
  }
  lifecycle_due_ = next;
}

}  // namespace stratus::s3
