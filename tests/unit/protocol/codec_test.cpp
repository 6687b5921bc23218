// Data-driven codec tests: raw HTTP → input document, output document → exact bytes, for every
// protocol, using the vendored AWS models.
#include <stratus/protocol.hpp>
#include <stratus/strings.hpp>

#include <gtest/gtest.h>

using namespace stratus;

namespace {

const model::Model& M(std::string_view name) {
  const model::Model* m = model::find_model(name);
  if (!m) throw std::runtime_error("no model " + std::string(name));
  return *m;
}

HttpRequest req(std::string method, std::string target, std::vector<std::pair<std::string, std::string>> headers = {},
                std::string body = "") {
  HttpRequest r;
  r.method = std::move(method);
  r.target = target;
  auto q = target.find('?');
  r.path = target.substr(0, q);
  if (q != std::string::npos) {
    r.query_string = target.substr(q + 1);
    r.query = parse_query_string(r.query_string, true);
  }
  for (auto& [k, v] : headers) r.headers.add(to_lower(k), v);
  r.body = Payload(std::move(body));
  return r;
}

ServiceInfo info(std::string name, std::string vcode = "ValidationException") {
  ServiceInfo i;
  i.name = std::move(name);
  i.validation_error_code = std::move(vcode);
  return i;
}

std::string body(const HttpResponse& r) { return r.body.str(); }

json::value J(std::string_view s) { return json::parse(s); }

RequestContext ctx(std::string id = "req-1") {
  RequestContext c;
  c.request_id = std::move(id);
  return c;
}

}  // namespace

// ---- query ----

TEST(QueryCodec, DecodesListsOfStructures) {
  auto r = req("POST", "/", {{"Content-Type", "application/x-www-form-urlencoded"}},
               "Action=AssumeRole&Version=2011-06-15&RoleArn=arn%3Aaws%3Aiam%3A%3A123456789012%3Arole%2Fr"
               "&RoleSessionName=ss&DurationSeconds=900&Tags.member.1.Key=team&Tags.member.1.Value=a+b"
               "&Tags.member.2.Key=env&Tags.member.2.Value=dev&PolicyArns.member.1.arn=arn%3Aaws%3Aiam%3A%3Aaws%3Apolicy%2Fp");
  auto d = protocol::decode(M("sts"), info("sts"), r);
  EXPECT_EQ(d.op->name, "AssumeRole");
  EXPECT_EQ(json::value(d.input), J(R"({"RoleArn":"arn:aws:iam::123456789012:role/r","RoleSessionName":"ss",
    "DurationSeconds":900,"Tags":[{"Key":"team","Value":"a b"},{"Key":"env","Value":"dev"}],"PolicyArns":[{"arn":"arn:aws:iam::aws:policy/p"}]})"));
}

TEST(QueryCodec, DecodesFlattenedMapsOfTheSqsQueryModel) {
  auto r = req("POST", "/000000000000/q", {{"Content-Type", "application/x-www-form-urlencoded"}},
               "Action=SendMessage&Version=2012-11-05&QueueUrl=http%3A%2F%2Flocalhost%2F000000000000%2Fq&MessageBody=hi"
               "&MessageAttribute.1.Name=color&MessageAttribute.1.Value.DataType=String&MessageAttribute.1.Value.StringValue=red"
               "&MessageAttribute.2.Name=bin&MessageAttribute.2.Value.DataType=Binary&MessageAttribute.2.Value.BinaryValue=AAE%3D");
  auto d = protocol::decode(M("sqs-query"), info("sqs"), r);
  EXPECT_EQ(d.op->name, "SendMessage");
  const auto& attrs = d.input.at("MessageAttributes").as_object();
  EXPECT_EQ(attrs.at("color"), J(R"({"DataType":"String","StringValue":"red"})"));
  EXPECT_EQ(attrs.at("bin").at("BinaryValue").as_string(), std::string("\x00\x01", 2));  // blobs are raw bytes
}

TEST(QueryCodec, EmptyListIsSentAsBarePrefix) {
  auto r = req("POST", "/", {{"Content-Type", "application/x-www-form-urlencoded"}},
               "Action=AssumeRole&Version=2011-06-15&RoleArn=arn%3Aaws%3Aiam%3A%3A123456789012%3Arole%2Frole&RoleSessionName=ss&Tags=");
  auto d = protocol::decode(M("sts"), info("sts"), r);
  EXPECT_EQ(d.input.at("Tags"), json::array());
}

TEST(QueryCodec, TypeErrorsAreValidationErrors) {
  auto r = req("GET", "/?Action=AssumeRole&Version=2011-06-15&RoleArn=arn%3Aaws%3Aiam%3A%3A123456789012%3Arole%2Frole&RoleSessionName=ss&DurationSeconds=abc");
  try {
    protocol::decode(M("sts"), info("sts", "ValidationError"), r);
    FAIL();
  } catch (const AwsError& e) {
    EXPECT_EQ(e.code, "ValidationError");
    EXPECT_NE(e.message.find("'durationSeconds'"), std::string::npos);
  }
}

TEST(QueryCodec, EncodesResultWrapperAndFlattenedLists) {
  const auto& m = M("sqs-query");
  Output out(json::object{{"Messages", J(R"([{"MessageId":"m1","ReceiptHandle":"rh","MD5OfBody":"x","Body":"b&<",
      "Attributes":{"SentTimestamp":"1"}}])")}});
  auto r = protocol::encode_output(m, info("sqs"), *m.operation("ReceiveMessage"), std::move(out), ctx("rid"));
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(body(r),
            "<ReceiveMessageResponse xmlns=\"http://queue.amazonaws.com/doc/2012-11-05/\"><ReceiveMessageResult>"
            "<Message><MessageId>m1</MessageId><ReceiptHandle>rh</ReceiptHandle><MD5OfBody>x</MD5OfBody>"
            "<Body>b&amp;&lt;</Body><Attribute><Name>SentTimestamp</Name><Value>1</Value></Attribute></Message>"
            "</ReceiveMessageResult><ResponseMetadata><RequestId>rid</RequestId></ResponseMetadata></ReceiveMessageResponse>");
}

TEST(QueryCodec, EncodesTimestampsAsIso8601) {
  const auto& m = M("sts");
  Output out(json::object{{"Credentials", J(R"({"AccessKeyId":"ASIA","SecretAccessKey":"s","SessionToken":"t","Expiration":1700000000.5})")}});
  auto r = protocol::encode_output(m, info("sts"), *m.operation("GetSessionToken"), std::move(out), ctx());
  EXPECT_NE(body(r).find("<Expiration>2023-11-14T22:13:20.500Z</Expiration>"), std::string::npos) << body(r);
}

TEST(QueryCodec, ErrorResponseUsesTheModelsQueryCode) {
  const auto& m = M("sqs-query");
  auto r = protocol::encode_error(&m, nullptr, Protocol::query, AwsError("QueueDoesNotExist", "The specified queue does not exist."), ctx("rid"));
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(body(r),
            "<ErrorResponse xmlns=\"http://queue.amazonaws.com/doc/2012-11-05/\"><Error><Type>Sender</Type>"
            "<Code>AWS.SimpleQueueService.NonExistentQueue</Code><Message>The specified queue does not exist.</Message>"
            "</Error><RequestId>rid</RequestId></ErrorResponse>");
}

// ---- json ----

TEST(JsonCodec, DecodesBlobsToRawBytesAndValidates) {
  auto r = req("POST", "/", {{"X-Amz-Target", "DynamoDB_20120810.PutItem"}},
               R"({"TableName":"t","Item":{"pk":{"S":"a"},"b":{"B":"AAEC"},"n":{"N":"1.50"}},"ReturnValues":"ALL_OLD"})");
  auto d = protocol::decode(M("dynamodb"), info("dynamodb"), r);
  EXPECT_EQ(d.op->name, "PutItem");
  EXPECT_EQ(d.input.at("Item").at("b").at("B").as_string(), std::string("\x00\x01\x02", 3));
  EXPECT_EQ(d.input.at("Item").at("n").at("N").as_string(), "1.50");
}

TEST(JsonCodec, BrokenJsonIsSerializationException) {
  auto r = req("POST", "/", {{"X-Amz-Target", "DynamoDB_20120810.GetItem"}}, R"({"TableName": )");
  try {
    protocol::decode(M("dynamodb"), info("dynamodb"), r);
    FAIL();
  } catch (const AwsError& e) {
    EXPECT_EQ(e.code, "SerializationException");
    EXPECT_EQ(e.status, 400);
  }
  auto wrong_type = req("POST", "/", {{"X-Amz-Target", "DynamoDB_20120810.GetItem"}}, R"({"TableName": 5, "Key": {}})");
  try {
    protocol::decode(M("dynamodb"), info("dynamodb"), wrong_type);
    FAIL();
  } catch (const AwsError& e) {
    EXPECT_EQ(e.code, "SerializationException");
    EXPECT_EQ(e.message, "NUMBER_VALUE can not be converted to a String");
  }
}

TEST(JsonCodec, UnknownOperation) {
  auto r = req("POST", "/", {{"X-Amz-Target", "DynamoDB_20120810.Frobnicate"}}, "{}");
  try {
    protocol::decode(M("dynamodb"), info("dynamodb"), r);
    FAIL();
  } catch (const AwsError& e) {
    EXPECT_EQ(e.code, "UnknownOperationException");
  }
}

TEST(JsonCodec, CoralValidationMessages) {
  auto r = req("POST", "/", {{"X-Amz-Target", "DynamoDB_20120810.Query"}},
               R"({"TableName":"t","Limit":0,"Select":"EVERYTHING"})");
  try {
    protocol::decode(M("dynamodb"), info("dynamodb"), r);
    FAIL();
  } catch (const AwsError& e) {
    EXPECT_EQ(e.code, "ValidationException");
    // Violations are listed in the model's member order (Select precedes Limit in QueryInput).
    EXPECT_EQ(e.message,
              "2 validation errors detected: Value 'EVERYTHING' at 'select' failed to satisfy constraint: Member must "
              "satisfy enum value set: [ALL_ATTRIBUTES, ALL_PROJECTED_ATTRIBUTES, SPECIFIC_ATTRIBUTES, COUNT]; Value '0' "
              "at 'limit' failed to satisfy constraint: Member must have value greater than or equal to 1");
  }
  auto missing = req("POST", "/", {{"X-Amz-Target", "DynamoDB_20120810.GetItem"}}, R"({"Key":{}})");
  try {
    protocol::decode(M("dynamodb"), info("dynamodb"), missing);
    FAIL();
  } catch (const AwsError& e) {
    EXPECT_EQ(e.message, "1 validation error detected: Value null at 'tableName' failed to satisfy constraint: Member must not be null");
  }
}

TEST(JsonCodec, EncodesBlobsTimestampsAndDropsUnknownMembers) {
  const auto& m = M("dynamodb");
  Output out(json::object{{"Item", J(R"({"b":{"B":"\u0000\u0001"},"s":{"S":"x"}})")}, {"NotInShape", 1}});
  auto r = protocol::encode_output(m, info("dynamodb"), *m.operation("GetItem"), std::move(out), ctx());
  EXPECT_EQ(body(r), R"({"Item":{"b":{"B":"AAE="},"s":{"S":"x"}}})");
  EXPECT_EQ(r.headers.get_or("Content-Type"), "application/x-amz-json-1.0");
  Output t(json::object{{"TableDescription", J(R"({"TableName":"t","CreationDateTime":1700000000.125})")}});
  auto r2 = protocol::encode_output(m, info("dynamodb"), *m.operation("DeleteTable"), std::move(t), ctx());
  EXPECT_EQ(body(r2), R"({"TableDescription":{"TableName":"t","CreationDateTime":1700000000.125}})");
}

TEST(JsonCodec, ErrorTypeAndMessage) {
  ServiceInfo i = info("dynamodb");
  i.json_error_prefix = "com.amazonaws.dynamodb.v20120810#";
  i.json_error_types = {{"ValidationException", "com.amazon.coral.validate#ValidationException"}};
  auto r = protocol::encode_error(&M("dynamodb"), &i, Protocol::json,
                                  AwsError("ResourceNotFoundException", "Requested resource not found"), ctx());
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(body(r), R"({"__type":"com.amazonaws.dynamodb.v20120810#ResourceNotFoundException","message":"Requested resource not found"})");
  auto v = protocol::encode_error(&M("dynamodb"), &i, Protocol::json, AwsError::validation("bad"), ctx());
  EXPECT_EQ(body(v), R"({"__type":"com.amazon.coral.validate#ValidationException","message":"bad"})");
  auto s = protocol::encode_error(&M("dynamodb"), &i, Protocol::json, AwsError::serialization("x"), ctx());
  EXPECT_EQ(body(s), R"({"__type":"com.amazon.coral.service#SerializationException","message":"x"})");
  AwsError with_item("ConditionalCheckFailedException", "The conditional request failed");
  with_item.with("Item", J(R"({"b":{"B":"\u0001"}})"));
  auto c = protocol::encode_error(&M("dynamodb"), &i, Protocol::json, with_item, ctx());
  EXPECT_EQ(body(c), R"({"__type":"com.amazonaws.dynamodb.v20120810#ConditionalCheckFailedException","message":"The conditional request failed","Item":{"b":{"B":"AQ=="}}})");
}

TEST(JsonCodec, QueryCompatibleErrorHeader) {
  ServiceInfo i = info("sqs");
  i.json_error_prefix = "com.amazonaws.sqs#";
  AwsError e("QueueDoesNotExist", "The specified queue does not exist.");
  e.query_code = "AWS.SimpleQueueService.NonExistentQueue";
  auto r = protocol::encode_error(&M("sqs"), &i, Protocol::json, e, ctx());
  EXPECT_EQ(r.headers.get_or("x-amzn-query-error"), "AWS.SimpleQueueService.NonExistentQueue;Sender");
  EXPECT_EQ(body(r), R"({"__type":"com.amazonaws.sqs#QueueDoesNotExist","message":"The specified queue does not exist."})");
}

// ---- rest-json ----

TEST(RestJsonCodec, InvokeBindsUriQueryHeadersAndBlobPayload) {
  auto r = req("POST", "/2015-03-31/functions/my-fn/invocations?Qualifier=v1",
               {{"X-Amz-Invocation-Type", "Event"}, {"X-Amz-Log-Type", "Tail"}}, R"({"k":1})");
  auto d = protocol::decode(M("lambda"), info("lambda"), r);
  EXPECT_EQ(d.op->name, "Invoke");
  EXPECT_EQ(d.input.at("FunctionName"), "my-fn");
  EXPECT_EQ(d.input.at("Qualifier"), "v1");
  EXPECT_EQ(d.input.at("InvocationType"), "Event");
  EXPECT_EQ(d.input.at("LogType"), "Tail");
  EXPECT_EQ(d.input.at("Payload"), R"({"k":1})");
}

TEST(RestJsonCodec, MostSpecificTemplateWins) {
  auto get = req("GET", "/2015-03-31/functions/fn");
  EXPECT_EQ(protocol::decode(M("lambda"), info("lambda"), get).op->name, "GetFunction");
  auto cfg = req("GET", "/2015-03-31/functions/fn/configuration");
  EXPECT_EQ(protocol::decode(M("lambda"), info("lambda"), cfg).op->name, "GetFunctionConfiguration");
  auto arn = req("GET", "/2015-03-31/functions/arn%3Aaws%3Alambda%3Aus-east-1%3A000000000000%3Afunction%3Afn/configuration");
  EXPECT_EQ(protocol::decode(M("lambda"), info("lambda"), arn).input.at("FunctionName"),
            "arn:aws:lambda:us-east-1:000000000000:function:fn");
}

TEST(RestJsonCodec, BodyMembersAndBlobsDecode) {
  auto r = req("POST", "/2015-03-31/functions", {},
               R"({"FunctionName":"f","Runtime":"nodejs20.x","Role":"arn:aws:iam::000000000000:role/r","Handler":"i.h","Code":{"ZipFile":"UEsDBA=="}})");
  auto d = protocol::decode(M("lambda"), info("lambda"), r);
  EXPECT_EQ(d.op->name, "CreateFunction");
  EXPECT_EQ(d.input.at("Code").at("ZipFile").as_string(), "PK\x03\x04");
}

TEST(RestJsonCodec, OutputHeadersStatusAndRawPayload) {
  const auto& m = M("lambda");
  Output out(json::object{{"StatusCode", 200}, {"FunctionError", "Unhandled"}, {"ExecutedVersion", "$LATEST"},
                          {"Payload", R"({"errorMessage":"boom"})"}});
  auto r = protocol::encode_output(m, info("lambda"), *m.operation("Invoke"), std::move(out), ctx());
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.headers.get_or("X-Amz-Function-Error"), "Unhandled");
  EXPECT_EQ(r.headers.get_or("X-Amz-Executed-Version"), "$LATEST");
  EXPECT_EQ(body(r), R"({"errorMessage":"boom"})");
}

TEST(RestJsonCodec, LocationNameMapsJsonKeys) {
  // API Gateway lists use "item" on the wire for the "items" member.
  const auto& m = M("apigateway");
  Output out(json::object{{"items", J(R"([{"id":"a1","name":"api"}])")}});
  auto r = protocol::encode_output(m, info("apigateway"), *m.operation("GetRestApis"), std::move(out), ctx());
  EXPECT_EQ(body(r), R"({"item":[{"id":"a1","name":"api"}]})");
}

TEST(RestJsonCodec, ErrorsCarryErrorTypeHeaderAndShapeMembers) {
  AwsError e("ResourceNotFoundException", "Function not found: arn:aws:lambda:us-east-1:000000000000:function:x", 404);
  e.with("Type", "User");
  auto r = protocol::encode_error(&M("lambda"), nullptr, Protocol::rest_json, e, ctx());
  EXPECT_EQ(r.status, 404);
  EXPECT_EQ(r.headers.get_or("x-amzn-ErrorType"), "ResourceNotFoundException");
  EXPECT_EQ(body(r), R"({"Message":"Function not found: arn:aws:lambda:us-east-1:000000000000:function:x","Type":"User"})");
}

// ---- rest-xml ----

TEST(RestXmlCodec, RoutesS3Operations) {
  auto name = [](HttpRequest r) { return std::string(protocol::operation_name(M("s3"), r)); };
  EXPECT_EQ(name(req("GET", "/bucket?list-type=2&prefix=a")), "ListObjectsV2");
  EXPECT_EQ(name(req("GET", "/bucket")), "ListObjects");
  EXPECT_EQ(name(req("GET", "/bucket/")), "ListObjects");
  EXPECT_EQ(name(req("GET", "/")), "ListBuckets");
  EXPECT_EQ(name(req("PUT", "/bucket")), "CreateBucket");
  EXPECT_EQ(name(req("GET", "/bucket/key")), "GetObject");
  EXPECT_EQ(name(req("POST", "/bucket/key?uploads")), "CreateMultipartUpload");
  EXPECT_EQ(name(req("PUT", "/bucket/key?partNumber=1&uploadId=u")), "UploadPart");
  EXPECT_EQ(name(req("POST", "/bucket?delete")), "DeleteObjects");
  EXPECT_EQ(name(req("GET", "/bucket?versioning")), "GetBucketVersioning");
  EXPECT_EQ(name(req("GET", "/bucket/key?tagging")), "GetObjectTagging");
  EXPECT_EQ(name(req("PUT", "/bucket/key")), "PutObject");
  EXPECT_EQ(name(req("PUT", "/bucket/key", {{"x-amz-copy-source", "src/k"}})), "CopyObject");
  EXPECT_EQ(name(req("PUT", "/bucket/key?partNumber=2&uploadId=u", {{"x-amz-copy-source", "src/k"}})), "UploadPartCopy");
}

TEST(RestXmlCodec, GreedyKeysKeepSlashesAndDecode) {
  auto r = req("GET", "/bucket/a//b/..%2Fc%20d%2B?x-id=GetObject", {{"Range", "bytes=0-9"}, {"If-Match", "\"e\""}});
  auto d = protocol::decode(M("s3"), info("s3"), r);
  EXPECT_EQ(d.op->name, "GetObject");
  EXPECT_EQ(d.input.at("Bucket"), "bucket");
  EXPECT_EQ(d.input.at("Key"), "a//b/../c d+");
  EXPECT_EQ(d.input.at("Range"), "bytes=0-9");
  EXPECT_EQ(d.input.at("IfMatch"), "\"e\"");
}

TEST(RestXmlCodec, PutObjectMetadataAndStreamingBody) {
  auto r = req("PUT", "/b/k", {{"x-amz-meta-color", "red"}, {"Content-Type", "text/plain"}, {"x-amz-storage-class", "STANDARD"}}, "data");
  auto d = protocol::decode(M("s3"), info("s3"), r);
  EXPECT_EQ(d.op->name, "PutObject");
  EXPECT_EQ(d.input.at("Metadata"), J(R"({"color":"red"})"));
  EXPECT_EQ(d.input.at("ContentType"), "text/plain");
  EXPECT_EQ(d.body.read_all(), "data");  // streaming payloads stay out of the document
  EXPECT_FALSE(d.input.contains("Body"));
}

TEST(RestXmlCodec, DecodesXmlPayloads) {
  auto r = req("POST", "/b/k?uploadId=u1", {},
               "<CompleteMultipartUpload xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"><Part><PartNumber>1</PartNumber>"
               "<ETag>\"a\"</ETag></Part><Part><PartNumber>2</PartNumber><ETag>\"b\"</ETag></Part></CompleteMultipartUpload>");
  auto d = protocol::decode(M("s3"), info("s3"), r);
  EXPECT_EQ(d.op->name, "CompleteMultipartUpload");
  EXPECT_EQ(d.input.at("MultipartUpload"), J(R"({"Parts":[{"ETag":"\"a\"","PartNumber":1},{"ETag":"\"b\"","PartNumber":2}]})"));
  auto bad = req("POST", "/b/k?uploadId=u1", {}, "<CompleteMultipartUpload><Part>");
  try {
    protocol::decode(M("s3"), info("s3"), bad);
    FAIL();
  } catch (const AwsError& e) {
    EXPECT_EQ(e.code, "MalformedXML");
  }
}

TEST(RestXmlCodec, EncodesRootNamesNamespaceAndHeaders) {
  const auto& m = M("s3");
  ServiceInfo i = info("s3");
  i.xml_namespace = "http://s3.amazonaws.com/doc/2006-03-01/";
  i.xml_root_names = {{"ListObjectsV2Output", "ListBucketResult"}};
  Output out(json::object{{"Name", "b"}, {"KeyCount", 1}, {"IsTruncated", false},
                          {"Contents", J(R"([{"Key":"k","LastModified":1700000000,"ETag":"\"e\"","Size":3,"StorageClass":"STANDARD"}])")}});
  auto r = protocol::encode_output(m, i, *m.operation("ListObjectsV2"), std::move(out), ctx());
  EXPECT_EQ(body(r),
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?><ListBucketResult xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">"
            "<IsTruncated>false</IsTruncated><Contents><Key>k</Key><LastModified>2023-11-14T22:13:20.000Z</LastModified>"
            "<ETag>&quot;e&quot;</ETag><Size>3</Size><StorageClass>STANDARD</StorageClass></Contents><Name>b</Name>"
            "<KeyCount>1</KeyCount></ListBucketResult>");
  Output head(json::object{{"ETag", "\"e\""}, {"ContentLength", 3}, {"LastModified", 1700000000}, {"Metadata", J(R"({"color":"red"})")}});
  auto h = protocol::encode_output(m, i, *m.operation("HeadObject"), std::move(head), ctx());
  EXPECT_EQ(h.headers.get_or("ETag"), "\"e\"");
  EXPECT_EQ(h.headers.get_or("Last-Modified"), "Tue, 14 Nov 2023 22:13:20 GMT");
  EXPECT_EQ(h.headers.get_or("x-amz-meta-color"), "red");
  EXPECT_EQ(h.headers.get_or("Content-Length"), "3");
}

TEST(RestXmlCodec, ErrorBody) {
  AwsError e("NoSuchKey", "The specified key does not exist.", 404);
  e.with("Key", "a/b");
  auto r = protocol::encode_error(&M("s3"), nullptr, Protocol::rest_xml, e, ctx("RID"));
  EXPECT_EQ(r.status, 404);
  EXPECT_EQ(body(r), "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>NoSuchKey</Code><Message>The specified key "
                     "does not exist.</Message><Key>a/b</Key><RequestId>RID</RequestId></Error>");
}

TEST(Models, EveryEmbeddedModelParses) {
  for (auto name : model::embedded_model_names()) {
    const model::Model* m = model::find_model(name);
    ASSERT_NE(m, nullptr) << name;
    EXPECT_FALSE(m->operations().empty()) << name;
  }
}
