#pragma once
// AWS Systems Manager Parameter Store (json 1.1, X-Amz-Target AmazonSSM.*): parameters with
// versions, labels, tiers, tags, hierarchies and SecureString values. The rest of Systems
// Manager (documents, automation, sessions, ...) is not implemented and answers 501.
#include "model.hpp"
#include "store.hpp"

#include <stratus/service.hpp>

namespace stratus::ssm {

class SsmService final : public Service {
 public:
  SsmService();
  void start(Env& env) override;
  void reset() override;

 private:
  // ops_parameters.cpp
  Output put_parameter(Call& c);
  Output get_parameter(Call& c);
  Output get_parameters(Call& c);
  Output delete_parameter(Call& c);
  Output delete_parameters(Call& c);
  Output get_parameter_history(Call& c);
  Output label_parameter_version(Call& c);
  Output unlabel_parameter_version(Call& c);
  // ops_describe.cpp
  Output describe_parameters(Call& c);
  Output get_parameters_by_path(Call& c);
  // ops_tags.cpp
  Output add_tags_to_resource(Call& c);
  Output remove_tags_from_resource(Call& c);
  Output list_tags_for_resource(Call& c);

  Scope scope(const Call& c) const { return Scope{c.ctx.account_id, c.ctx.region}; }
  Store& store();
  // The Parameter shape of one version (GetParameter*, GetParametersByPath).
  json::object parameter_doc(const Scope& s, const Parameter& p, const Version& v, bool decrypt,
                             const std::string& selector) const;
  // A parameter named by its name or ARN (this account and region's), with an optional ":version" or
  // ":label" selector (returned in `sel`); nullopt when there is none.
  std::optional<Parameter> lookup(const Scope& s, std::string_view raw, Selector& sel);
  // The tagged parameter named by ResourceType/ResourceId (throws InvalidResourceType/Id).
  Parameter tagged_resource(const Call& c);

  Store store_;
  bool open_ = false;  // the database opens with the first request
};

}  // namespace stratus::ssm
