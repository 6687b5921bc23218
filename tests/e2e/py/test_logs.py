"""CloudWatch Logs through boto3 (1.43 and 1.26) and the AWS CLI: groups, streams, events,
paging tokens, filter patterns, retention, tags."""
import json
import time
import unittest

from botocore.exceptions import ClientError

from stratus_harness import StratusTestCase, cli_available


class LogsTest(StratusTestCase):
    def setUp(self):
        self.logs = self.client("logs")

    def err(self, fn):
        with self.assertRaises(ClientError) as cm:
            fn()
        return cm.exception.response["Error"]

    def now(self):
        return int(time.time() * 1000)

    def test_groups_streams_and_errors(self):
        self.logs.create_log_group(logGroupName="/app/one", tags={"team": "a"})
        e = self.err(lambda: self.logs.create_log_group(logGroupName="/app/one"))
        self.assertEqual(e["Code"], "ResourceAlreadyExistsException")
        self.assertEqual(e["Message"], "The specified log group already exists")
        groups = self.logs.describe_log_groups(logGroupNamePrefix="/app/")["logGroups"]
        self.assertEqual([g["logGroupName"] for g in groups], ["/app/one"])
        g = groups[0]
        self.assertEqual(g["arn"], "arn:aws:logs:us-east-1:000000000000:log-group:/app/one:*")
        self.assertIsInstance(g["creationTime"], int)
        self.logs.create_log_stream(logGroupName="/app/one", logStreamName="s1")
        e = self.err(lambda: self.logs.create_log_stream(logGroupName="/app/one", logStreamName="s1"))
        self.assertEqual(e["Message"], "The specified log stream already exists")
        e = self.err(lambda: self.logs.create_log_stream(logGroupName="/nope", logStreamName="s1"))
        self.assertEqual(e["Code"], "ResourceNotFoundException")
        self.assertEqual(e["Message"], "The specified log group does not exist.")
        e = self.err(lambda: self.logs.put_log_events(logGroupName="/app/one", logStreamName="missing",
                                                      logEvents=[{"timestamp": self.now(), "message": "x"}]))
        self.assertEqual(e["Message"], "The specified log stream does not exist.")
        e = self.err(lambda: self.logs.create_log_group(logGroupName="bad name!"))
        self.assertEqual(e["Code"], "InvalidParameterException")
        self.assertEqual(self.logs.list_tags_log_group(logGroupName="/app/one")["tags"], {"team": "a"})
        self.logs.delete_log_stream(logGroupName="/app/one", logStreamName="s1")
        self.logs.delete_log_group(logGroupName="/app/one")
        self.assertEqual(self.logs.describe_log_groups(logGroupNamePrefix="/app/")["logGroups"], [])

    def test_put_get_events_and_tokens(self):
        self.logs.create_log_group(logGroupName="/ev")
        self.logs.create_log_stream(logGroupName="/ev", logStreamName="s")
        t = self.now()
        r = self.logs.put_log_events(logGroupName="/ev", logStreamName="s",
                                     logEvents=[{"timestamp": t + i, "message": "m%d" % i} for i in range(5)])
        self.assertIn("nextSequenceToken", r)
        e = self.err(lambda: self.logs.put_log_events(logGroupName="/ev", logStreamName="s",
                                                      logEvents=[{"timestamp": t + 5, "message": "a"},
                                                                 {"timestamp": t, "message": "b"}]))
        self.assertEqual(e["Message"], "Log events in a single PutLogEvents request must be in chronological order.")
        got = self.logs.get_log_events(logGroupName="/ev", logStreamName="s", startFromHead=True, limit=2)
        self.assertEqual([x["message"] for x in got["events"]], ["m0", "m1"])
        nxt = self.logs.get_log_events(logGroupName="/ev", logStreamName="s", nextToken=got["nextForwardToken"], limit=10)
        self.assertEqual([x["message"] for x in nxt["events"]], ["m2", "m3", "m4"])
        end = self.logs.get_log_events(logGroupName="/ev", logStreamName="s", nextToken=nxt["nextForwardToken"])
        self.assertEqual(end["events"], [])
        self.assertEqual(end["nextForwardToken"], nxt["nextForwardToken"])
        tail = self.logs.get_log_events(logGroupName="/ev", logStreamName="s", limit=2)
        self.assertEqual([x["message"] for x in tail["events"]], ["m3", "m4"])
        stream = self.logs.describe_log_streams(logGroupName="/ev")["logStreams"][0]
        self.assertEqual(stream["firstEventTimestamp"], t)
        self.assertEqual(stream["lastEventTimestamp"], t + 4)
        self.assertTrue(stream["uploadSequenceToken"].isdigit())

    def test_filter_log_events_patterns(self):
        self.logs.create_log_group(logGroupName="/f")
        for s in ("a", "b"):
            self.logs.create_log_stream(logGroupName="/f", logStreamName=s)
        t = self.now()
        self.logs.put_log_events(logGroupName="/f", logStreamName="a", logEvents=[
            {"timestamp": t, "message": "ERROR disk full"},
            {"timestamp": t + 1, "message": json.dumps({"level": "WARN", "latency": 300})}])
        self.logs.put_log_events(logGroupName="/f", logStreamName="b", logEvents=[
            {"timestamp": t + 2, "message": "INFO all good"},
            {"timestamp": t + 3, "message": "ERROR again"}])
        r = self.logs.filter_log_events(logGroupName="/f", filterPattern="ERROR")
        self.assertEqual([(e["logStreamName"], e["message"]) for e in r["events"]],
                         [("a", "ERROR disk full"), ("b", "ERROR again")])
        r = self.logs.filter_log_events(logGroupName="/f", filterPattern="{ $.latency > 200 }")
        self.assertEqual(len(r["events"]), 1)
        r = self.logs.filter_log_events(logGroupName="/f", logStreamNames=["b"])
        self.assertEqual([e["message"] for e in r["events"]], ["INFO all good", "ERROR again"])
        page = self.logs.filter_log_events(logGroupName="/f", limit=3)
        self.assertEqual(len(page["events"]), 3)
        rest = self.logs.filter_log_events(logGroupName="/f", limit=3, nextToken=page["nextToken"])
        self.assertEqual([e["message"] for e in rest["events"]], ["ERROR again"])
        self.assertNotIn("nextToken", rest)
        all_events = [e for p in self.logs.get_paginator("filter_log_events").paginate(logGroupName="/f", limit=1)
                      for e in p["events"]]
        self.assertEqual(len(all_events), 4)

    def test_retention(self):
        self.logs.create_log_group(logGroupName="/r")
        self.logs.put_retention_policy(logGroupName="/r", retentionInDays=7)
        self.assertEqual(self.logs.describe_log_groups(logGroupNamePrefix="/r")["logGroups"][0]["retentionInDays"], 7)
        e = self.err(lambda: self.logs.put_retention_policy(logGroupName="/r", retentionInDays=4))
        self.assertEqual(e["Code"], "InvalidParameterException")
        self.logs.delete_retention_policy(logGroupName="/r")
        self.assertNotIn("retentionInDays", self.logs.describe_log_groups(logGroupNamePrefix="/r")["logGroups"][0])

    @unittest.skipUnless(cli_available(v2=True), "AWS CLI v2 not installed")
    def test_cli_v2_tail(self):
        self.logs.create_log_group(logGroupName="/cli")
        self.logs.create_log_stream(logGroupName="/cli", logStreamName="s")
        self.logs.put_log_events(logGroupName="/cli", logStreamName="s",
                                 logEvents=[{"timestamp": self.now(), "message": "tail me"}])
        p = self.stratus.aws_cli("logs", "tail", "/cli", "--since", "5m", v2=True)
        self.assertIn("tail me", p.stdout)


if __name__ == "__main__":
    unittest.main()
