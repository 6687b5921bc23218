"""S3 event notifications delivered through the integrations bus to the other services: SNS
topics (and their SQS subscribers), Lambda functions (invoked asynchronously, never with the
s3:TestEvent), EventBridge (the default bus, AWS's "Object Created"/"Object Deleted" events), and
lifecycle expirations that fire on Stratus's clock with no S3 request at all."""
import io
import json
import time
import urllib.parse
import uuid
import zipfile

from s3_helpers import S3TestCase

ROLE = "arn:aws:iam::000000000000:role/lambda-role"

# The function forwards each event it receives to a queue, so the test reads them through SQS.
FORWARDER = """
import boto3, json, os
sqs = boto3.client("sqs")
def handler(event, context):
    sqs.send_message(QueueUrl=os.environ["RESULTS"], MessageBody=json.dumps(event))
    return "ok"
"""


def zip_of(files):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for name, content in files.items():
            z.writestr(name, content)
    return buf.getvalue()


class S3NotifyTestCase(S3TestCase):
    def setUp(self):
        self.sqs = self.client("sqs")

    def queue(self, prefix="s3n"):
        url = self.sqs.create_queue(QueueName="%s-%s" % (prefix, uuid.uuid4().hex[:8]))["QueueUrl"]
        arn = self.sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
        return url, arn

    def receive(self, url, n=1, timeout=15):
        bodies = []
        deadline = time.time() + timeout
        while len(bodies) < n and time.time() < deadline:
            r = self.sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10, WaitTimeSeconds=1)
            for m in r.get("Messages", []):
                bodies.append(json.loads(m["Body"]))
                self.sqs.delete_message(QueueUrl=url, ReceiptHandle=m["ReceiptHandle"])
        return bodies

    def assert_record(self, rec, event_name, bucket, key, config_id=None):
        self.assertEqual(rec["eventVersion"], "2.1")
        self.assertEqual(rec["eventSource"], "aws:s3")
        self.assertEqual(rec["awsRegion"], "us-east-1")
        self.assertEqual(rec["eventName"], event_name)
        self.assertRegex(rec["eventTime"], r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$")
        self.assertEqual(rec["s3"]["s3SchemaVersion"], "1.0")
        self.assertEqual(rec["s3"]["bucket"]["name"], bucket)
        self.assertEqual(rec["s3"]["bucket"]["arn"], "arn:aws:s3:::" + bucket)
        self.assertIn("principalId", rec["s3"]["bucket"]["ownerIdentity"])
        self.assertEqual(urllib.parse.unquote_plus(rec["s3"]["object"]["key"]), key)
        self.assertRegex(rec["s3"]["object"]["sequencer"], r"^[0-9A-F]{16,}$")
        if config_id is not None:
            self.assertEqual(rec["s3"]["configurationId"], config_id)


class S3ToSns(S3NotifyTestCase):
    def test_topic_fans_records_out_to_its_subscribers(self):
        sns = self.client("sns")
        topic = sns.create_topic(Name="s3-events-%s" % uuid.uuid4().hex[:8])["TopicArn"]
        url, qarn = self.queue()
        sns.subscribe(TopicArn=topic, Protocol="sqs", Endpoint=qarn)
        b = self.bucket()
        self.s3.put_bucket_notification_configuration(Bucket=b, NotificationConfiguration={"TopicConfigurations": [
            {"Id": "uploads", "TopicArn": topic, "Events": ["s3:ObjectCreated:*"],
             "Filter": {"Key": {"FilterRules": [{"Name": "prefix", "Value": "in/"}]}}}]})
        # The topic got the s3:TestEvent when the configuration was stored.
        test = self.receive(url)[0]
        self.assertEqual(test["Type"], "Notification")
        self.assertEqual(test["Subject"], "Amazon S3 Notification")
        self.assertEqual(json.loads(test["Message"])["Event"], "s3:TestEvent")
        etag = self.s3.put_object(Bucket=b, Key="in/report 1.csv", Body=b"a,b\n")["ETag"].strip('"')
        self.s3.put_object(Bucket=b, Key="out/skipped.csv", Body=b"x")
        env = self.receive(url)[0]
        self.assertEqual((env["TopicArn"], env["Subject"]), (topic, "Amazon S3 Notification"))
        rec = json.loads(env["Message"])["Records"][0]
        self.assert_record(rec, "ObjectCreated:Put", b, "in/report 1.csv", "uploads")
        self.assertEqual(rec["s3"]["object"]["key"], "in/report+1.csv")
        self.assertEqual((rec["s3"]["object"]["size"], rec["s3"]["object"]["eTag"]), (4, etag))
        self.assertEqual(self.receive(url, timeout=2), [])

    def test_missing_topic_is_rejected(self):
        b = self.bucket()
        arn = "arn:aws:sns:us-east-1:000000000000:no-such-topic"
        code, status, err, _ = self.error(self.s3.put_bucket_notification_configuration, Bucket=b,
                                          NotificationConfiguration={"TopicConfigurations": [
                                              {"TopicArn": arn, "Events": ["s3:ObjectCreated:*"]}]})
        self.assertEqual((code, status, err["Message"]),
                         ("InvalidArgument", 400, "Unable to validate the following destination configurations"))


class S3ToLambda(S3NotifyTestCase):
    def function(self, results_url):
        lam = self.client("lambda")
        name = "on-upload-%s" % uuid.uuid4().hex[:8]
        lam.create_function(FunctionName=name, Runtime="python3.12", Role=ROLE, Handler="app.handler",
                            Code={"ZipFile": zip_of({"app.py": FORWARDER})}, Timeout=30,
                            Environment={"Variables": {"RESULTS": results_url}})
        return lam.get_function(FunctionName=name)["Configuration"]["FunctionArn"]

    def test_function_invoked_with_records_and_never_with_the_test_event(self):
        url, _ = self.queue("s3-lambda-results")
        fn = self.function(url)
        b = self.bucket()
        self.s3.put_bucket_notification_configuration(Bucket=b, NotificationConfiguration={
            "LambdaFunctionConfigurations": [
                {"Id": "thumbs", "LambdaFunctionArn": fn, "Events": ["s3:ObjectCreated:Put", "s3:ObjectRemoved:*"],
                 "Filter": {"Key": {"FilterRules": [{"Name": "suffix", "Value": ".jpg"}]}}}]})
        cfg = self.s3.get_bucket_notification_configuration(Bucket=b)["LambdaFunctionConfigurations"][0]
        self.assertEqual((cfg["Id"], cfg["LambdaFunctionArn"]), ("thumbs", fn))
        etag = self.s3.put_object(Bucket=b, Key="photos/cat.jpg", Body=b"meow")["ETag"].strip('"')
        self.s3.put_object(Bucket=b, Key="photos/readme.txt", Body=b"not selected")
        events = self.receive(url, 1, timeout=30)
        self.assertEqual(len(events), 1, events)
        # AWS checks a Lambda destination's permissions; it does not invoke it with s3:TestEvent.
        self.assertIn("Records", events[0])
        rec = events[0]["Records"][0]
        self.assert_record(rec, "ObjectCreated:Put", b, "photos/cat.jpg", "thumbs")
        self.assertEqual((rec["s3"]["object"]["size"], rec["s3"]["object"]["eTag"]), (4, etag))
        self.s3.delete_object(Bucket=b, Key="photos/cat.jpg")
        rec = self.receive(url, 1, timeout=30)[0]["Records"][0]
        self.assert_record(rec, "ObjectRemoved:Delete", b, "photos/cat.jpg", "thumbs")
        self.assertNotIn("size", rec["s3"]["object"])
        self.assertEqual(self.receive(url, timeout=2), [])

    def test_missing_function_is_rejected(self):
        b = self.bucket()
        arn = "arn:aws:lambda:us-east-1:000000000000:function:no-such-function"
        code, status, err, _ = self.error(self.s3.put_bucket_notification_configuration, Bucket=b,
                                          NotificationConfiguration={"LambdaFunctionConfigurations": [
                                              {"LambdaFunctionArn": arn, "Events": ["s3:ObjectCreated:*"]}]})
        self.assertEqual((code, status, err["Message"]),
                         ("InvalidArgument", 400, "Unable to validate the following destination configurations"))
        self.assertNotIn("LambdaFunctionConfigurations", self.s3.get_bucket_notification_configuration(Bucket=b))
        # SkipDestinationValidation stores it anyway (boto3 1.26 predates the parameter).
        if "SkipDestinationValidation" in self.s3.meta.service_model.operation_model(
                "PutBucketNotificationConfiguration").input_shape.members:
            self.s3.put_bucket_notification_configuration(Bucket=b, SkipDestinationValidation=True,
                                                          NotificationConfiguration={"LambdaFunctionConfigurations": [
                                                              {"LambdaFunctionArn": arn, "Events": ["s3:ObjectCreated:*"]}]})
            self.assertEqual(len(self.s3.get_bucket_notification_configuration(Bucket=b)["LambdaFunctionConfigurations"]), 1)


class S3ToEventBridge(S3NotifyTestCase):
    def test_created_and_deleted_events_on_the_default_bus(self):
        b = self.bucket()
        self.s3.put_bucket_versioning(Bucket=b, VersioningConfiguration={"Status": "Enabled"})
        self.s3.put_bucket_notification_configuration(Bucket=b, NotificationConfiguration={"EventBridgeConfiguration": {}})
        self.assertEqual(self.s3.get_bucket_notification_configuration(Bucket=b)["EventBridgeConfiguration"], {})
        url, qarn = self.queue()
        eb = self.client("events")
        rule = "s3-%s" % uuid.uuid4().hex[:8]
        eb.put_rule(Name=rule, EventPattern=json.dumps({"source": ["aws.s3"], "detail": {"bucket": {"name": [b]}}}))
        eb.put_targets(Rule=rule, Targets=[{"Id": "q", "Arn": qarn}])
        put = self.s3.put_object(Bucket=b, Key="docs/a b.txt", Body=b"hello")
        self.s3.put_object_tagging(Bucket=b, Key="docs/a b.txt", Tagging={"TagSet": [{"Key": "k", "Value": "v"}]})
        self.s3.delete_object(Bucket=b, Key="docs/a b.txt")
        events = {e["detail-type"]: e for e in self.receive(url, 3)}
        self.assertEqual(sorted(events), ["Object Created", "Object Deleted", "Object Tags Added"])
        created, deleted, tagged = events["Object Created"], events["Object Deleted"], events["Object Tags Added"]
        self.assertEqual(tagged["detail"]["object"]["etag"], put["ETag"].strip('"'))
        self.assertNotIn("deletion-type", tagged["detail"])
        self.assertEqual((created["source"], created["account"], created["region"]), ("aws.s3", "000000000000", "us-east-1"))
        self.assertEqual(created["resources"], ["arn:aws:s3:::" + b])
        d = created["detail"]
        self.assertEqual((d["version"], d["bucket"]["name"], d["reason"]), ("0", b, "PutObject"))
        # EventBridge keys are not URL-encoded (unlike the Records format).
        self.assertEqual(d["object"]["key"], "docs/a b.txt")
        self.assertEqual((d["object"]["size"], d["object"]["etag"]), (5, put["ETag"].strip('"')))
        self.assertEqual(d["object"]["version-id"], put["VersionId"])
        d = deleted["detail"]
        self.assertEqual((d["reason"], d["deletion-type"]), ("DeleteObject", "Delete Marker Created"))
        self.assertNotIn("size", d["object"])


class S3LifecycleOnTheClock(S3NotifyTestCase):
    """Moves the server's clock: a class (and server) of its own."""

    def test_expiration_fires_without_any_s3_request(self):
        url, qarn = self.queue()
        b = self.bucket()
        self.s3.put_bucket_notification_configuration(Bucket=b, NotificationConfiguration={"QueueConfigurations": [
            {"Id": "expiry", "QueueArn": qarn, "Events": ["s3:LifecycleExpiration:*"]}]})
        self.assertEqual(self.receive(url)[0]["Event"], "s3:TestEvent")
        self.s3.put_bucket_lifecycle_configuration(Bucket=b, LifecycleConfiguration={"Rules": [
            {"ID": "tmp", "Status": "Enabled", "Filter": {"Prefix": "tmp/"}, "Expiration": {"Days": 1}}]})
        self.s3.put_object(Bucket=b, Key="tmp/scratch", Body=b"x")
        self.s3.put_object(Bucket=b, Key="keep/this", Body=b"y")
        self.assertEqual(self.receive(url, timeout=2), [])
        self.stratus.advance_clock(2 * 86400 + 60)
        # Only SQS is asked from here on: the expiration happens on the clock, not on a request.
        msgs = self.receive(url, 1, timeout=15)
        self.assertEqual(len(msgs), 1)
        self.assert_record(msgs[0]["Records"][0], "LifecycleExpiration:Delete", b, "tmp/scratch", "expiry")
        self.assertEqual([o["Key"] for o in self.s3.list_objects_v2(Bucket=b)["Contents"]], ["keep/this"])
