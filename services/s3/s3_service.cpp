#include "s3_service.hpp"

namespace stratus::s3 {

S3Service::S3Service()
    : Service(ServiceInfo{
          .name = "s3",
          .models = {{"s3", Protocol::rest_xml}},
          .signing_names = {"s3"},
          .request_id = RequestIdStyle::s3,
          .handles_cors = true,
          .fallback = true,
          .max_body = 5ull << 30,
          .xml_namespace = "http://s3.amazonaws.com/doc/2006-03-01/",
      }) {}

}  // namespace stratus::s3
