"""EventBridge through boto3 (both interpreters): buses, rules, targets, delivery to SQS with input
shaping, dead-letter queues, archives and replays, scheduled rules fired by moving the clock."""
import io
import json
import os
import tempfile
import time
import zipfile
import unittest
import uuid
from datetime import datetime, timedelta, timezone

from botocore.exceptions import ClientError

from stratus_harness import StratusTestCase


def uniq(prefix):
    return "%s-%s" % (prefix, uuid.uuid4().hex[:8])


class EventsTest(StratusTestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.eb = cls.stratus.client("events")
        cls.sqs = cls.stratus.client("sqs")

    def queue(self, name=None, attributes=None):
        url = self.sqs.create_queue(QueueName=name or uniq("q"), Attributes=attributes or {})["QueueUrl"]
        arn = self.sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
        return url, arn

    def drain(self, url, n=1, seconds=15):
        out = []
        deadline = time.time() + seconds
        while len(out) < n and time.time() < deadline:
            r = self.sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10, WaitTimeSeconds=1,
                                         MessageAttributeNames=["All"], AttributeNames=["All"])
            out.extend(r.get("Messages", []))
        return out

    def rule_to(self, name, pattern, targets, bus=None):
        kw = {"EventBusName": bus} if bus else {}
        self.eb.put_rule(Name=name, EventPattern=json.dumps(pattern), **kw)
        self.last_rule = name
        r = self.eb.put_targets(Rule=name, Targets=targets, **kw)
        self.assertEqual(r["FailedEntryCount"], 0, r.get("FailedEntries"))

    def assertError(self, code, message, fn, *args, **kw):
        with self.assertRaises(ClientError) as cm:
            fn(*args, **kw)
        err = cm.exception.response["Error"]
        self.assertEqual(err["Code"], code)
        if message is not None:
            self.assertEqual(err["Message"], message)
        self.assertEqual(cm.exception.response["ResponseMetadata"]["HTTPStatusCode"], 400)

    def test_buses(self):
        self.assertEqual(self.eb.describe_event_bus()["Name"], "default")
        name = uniq("bus")
        # (boto3 1.26 predates CreateEventBus's Description.)
        arn = self.eb.create_event_bus(Name=name, Tags=[{"Key": "k", "Value": "v"}])["EventBusArn"]
        self.assertEqual(arn, "arn:aws:events:us-east-1:000000000000:event-bus/%s" % name)
        self.assertEqual(self.eb.describe_event_bus(Name=name)["Arn"], arn)
        self.assertEqual(self.eb.list_tags_for_resource(ResourceARN=arn)["Tags"], [{"Key": "k", "Value": "v"}])
        self.assertEqual([b["Name"] for b in self.eb.list_event_buses(NamePrefix=name)["EventBuses"]], [name])
        self.assertError("ResourceAlreadyExistsException", "Event bus %s already exists." % name,
                         self.eb.create_event_bus, Name=name)
        self.assertError("ValidationException", "Cannot delete event bus default.", self.eb.delete_event_bus, Name="default")
        self.eb.delete_event_bus(Name=name)
        self.assertError("ResourceNotFoundException", "Event bus %s does not exist." % name,
                         self.eb.describe_event_bus, Name=name)

    def test_rules_and_targets(self):
        name = uniq("rule")
        arn = self.eb.put_rule(Name=name, EventPattern='{"source":["a"]}', Tags=[{"Key": "k", "Value": "v"}])["RuleArn"]
        self.assertEqual(arn, "arn:aws:events:us-east-1:000000000000:rule/%s" % name)
        d = self.eb.describe_rule(Name=name)
        self.assertEqual((d["State"], d["EventBusName"], json.loads(d["EventPattern"])), ("ENABLED", "default", {"source": ["a"]}))
        self.eb.disable_rule(Name=name)
        self.assertEqual(self.eb.describe_rule(Name=name)["State"], "DISABLED")
        self.assertEqual(self.eb.list_tags_for_resource(ResourceARN=arn)["Tags"], [{"Key": "k", "Value": "v"}])
        _, qarn = self.queue()
        self.eb.put_targets(Rule=name, Targets=[{"Id": "t", "Arn": qarn}])
        self.assertEqual(self.eb.list_targets_by_rule(Rule=name)["Targets"], [{"Id": "t", "Arn": qarn}])
        self.assertEqual(self.eb.list_rule_names_by_target(TargetArn=qarn)["RuleNames"], [name])
        self.assertError("ValidationException", "Rule can't be deleted since it has targets.", self.eb.delete_rule, Name=name)
        self.eb.remove_targets(Rule=name, Ids=["t"])
        self.eb.delete_rule(Name=name)
        self.assertError("ResourceNotFoundException", "Rule %s does not exist on EventBus default." % name,
                         self.eb.describe_rule, Name=name)

    def test_invalid_pattern_message(self):
        pattern = '{"detail": {"state": [{"anything-but": ["stopped", null]}]}}'
        src = '\n at [Source: (String)"%s"; line: 1, column: 56]' % pattern
        self.assertError("InvalidEventPatternException",
                         "Event pattern is not valid. Reason: Inside anything but list, start|null|boolean is not supported."
                         + src + src, self.eb.put_rule, Name=uniq("bad"), EventPattern=pattern)

    def test_put_events_to_sqs(self):
        url, arn = self.queue()
        self.rule_to(uniq("r"), {"source": ["py.app"], "detail": {"kind": [{"prefix": "ord"}]}}, [{"Id": "q", "Arn": arn}])
        when = datetime(2024, 1, 2, 3, 4, 5, tzinfo=timezone.utc)
        r = self.eb.put_events(Entries=[
            {"Source": "py.app", "DetailType": "T", "Detail": json.dumps({"kind": "order", "n": 1.0}), "Time": when},
            {"Source": "py.app", "DetailType": "T", "Detail": json.dumps({"kind": "refund"})},
            {"Source": "py.app", "DetailType": "T", "Detail": "not json"},
        ])
        self.assertEqual(r["FailedEntryCount"], 1)
        self.assertEqual(r["Entries"][2], {"ErrorCode": "MalformedDetail", "ErrorMessage": "Detail is malformed."})
        msgs = self.drain(url)
        self.assertEqual(len(msgs), 1)
        ev = json.loads(msgs[0]["Body"])
        self.assertEqual(ev["id"], r["Entries"][0]["EventId"])
        self.assertEqual(ev["time"], "2024-01-02T03:04:05Z")
        self.assertEqual(ev["detail"], {"kind": "order", "n": 1.0})
        self.assertIn('"n":1.0', msgs[0]["Body"])
        self.assertEqual(list(ev.keys()), ["version", "id", "detail-type", "source", "account", "time", "region",
                                           "resources", "detail"])
        self.assertEqual(self.drain(url, seconds=1), [])

    def test_input_transformer(self):
        url, arn = self.queue()
        self.rule_to(uniq("r"), {"source": ["py.shape"]}, [{
            "Id": "t", "Arn": arn,
            "InputTransformer": {"InputPathsMap": {"id": "$.detail.id", "tags": "$.detail.tags"},
                                 "InputTemplate": '{"id": <id>, "tags": <tags>, "text": "item <id>"}'}}])
        self.eb.put_events(Entries=[{"Source": "py.shape", "DetailType": "x", "Detail": '{"id":"i-1","tags":["a","b"]}'}])
        self.assertEqual([m["Body"] for m in self.drain(url)], ['{"id": "i-1", "tags": ["a","b"], "text": "item i-1"}'])
        # eb-transform-target-input.html, common issues: a path that matches nothing gives an empty
        # string; an object referenced inside a string loses its internal quotes.
        url2, arn2 = self.queue()
        self.rule_to(uniq("r"), {"source": ["py.shape2"]}, [{
            "Id": "t", "Arn": arn2,
            "InputTransformer": {"InputPathsMap": {"none": "$.detail.none", "obj": "$.detail.obj"},
                                 "InputTemplate": '{"none": <none>, "obj": <obj>, "text": "obj <obj>", '
                                                  '"at": <aws.events.event.ingestion-time>}'}}])
        # A backdated entry: ingestion-time is when EventBridge received it, not the entry's Time.
        self.eb.put_events(Entries=[{"Source": "py.shape2", "DetailType": "x", "Detail": '{"obj":{"k":"v"}}',
                                     "Time": datetime(2020, 1, 2, 3, 4, 5, tzinfo=timezone.utc)}])
        [m] = self.drain(url2)
        body = json.loads(m["Body"])
        self.assertRegex(body["at"], r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$")
        self.assertNotEqual(body["at"], "2020-01-02T03:04:05Z")
        self.assertEqual(m["Body"].split(', "at"')[0] + "}", '{"none": "", "obj": {"k":"v"}, "text": "obj {k:v}"}')
        self.assertError("ValidationException", "InputTemplate for target bad contains invalid placeholder nokey.",
                         self.eb.put_targets, Rule=self.last_rule, Targets=[{
                             "Id": "bad", "Arn": arn2,
                             "InputTransformer": {"InputPathsMap": {"id": "$.id"}, "InputTemplate": '"<id> <nokey>"'}}])

    def test_sns_and_lambda_targets(self):
        # SNS topic → raw SQS subscription.
        sns = self.stratus.client("sns")
        url, arn = self.queue()
        topic = sns.create_topic(Name=uniq("t"))["TopicArn"]
        sns.subscribe(TopicArn=topic, Protocol="sqs", Endpoint=arn, Attributes={"RawMessageDelivery": "true"})
        self.rule_to(uniq("sns"), {"source": ["py.sns"]}, [{"Id": "t", "Arn": topic}])
        self.eb.put_events(Entries=[{"Source": "py.sns", "DetailType": "note", "Detail": '{"s":1}'}])
        msgs = self.drain(url)
        self.assertEqual(len(msgs), 1)
        self.assertEqual(json.loads(msgs[0]["Body"])["detail"], {"s": 1})
        # Lambda function invoked asynchronously (InvocationType Event) with the event.
        lam = self.stratus.client("lambda")
        out = os.path.join(tempfile.mkdtemp(prefix="ev-py-lambda-"), "event.json")
        code = io.BytesIO()
        with zipfile.ZipFile(code, "w") as z:
            z.writestr("app.py", "import json, os\ndef handler(e, c):\n    open(os.environ['OUT'], 'w').write(json.dumps(e))\n")
        fn = lam.create_function(FunctionName=uniq("fn"), Runtime="python3.12", Role="arn:aws:iam::000000000000:role/r",
                                 Handler="app.handler", Code={"ZipFile": code.getvalue()},
                                 Environment={"Variables": {"OUT": out}})["FunctionArn"]
        self.rule_to(uniq("fn"), {"source": ["py.fn"]}, [{"Id": "f", "Arn": fn}])
        r = self.eb.put_events(Entries=[{"Source": "py.fn", "DetailType": "call", "Detail": '{"c":3}'}])
        ev, deadline = None, time.time() + 20
        while ev is None and time.time() < deadline:
            try:
                with open(out) as f:
                    ev = json.load(f)
            except (OSError, ValueError):  # not written yet, or being written
                time.sleep(0.1)
        self.assertIsNotNone(ev, "the function ran")
        self.assertEqual((ev["id"], ev["detail-type"], ev["detail"]), (r["Entries"][0]["EventId"], "call", {"c": 3}))

    def test_dead_letter_queue(self):
        dlq_url, dlq_arn = self.queue()
        rule = uniq("r")
        missing = "arn:aws:sqs:us-east-1:000000000000:nowhere"
        self.rule_to(rule, {"source": ["py.dlq"]}, [{"Id": "x", "Arn": missing, "DeadLetterConfig": {"Arn": dlq_arn},
                                                     "RetryPolicy": {"MaximumRetryAttempts": 0}}])
        self.eb.put_events(Entries=[{"Source": "py.dlq", "DetailType": "x", "Detail": "{}"}])
        msgs = self.drain(dlq_url)
        self.assertEqual(len(msgs), 1)
        attrs = msgs[0]["MessageAttributes"]
        self.assertEqual(attrs["RULE_ARN"]["StringValue"], "arn:aws:events:us-east-1:000000000000:rule/%s" % rule)
        self.assertEqual(attrs["TARGET_ARN"]["StringValue"], missing)
        self.assertEqual(attrs["ERROR_CODE"]["StringValue"], "RESOURCE_NOT_FOUND")

    def test_archive_and_replay(self):
        url, arn = self.queue()
        bus = uniq("bus")
        bus_arn = self.eb.create_event_bus(Name=bus)["EventBusArn"]
        archive = uniq("a")
        archive_arn = self.eb.create_archive(ArchiveName=archive, EventSourceArn=bus_arn)["ArchiveArn"]
        self.eb.put_events(Entries=[{"Source": "py.arch", "DetailType": "x", "Detail": '{"v":1}', "EventBusName": bus}])
        self.assertEqual(self.eb.describe_archive(ArchiveName=archive)["EventCount"], 1)
        rule = uniq("r")
        self.rule_to(rule, {"source": ["py.arch"]}, [{"Id": "q", "Arn": arn}], bus=bus)
        replay = uniq("rp")
        now = datetime.now(timezone.utc)
        r = self.eb.start_replay(ReplayName=replay, EventSourceArn=archive_arn, EventStartTime=now - timedelta(hours=1),
                                 EventEndTime=now + timedelta(days=1), Destination={"Arn": bus_arn})
        self.assertEqual(r["State"], "STARTING")
        msgs = self.drain(url)
        self.assertEqual(len(msgs), 1)
        ev = json.loads(msgs[0]["Body"])
        self.assertEqual((ev["replay-name"], ev["detail"]), (replay, {"v": 1}))
        deadline = time.time() + 15
        while time.time() < deadline and self.eb.describe_replay(ReplayName=replay)["State"] != "COMPLETED":
            time.sleep(0.05)
        self.assertEqual(self.eb.describe_replay(ReplayName=replay)["State"], "COMPLETED")
        self.assertError("ResourceNotFoundException", "Archive nope does not exist.", self.eb.describe_archive,
                         ArchiveName="nope")

    def test_scheduled_rule(self):
        url, arn = self.queue()
        rule = uniq("sched")
        self.eb.put_rule(Name=rule, ScheduleExpression="cron(0/10 * * * ? *)")
        self.eb.put_targets(Rule=rule, Targets=[{"Id": "q", "Arn": arn, "Input": '{"tick": true}'}])
        self.stratus.advance_clock(601)
        msgs = self.drain(url)
        self.assertGreaterEqual(len(msgs), 1)
        self.assertEqual(json.loads(msgs[0]["Body"]), {"tick": True})
        self.eb.remove_targets(Rule=rule, Ids=["q"])
        self.eb.delete_rule(Name=rule)

    def test_test_event_pattern(self):
        event = json.dumps({"id": "1", "source": "s", "detail-type": "d", "account": "123456789012", "region": "us-east-1",
                            "time": "2024-01-01T00:00:00Z", "detail": {"ip": "10.0.0.7"}})
        self.assertTrue(self.eb.test_event_pattern(Event=event, EventPattern='{"detail":{"ip":[{"cidr":"10.0.0.0/24"}]}}')["Result"])
        self.assertFalse(self.eb.test_event_pattern(Event=event, EventPattern='{"detail":{"ip":[{"cidr":"10.0.1.0/24"}]}}')["Result"])
        self.assertError("ValidationException", "Parameter Event is not valid.", self.eb.test_event_pattern,
                         Event="[]", EventPattern='{"a":["b"]}')


if __name__ == "__main__":
    unittest.main()
