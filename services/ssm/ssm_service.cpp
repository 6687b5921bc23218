#include "ssm_service.hpp"

#include "model.hpp"

#include <stratus/store.hpp>

namespace stratus::ssm {

SsmService::SsmService()
    : Service(ServiceInfo{
          .name = "ssm",
          .models = {{"ssm", Protocol::json}},
          .target_prefixes = {"AmazonSSM"},
          .signing_names = {"ssm"},
          .validation_error_code = "ValidationException",
          // Tag patterns use Java's \p{L} classes; names and labels are checked in model.cpp.
          .validate_patterns = false,
      }) {
  on("PutParameter", &SsmService::put_parameter);
  on("GetParameter", &SsmService::get_parameter);
  on("GetParameters", &SsmService::get_parameters);
  on("DeleteParameter", &SsmService::delete_parameter);
  on("DeleteParameters", &SsmService::delete_parameters);
  on("GetParameterHistory", &SsmService::get_parameter_history);
  on("LabelParameterVersion", &SsmService::label_parameter_version);
  on("UnlabelParameterVersion", &SsmService::unlabel_parameter_version);
  on("DescribeParameters", &SsmService::describe_parameters);
  on("GetParametersByPath", &SsmService::get_parameters_by_path);
  on("AddTagsToResource", &SsmService::add_tags_to_resource);
  on("RemoveTagsFromResource", &SsmService::remove_tags_from_resource);
  on("ListTagsForResource", &SsmService::list_tags_for_resource);
}

void SsmService::start(Env& env) {
  Service::start(env);
  if (env.storage.persistent()) store();
}

Store& SsmService::store() {
  if (!open_) {
    store_.open(env().storage.database("ssm"));
    open_ = true;
  }
  return store_;
}

void SsmService::reset() {
  if (open_) store_.wipe();
}

json::object SsmService::parameter_doc(const Scope& s, const Parameter& p, const Version& v, bool decrypt,
                                       const std::string& selector) const {
  bool secure = v.type == "SecureString";
  json::object o{{"Name", p.name},
                 {"Type", v.type},
                 {"Value", secure && !decrypt ? opaque_ciphertext(p.name, v.version, v.value) : v.value},
                 {"Version", v.version},
                 {"LastModifiedDate", v.modified},
                 {"ARN", parameter_arn(s.region, s.account, p.name)},
                 {"DataType", v.data_type}};
  if (!selector.empty()) o["Selector"] = selector;
  return o;
}

}  // namespace stratus::ssm
