#include "store.hpp"

namespace stratus::lambda {

namespace {
constexpr store::Migration kMigrations[] = {
    {1, R"sql(
      CREATE TABLE functions (account TEXT NOT NULL, region TEXT NOT NULL, name TEXT NOT NULL, doc TEXT NOT NULL,
                              PRIMARY KEY (account, region, name));
      CREATE TABLE layers (account TEXT NOT NULL, region TEXT NOT NULL, name TEXT NOT NULL, doc TEXT NOT NULL,
                           PRIMARY KEY (account, region, name));
      CREATE TABLE mappings (uuid TEXT PRIMARY KEY, account TEXT NOT NULL, region TEXT NOT NULL, doc TEXT NOT NULL);
    )sql"},
};

json::object version_doc(const Version& v) {
  return {{"version", v.version}, {"config", v.config}, {"code_sha", v.code_sha}, {"hot_reload", v.hot_reload}};
}
Version version_from(const json::object& o) {
  Version v;
  v.version = str_or(o, "version");
  if (auto* c = opt_obj(o, "config")) v.config = *c;
  v.code_sha = str_or(o, "code_sha");
  v.hot_reload = str_or(o, "hot_reload");
  return v;
}

json::object map_doc(const std::map<std::string, json::object>& m) {
  json::object o;
  for (auto& [k, v] : m) o[k] = v;
  return o;
}
std::map<std::string, json::object> map_from(const json::object* o) {
  std::map<std::string, json::object> m;
  if (o)
    for (auto& [k, v] : *o)
      if (v.is_object()) m[std::string(k)] = v.get_object();
  return m;
}

json::object function_doc(const Function& f) {
  json::array versions;
  for (auto& [n, v] : f.versions) versions.push_back(version_doc(v));
  json::object o{{"account", f.account},
                 {"region", f.region},
                 {"name", f.name},
                 {"created", f.created},
                 {"latest", version_doc(f.latest)},
                 {"versions", std::move(versions)},
                 {"last_version", f.last_version},
                 {"aliases", map_doc(f.aliases)},
                 {"tags", f.tags},
                 {"policy", f.policy},
                 {"invoke_configs", map_doc(f.invoke_configs)},
                 {"urls", map_doc(f.urls)},
                 {"extra", f.extra}};
  if (f.reserved_concurrency) o["reserved_concurrency"] = *f.reserved_concurrency;
  return o;
}

Function function_from(const json::object& o) {
  Function f;
  f.account = str_or(o, "account");
  f.region = str_or(o, "region");
  f.name = str_or(o, "name");
  if (auto* c = find(o, "created"); c && c->is_number()) f.created = c->to_number<double>();
  if (auto* l = opt_obj(o, "latest")) f.latest = version_from(*l);
  if (auto* vs = opt_arr(o, "versions"))
    for (auto& v : *vs)
      if (v.is_object()) {
        Version ver = version_from(v.get_object());
        f.versions[std::stoi(ver.version)] = std::move(ver);
      }
  f.last_version = static_cast<int>(opt_int(o, "last_version").value_or(0));
  f.aliases = map_from(opt_obj(o, "aliases"));
  if (auto* t = opt_obj(o, "tags")) f.tags = *t;
  if (auto* p = opt_arr(o, "policy")) f.policy = *p;
  f.invoke_configs = map_from(opt_obj(o, "invoke_configs"));
  f.urls = map_from(opt_obj(o, "urls"));
  if (auto* e = opt_obj(o, "extra")) f.extra = *e;
  if (auto r = opt_int(o, "reserved_concurrency")) f.reserved_concurrency = static_cast<int>(*r);
  return f;
}

json::object layer_doc(const Layer& l) {
  json::array versions;
  for (auto& [n, v] : l.versions)
    versions.push_back(json::object{{"version", v.version}, {"doc", v.doc}, {"code_sha", v.code_sha}, {"policy", v.policy}});
  return {{"account", l.account}, {"region", l.region}, {"name", l.name}, {"last_version", l.last_version},
          {"versions", std::move(versions)}};
}

Layer layer_from(const json::object& o) {
  Layer l;
  l.account = str_or(o, "account");
  l.region = str_or(o, "region");
  l.name = str_or(o, "name");
  l.last_version = static_cast<int>(opt_int(o, "last_version").value_or(0));
  if (auto* vs = opt_arr(o, "versions"))
    for (auto& v : *vs) {
      if (!v.is_object()) continue;
      const auto& vo = v.get_object();
      LayerVersion lv;
      lv.version = static_cast<int>(opt_int(vo, "version").value_or(0));
      if (auto* d = opt_obj(vo, "doc")) lv.doc = *d;
      lv.code_sha = str_or(vo, "code_sha");
      if (auto* p = opt_arr(vo, "policy")) lv.policy = *p;
      l.versions[lv.version] = std::move(lv);
    }
  return l;
}

json::object parse_object(std::string_view text) {
  boost::system::error_code ec;
  auto v = json::parse(text, ec);
  return !ec && v.is_object() ? std::move(v.as_object()) : json::object{};
}
}  // namespace

std::string Function::arn() const {
  return "arn:aws:lambda:" + region + ":" + account + ":function:" + name;
}

std::string Store::key(std::string_view account, std::string_view region, std::string_view name) {
  std::string k;
  k.reserve(account.size() + region.size() + name.size() + 2);
  k += account;
  k += '\x1f';
  k += region;
  k += '\x1f';
  k += name;
  return k;
}

void Store::open(store::Database& db) {
  db_ = &db;
  db_->migrate(kMigrations);
  functions_.clear();
  layers_.clear();
  mappings_.clear();
  {
    auto c = db_->query("SELECT doc FROM functions");
    while (c.next()) {
      Function f = function_from(parse_object(c.text(0)));
      functions_[key(f.account, f.region, f.name)] = std::move(f);
    }
  }
  {
    auto c = db_->query("SELECT doc FROM layers");
    while (c.next()) {
      Layer l = layer_from(parse_object(c.text(0)));
      layers_[key(l.account, l.region, l.name)] = std::move(l);
    }
  }
  {
    auto c = db_->query("SELECT uuid, account, region, doc FROM mappings");
    while (c.next()) {
      Mapping m{c.str(0), c.str(1), c.str(2), parse_object(c.text(3))};
      mappings_[m.uuid] = std::move(m);
    }
  }
}

void Store::wipe() {
  db_->wipe();
  functions_.clear();
  layers_.clear();
  mappings_.clear();
}

Function* Store::function(std::string_view account, std::string_view region, std::string_view name) {
  auto it = functions_.find(key(account, region, name));
  return it == functions_.end() ? nullptr : &it->second;
}

Function& Store::put(Function f) {
  auto& slot = functions_[key(f.account, f.region, f.name)];
  slot = std::move(f);
  save(slot);
  return slot;
}

void Store::save(const Function& f) {
  db_->run("INSERT OR REPLACE INTO functions (account, region, name, doc) VALUES (?, ?, ?, ?)", f.account, f.region,
           f.name, json::serialize(function_doc(f)));
}

void Store::remove(const Function& f) {
  db_->run("DELETE FROM functions WHERE account = ? AND region = ? AND name = ?", f.account, f.region, f.name);
  functions_.erase(key(f.account, f.region, f.name));
}

std::vector<Function*> Store::functions(std::string_view account, std::string_view region) {
  std::vector<Function*> out;
  std::string prefix = key(account, region, "");
  for (auto it = functions_.lower_bound(prefix); it != functions_.end() && it->first.starts_with(prefix); ++it)
    out.push_back(&it->second);
  return out;
}

std::vector<Function*> Store::all_functions() {
  std::vector<Function*> out;
  for (auto& [k, f] : functions_) out.push_back(&f);
  return out;
}

Layer* Store::layer(std::string_view account, std::string_view region, std::string_view name) {
  auto it = layers_.find(key(account, region, name));
  return it == layers_.end() ? nullptr : &it->second;
}

Layer& Store::layer_or_create(std::string_view account, std::string_view region, std::string_view name) {
  auto& l = layers_[key(account, region, name)];
  if (l.name.empty()) {
    l.account = account;
    l.region = region;
    l.name = name;
  }
  return l;
}

void Store::save(const Layer& l) {
  db_->run("INSERT OR REPLACE INTO layers (account, region, name, doc) VALUES (?, ?, ?, ?)", l.account, l.region,
           l.name, json::serialize(layer_doc(l)));
}

std::vector<Layer*> Store::layers(std::string_view account, std::string_view region) {
  std::vector<Layer*> out;
  std::string prefix = key(account, region, "");
  for (auto it = layers_.lower_bound(prefix); it != layers_.end() && it->first.starts_with(prefix); ++it)
    out.push_back(&it->second);
  return out;
}

Mapping* Store::mapping(std::string_view uuid) {
  auto it = mappings_.find(uuid);
  return it == mappings_.end() ? nullptr : &it->second;
}

Mapping& Store::put(Mapping m) {
  auto& slot = mappings_[m.uuid];
  slot = std::move(m);
  save(slot);
  return slot;
}

void Store::save(const Mapping& m) {
  db_->run("INSERT OR REPLACE INTO mappings (uuid, account, region, doc) VALUES (?, ?, ?, ?)", m.uuid, m.account,
           m.region, json::serialize(m.doc));
}

void Store::remove_mapping(std::string_view uuid) {
  db_->run("DELETE FROM mappings WHERE uuid = ?", uuid);
  mappings_.erase(std::string(uuid));
}

std::vector<Mapping*> Store::mappings() {
  std::vector<Mapping*> out;
  for (auto& [k, m] : mappings_) out.push_back(&m);
  return out;
}

bool Store::code_in_use(std::string_view sha) const {
  for (auto& [k, f] : functions_) {
    if (f.latest.code_sha == sha) return true;
    for (auto& [n, v] : f.versions)
      if (v.code_sha == sha) return true;
  }
  for (auto& [k, l] : layers_)
    for (auto& [n, v] : l.versions)
      if (v.code_sha == sha) return true;
  return false;
}

}  // namespace stratus::lambda
