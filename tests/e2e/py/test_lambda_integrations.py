"""Lambda wired to other services: event-source mappings from SQS and DynamoDB Streams, SNS
subscriptions invoking functions (the "lambda" bus target), and on-failure destinations."""
import io
import json
import time
import unittest
import zipfile

from botocore.exceptions import ClientError

from stratus_harness import StratusTestCase

ROLE = "arn:aws:iam::000000000000:role/lambda-role"

# The function forwards what it received to a result queue, so tests observe it through SQS.
FORWARDER = """
import boto3, json, os
sqs = boto3.client("sqs")
def handler(event, context):
    sqs.send_message(QueueUrl=os.environ["RESULTS"], MessageBody=json.dumps(event))
    failures = [r["messageId"] for r in event.get("Records", []) if "fail" in r.get("body", "")]
    if os.environ.get("MODE") == "partial":
        return {"batchItemFailures": [{"itemIdentifier": i} for i in failures]}
    if failures or any("fail" in json.dumps(r.get("dynamodb", {})) for r in event.get("Records", [])):
        raise RuntimeError("failing on purpose")
    return "ok"
"""


def zip_of(files):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for name, content in files.items():
            z.writestr(name, content)
    return buf.getvalue()


class LambdaIntegrationsTest(StratusTestCase):
    def setUp(self):
        self.lam = self.client("lambda")
        self.sqs = self.client("sqs")

    def queue(self, name, **attrs):
        url = self.sqs.create_queue(QueueName=name, Attributes=attrs)["QueueUrl"]
        arn = self.sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
        return url, arn

    def forwarder(self, name, results_url, **env):
        variables = {"RESULTS": results_url}
        variables.update(env)
        self.lam.create_function(FunctionName=name, Runtime="python3.12", Role=ROLE, Handler="app.handler",
                                 Code={"ZipFile": zip_of({"app.py": FORWARDER})}, Timeout=30,
                                 Environment={"Variables": variables})

    def results(self, url, count, timeout=15):
        got = []
        deadline = time.time() + timeout
        while len(got) < count and time.time() < deadline:
            for m in self.sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10, WaitTimeSeconds=1).get("Messages", []):
                got.append(json.loads(m["Body"]))
                self.sqs.delete_message(QueueUrl=url, ReceiptHandle=m["ReceiptHandle"])
        return got

    def test_sqs_event_source_mapping(self):
        results_url, _ = self.queue("esm-results")
        src_url, src_arn = self.queue("esm-source")
        self.forwarder("sqs-consumer", results_url)
        m = self.lam.create_event_source_mapping(EventSourceArn=src_arn, FunctionName="sqs-consumer", BatchSize=5)
        self.assertEqual(m["ResponseMetadata"]["HTTPStatusCode"], 202)
        self.assertEqual(m["State"], "Creating")
        self.assertEqual(m["BatchSize"], 5)
        self.assertEqual(m["FunctionArn"], "arn:aws:lambda:us-east-1:000000000000:function:sqs-consumer")
        self.assertEqual(self.lam.get_event_source_mapping(UUID=m["UUID"])["State"], "Enabled")
        self.sqs.send_message(QueueUrl=src_url, MessageBody="hello",
                              MessageAttributes={"k": {"DataType": "String", "StringValue": "v"}})
        events = self.results(results_url, 1)
        self.assertEqual(len(events), 1)
        rec = events[0]["Records"][0]
        self.assertEqual(rec["body"], "hello")
        self.assertEqual(rec["eventSource"], "aws:sqs")
        self.assertEqual(rec["eventSourceARN"], src_arn)
        self.assertEqual(rec["awsRegion"], "us-east-1")
        self.assertEqual(rec["messageAttributes"]["k"]["stringValue"], "v")
        self.assertEqual(rec["messageAttributes"]["k"]["dataType"], "String")
        self.assertEqual(rec["attributes"]["ApproximateReceiveCount"], "1")
        self.assertIn("SentTimestamp", rec["attributes"])
        # Processed messages are deleted from the source queue.
        time.sleep(0.5)
        attrs = self.sqs.get_queue_attributes(QueueUrl=src_url, AttributeNames=["All"])["Attributes"]
        self.assertEqual(attrs["ApproximateNumberOfMessages"], "0")
        self.assertEqual(attrs["ApproximateNumberOfMessagesNotVisible"], "0")
        listed = self.lam.list_event_source_mappings(FunctionName="sqs-consumer")["EventSourceMappings"]
        self.assertEqual([x["UUID"] for x in listed], [m["UUID"]])
        d = self.lam.delete_event_source_mapping(UUID=m["UUID"])
        self.assertEqual(d["State"], "Deleting")
        with self.assertRaises(ClientError) as cm:
            self.lam.get_event_source_mapping(UUID=m["UUID"])
        self.assertEqual(cm.exception.response["Error"]["Code"], "ResourceNotFoundException")

    def test_sqs_failures_stay_and_reach_the_queue_dlq(self):
        results_url, _ = self.queue("fail-results")
        dlq_url, dlq_arn = self.queue("fail-dlq")
        src_url, src_arn = self.queue("fail-source", VisibilityTimeout="1",
                                      RedrivePolicy=json.dumps({"deadLetterTargetArn": dlq_arn, "maxReceiveCount": "2"}))
        self.forwarder("sqs-failing", results_url)
        self.lam.create_event_source_mapping(EventSourceArn=src_arn, FunctionName="sqs-failing", BatchSize=1)
        self.sqs.send_message(QueueUrl=src_url, MessageBody="please fail")
        deadline = time.time() + 20
        moved = []
        while not moved and time.time() < deadline:
            moved = self.sqs.receive_message(QueueUrl=dlq_url, WaitTimeSeconds=1).get("Messages", [])
        self.assertEqual([m["Body"] for m in moved], ["please fail"])
        self.assertGreaterEqual(len(self.results(results_url, 2, timeout=3)), 2, "the function saw each receive")

    def test_sqs_report_batch_item_failures_and_filters(self):
        results_url, _ = self.queue("partial-results")
        src_url, src_arn = self.queue("partial-source", VisibilityTimeout="30")
        self.forwarder("sqs-partial", results_url, MODE="partial")
        self.lam.create_event_source_mapping(
            EventSourceArn=src_arn, FunctionName="sqs-partial", BatchSize=10, MaximumBatchingWindowInSeconds=1,
            FunctionResponseTypes=["ReportBatchItemFailures"],
            FilterCriteria={"Filters": [{"Pattern": json.dumps({"body": {"keep": [True]}})}]})
        self.sqs.send_message(QueueUrl=src_url, MessageBody=json.dumps({"keep": True, "n": 1}))
        self.sqs.send_message(QueueUrl=src_url, MessageBody=json.dumps({"keep": True, "n": 2, "fail": 1}))
        self.sqs.send_message(QueueUrl=src_url, MessageBody=json.dumps({"keep": False, "n": 3}))
        events = self.results(results_url, 1)
        bodies = sorted(json.loads(r["body"])["n"] for e in events for r in e["Records"])
        self.assertEqual(bodies, [1, 2], "the filtered-out message never reaches the function")
        time.sleep(0.5)
        attrs = self.sqs.get_queue_attributes(QueueUrl=src_url, AttributeNames=["All"])["Attributes"]
        # Only the reported failure remains (in flight until its visibility timeout ends).
        self.assertEqual(attrs["ApproximateNumberOfMessagesNotVisible"], "1")
        self.assertEqual(attrs["ApproximateNumberOfMessages"], "0")

    def test_dynamodb_stream_event_source_mapping(self):
        results_url, _ = self.queue("ddb-results")
        ddb = self.client("dynamodb")
        t = ddb.create_table(TableName="esm-table", AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
                             KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}], BillingMode="PAY_PER_REQUEST",
                             StreamSpecification={"StreamEnabled": True, "StreamViewType": "NEW_AND_OLD_IMAGES"})
        stream_arn = t["TableDescription"]["LatestStreamArn"]
        self.forwarder("ddb-consumer", results_url)
        m = self.lam.create_event_source_mapping(EventSourceArn=stream_arn, FunctionName="ddb-consumer",
                                                 StartingPosition="TRIM_HORIZON", BatchSize=10)
        self.assertEqual(m["StartingPosition"], "TRIM_HORIZON")
        self.assertEqual(m["MaximumRetryAttempts"], -1)
        ddb.put_item(TableName="esm-table", Item={"pk": {"S": "a"}, "v": {"N": "1"}})
        ddb.update_item(TableName="esm-table", Key={"pk": {"S": "a"}}, UpdateExpression="SET v = :v",
                        ExpressionAttributeValues={":v": {"N": "2"}})
        events = self.results(results_url, 2, timeout=15)
        records = [r for e in events for r in e["Records"]]
        self.assertEqual([r["eventName"] for r in records], ["INSERT", "MODIFY"])
        first = records[0]
        self.assertEqual(first["eventSource"], "aws:dynamodb")
        self.assertEqual(first["eventSourceARN"], stream_arn)
        self.assertEqual(first["dynamodb"]["Keys"], {"pk": {"S": "a"}})
        self.assertEqual(first["dynamodb"]["NewImage"]["v"], {"N": "1"})
        self.assertEqual(records[1]["dynamodb"]["OldImage"]["v"], {"N": "1"})

    def test_dynamodb_stream_failures_go_to_the_on_failure_destination(self):
        results_url, _ = self.queue("ddbf-results")
        dest_url, dest_arn = self.queue("ddbf-dest")
        ddb = self.client("dynamodb")
        t = ddb.create_table(TableName="esm-fail", AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
                             KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}], BillingMode="PAY_PER_REQUEST",
                             StreamSpecification={"StreamEnabled": True, "StreamViewType": "NEW_IMAGE"})
        stream_arn = t["TableDescription"]["LatestStreamArn"]
        self.forwarder("ddb-failing", results_url)
        self.lam.create_event_source_mapping(EventSourceArn=stream_arn, FunctionName="ddb-failing",
                                             StartingPosition="TRIM_HORIZON", MaximumRetryAttempts=1,
                                             DestinationConfig={"OnFailure": {"Destination": dest_arn}})
        ddb.put_item(TableName="esm-fail", Item={"pk": {"S": "fail"}})
        got = []
        deadline = time.time() + 20
        while not got and time.time() < deadline:
            got = self.sqs.receive_message(QueueUrl=dest_url, WaitTimeSeconds=1).get("Messages", [])
        self.assertEqual(len(got), 1)
        record = json.loads(got[0]["Body"])
        self.assertEqual(record["requestContext"]["condition"], "RetryAttemptsExhausted")
        self.assertEqual(record["requestContext"]["approximateInvokeCount"], 2)
        self.assertEqual(record["DDBStreamBatchInfo"]["batchSize"], 1)
        self.assertEqual(record["DDBStreamBatchInfo"]["streamArn"], stream_arn)
        self.assertEqual(record["responseContext"]["functionError"], "Unhandled")

    def test_sns_subscription_invokes_the_function(self):
        results_url, _ = self.queue("sns-results")
        self.forwarder("sns-consumer", results_url)
        sns = self.client("sns")
        topic = sns.create_topic(Name="to-lambda")["TopicArn"]
        fn_arn = self.lam.get_function(FunctionName="sns-consumer")["Configuration"]["FunctionArn"]
        sns.subscribe(TopicArn=topic, Protocol="lambda", Endpoint=fn_arn)
        sns.publish(TopicArn=topic, Message="ping", Subject="s")
        events = self.results(results_url, 1)
        self.assertEqual(len(events), 1)
        rec = events[0]["Records"][0]
        self.assertEqual(rec["EventSource"], "aws:sns")
        self.assertEqual(rec["Sns"]["Message"], "ping")
        self.assertEqual(rec["Sns"]["TopicArn"], topic)

    def test_event_source_mapping_validation(self):
        _, src_arn = self.queue("esm-validate")
        self.forwarder("esm-val", "http://unused")
        with self.assertRaises(ClientError) as cm:
            self.lam.create_event_source_mapping(EventSourceArn=src_arn, FunctionName="esm-val", BatchSize=50)
        self.assertEqual(cm.exception.response["Error"]["Code"], "InvalidParameterValueException")
        first = self.lam.create_event_source_mapping(EventSourceArn=src_arn, FunctionName="esm-val", Enabled=False)
        with self.assertRaises(ClientError) as cm:
            self.lam.create_event_source_mapping(EventSourceArn=src_arn, FunctionName="esm-val")
        self.assertEqual(cm.exception.response["Error"]["Code"], "ResourceConflictException")
        self.assertIn(first["UUID"], cm.exception.response["Error"]["Message"])
        u = self.lam.update_event_source_mapping(UUID=first["UUID"], BatchSize=3, Enabled=True)
        self.assertEqual(u["State"], "Updating")
        self.assertEqual(self.lam.get_event_source_mapping(UUID=first["UUID"])["BatchSize"], 3)


if __name__ == "__main__":
    unittest.main()
