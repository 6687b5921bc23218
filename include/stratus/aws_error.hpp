#pragma once
// One error type for every AWS failure (after ScyllaDB Alternator's api_error). Services throw it;
// the protocol codec writes it exactly once in the caller's protocol: JSON `__type`, query
// `<ErrorResponse>`, rest-xml `<Error>`, rest-json `x-amzn-ErrorType`.
#include <stratus/json.hpp>

#include <exception>
#include <string>
#include <utility>
#include <vector>

namespace stratus {

struct AwsError : std::exception {
  std::string code;       // the error shape's name, e.g. "ResourceNotFoundException"
  std::string message;
  int status = 0;         // 0: the model's httpStatusCode for the error shape, else 400
  bool sender_fault = true;
  json::object fields;    // further members of the error shape ("Item", "CancellationReasons", "Key", ...)
  std::string query_code; // the code query clients see when it differs (awsQueryCompatible services)
  std::vector<std::pair<std::string, std::string>> headers;  // extra response headers

  AwsError() = default;
  AwsError(std::string c, std::string m, int s = 0, bool sender = true)
      : code(std::move(c)), message(std::move(m)), status(s), sender_fault(sender) {}
  const char* what() const noexcept override { return message.c_str(); }

  AwsError& with(std::string_view member, json::value v) {
    fields[member] = std::move(v);
    return *this;
  }
  AwsError& with(std::string_view member, const std::string& s) { return with(member, json::value(json::string(s))); }
  AwsError& with(std::string_view member, const char* s) { return with(member, json::value(json::string(s))); }
  AwsError& with_query_code(std::string c) {
    query_code = std::move(c);
    return *this;
  }

  // Generic factories; services add their own in services/<svc>/errors.hpp.
  static AwsError validation(std::string msg, std::string code = "ValidationException") {
    return {std::move(code), std::move(msg), 400};
  }
  static AwsError serialization(std::string msg) { return {"SerializationException", std::move(msg), 400}; }
  static AwsError internal(std::string msg = "An internal error occurred.") {
    return {"InternalFailure", std::move(msg), 500, false};
  }
  static AwsError not_implemented(std::string_view service, std::string_view op) {
    return {"NotImplemented",
            "The operation " + std::string(op) + " of service " + std::string(service) +
                " is not implemented by Stratus yet",
            501, false};
  }
};

}  // namespace stratus
