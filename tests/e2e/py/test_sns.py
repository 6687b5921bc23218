"""SNS through boto3 (query protocol under both interpreters) and the AWS CLI: topics,
subscriptions, publishing with filter policies, fan-out to SQS (envelope, signature, raw delivery,
FIFO), HTTP subscribers that confirm, recorded email/SMS/push deliveries."""
import base64
import http.server
import json
import threading
import time
import unittest
import urllib.request
import uuid

from botocore.exceptions import ClientError

from stratus_harness import StratusTestCase, cli_available


def name(prefix="t"):
    return "%s-%s" % (prefix, uuid.uuid4().hex[:12])


class SnsTestCase(StratusTestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.sns = cls.stratus.client("sns")
        cls.sqs = cls.stratus.client("sqs")

    def topic(self, prefix="t", fifo=False, **attrs):
        attrs = {k: str(v) for k, v in attrs.items()}
        if fifo:
            attrs["FifoTopic"] = "true"
        return self.sns.create_topic(Name=name(prefix) + (".fifo" if fifo else ""), Attributes=attrs)["TopicArn"]

    def queue(self, fifo=False, **attrs):
        attrs = {k: str(v) for k, v in attrs.items()}
        if fifo:
            attrs["FifoQueue"] = "true"
        url = self.sqs.create_queue(QueueName=name("q") + (".fifo" if fifo else ""), Attributes=attrs)["QueueUrl"]
        arn = self.sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
        return url, arn

    def receive_all(self, url, expect=None, attrs=False):
        out = []
        for _ in range(20):
            kw = {"MessageAttributeNames": ["All"], "AttributeNames": ["All"]} if attrs else {}
            r = self.sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10, **kw)
            out += r.get("Messages", [])
            if expect is None or len(out) >= expect:
                break
            time.sleep(0.05)
        return out

    def error(self, fn, **kw):
        with self.assertRaises(ClientError) as cm:
            fn(**kw)
        return cm.exception.response

    def recorded(self, **query):
        qs = "&".join("%s=%s" % kv for kv in query.items())
        _, _, body = self.stratus.http("GET", "/_stratus/sns/messages" + ("?" + qs if qs else ""))
        return json.loads(body)["messages"]


class Topics(SnsTestCase):
    def test_create_list_attributes_delete(self):
        n = name("life")
        arn = self.sns.create_topic(Name=n)["TopicArn"]
        self.assertEqual(arn, "arn:aws:sns:us-east-1:000000000000:" + n)
        self.assertEqual(self.sns.create_topic(Name=n)["TopicArn"], arn)
        self.assertIn({"TopicArn": arn}, self.sns.list_topics()["Topics"])
        a = self.sns.get_topic_attributes(TopicArn=arn)["Attributes"]
        self.assertEqual(a["TopicArn"], arn)
        self.assertEqual(a["Owner"], "000000000000")
        self.assertEqual(a["DisplayName"], "")
        self.assertEqual(a["SubscriptionsConfirmed"], "0")
        self.assertEqual(json.loads(a["Policy"])["Statement"][0]["Resource"], arn)
        self.assertIn("EffectiveDeliveryPolicy", a)
        self.sns.set_topic_attributes(TopicArn=arn, AttributeName="DisplayName", AttributeValue="My Topic")
        self.assertEqual(self.sns.get_topic_attributes(TopicArn=arn)["Attributes"]["DisplayName"], "My Topic")
        self.sns.delete_topic(TopicArn=arn)
        e = self.error(self.sns.get_topic_attributes, TopicArn=arn)
        self.assertEqual(e["Error"]["Code"], "NotFound")
        self.assertEqual(e["Error"]["Message"], "Topic does not exist")
        self.assertEqual(e["ResponseMetadata"]["HTTPStatusCode"], 404)

    def test_name_and_attribute_errors(self):
        e = self.error(self.sns.create_topic, Name="bad name")
        self.assertEqual(e["Error"]["Code"], "InvalidParameter")
        self.assertEqual(e["Error"]["Message"], "Invalid parameter: Topic Name")
        e = self.error(self.sns.create_topic, Name="x.fifo")
        self.assertEqual(e["Error"]["Message"], "Invalid parameter: Topic Name")
        arn = self.topic()
        e = self.error(self.sns.set_topic_attributes, TopicArn=arn, AttributeName="Bogus", AttributeValue="1")
        self.assertEqual(e["Error"]["Message"], "Invalid parameter: AttributeName")
        e = self.error(self.sns.get_topic_attributes, TopicArn="not-an-arn")
        self.assertEqual(e["Error"]["Message"], "Invalid parameter: TopicArn")

    def test_fifo_topic(self):
        arn = self.topic(fifo=True, ContentBasedDeduplication="true")
        a = self.sns.get_topic_attributes(TopicArn=arn)["Attributes"]
        self.assertEqual(a["FifoTopic"], "true")
        self.assertEqual(a["ContentBasedDeduplication"], "true")

    def test_tags_permissions_data_protection(self):
        arn = self.sns.create_topic(Name=name(), Tags=[{"Key": "team", "Value": "a"}])["TopicArn"]
        self.sns.tag_resource(ResourceArn=arn, Tags=[{"Key": "env", "Value": "dev"}])
        tags = {t["Key"]: t["Value"] for t in self.sns.list_tags_for_resource(ResourceArn=arn)["Tags"]}
        self.assertEqual(tags, {"team": "a", "env": "dev"})
        self.sns.untag_resource(ResourceArn=arn, TagKeys=["team"])
        self.assertEqual(self.sns.list_tags_for_resource(ResourceArn=arn)["Tags"], [{"Key": "env", "Value": "dev"}])
        e = self.error(self.sns.list_tags_for_resource, ResourceArn=arn + "-missing")
        self.assertEqual(e["Error"]["Code"], "ResourceNotFound")
        self.sns.add_permission(TopicArn=arn, Label="pub", AWSAccountId=["111122223333"], ActionName=["Publish"])
        statements = json.loads(self.sns.get_topic_attributes(TopicArn=arn)["Attributes"]["Policy"])["Statement"]
        self.assertEqual(statements[-1]["Sid"], "pub")
        self.assertEqual(statements[-1]["Action"], ["SNS:Publish"])
        self.sns.remove_permission(TopicArn=arn, Label="pub")
        self.assertEqual(len(json.loads(self.sns.get_topic_attributes(TopicArn=arn)["Attributes"]["Policy"])["Statement"]), 1)
        policy = json.dumps({"Name": "p", "Version": "2021-06-01", "Statement": []})
        self.sns.put_data_protection_policy(ResourceArn=arn, DataProtectionPolicy=policy)
        self.assertEqual(self.sns.get_data_protection_policy(ResourceArn=arn)["DataProtectionPolicy"], policy)


class Fanout(SnsTestCase):
    def test_envelope_and_signature(self):
        arn = self.topic()
        url, qarn = self.queue()
        sub = self.sns.subscribe(TopicArn=arn, Protocol="sqs", Endpoint=qarn)["SubscriptionArn"]
        self.assertTrue(sub.startswith(arn + ":"))
        pub = self.sns.publish(TopicArn=arn, Message="hello", Subject="greeting",
                               MessageAttributes={"k": {"DataType": "String", "StringValue": "v"},
                                                  "b": {"DataType": "Binary", "BinaryValue": b"\x01\x02"}})
        m = self.receive_all(url, 1)[0]
        env = json.loads(m["Body"])
        self.assertEqual(list(env)[:2], ["Type", "MessageId"])
        self.assertEqual(env["Type"], "Notification")
        self.assertEqual(env["MessageId"], pub["MessageId"])
        self.assertEqual(env["TopicArn"], arn)
        self.assertEqual(env["Subject"], "greeting")
        self.assertEqual(env["Message"], "hello")
        self.assertRegex(env["Timestamp"], r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$")
        self.assertEqual(env["SignatureVersion"], "1")
        self.assertEqual(env["UnsubscribeURL"], "%s/?Action=Unsubscribe&SubscriptionArn=%s" % (self.stratus.endpoint, sub))
        self.assertEqual(env["MessageAttributes"], {"k": {"Type": "String", "Value": "v"},
                                                    "b": {"Type": "Binary", "Value": base64.b64encode(b"\x01\x02").decode()}})
        # The signature verifies against the certificate served at SigningCertURL.
        from cryptography import x509
        from cryptography.hazmat.primitives import hashes
        from cryptography.hazmat.primitives.asymmetric import padding
        self.assertTrue(env["SigningCertURL"].startswith(self.stratus.endpoint + "/SimpleNotificationService-"))
        cert = x509.load_pem_x509_certificate(urllib.request.urlopen(env["SigningCertURL"]).read())
        text = "".join("%s\n%s\n" % (k, env[k]) for k in ("Message", "MessageId", "Subject", "Timestamp", "TopicArn", "Type"))
        cert.public_key().verify(base64.b64decode(env["Signature"]), text.encode(), padding.PKCS1v15(), hashes.SHA1())

    def test_raw_delivery(self):
        arn = self.topic()
        url, qarn = self.queue()
        self.sns.subscribe(TopicArn=arn, Protocol="sqs", Endpoint=qarn, Attributes={"RawMessageDelivery": "true"})
        self.sns.publish(TopicArn=arn, Message="raw body", MessageAttributes={"n": {"DataType": "Number", "StringValue": "5"}})
        m = self.receive_all(url, 1, attrs=True)[0]
        self.assertEqual(m["Body"], "raw body")
        self.assertEqual(m["MessageAttributes"]["n"], {"StringValue": "5", "DataType": "Number"})

    def test_fanout_with_filter_policies(self):
        arn = self.topic()
        queues = {}
        policies = {
            "red": {"color": ["red"]},
            "big": {"size": [{"numeric": [">=", 10, "<", 100]}]},
            "not_red_prefix": {"color": [{"anything-but": {"prefix": "re"}}], "size": [{"exists": True}]},
            "all": None,
        }
        for key, policy in policies.items():
            url, qarn = self.queue()
            attrs = {"FilterPolicy": json.dumps(policy)} if policy else {}
            self.sns.subscribe(TopicArn=arn, Protocol="sqs", Endpoint=qarn, Attributes=attrs)
            queues[key] = url
        msgs = [("red", 5), ("blue", 50), ("red", 10), ("rose", 500), ("green", None)]
        for color, size in msgs:
            attrs = {"color": {"DataType": "String", "StringValue": color}}
            if size is not None:
                attrs["size"] = {"DataType": "Number", "StringValue": str(size)}
            self.sns.publish(TopicArn=arn, Message="%s-%s" % (color, size), MessageAttributes=attrs)
        got = {k: sorted(json.loads(m["Body"])["Message"] for m in self.receive_all(u, 5 if k == "all" else None))
               for k, u in queues.items()}
        self.assertEqual(got["red"], ["red-10", "red-5"])
        self.assertEqual(got["big"], ["blue-50", "red-10"])
        self.assertEqual(got["not_red_prefix"], ["blue-50", "rose-500"])
        self.assertEqual(len(got["all"]), 5)

    def test_message_body_filter_scope(self):
        arn = self.topic()
        url, qarn = self.queue()
        self.sns.subscribe(TopicArn=arn, Protocol="sqs", Endpoint=qarn, Attributes={
            "FilterPolicyScope": "MessageBody",
            "FilterPolicy": json.dumps({"order": {"status": ["paid"], "total": [{"numeric": [">", 100]}]}}),
        })
        self.sns.publish(TopicArn=arn, Message=json.dumps({"order": {"status": "paid", "total": 150}}))
        self.sns.publish(TopicArn=arn, Message=json.dumps({"order": {"status": "paid", "total": 50}}))
        self.sns.publish(TopicArn=arn, Message="not json")
        got = [json.loads(json.loads(m["Body"])["Message"]) for m in self.receive_all(url, 1)]
        self.assertEqual(got, [{"order": {"status": "paid", "total": 150}}])

    def test_filter_policy_errors(self):
        arn = self.topic()
        _, qarn = self.queue()
        cases = [
            ({"a": "b"}, 'Invalid parameter: Attributes Reason: FilterPolicy: "a" must be an object or an array'),
            ({"a": [{"numeric": [">", "x"]}]}, "Invalid parameter: Attributes Reason: FilterPolicy: Value of > must be numeric"),
            ({"a": [{"prefix": 1}]}, "Invalid parameter: Attributes Reason: FilterPolicy: prefix match pattern must be a string"),
            ({"a": [{"bogus": 1}]}, "Invalid parameter: Attributes Reason: FilterPolicy: Unrecognized match type bogus"),
            ({"a": [1], "b": [1], "c": [1], "d": [1], "e": [1], "f": [1]},
             "Invalid parameter: Attributes Reason: FilterPolicy: Filter policy can not have more than 5 keys"),
            ({"a": {"b": ["c"]}}, "Invalid parameter: Attributes Reason: Filter policy scope MessageAttributes does not "
                                  "support nested filter policy"),
        ]
        for policy, message in cases:
            e = self.error(self.sns.subscribe, TopicArn=arn, Protocol="sqs", Endpoint=qarn,
                           Attributes={"FilterPolicy": json.dumps(policy)})
            self.assertEqual(e["Error"]["Code"], "InvalidParameter")
            self.assertEqual(e["Error"]["Message"], message)
        sub = self.sns.subscribe(TopicArn=arn, Protocol="sqs", Endpoint=qarn)["SubscriptionArn"]
        e = self.error(self.sns.set_subscription_attributes, SubscriptionArn=sub, AttributeName="FilterPolicy",
                       AttributeValue=json.dumps({"a": [{"numeric": ["<", 1, ">", 0]}]}))
        self.assertEqual(e["Error"]["Message"], "Invalid parameter: FilterPolicy: Too many elements in numeric expression")

    def test_fifo_topic_to_fifo_queue(self):
        arn = self.topic(fifo=True)
        url, qarn = self.queue(fifo=True)
        self.sns.subscribe(TopicArn=arn, Protocol="sqs", Endpoint=qarn, Attributes={"RawMessageDelivery": "true"})
        ids = []
        for i in range(5):
            r = self.sns.publish(TopicArn=arn, Message="m%d" % i, MessageGroupId="g", MessageDeduplicationId="d%d" % i)
            self.assertRegex(r["SequenceNumber"], r"^\d{20}$")
            ids.append(r["MessageId"])
        dup = self.sns.publish(TopicArn=arn, Message="m0 again", MessageGroupId="g", MessageDeduplicationId="d0")
        self.assertEqual(dup["MessageId"], ids[0])
        got = self.receive_all(url, 5, attrs=True)
        self.assertEqual([m["Body"] for m in got], ["m0", "m1", "m2", "m3", "m4"])
        self.assertEqual(got[0]["Attributes"]["MessageGroupId"], "g")
        e = self.error(self.sns.publish, TopicArn=arn, Message="x", MessageDeduplicationId="d")
        self.assertEqual(e["Error"]["Message"], "Invalid parameter: The MessageGroupId parameter is required for FIFO topics")
        std_url, std_arn = self.queue()
        e = self.error(self.sns.subscribe, TopicArn=arn, Protocol="sqs", Endpoint=std_arn)
        self.assertEqual(e["Error"]["Code"], "InvalidParameter")

    def test_subscription_dead_letter_queue(self):
        arn = self.topic()
        dlq_url, dlq_arn = self.queue()
        url, qarn = self.queue()
        self.sns.subscribe(TopicArn=arn, Protocol="sqs", Endpoint=qarn,
                           Attributes={"RedrivePolicy": json.dumps({"deadLetterTargetArn": dlq_arn})})
        self.sqs.delete_queue(QueueUrl=url)
        self.sns.publish(TopicArn=arn, Message="lost")
        got = self.receive_all(dlq_url, 1)
        self.assertEqual(json.loads(got[0]["Body"])["Message"], "lost")

    def test_message_structure_json(self):
        arn = self.topic()
        url, qarn = self.queue()
        self.sns.subscribe(TopicArn=arn, Protocol="sqs", Endpoint=qarn)
        self.sns.publish(TopicArn=arn, MessageStructure="json", Message=json.dumps({"default": "d", "sqs": "for sqs"}))
        self.assertEqual(json.loads(self.receive_all(url, 1)[0]["Body"])["Message"], "for sqs")
        e = self.error(self.sns.publish, TopicArn=arn, MessageStructure="json", Message=json.dumps({"sqs": "x"}))
        self.assertEqual(e["Error"]["Message"], "Invalid parameter: Message Structure - No default entry in JSON message body")

    def test_publish_errors(self):
        arn = self.topic()
        e = self.error(self.sns.publish, TopicArn=arn, Message="")
        self.assertEqual(e["Error"]["Message"], "Invalid parameter: Empty message")
        e = self.error(self.sns.publish, TopicArn=arn, Message="x" * 262145)
        self.assertEqual(e["Error"]["Message"], "Invalid parameter: Message too long")
        e = self.error(self.sns.publish, TopicArn=arn + "-missing", Message="x")
        self.assertEqual(e["Error"]["Code"], "NotFound")
        e = self.error(self.sns.publish, TopicArn=arn, Message="x",
                       MessageAttributes={"a": {"DataType": "String", "StringValue": ""}})
        self.assertEqual(e["Error"]["Code"], "ParameterValueInvalid")

    def test_publish_batch(self):
        arn = self.topic()
        url, qarn = self.queue()
        self.sns.subscribe(TopicArn=arn, Protocol="sqs", Endpoint=qarn, Attributes={"RawMessageDelivery": "true"})
        r = self.sns.publish_batch(TopicArn=arn, PublishBatchRequestEntries=[
            {"Id": "1", "Message": "one"}, {"Id": "2", "Message": "two"}, {"Id": "3", "Message": ""}])
        self.assertEqual(sorted(x["Id"] for x in r["Successful"]), ["1", "2"])
        self.assertEqual(r["Failed"], [{"Id": "3", "Code": "InvalidParameter", "Message": "Invalid parameter: Empty message",
                                        "SenderFault": True}])
        self.assertEqual(sorted(m["Body"] for m in self.receive_all(url, 2)), ["one", "two"])
        e = self.error(self.sns.publish_batch, TopicArn=arn, PublishBatchRequestEntries=[
            {"Id": "a", "Message": "x"}, {"Id": "a", "Message": "y"}])
        self.assertEqual(e["Error"]["Code"], "BatchEntryIdsNotDistinct")


class Subscriptions(SnsTestCase):
    def test_subscription_attributes_and_listing(self):
        arn = self.topic()
        _, qarn = self.queue()
        sub = self.sns.subscribe(TopicArn=arn, Protocol="sqs", Endpoint=qarn)["SubscriptionArn"]
        a = self.sns.get_subscription_attributes(SubscriptionArn=sub)["Attributes"]
        self.assertEqual(a["RawMessageDelivery"], "false")
        self.assertEqual(a["PendingConfirmation"], "false")
        self.assertEqual(a["Endpoint"], qarn)
        self.assertEqual(a["Protocol"], "sqs")
        self.sns.set_subscription_attributes(SubscriptionArn=sub, AttributeName="RawMessageDelivery", AttributeValue="true")
        self.assertEqual(self.sns.get_subscription_attributes(SubscriptionArn=sub)["Attributes"]["RawMessageDelivery"], "true")
        # Subscribing again is idempotent.
        self.assertEqual(self.sns.subscribe(TopicArn=arn, Protocol="sqs", Endpoint=qarn)["SubscriptionArn"], sub)
        listed = self.sns.list_subscriptions_by_topic(TopicArn=arn)["Subscriptions"]
        self.assertEqual(listed, [{"SubscriptionArn": sub, "Owner": "000000000000", "Protocol": "sqs",
                                   "Endpoint": qarn, "TopicArn": arn}])
        self.sns.unsubscribe(SubscriptionArn=sub)
        e = self.error(self.sns.get_subscription_attributes, SubscriptionArn=sub)
        self.assertEqual(e["Error"]["Code"], "NotFound")
        e = self.error(self.sns.subscribe, TopicArn=arn, Protocol="carrier-pigeon", Endpoint="x")
        self.assertEqual(e["Error"]["Message"], "Invalid parameter: Amazon SNS does not support this protocol string: carrier-pigeon")

    def test_http_subscriber_confirms_and_receives(self):
        received = []

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                received.append((dict(self.headers), json.loads(body)))
                self.send_response(200)
                self.end_headers()

            def log_message(self, *a):
                pass

        server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        try:
            arn = self.topic()
            endpoint = "http://127.0.0.1:%d/hook" % server.server_port
            r = self.sns.subscribe(TopicArn=arn, Protocol="http", Endpoint=endpoint)
            self.assertEqual(r["SubscriptionArn"], "pending confirmation")
            for _ in range(100):
                if received:
                    break
                time.sleep(0.05)
            headers, confirmation = received[0]
            self.assertEqual(headers["x-amz-sns-message-type"], "SubscriptionConfirmation")
            self.assertEqual(confirmation["Type"], "SubscriptionConfirmation")
            self.assertEqual(confirmation["TopicArn"], arn)
            # The subscriber follows SubscribeURL, as SDK helpers do.
            body = urllib.request.urlopen(confirmation["SubscribeURL"]).read().decode()
            self.assertIn("<ConfirmSubscriptionResult><SubscriptionArn>%s:" % arn, body)
            subs = self.sns.list_subscriptions_by_topic(TopicArn=arn)["Subscriptions"]
            self.assertTrue(subs[0]["SubscriptionArn"].startswith(arn + ":"))
            self.sns.publish(TopicArn=arn, Message="to http", Subject="s")
            for _ in range(100):
                if len(received) > 1:
                    break
                time.sleep(0.05)
            headers, note = received[1]
            self.assertEqual(headers["x-amz-sns-message-type"], "Notification")
            self.assertEqual(headers["x-amz-sns-subscription-arn"], subs[0]["SubscriptionArn"])
            self.assertEqual(note["Message"], "to http")
            self.assertEqual(note["Subject"], "s")
        finally:
            server.shutdown()
            server.server_close()

    def test_http_retries_then_dead_letter_queue(self):
        attempts = []

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self):
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                attempts.append(body)
                # Confirmations succeed; notifications fail with a server error.
                self.send_response(200 if body["Type"] == "SubscriptionConfirmation" else 500)
                self.end_headers()

            def log_message(self, *a):
                pass

        server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        try:
            arn = self.topic()
            dlq_url, dlq_arn = self.queue()
            self.sns.subscribe(TopicArn=arn, Protocol="http", Endpoint="http://127.0.0.1:%d/" % server.server_port)
            for _ in range(100):
                if attempts:
                    break
                time.sleep(0.05)
            sub = self.sns.confirm_subscription(TopicArn=arn, Token=attempts[0]["Token"])["SubscriptionArn"]
            self.sns.set_subscription_attributes(SubscriptionArn=sub, AttributeName="DeliveryPolicy", AttributeValue=json.dumps(
                {"healthyRetryPolicy": {"numRetries": 1, "minDelayTarget": 5, "maxDelayTarget": 5}}))
            self.sns.set_subscription_attributes(SubscriptionArn=sub, AttributeName="RedrivePolicy",
                                                 AttributeValue=json.dumps({"deadLetterTargetArn": dlq_arn}))
            self.sns.publish(TopicArn=arn, Message="flaky")
            for _ in range(100):
                if len(attempts) >= 2:
                    break
                time.sleep(0.05)
            self.assertEqual(len(attempts), 2)
            self.assertEqual(self.sqs.receive_message(QueueUrl=dlq_url).get("Messages"), None)
            # The retry waits on the service clock: move it past minDelayTarget.
            self.stratus.advance_clock(6)
            got = self.receive_all(dlq_url, 1)
            self.assertEqual(len(attempts), 3)
            self.assertEqual(json.loads(got[0]["Body"])["Message"], "flaky")
        finally:
            server.shutdown()
            server.server_close()

    def test_email_confirmation_and_recorded_deliveries(self):
        arn = self.topic()
        addr = "%s@example.com" % uuid.uuid4().hex[:8]
        self.sns.subscribe(TopicArn=arn, Protocol="email", Endpoint=addr)
        conf = self.recorded(endpoint=addr)
        self.assertEqual(conf[0]["Type"], "SubscriptionConfirmation")
        token = conf[0]["Message"].split("Token=")[1]
        sub = self.sns.confirm_subscription(TopicArn=arn, Token=token)["SubscriptionArn"]
        self.assertTrue(sub.startswith(arn + ":"))
        self.sns.publish(TopicArn=arn, Message="by mail", Subject="hi")
        mails = self.recorded(endpoint=addr)
        self.assertEqual([m["Type"] for m in mails], ["SubscriptionConfirmation", "Notification"])
        self.assertEqual(mails[1]["Message"], "by mail")
        self.assertEqual(mails[1]["Subject"], "hi")
        e = self.error(self.sns.confirm_subscription, TopicArn=arn, Token="bad")
        self.assertEqual(e["Error"]["Message"], "Invalid parameter: Invalid token")

    def test_unsubscribe_url(self):
        arn = self.topic()
        url, qarn = self.queue()
        self.sns.subscribe(TopicArn=arn, Protocol="sqs", Endpoint=qarn)
        self.sns.publish(TopicArn=arn, Message="x")
        env = json.loads(self.receive_all(url, 1)[0]["Body"])
        urllib.request.urlopen(env["UnsubscribeURL"]).read()
        self.assertEqual(self.sns.list_subscriptions_by_topic(TopicArn=arn)["Subscriptions"], [])


class Durability(SnsTestCase):
    def test_topics_subscriptions_and_signing_key_survive_restart(self):
        arn = self.topic()
        url, qarn = self.queue()
        self.sns.subscribe(TopicArn=arn, Protocol="sqs", Endpoint=qarn,
                           Attributes={"FilterPolicy": json.dumps({"k": ["v"]})})
        self.sns.publish(TopicArn=arn, Message="before", MessageAttributes={"k": {"DataType": "String", "StringValue": "v"}})
        cert_before = json.loads(self.receive_all(url, 1)[0]["Body"])["SigningCertURL"]
        self.stratus.kill9()
        self.stratus.restart()
        sns, sqs = self.stratus.client("sns"), self.stratus.client("sqs")
        self.assertEqual(sns.get_topic_attributes(TopicArn=arn)["Attributes"]["SubscriptionsConfirmed"], "1")
        sns.publish(TopicArn=arn, Message="filtered out", MessageAttributes={"k": {"DataType": "String", "StringValue": "x"}})
        sns.publish(TopicArn=arn, Message="after", MessageAttributes={"k": {"DataType": "String", "StringValue": "v"}})
        url = sqs.get_queue_url(QueueName=qarn.rsplit(":", 1)[1])["QueueUrl"]
        got = []
        for _ in range(20):
            got += sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10).get("Messages", [])
            if got:
                break
            time.sleep(0.05)
        env = json.loads(got[0]["Body"])
        self.assertEqual([json.loads(m["Body"])["Message"] for m in got], ["after"])
        # Same certificate name on the (new) port: the key was kept in the data dir.
        self.assertEqual(env["SigningCertURL"].rsplit("/", 1)[1], cert_before.rsplit("/", 1)[1])


class SmsAndPush(SnsTestCase):
    def test_sms(self):
        phone = "+1555%07d" % (uuid.uuid4().int % 10000000)
        r = self.sns.publish(PhoneNumber=phone, Message="code 1234")
        msgs = self.recorded(protocol="sms", endpoint=urllib.request.quote(phone))
        self.assertEqual(msgs[0]["Message"], "code 1234")
        self.assertEqual(msgs[0]["MessageId"], r["MessageId"])
        e = self.error(self.sns.publish, PhoneNumber="12ab", Message="x")
        self.assertEqual(e["Error"]["Code"], "InvalidParameter")
        self.sns.set_sms_attributes(attributes={"DefaultSMSType": "Transactional"})
        self.assertEqual(self.sns.get_sms_attributes(attributes=["DefaultSMSType"])["attributes"],
                         {"DefaultSMSType": "Transactional"})
        self.assertFalse(self.sns.check_if_phone_number_is_opted_out(phoneNumber=phone)["isOptedOut"])

    def test_platform_endpoint(self):
        app = self.sns.create_platform_application(Name=name("app"), Platform="GCM",
                                                   Attributes={"PlatformCredential": "key"})["PlatformApplicationArn"]
        self.assertRegex(app, r"^arn:aws:sns:us-east-1:000000000000:app/GCM/app-")
        ep = self.sns.create_platform_endpoint(PlatformApplicationArn=app, Token="device-1")["EndpointArn"]
        self.assertEqual(self.sns.create_platform_endpoint(PlatformApplicationArn=app, Token="device-1")["EndpointArn"], ep)
        self.assertEqual(self.sns.get_endpoint_attributes(EndpointArn=ep)["Attributes"]["Enabled"], "true")
        self.sns.publish(TargetArn=ep, MessageStructure="json", Message=json.dumps({"default": "d", "GCM": "{\"data\":1}"}))
        msgs = self.recorded(protocol="application")
        self.assertEqual([m["Message"] for m in msgs if m["Endpoint"] == ep], ['{"data":1}'])
        self.sns.set_endpoint_attributes(EndpointArn=ep, Attributes={"Enabled": "false"})
        e = self.error(self.sns.publish, TargetArn=ep, Message="x")
        self.assertEqual(e["Error"]["Code"], "EndpointDisabled")
        eps = self.sns.list_endpoints_by_platform_application(PlatformApplicationArn=app)["Endpoints"]
        self.assertEqual([x["EndpointArn"] for x in eps], [ep])
        self.sns.delete_platform_application(PlatformApplicationArn=app)
        self.assertNotIn(app, [a["PlatformApplicationArn"] for a in self.sns.list_platform_applications()["PlatformApplications"]])


@unittest.skipUnless(cli_available(), "AWS CLI v1 not installed")
class CliV1(SnsTestCase):
    def test_cli(self):
        arn = json.loads(self.stratus.aws_cli("sns", "create-topic", "--name", name("cli")).stdout)["TopicArn"]
        url, qarn = self.queue()
        self.stratus.aws_cli("sns", "subscribe", "--topic-arn", arn, "--protocol", "sqs", "--notification-endpoint", qarn)
        out = json.loads(self.stratus.aws_cli("sns", "publish", "--topic-arn", arn, "--message", "from cli v1").stdout)
        self.assertRegex(out["MessageId"], r"^[0-9a-f-]{36}$")
        self.assertEqual(json.loads(self.receive_all(url, 1)[0]["Body"])["Message"], "from cli v1")


@unittest.skipUnless(cli_available(v2=True), "AWS CLI v2 not installed")
class CliV2(SnsTestCase):
    def test_cli(self):
        arn = json.loads(self.stratus.aws_cli("sns", "create-topic", "--name", name("cli2"), v2=True).stdout)["TopicArn"]
        url, qarn = self.queue()
        self.stratus.aws_cli("sns", "subscribe", "--topic-arn", arn, "--protocol", "sqs", "--notification-endpoint", qarn,
                             "--attributes", '{"RawMessageDelivery":"true"}', v2=True)
        self.stratus.aws_cli("sns", "publish", "--topic-arn", arn, "--message", "from cli v2", v2=True)
        self.assertEqual(self.receive_all(url, 1)[0]["Body"], "from cli v2")
        p = self.stratus.aws_cli("sns", "get-topic-attributes", "--topic-arn", arn + "x", v2=True, check=False)
        self.assertIn("NotFound", p.stderr)


if __name__ == "__main__":
    unittest.main()
