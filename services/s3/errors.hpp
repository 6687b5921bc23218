#pragma once
// AwsError factories for S3's error codes, with AWS's messages and the extra elements its
// <Error> bodies carry. Reference: https://docs.aws.amazon.com/AmazonS3/latest/API/ErrorResponses.html
#include <stratus/aws_error.hpp>

#include <cstdint>
#include <string>

namespace stratus::s3::err {

inline AwsError no_such_bucket(const std::string& bucket) {
  return AwsError("NoSuchBucket", "The specified bucket does not exist", 404).with("BucketName", bucket);
}
inline AwsError no_such_key(const std::string& key) {
  return AwsError("NoSuchKey", "The specified key does not exist.", 404).with("Key", key);
}
inline AwsError no_such_version(const std::string& key, const std::string& version) {
  return AwsError("NoSuchVersion", "The specified version does not exist.", 404)
      .with("Key", key)
      .with("VersionId", version);
}
inline AwsError invalid_version(const std::string& version) {
  return AwsError("InvalidArgument", "Invalid version id specified", 400)
      .with("ArgumentName", "versionId")
      .with("ArgumentValue", version);
}
inline AwsError no_such_upload(const std::string& upload_id) {
  return AwsError("NoSuchUpload",
                  "The specified upload does not exist. The upload ID may be invalid, or the upload may have been "
                  "aborted or completed.",
                  404)
      .with("UploadId", upload_id);
}
inline AwsError precondition_failed(const std::string& condition) {
  return AwsError("PreconditionFailed", "At least one of the pre-conditions you specified did not hold", 412)
      .with("Condition", condition);
}
inline AwsError invalid_range(const std::string& requested, uint64_t size) {
  return AwsError("InvalidRange", "The requested range is not satisfiable", 416)
      .with("RangeRequested", requested)
      .with("ActualObjectSize", std::to_string(size));
}
inline AwsError invalid_argument(const std::string& message, const std::string& name, const std::string& value) {
  return AwsError("InvalidArgument", message, 400).with("ArgumentName", name).with("ArgumentValue", value);
}
inline AwsError invalid_request(const std::string& message) { return AwsError("InvalidRequest", message, 400); }
inline AwsError malformed_xml() {
  return AwsError("MalformedXML",
                  "The XML you provided was not well-formed or did not validate against our published schema", 400);
}
inline AwsError access_denied(const std::string& message = "Access Denied") {
  return AwsError("AccessDenied", message, 403);
}
inline AwsError invalid_bucket_name(const std::string& bucket) {
  return AwsError("InvalidBucketName", "The specified bucket is not valid.", 400).with("BucketName", bucket);
}
inline AwsError bad_digest_md5(const std::string& expected, const std::string& calculated) {
  return AwsError("BadDigest", "The Content-MD5 you specified did not match what we received.", 400)
      .with("ExpectedDigest", expected)
      .with("CalculatedDigest", calculated);
}
inline AwsError invalid_digest(const std::string& value) {
  return AwsError("InvalidDigest", "The Content-MD5 you specified is not valid.", 400).with("Content-MD5", value);
}
inline AwsError method_not_allowed(const std::string& method, const std::string& resource_type) {
  return AwsError("MethodNotAllowed", "The specified method is not allowed against this resource.", 405)
      .with("Method", method)
      .with("ResourceType", resource_type);
}
inline AwsError not_found_config(const std::string& code, const std::string& message, const std::string& bucket) {
  return AwsError(code, message, 404).with("BucketName", bucket);
}

}  // namespace stratus::s3::err
