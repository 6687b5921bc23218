"""Every AWS-recorded event-pattern case (tests/data/eventbridge-patterns.json) through boto3:
TestEventPattern answers as AWS did (result, or the exact InvalidEventPatternException message),
PutRule refuses the invalid ones, and real rules deliver exactly the matching events to SQS.
The recorded event is delivered as the detail of a PutEvents entry with the pattern nested under
"detail" (paths match the same at any depth), so every case is deliverable."""
import json
import os
import time
import unittest

from botocore.exceptions import ClientError

from stratus_harness import ROOT, StratusTestCase

with open(os.path.join(ROOT, "tests", "data", "eventbridge-patterns.json")) as f:
    CORPUS = json.load(f)


class EventPatternConformanceTest(StratusTestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # The account and region the cases were recorded with.
        kw = dict(region_name="us-east-2", aws_access_key_id="123456789012")
        cls.eb = cls.stratus.client("events", **kw)
        cls.sqs = cls.stratus.client("sqs", **kw)

    def test_test_event_pattern(self):
        for c in CORPUS["cases"]:
            with self.subTest(c["name"]):
                if c["expected"] == "error":
                    with self.assertRaises(ClientError) as cm:
                        self.eb.test_event_pattern(Event=c["event_json"], EventPattern=c["event_pattern_json"])
                    err = cm.exception.response["Error"]
                    self.assertEqual(err["Code"], c["error_code"])
                    self.assertEqual(err["Message"].split("\n")[0], c["error_message"])
                    if "<" not in c["error_message_raw"]:
                        self.assertEqual(err["Message"], c["error_message_raw"])
                    self.assertEqual(cm.exception.response["ResponseMetadata"]["HTTPStatusCode"], c["http_status"])
                else:
                    r = self.eb.test_event_pattern(Event=c["event_json"], EventPattern=c["event_pattern_json"])
                    self.assertEqual(r["Result"], c["expected"] == "match")

    def test_put_rule_refuses_invalid_patterns(self):
        for c in CORPUS["cases"]:
            if c["expected"] != "error":
                continue
            with self.subTest(c["name"]):
                with self.assertRaises(ClientError) as cm:
                    self.eb.put_rule(Name=("bad-" + c["name"])[:64], EventPattern=c["event_pattern_json"])
                self.assertEqual(cm.exception.response["Error"]["Code"], "InvalidEventPatternException")
                self.assertEqual(cm.exception.response["Error"]["Message"].split("\n")[0], c["error_message"])

    def test_rules_deliver_exactly_the_matching_events(self):
        url = self.sqs.create_queue(QueueName="py-conformance")["QueueUrl"]
        arn = self.sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
        cases = [c for c in CORPUS["cases"] if c["expected"] != "error"]
        expected = set()
        for i, c in enumerate(cases):
            name = "py-%d" % i
            self.eb.put_rule(Name=name, EventPattern=json.dumps({"source": ["py.conformance.%d" % i],
                                                                  "detail": {"case": c["event_pattern"]}}))
            self.eb.put_targets(Rule=name, Targets=[{"Id": "q", "Arn": arn, "InputPath": "$.source"}])
            if c["expected"] == "match":
                expected.add("py.conformance.%d" % i)
        for start in range(0, len(cases), 10):
            entries = [{"Source": "py.conformance.%d" % (start + k), "DetailType": "conformance",
                        "Detail": json.dumps({"case": c["event"]})} for k, c in enumerate(cases[start:start + 10])]
            self.assertEqual(self.eb.put_events(Entries=entries)["FailedEntryCount"], 0)
        got = []
        deadline = time.time() + 15
        quiet = None
        while time.time() < deadline:
            msgs = self.sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10, WaitTimeSeconds=1).get("Messages", [])
            for m in msgs:
                got.append(json.loads(m["Body"]))
                self.sqs.delete_message(QueueUrl=url, ReceiptHandle=m["ReceiptHandle"])
            if len(got) >= len(expected) and quiet is None:
                quiet = time.time() + 1
            if quiet is not None and time.time() > quiet:
                break

        def names(sources):
            return sorted(cases[int(s.rsplit(".", 1)[1])]["name"] for s in sources)

        self.assertEqual(len(got), len(set(got)), "an event was delivered twice")
        self.assertEqual(names(got), names(expected))


if __name__ == "__main__":
    unittest.main()
