"""SQS through boto3: pyenv's 1.43 speaks the JSON protocol, /usr/bin/python3's 1.26 the query
protocol — every test here runs against both. boto3 verifies MD5OfMessageBody and
MD5OfMessageAttributes on every send/receive, so a wrong digest fails the call itself."""
import hashlib
import json
import threading
import time
import unittest
import uuid

from botocore.exceptions import ClientError

from stratus_harness import StratusTestCase, boto3_version, cli_available

JSON_PROTOCOL = boto3_version() >= (1, 34)


def name(prefix="q"):
    return "%s-%s" % (prefix, uuid.uuid4().hex[:12])


class SqsTestCase(StratusTestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.sqs = cls.stratus.client("sqs")

    def queue(self, prefix="q", **attrs):
        return self.sqs.create_queue(QueueName=name(prefix), Attributes={k: str(v) for k, v in attrs.items()})["QueueUrl"]

    def fifo(self, prefix="f", **attrs):
        attrs = {k: str(v) for k, v in attrs.items()}
        attrs["FifoQueue"] = "true"
        return self.sqs.create_queue(QueueName=name(prefix) + ".fifo", Attributes=attrs)["QueueUrl"]

    def attrs(self, url, *names):
        return self.sqs.get_queue_attributes(QueueUrl=url, AttributeNames=list(names) or ["All"])["Attributes"]

    def arn(self, url):
        return self.attrs(url, "QueueArn")["QueueArn"]

    def error(self, fn, **kw):
        with self.assertRaises(ClientError) as cm:
            fn(**kw)
        return cm.exception.response

    def advance(self, seconds):
        status, _, _ = self.stratus.advance_clock(seconds)
        self.assertEqual(status, 200)


class Queues(SqsTestCase):
    def test_create_get_list_delete(self):
        n = name("life")
        url = self.sqs.create_queue(QueueName=n)["QueueUrl"]
        self.assertEqual(url, "%s/000000000000/%s" % (self.stratus.endpoint, n))
        self.assertEqual(self.sqs.get_queue_url(QueueName=n)["QueueUrl"], url)
        self.assertIn(url, self.sqs.list_queues(QueueNamePrefix=n)["QueueUrls"])
        self.sqs.delete_queue(QueueUrl=url)
        self.assertNotIn("QueueUrls", self.sqs.list_queues(QueueNamePrefix=n))

    def test_nonexistent_queue_error(self):
        e = self.error(self.sqs.get_queue_url, QueueName="does-not-exist")
        self.assertEqual(e["Error"]["Code"], "AWS.SimpleQueueService.NonExistentQueue")
        self.assertEqual(e["ResponseMetadata"]["HTTPStatusCode"], 400)
        self.assertEqual(e["Error"]["Type"], "Sender")
        if JSON_PROTOCOL:
            self.assertEqual(e["Error"]["Message"], "The specified queue does not exist.")
            self.assertEqual(e["ResponseMetadata"]["HTTPHeaders"]["x-amzn-query-error"],
                             "AWS.SimpleQueueService.NonExistentQueue;Sender")
        else:
            self.assertEqual(e["Error"]["Message"], "The specified queue does not exist for this wsdl version.")
        # The modeled exception class matches under both protocols.
        with self.assertRaises(self.sqs.exceptions.QueueDoesNotExist):
            self.sqs.send_message(QueueUrl="%s/000000000000/nope" % self.stratus.endpoint, MessageBody="x")

    def test_create_is_idempotent_and_rejects_different_attributes(self):
        n = name("idem")
        a = self.sqs.create_queue(QueueName=n, Attributes={"DelaySeconds": "5"})["QueueUrl"]
        self.assertEqual(self.sqs.create_queue(QueueName=n, Attributes={"DelaySeconds": "5"})["QueueUrl"], a)
        self.assertEqual(self.sqs.create_queue(QueueName=n)["QueueUrl"], a)
        e = self.error(self.sqs.create_queue, QueueName=n, Attributes={"DelaySeconds": "6"})
        self.assertEqual(e["Error"]["Code"], "QueueAlreadyExists")
        self.assertEqual(e["Error"]["Message"],
                         "A queue already exists with the same name and a different value for attribute DelaySeconds")

    def test_invalid_names(self):
        e = self.error(self.sqs.create_queue, QueueName="bad name!")
        self.assertEqual(e["Error"]["Code"], "InvalidParameterValue")
        self.assertEqual(e["Error"]["Message"],
                         "Can only include alphanumeric characters, hyphens, or underscores. 1 to 80 in length")
        e = self.error(self.sqs.create_queue, QueueName="x" * 81)
        self.assertEqual(e["Error"]["Code"], "InvalidParameterValue")
        e = self.error(self.sqs.create_queue, QueueName="nofifo", Attributes={"FifoQueue": "true"})
        self.assertEqual(e["Error"]["Code"], "InvalidParameterValue")
        self.assertIn("must end with .fifo suffix", e["Error"]["Message"])

    def test_list_queues_pagination(self):
        prefix = name("page")
        urls = sorted(self.sqs.create_queue(QueueName="%s-%d" % (prefix, i))["QueueUrl"] for i in range(5))
        first = self.sqs.list_queues(QueueNamePrefix=prefix, MaxResults=2)
        self.assertEqual(len(first["QueueUrls"]), 2)
        self.assertIn("NextToken", first)
        seen = list(first["QueueUrls"])
        token = first["NextToken"]
        while token:
            page = self.sqs.list_queues(QueueNamePrefix=prefix, MaxResults=2, NextToken=token)
            seen += page["QueueUrls"]
            token = page.get("NextToken")
        self.assertEqual(sorted(seen), urls)
        # Without MaxResults: everything, no token.
        self.assertNotIn("NextToken", self.sqs.list_queues(QueueNamePrefix=prefix))

    def test_default_attributes(self):
        a = self.attrs(self.queue())
        self.assertEqual(a["VisibilityTimeout"], "30")
        self.assertEqual(a["MaximumMessageSize"], "1048576")
        self.assertEqual(a["MessageRetentionPeriod"], "345600")
        self.assertEqual(a["DelaySeconds"], "0")
        self.assertEqual(a["ReceiveMessageWaitTimeSeconds"], "0")
        self.assertEqual(a["SqsManagedSseEnabled"], "true")
        self.assertEqual(a["ApproximateNumberOfMessages"], "0")
        self.assertRegex(a["QueueArn"], r"^arn:aws:sqs:us-east-1:000000000000:q-[0-9a-f]{12}$")
        self.assertRegex(a["CreatedTimestamp"], r"^\d{10}$")
        self.assertNotIn("FifoQueue", a)
        f = self.attrs(self.fifo())
        self.assertEqual(f["FifoQueue"], "true")
        self.assertEqual(f["ContentBasedDeduplication"], "false")
        self.assertEqual(f["DeduplicationScope"], "queue")
        self.assertEqual(f["FifoThroughputLimit"], "perQueue")

    def test_set_attributes_and_errors(self):
        url = self.queue()
        self.sqs.set_queue_attributes(QueueUrl=url, Attributes={"VisibilityTimeout": "60", "MaximumMessageSize": "2048"})
        a = self.attrs(url, "VisibilityTimeout", "MaximumMessageSize")
        self.assertEqual(a, {"VisibilityTimeout": "60", "MaximumMessageSize": "2048"})
        e = self.error(self.sqs.set_queue_attributes, QueueUrl=url, Attributes={"VisibilityTimeout": "43201"})
        self.assertEqual(e["Error"]["Code"], "InvalidAttributeValue")
        self.assertEqual(e["Error"]["Message"], "Invalid value for the parameter VisibilityTimeout.")
        e = self.error(self.sqs.set_queue_attributes, QueueUrl=url, Attributes={"Bogus": "1"})
        self.assertEqual(e["Error"]["Code"], "InvalidAttributeName")
        self.assertEqual(e["Error"]["Message"], "Unknown Attribute Bogus.")
        e = self.error(self.sqs.get_queue_attributes, QueueUrl=url, AttributeNames=["Nope"])
        self.assertEqual(e["Error"]["Code"], "InvalidAttributeName")

    def test_purge_in_progress(self):
        url = self.queue()
        self.sqs.send_message(QueueUrl=url, MessageBody="a")
        self.sqs.purge_queue(QueueUrl=url)
        self.assertEqual(self.attrs(url, "ApproximateNumberOfMessages")["ApproximateNumberOfMessages"], "0")
        e = self.error(self.sqs.purge_queue, QueueUrl=url)
        self.assertEqual(e["Error"]["Code"], "AWS.SimpleQueueService.PurgeQueueInProgress")
        self.assertEqual(e["ResponseMetadata"]["HTTPStatusCode"], 403)
        self.advance(61)
        self.sqs.purge_queue(QueueUrl=url)

    def test_tags(self):
        n = name("tags")
        url = self.sqs.create_queue(QueueName=n, tags={"team": "a"})["QueueUrl"]
        self.sqs.tag_queue(QueueUrl=url, Tags={"env": "dev"})
        self.assertEqual(self.sqs.list_queue_tags(QueueUrl=url)["Tags"], {"team": "a", "env": "dev"})
        self.sqs.untag_queue(QueueUrl=url, TagKeys=["team"])
        self.assertEqual(self.sqs.list_queue_tags(QueueUrl=url)["Tags"], {"env": "dev"})

    def test_permissions(self):
        url = self.queue()
        self.sqs.add_permission(QueueUrl=url, Label="p1", AWSAccountIds=["111122223333"], Actions=["SendMessage"])
        policy = json.loads(self.attrs(url, "Policy")["Policy"])
        self.assertEqual(policy["Statement"][0]["Sid"], "p1")
        self.assertEqual(policy["Statement"][0]["Action"], "SQS:SendMessage")
        self.assertEqual(policy["Statement"][0]["Principal"], {"AWS": "arn:aws:iam::111122223333:root"})
        e = self.error(self.sqs.add_permission, QueueUrl=url, Label="p1", AWSAccountIds=["1"], Actions=["SendMessage"])
        self.assertEqual(e["Error"]["Message"], "Value p1 for parameter Label is invalid. Reason: Already exists.")
        self.sqs.remove_permission(QueueUrl=url, Label="p1")
        self.assertNotIn("Policy", self.attrs(url))

    def test_localstack_url_forms(self):
        n = name("ls")
        self.sqs.create_queue(QueueName=n)
        for url in ("http://sqs.us-east-1.localhost.localstack.cloud:4566/000000000000/" + n,
                    "http://localhost:4566/queue/us-east-1/000000000000/" + n):
            self.sqs.send_message(QueueUrl=url, MessageBody="via " + url)
        got = self.sqs.receive_message(QueueUrl=self.sqs.get_queue_url(QueueName=n)["QueueUrl"], MaxNumberOfMessages=10)
        self.assertEqual(len(got["Messages"]), 2)


class Messages(SqsTestCase):
    def test_send_receive_delete_with_attributes(self):
        url = self.queue()
        attrs = {"s": {"DataType": "String", "StringValue": "hello"},
                 "n": {"DataType": "Number", "StringValue": "42.5"},
                 "b": {"DataType": "Binary", "BinaryValue": b"\x00\x01\xff"},
                 "c": {"DataType": "String.custom", "StringValue": "x"}}
        sent = self.sqs.send_message(QueueUrl=url, MessageBody="body ü", MessageAttributes=attrs)
        self.assertEqual(sent["MD5OfMessageBody"], hashlib.md5("body ü".encode()).hexdigest())
        self.assertRegex(sent["MessageId"], r"^[0-9a-f-]{36}$")
        got = self.sqs.receive_message(QueueUrl=url, MessageAttributeNames=["All"], AttributeNames=["All"])["Messages"]
        self.assertEqual(len(got), 1)
        m = got[0]
        self.assertEqual(m["Body"], "body ü")
        self.assertEqual(m["MessageId"], sent["MessageId"])
        self.assertEqual(m["MessageAttributes"]["b"]["BinaryValue"], b"\x00\x01\xff")
        self.assertEqual(m["MD5OfMessageAttributes"], sent["MD5OfMessageAttributes"])
        self.assertEqual(m["Attributes"]["ApproximateReceiveCount"], "1")
        self.assertEqual(m["Attributes"]["SenderId"], "000000000000")
        self.assertRegex(m["Attributes"]["SentTimestamp"], r"^\d{13}$")
        self.sqs.delete_message(QueueUrl=url, ReceiptHandle=m["ReceiptHandle"])
        a = self.attrs(url)
        self.assertEqual((a["ApproximateNumberOfMessages"], a["ApproximateNumberOfMessagesNotVisible"]), ("0", "0"))

    def test_known_digests(self):
        # Values AWS returned for these inputs.
        url = self.queue()
        r = self.sqs.send_message(QueueUrl=url, MessageBody="msg", MessageAttributes={
            "General": {"DataType": "String", "StringValue": "Kenobi"},
            "Hello": {"DataType": "String", "StringValue": "There"},
            "Help.Me": {"DataType": "String", "StringValue": "Me"}})
        self.assertEqual(r["MD5OfMessageBody"], "6e2baaf3b97dbeef01c0043275f9a0e7")
        self.assertEqual(r["MD5OfMessageAttributes"], "4c360f3fdafd970e05fae2f149d997f5")
        m = self.sqs.receive_message(QueueUrl=url, MessageAttributeNames=["Hello", "Help.*"])["Messages"][0]
        self.assertEqual(sorted(m["MessageAttributes"]), ["Hello", "Help.Me"])
        self.assertEqual(m["MD5OfMessageAttributes"], "83fee93c1bcd8b9a5a923ffacdc636c7")

    def test_message_system_attributes(self):
        def md5_of(attrs):
            # AWS's algorithm: sorted names; length-prefixed name, type, transport byte (1 string), value.
            buf = b""
            for k in sorted(attrs):
                t, v = attrs[k]["DataType"].encode(), attrs[k]["StringValue"].encode()
                buf += len(k).to_bytes(4, "big") + k.encode() + len(t).to_bytes(4, "big") + t + b"\x01"
                buf += len(v).to_bytes(4, "big") + v
            return hashlib.md5(buf).hexdigest()

        url = self.queue()
        trace = "Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1"
        system = {"AWSTraceHeader": {"DataType": "String", "StringValue": trace}}
        r = self.sqs.send_message(QueueUrl=url, MessageBody="traced", MessageSystemAttributes=system)
        self.assertEqual(r["MD5OfMessageSystemAttributes"], md5_of(system))
        m = self.sqs.receive_message(QueueUrl=url, AttributeNames=["AWSTraceHeader"])["Messages"][0]
        self.assertEqual(m["Attributes"], {"AWSTraceHeader": trace})
        e = self.error(self.sqs.send_message, QueueUrl=url, MessageBody="x",
                       MessageSystemAttributes={"Other": {"DataType": "String", "StringValue": "v"}})
        self.assertEqual(e["Error"]["Code"], "InvalidParameterValue")

    def test_attribute_filters(self):
        url = self.queue()
        self.sqs.send_message(QueueUrl=url, MessageBody="x", MessageAttributes={"a": {"DataType": "String", "StringValue": "1"}})
        m = self.sqs.receive_message(QueueUrl=url, VisibilityTimeout=0)["Messages"][0]
        self.assertNotIn("MessageAttributes", m)
        self.assertNotIn("Attributes", m)
        m = self.sqs.receive_message(QueueUrl=url, VisibilityTimeout=0, AttributeNames=["ApproximateReceiveCount"])["Messages"][0]
        self.assertEqual(m["Attributes"], {"ApproximateReceiveCount": "2"})

    def test_visibility_timeout_and_change(self):
        url = self.queue(VisibilityTimeout=30)
        self.sqs.send_message(QueueUrl=url, MessageBody="v")
        first = self.sqs.receive_message(QueueUrl=url)["Messages"][0]
        self.assertNotIn("Messages", self.sqs.receive_message(QueueUrl=url))
        self.assertEqual(self.attrs(url)["ApproximateNumberOfMessagesNotVisible"], "1")
        self.advance(31)
        again = self.sqs.receive_message(QueueUrl=url, AttributeNames=["ApproximateReceiveCount"])["Messages"][0]
        self.assertEqual(again["Attributes"]["ApproximateReceiveCount"], "2")
        self.assertNotEqual(again["ReceiptHandle"], first["ReceiptHandle"])
        self.sqs.change_message_visibility(QueueUrl=url, ReceiptHandle=again["ReceiptHandle"], VisibilityTimeout=0)
        third = self.sqs.receive_message(QueueUrl=url, VisibilityTimeout=100)["Messages"][0]
        self.sqs.change_message_visibility(QueueUrl=url, ReceiptHandle=third["ReceiptHandle"], VisibilityTimeout=500)
        self.advance(101)
        self.assertNotIn("Messages", self.sqs.receive_message(QueueUrl=url))
        e = self.error(self.sqs.change_message_visibility, QueueUrl=url, ReceiptHandle=third["ReceiptHandle"],
                       VisibilityTimeout=43201)
        self.assertEqual(e["Error"]["Code"], "InvalidParameterValue")
        self.sqs.delete_message(QueueUrl=url, ReceiptHandle=third["ReceiptHandle"])
        e = self.error(self.sqs.change_message_visibility, QueueUrl=url, ReceiptHandle=third["ReceiptHandle"],
                       VisibilityTimeout=10)
        self.assertEqual(e["Error"]["Code"], "InvalidParameterValue")
        self.assertIn("Message does not exist or is not available for visibility timeout change", e["Error"]["Message"])

    def test_invalid_receipt_handle(self):
        url = self.queue()
        e = self.error(self.sqs.delete_message, QueueUrl=url, ReceiptHandle="garbage")
        self.assertEqual(e["Error"]["Code"], "ReceiptHandleIsInvalid")
        self.assertEqual(e["Error"]["Message"], 'The input receipt handle "garbage" is not a valid receipt handle.')
        # A handle of another queue is invalid here too.
        other = self.queue()
        self.sqs.send_message(QueueUrl=other, MessageBody="x")
        h = self.sqs.receive_message(QueueUrl=other)["Messages"][0]["ReceiptHandle"]
        e = self.error(self.sqs.delete_message, QueueUrl=url, ReceiptHandle=h)
        self.assertEqual(e["Error"]["Code"], "ReceiptHandleIsInvalid")
        # Deleting twice succeeds.
        self.sqs.delete_message(QueueUrl=other, ReceiptHandle=h)
        self.sqs.delete_message(QueueUrl=other, ReceiptHandle=h)

    def test_repeated_delete_with_old_handle_leaves_new_messages_alone(self):
        url = self.queue()
        self.sqs.send_message(QueueUrl=url, MessageBody="first")
        h = self.sqs.receive_message(QueueUrl=url)["Messages"][0]["ReceiptHandle"]
        self.sqs.delete_message(QueueUrl=url, ReceiptHandle=h)
        self.sqs.send_message(QueueUrl=url, MessageBody="second")
        self.sqs.delete_message(QueueUrl=url, ReceiptHandle=h)  # a retried delete: succeeds, deletes nothing
        self.assertEqual(self.sqs.receive_message(QueueUrl=url)["Messages"][0]["Body"], "second")

    def test_delays(self):
        url = self.queue(DelaySeconds=10)
        self.sqs.send_message(QueueUrl=url, MessageBody="queue delay")
        self.sqs.send_message(QueueUrl=url, MessageBody="no delay", DelaySeconds=0)
        a = self.attrs(url)
        self.assertEqual((a["ApproximateNumberOfMessages"], a["ApproximateNumberOfMessagesDelayed"]), ("1", "1"))
        self.assertEqual(self.sqs.receive_message(QueueUrl=url)["Messages"][0]["Body"], "no delay")
        self.advance(11)
        self.assertEqual(self.sqs.receive_message(QueueUrl=url)["Messages"][0]["Body"], "queue delay")
        e = self.error(self.sqs.send_message, QueueUrl=url, MessageBody="x", DelaySeconds=901)
        self.assertEqual(e["Error"]["Code"], "InvalidParameterValue")

    def test_receive_parameter_errors(self):
        url = self.queue()
        e = self.error(self.sqs.receive_message, QueueUrl=url, MaxNumberOfMessages=11)
        self.assertEqual(e["Error"]["Code"], "InvalidParameterValue")
        self.assertEqual(e["Error"]["Message"],
                         "Value 11 for parameter MaxNumberOfMessages is invalid. Reason: Must be between 1 and 10, if provided.")
        e = self.error(self.sqs.receive_message, QueueUrl=url, WaitTimeSeconds=21)
        self.assertEqual(e["Error"]["Message"],
                         "Value 21 for parameter WaitTimeSeconds is invalid. Reason: Must be >= 0 and <= 20, if provided.")

    def test_message_size_and_contents(self):
        url = self.queue(MaximumMessageSize=1024)
        self.sqs.send_message(QueueUrl=url, MessageBody="x" * 1024)
        e = self.error(self.sqs.send_message, QueueUrl=url, MessageBody="x" * 1025)
        self.assertEqual(e["Error"]["Code"], "InvalidParameterValue")
        self.assertEqual(e["Error"]["Message"],
                         "One or more parameters are invalid. Reason: Message must be shorter than 1024 bytes.")
        big = self.queue()
        self.sqs.send_message(QueueUrl=big, MessageBody="y" * 1048576)
        self.assertEqual(len(self.sqs.receive_message(QueueUrl=big)["Messages"][0]["Body"]), 1048576)
        e = self.error(self.sqs.send_message, QueueUrl=big, MessageBody="bad \x01 char")
        self.assertEqual(e["Error"]["Code"], "InvalidMessageContents")
        self.assertTrue(e["Error"]["Message"].startswith("Invalid characters found."))

    def test_message_attribute_errors(self):
        url = self.queue()
        e = self.error(self.sqs.send_message, QueueUrl=url, MessageBody="x",
                       MessageAttributes={"a": {"DataType": "Number", "StringValue": "abc"}})
        self.assertEqual(e["Error"]["Code"], "InvalidParameterValue")
        e = self.error(self.sqs.send_message, QueueUrl=url, MessageBody="x",
                       MessageAttributes={"a": {"DataType": "Float", "StringValue": "1"}})
        self.assertEqual(e["Error"]["Code"], "InvalidParameterValue")

    def test_retention_period(self):
        url = self.queue(MessageRetentionPeriod=60)
        self.sqs.send_message(QueueUrl=url, MessageBody="old")
        self.advance(61)
        self.assertEqual(self.attrs(url)["ApproximateNumberOfMessages"], "0")
        self.assertNotIn("Messages", self.sqs.receive_message(QueueUrl=url))

    def test_long_poll_wakes_on_send(self):
        url = self.queue()
        result = {}

        def poll():
            c = self.stratus.client("sqs")
            t0 = time.monotonic()
            result["r"] = c.receive_message(QueueUrl=url, WaitTimeSeconds=20)
            result["t"] = time.monotonic() - t0

        th = threading.Thread(target=poll)
        th.start()
        time.sleep(0.3)
        self.sqs.send_message(QueueUrl=url, MessageBody="wake")
        th.join(25)
        self.assertEqual(result["r"]["Messages"][0]["Body"], "wake")
        # Woken by the send, not by the end of the 20 s poll.
        self.assertLess(result["t"], 15)

    def test_long_poll_ends_with_the_clock(self):
        url = self.queue(ReceiveMessageWaitTimeSeconds=20)
        result = {}

        def poll():
            result["r"] = self.stratus.client("sqs").receive_message(QueueUrl=url)

        th = threading.Thread(target=poll)
        th.start()
        time.sleep(0.3)
        self.advance(21)
        th.join(15)
        self.assertFalse(th.is_alive())
        self.assertNotIn("Messages", result["r"])


class Batches(SqsTestCase):
    def test_send_receive_delete_batch(self):
        url = self.queue()
        entries = [{"Id": "m%d" % i, "MessageBody": "body %d" % i,
                    "MessageAttributes": {"i": {"DataType": "Number", "StringValue": str(i)}}} for i in range(10)]
        r = self.sqs.send_message_batch(QueueUrl=url, Entries=entries)
        self.assertEqual(sorted(x["Id"] for x in r["Successful"]), sorted(e["Id"] for e in entries))
        self.assertEqual(r.get("Failed", []), [])
        got = []
        while len(got) < 10:
            got += self.sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10, MessageAttributeNames=["All"])["Messages"]
        d = self.sqs.delete_message_batch(QueueUrl=url, Entries=[
            {"Id": "d%d" % i, "ReceiptHandle": m["ReceiptHandle"]} for i, m in enumerate(got)])
        self.assertEqual(len(d["Successful"]), 10)
        self.assertEqual(self.attrs(url)["ApproximateNumberOfMessagesNotVisible"], "0")

    def test_batch_errors(self):
        url = self.queue()
        e = self.error(self.sqs.send_message_batch, QueueUrl=url, Entries=[])
        self.assertEqual(e["Error"]["Code"], "AWS.SimpleQueueService.EmptyBatchRequest")
        e = self.error(self.sqs.send_message_batch, QueueUrl=url,
                       Entries=[{"Id": str(i), "MessageBody": "x"} for i in range(11)])
        self.assertEqual(e["Error"]["Code"], "AWS.SimpleQueueService.TooManyEntriesInBatchRequest")
        self.assertEqual(e["Error"]["Message"], "Maximum number of entries per request are 10. You have sent 11.")
        e = self.error(self.sqs.send_message_batch, QueueUrl=url,
                       Entries=[{"Id": "a", "MessageBody": "x"}, {"Id": "a", "MessageBody": "y"}])
        self.assertEqual(e["Error"]["Code"], "AWS.SimpleQueueService.BatchEntryIdsNotDistinct")
        e = self.error(self.sqs.send_message_batch, QueueUrl=url, Entries=[{"Id": "bad:id", "MessageBody": "x"}])
        self.assertEqual(e["Error"]["Code"], "AWS.SimpleQueueService.InvalidBatchEntryId")
        e = self.error(self.sqs.send_message_batch, QueueUrl=url,
                       Entries=[{"Id": "a", "MessageBody": "x" * 600000}, {"Id": "b", "MessageBody": "y" * 600000}])
        self.assertEqual(e["Error"]["Code"], "AWS.SimpleQueueService.BatchRequestTooLong")

    def test_partial_failures(self):
        url = self.queue()
        r = self.sqs.send_message_batch(QueueUrl=url, Entries=[
            {"Id": "ok", "MessageBody": "fine"}, {"Id": "bad", "MessageBody": "x", "DelaySeconds": 1000}])
        self.assertEqual([x["Id"] for x in r["Successful"]], ["ok"])
        self.assertEqual(r["Failed"][0]["Id"], "bad")
        self.assertEqual(r["Failed"][0]["Code"], "InvalidParameterValue")
        self.assertTrue(r["Failed"][0]["SenderFault"])
        d = self.sqs.delete_message_batch(QueueUrl=url, Entries=[{"Id": "x", "ReceiptHandle": "nope"}])
        self.assertEqual(d["Failed"][0]["Code"], "ReceiptHandleIsInvalid")
        c = self.sqs.change_message_visibility_batch(QueueUrl=url, Entries=[{"Id": "x", "ReceiptHandle": "nope",
                                                                             "VisibilityTimeout": 5}])
        self.assertEqual(c["Failed"][0]["Code"], "ReceiptHandleIsInvalid")


class Fifo(SqsTestCase):
    def test_order_and_sequence_numbers(self):
        url = self.fifo()
        seqs = []
        for i in range(5):
            r = self.sqs.send_message(QueueUrl=url, MessageBody="m%d" % i, MessageGroupId="g", MessageDeduplicationId="d%d" % i)
            self.assertRegex(r["SequenceNumber"], r"^\d{20}$")
            seqs.append(int(r["SequenceNumber"]))
        self.assertEqual(seqs, sorted(seqs))
        got = self.sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10, AttributeNames=["All"])["Messages"]
        self.assertEqual([m["Body"] for m in got], ["m0", "m1", "m2", "m3", "m4"])
        self.assertEqual(got[0]["Attributes"]["MessageGroupId"], "g")
        self.assertEqual(got[0]["Attributes"]["MessageDeduplicationId"], "d0")
        self.assertEqual(got[0]["Attributes"]["SequenceNumber"], str(seqs[0]))

    def test_group_is_locked_while_in_flight(self):
        url = self.fifo()
        for i in range(3):
            self.sqs.send_message(QueueUrl=url, MessageBody="a%d" % i, MessageGroupId="A", MessageDeduplicationId="a%d" % i)
        self.sqs.send_message(QueueUrl=url, MessageBody="b0", MessageGroupId="B", MessageDeduplicationId="b0")
        first = self.sqs.receive_message(QueueUrl=url)["Messages"][0]
        self.assertEqual(first["Body"], "a0")
        # Group A is locked; only B is available.
        self.assertEqual([m["Body"] for m in self.sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10)["Messages"]], ["b0"])
        self.assertNotIn("Messages", self.sqs.receive_message(QueueUrl=url))
        self.sqs.delete_message(QueueUrl=url, ReceiptHandle=first["ReceiptHandle"])
        self.assertEqual([m["Body"] for m in self.sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10)["Messages"]],
                         ["a1", "a2"])

    def test_deduplication(self):
        url = self.fifo()
        a = self.sqs.send_message(QueueUrl=url, MessageBody="x", MessageGroupId="g", MessageDeduplicationId="same")
        b = self.sqs.send_message(QueueUrl=url, MessageBody="y", MessageGroupId="g", MessageDeduplicationId="same")
        self.assertEqual(a["MessageId"], b["MessageId"])
        self.assertEqual(len(self.sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10)["Messages"]), 1)
        cbd = self.fifo(ContentBasedDeduplication="true")
        a = self.sqs.send_message(QueueUrl=cbd, MessageBody="same body", MessageGroupId="g")
        b = self.sqs.send_message(QueueUrl=cbd, MessageBody="same body", MessageGroupId="g")
        self.assertEqual(a["MessageId"], b["MessageId"])
        self.advance(301)
        c = self.sqs.send_message(QueueUrl=cbd, MessageBody="same body", MessageGroupId="g")
        self.assertNotEqual(a["MessageId"], c["MessageId"])

    def test_fifo_errors(self):
        url = self.fifo()
        e = self.error(self.sqs.send_message, QueueUrl=url, MessageBody="x", MessageDeduplicationId="d")
        self.assertEqual(e["Error"]["Code"], "MissingParameter")
        self.assertEqual(e["Error"]["Message"], "The request must contain the parameter MessageGroupId.")
        e = self.error(self.sqs.send_message, QueueUrl=url, MessageBody="x", MessageGroupId="g")
        self.assertEqual(e["Error"]["Code"], "InvalidParameterValue")
        self.assertEqual(e["Error"]["Message"], "The queue should either have ContentBasedDeduplication enabled or "
                                                "MessageDeduplicationId provided explicitly")
        e = self.error(self.sqs.send_message, QueueUrl=url, MessageBody="x", MessageGroupId="g",
                       MessageDeduplicationId="d", DelaySeconds=2)
        self.assertEqual(e["Error"]["Message"], "Value 2 for parameter DelaySeconds is invalid. Reason: The request "
                                                "include parameter that is not valid for this queue type.")
        std = self.queue()
        e = self.error(self.sqs.send_message, QueueUrl=std, MessageBody="x", MessageDeduplicationId="d")
        self.assertEqual(e["Error"]["Code"], "InvalidParameterValue")
        e = self.error(self.sqs.create_queue, QueueName=name("x"), Attributes={"ContentBasedDeduplication": "true"})
        self.assertEqual(e["Error"]["Code"], "InvalidAttributeName")

    def test_expired_receipt_handle_on_fifo(self):
        url = self.fifo(VisibilityTimeout=10)
        self.sqs.send_message(QueueUrl=url, MessageBody="x", MessageGroupId="g", MessageDeduplicationId="1")
        h = self.sqs.receive_message(QueueUrl=url)["Messages"][0]["ReceiptHandle"]
        self.advance(11)
        e = self.error(self.sqs.delete_message, QueueUrl=url, ReceiptHandle=h)
        self.assertEqual(e["Error"]["Code"], "InvalidParameterValue")
        self.assertEqual(e["Error"]["Message"],
                         "Value %s for parameter ReceiptHandle is invalid. Reason: The receipt handle has expired." % h)

    def test_receive_request_attempt_id_returns_same_messages(self):
        url = self.fifo()
        self.sqs.send_message(QueueUrl=url, MessageBody="x", MessageGroupId="g", MessageDeduplicationId="1")
        a = self.sqs.receive_message(QueueUrl=url, ReceiveRequestAttemptId="attempt-1")["Messages"]
        b = self.sqs.receive_message(QueueUrl=url, ReceiveRequestAttemptId="attempt-1")["Messages"]
        self.assertEqual(a[0]["ReceiptHandle"], b[0]["ReceiptHandle"])


class DeadLetters(SqsTestCase):
    def test_message_moves_after_max_receive_count(self):
        dlq = self.queue("dlq")
        dlq_arn = self.arn(dlq)
        src = self.queue("src", RedrivePolicy=json.dumps({"deadLetterTargetArn": dlq_arn, "maxReceiveCount": "2"}))
        self.assertEqual(json.loads(self.attrs(src, "RedrivePolicy")["RedrivePolicy"]),
                         {"deadLetterTargetArn": dlq_arn, "maxReceiveCount": 2})
        sent = self.sqs.send_message(QueueUrl=src, MessageBody="poison",
                                     MessageAttributes={"k": {"DataType": "String", "StringValue": "v"}})
        for _ in range(2):
            self.assertEqual(len(self.sqs.receive_message(QueueUrl=src, VisibilityTimeout=0)["Messages"]), 1)
        self.assertNotIn("Messages", self.sqs.receive_message(QueueUrl=src))
        m = self.sqs.receive_message(QueueUrl=dlq, MessageAttributeNames=["All"], AttributeNames=["All"])["Messages"][0]
        self.assertEqual(m["MessageId"], sent["MessageId"])
        self.assertEqual(m["Body"], "poison")
        self.assertEqual(m["MessageAttributes"]["k"]["StringValue"], "v")
        self.assertEqual(m["Attributes"]["DeadLetterQueueSourceArn"], self.arn(src))
        self.assertEqual(self.sqs.list_dead_letter_source_queues(QueueUrl=dlq)["queueUrls"], [src])

    def test_redrive_policy_errors(self):
        url = self.queue()
        e = self.error(self.sqs.set_queue_attributes, QueueUrl=url, Attributes={
            "RedrivePolicy": json.dumps({"deadLetterTargetArn": "arn:aws:sqs:us-east-1:000000000000:missing",
                                         "maxReceiveCount": 1})})
        self.assertEqual(e["Error"]["Code"], "InvalidParameterValue")
        self.assertTrue(e["Error"]["Message"].endswith("Reason: Dead letter target does not exist."))
        dlq = self.queue()
        e = self.error(self.sqs.set_queue_attributes, QueueUrl=url, Attributes={
            "RedrivePolicy": json.dumps({"deadLetterTargetArn": self.arn(dlq), "maxReceiveCount": 0})})
        self.assertIn("valid values are from 1 to 1000 both inclusive", e["Error"]["Message"])

    @unittest.skipUnless(JSON_PROTOCOL, "message move tasks came after botocore 1.29")
    def test_message_move_task_redrives_to_source(self):
        dlq = self.queue("dlq")
        src = self.queue("src", RedrivePolicy=json.dumps({"deadLetterTargetArn": self.arn(dlq), "maxReceiveCount": 1}))
        for i in range(3):
            self.sqs.send_message(QueueUrl=src, MessageBody="m%d" % i)
        for _ in range(3):
            self.sqs.receive_message(QueueUrl=src, VisibilityTimeout=0, MaxNumberOfMessages=10)
        self.sqs.receive_message(QueueUrl=src, MaxNumberOfMessages=10)
        self.assertEqual(self.attrs(dlq)["ApproximateNumberOfMessages"], "3")
        handle = self.sqs.start_message_move_task(SourceArn=self.arn(dlq))["TaskHandle"]
        self.assertTrue(handle)
        deadline = time.time() + 10
        while time.time() < deadline:
            tasks = self.sqs.list_message_move_tasks(SourceArn=self.arn(dlq))["Results"]
            if tasks and tasks[0]["Status"] == "COMPLETED":
                break
            time.sleep(0.05)
        self.assertEqual(tasks[0]["Status"], "COMPLETED")
        self.assertEqual(tasks[0]["ApproximateNumberOfMessagesMoved"], 3)
        self.assertEqual(self.attrs(src)["ApproximateNumberOfMessages"], "3")
        e = self.error(self.sqs.start_message_move_task, SourceArn=self.arn(src))
        self.assertEqual(e["Error"]["Message"], "Source queue must be configured as a Dead Letter Queue.")


class Durability(SqsTestCase):
    def test_state_survives_kill_9(self):
        url = self.queue(VisibilityTimeout=300)
        fifo = self.fifo()
        self.sqs.send_message(QueueUrl=url, MessageBody="in flight")
        self.sqs.send_message(QueueUrl=url, MessageBody="waiting", DelaySeconds=0)
        first = self.sqs.receive_message(QueueUrl=url)["Messages"][0]
        self.sqs.send_message(QueueUrl=fifo, MessageBody="f", MessageGroupId="g", MessageDeduplicationId="once")
        self.stratus.kill9()
        self.stratus.restart()
        sqs = self.stratus.client("sqs")
        a = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["All"])["Attributes"]
        self.assertEqual((a["ApproximateNumberOfMessages"], a["ApproximateNumberOfMessagesNotVisible"]), ("1", "1"))
        self.assertEqual(a["VisibilityTimeout"], "300")
        second = sqs.receive_message(QueueUrl=url)["Messages"][0]
        self.assertNotEqual(second["MessageId"], first["MessageId"])
        # Receipt handles from before the restart still work.
        sqs.delete_message(QueueUrl=url, ReceiptHandle=first["ReceiptHandle"])
        # FIFO deduplication and sequence numbers carry on.
        again = sqs.send_message(QueueUrl=fifo, MessageBody="f", MessageGroupId="g", MessageDeduplicationId="once")
        self.assertEqual(len(sqs.receive_message(QueueUrl=fifo, MaxNumberOfMessages=10)["Messages"]), 1)
        self.assertRegex(again["SequenceNumber"], r"^\d{20}$")

    def test_reset_drops_queues_and_releases_long_polls(self):
        url = self.queue()
        result = {}

        def poll():
            try:
                result["r"] = self.stratus.client("sqs").receive_message(QueueUrl=url, WaitTimeSeconds=20)
            except ClientError as e:
                result["e"] = e.response

        th = threading.Thread(target=poll)
        th.start()
        time.sleep(0.3)
        self.stratus.reset()
        th.join(10)
        self.assertFalse(th.is_alive(), "a parked poll ends when its queue is reset away")
        e = self.error(self.sqs.get_queue_url, QueueName=url.rsplit("/", 1)[1])
        self.assertEqual(e["Error"]["Code"], "AWS.SimpleQueueService.NonExistentQueue")


@unittest.skipUnless(cli_available(), "AWS CLI v1 not installed")
class CliV1(SqsTestCase):
    def test_cli_round_trip(self):
        n = name("cli")
        url = json.loads(self.stratus.aws_cli("sqs", "create-queue", "--queue-name", n).stdout)["QueueUrl"]
        out = json.loads(self.stratus.aws_cli("sqs", "send-message", "--queue-url", url, "--message-body", "from cli",
                                              "--message-attributes", '{"a":{"DataType":"String","StringValue":"b"}}').stdout)
        self.assertEqual(out["MD5OfMessageBody"], hashlib.md5(b"from cli").hexdigest())
        got = json.loads(self.stratus.aws_cli("sqs", "receive-message", "--queue-url", url,
                                              "--message-attribute-names", "All").stdout)
        self.assertEqual(got["Messages"][0]["Body"], "from cli")
        self.assertEqual(got["Messages"][0]["MessageAttributes"]["a"]["StringValue"], "b")
        p = self.stratus.aws_cli("sqs", "get-queue-url", "--queue-name", "missing-" + n, check=False)
        self.assertNotEqual(p.returncode, 0)
        self.assertIn("NonExistentQueue", p.stderr)


@unittest.skipUnless(cli_available(v2=True), "AWS CLI v2 not installed")
class CliV2(SqsTestCase):
    def test_cli_round_trip_query_protocol(self):
        n = name("cli2")
        url = json.loads(self.stratus.aws_cli("sqs", "create-queue", "--queue-name", n, v2=True).stdout)["QueueUrl"]
        self.stratus.aws_cli("sqs", "send-message", "--queue-url", url, "--message-body", "v2 body",
                             "--message-attributes", '{"a":{"DataType":"Number","StringValue":"7"}}', v2=True)
        got = json.loads(self.stratus.aws_cli("sqs", "receive-message", "--queue-url", url, "--attribute-names", "All",
                                              "--message-attribute-names", "All", v2=True).stdout)
        m = got["Messages"][0]
        self.assertEqual(m["Body"], "v2 body")
        self.assertEqual(m["MessageAttributes"]["a"], {"StringValue": "7", "DataType": "Number"})
        self.assertEqual(m["Attributes"]["ApproximateReceiveCount"], "1")
        attrs = json.loads(self.stratus.aws_cli("sqs", "get-queue-attributes", "--queue-url", url, "--attribute-names",
                                                "All", v2=True).stdout)["Attributes"]
        self.assertEqual(attrs["ApproximateNumberOfMessagesNotVisible"], "1")
        p = self.stratus.aws_cli("sqs", "get-queue-url", "--queue-name", "missing-" + n, v2=True, check=False)
        self.assertIn("AWS.SimpleQueueService.NonExistentQueue", p.stderr)


if __name__ == "__main__":
    unittest.main()
