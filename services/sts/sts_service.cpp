#include "sts_service.hpp"

#include <stratus/clock.hpp>
#include <stratus/identity.hpp>
#include <stratus/ids.hpp>
#include <stratus/store.hpp>

#include <cmath>

namespace stratus::sts {

namespace {
constexpr store::Migration kMigrations[] = {
    {1, R"sql(
      CREATE TABLE credentials (
        access_key_id TEXT PRIMARY KEY,
        secret_access_key TEXT NOT NULL,
        session_token TEXT NOT NULL,
        account_id TEXT NOT NULL,
        arn TEXT NOT NULL,
        user_id TEXT NOT NULL,
        expiration REAL NOT NULL
      );
    )sql"},
};
}  // namespace

StsService::StsService()
    : Service(ServiceInfo{
          .name = "sts",
          .models = {{"sts", Protocol::query}},
          .signing_names = {"sts"},
          .query_version = "2011-06-15",
          .validation_error_code = "ValidationError",
          .validate_patterns = true,
      }) {
  on("GetCallerIdentity", &StsService::get_caller_identity);
  on("AssumeRole", &StsService::assume_role);
  on("AssumeRoleWithWebIdentity", &StsService::assume_role_with_web_identity);
  on("AssumeRoleWithSAML", &StsService::assume_role_with_saml);
  on("GetSessionToken", &StsService::get_session_token);
  on("GetFederationToken", &StsService::get_federation_token);
  on("GetAccessKeyInfo", &StsService::get_access_key_info);
}

void StsService::start(Env& env) {
  Service::start(env);
  // In memory there is nothing to restore: the database opens with the first credentials issued
  // (GetCallerIdentity, the call every SDK makes first, never needs it).
  if (env.storage.persistent()) restore();
}

store::Database& StsService::db() {
  if (!db_) {
    db_ = &env().storage.database("sts");
    db_->migrate(kMigrations);
  }
  return *db_;
}

// Credentials issued before a restart (with --data-dir) keep working.
void StsService::restore() {
  Env& env = this->env();
  double now = env.clock.now_seconds();
  auto c = db().query("SELECT access_key_id, secret_access_key, session_token, account_id, arn, user_id, expiration "
                      "FROM credentials WHERE expiration > ?",
                      now);
  while (c.next())
    env.identities.add(c.str(0), Principal{c.str(3), c.str(4), c.str(5), c.str(1), c.str(2), c.f64(6)});
}

void StsService::reset() {
  if (db_) db_->wipe();
  env().identities.clear();
}

json::object StsService::issue(Principal p, int64_t duration_seconds) {
  std::string akid = ids::access_key_id("ASIA");
  p.secret_access_key = ids::secret_access_key();
  // Real session tokens are long opaque base64 strings; clients only pass them back.
  p.session_token = "IQoJb3JpZ2luX2VjE" + ids::random_string(340, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/");
  p.expiration = std::floor(env().clock.now_seconds()) + static_cast<double>(duration_seconds);
  db().run("INSERT OR REPLACE INTO credentials VALUES (?, ?, ?, ?, ?, ?, ?)", akid, p.secret_access_key,
           p.session_token, p.account_id, p.arn, p.user_id, p.expiration);
  json::object creds{{"AccessKeyId", akid},
                     {"SecretAccessKey", p.secret_access_key},
                     {"SessionToken", p.session_token},
                     {"Expiration", p.expiration}};
  env().identities.add(akid, std::move(p));
  return creds;
}

}  // namespace stratus::sts
