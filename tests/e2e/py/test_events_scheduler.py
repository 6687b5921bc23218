"""EventBridge Scheduler through boto3 (both interpreters): groups, schedules, invocations on the
Stratus clock, dead-letter queues."""
import json
import time
import unittest
import uuid
from datetime import timedelta, timezone
from zoneinfo import ZoneInfo

from botocore.exceptions import ClientError

from stratus_harness import StratusTestCase

ROLE = "arn:aws:iam::000000000000:role/scheduler"


def uniq(prefix):
    return "%s-%s" % (prefix, uuid.uuid4().hex[:8])


class SchedulerTest(StratusTestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.sch = cls.stratus.client("scheduler")
        cls.sqs = cls.stratus.client("sqs")

    def queue(self):
        url = self.sqs.create_queue(QueueName=uniq("q"))["QueueUrl"]
        return url, self.sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]

    def drain(self, url, n=1, seconds=15):
        out = []
        deadline = time.time() + seconds
        while len(out) < n and time.time() < deadline:
            msgs = self.sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10, WaitTimeSeconds=1,
                                            MessageAttributeNames=["All"]).get("Messages", [])
            out.extend(msgs)
            # Deleted at once: moving the clock would otherwise end their visibility timeout.
            if msgs:
                self.sqs.delete_message_batch(QueueUrl=url, Entries=[
                    {"Id": str(i), "ReceiptHandle": m["ReceiptHandle"]} for i, m in enumerate(msgs)])
        return out

    def error(self, fn, **kw):
        with self.assertRaises(ClientError) as cm:
            fn(**kw)
        return cm.exception.response

    def test_groups(self):
        self.assertEqual(self.sch.get_schedule_group(Name="default")["State"], "ACTIVE")
        name = uniq("g")
        arn = self.sch.create_schedule_group(Name=name)["ScheduleGroupArn"]
        self.assertEqual(arn, "arn:aws:scheduler:us-east-1:000000000000:schedule-group/%s" % name)
        r = self.error(self.sch.create_schedule_group, Name=name)
        self.assertEqual((r["Error"]["Code"], r["ResponseMetadata"]["HTTPStatusCode"]), ("ConflictException", 409))
        self.sch.tag_resource(ResourceArn=arn, Tags=[{"Key": "k", "Value": "v"}])
        self.assertEqual(self.sch.list_tags_for_resource(ResourceArn=arn)["Tags"], [{"Key": "k", "Value": "v"}])
        self.sch.delete_schedule_group(Name=name)
        r = self.error(self.sch.get_schedule_group, Name=name)
        self.assertEqual((r["Error"]["Code"], r["ResponseMetadata"]["HTTPStatusCode"]), ("ResourceNotFoundException", 404))

    def test_schedule_lifecycle(self):
        url, arn = self.queue()
        name = uniq("s")
        self.sch.create_schedule(Name=name, ScheduleExpression="rate(2 hours)", FlexibleTimeWindow={"Mode": "OFF"},
                                 Target={"Arn": arn, "RoleArn": ROLE})
        g = self.sch.get_schedule(Name=name)
        self.assertEqual(g["Arn"], "arn:aws:scheduler:us-east-1:000000000000:schedule/default/%s" % name)
        self.assertEqual(g["Target"]["RetryPolicy"], {"MaximumEventAgeInSeconds": 86400, "MaximumRetryAttempts": 185})
        self.assertEqual([x["Name"] for x in self.sch.list_schedules(NamePrefix=name)["Schedules"]], [name])
        r = self.error(self.sch.get_schedule, Name="missing-one")
        self.assertEqual(r["Error"]["Message"], "Schedule missing-one does not exist.")
        r = self.error(self.sch.create_schedule, Name=uniq("bad"), ScheduleExpression="cron(* * * * * *)",
                       FlexibleTimeWindow={"Mode": "OFF"}, Target={"Arn": arn, "RoleArn": ROLE})
        self.assertEqual(r["Error"]["Code"], "ValidationException")
        self.sch.delete_schedule(Name=name)

    def test_rate_schedule_fires_on_the_clock(self):
        url, arn = self.queue()
        name = uniq("tick")
        self.sch.create_schedule(Name=name, ScheduleExpression="rate(15 minutes)", FlexibleTimeWindow={"Mode": "OFF"},
                                 Target={"Arn": arn, "RoleArn": ROLE, "Input": '{"arn":"<aws.scheduler.schedule-arn>"}'})
        # Without StartDate a rate() schedule "starts invoking the target immediately"
        # (https://docs.aws.amazon.com/scheduler/latest/UserGuide/schedule-types.html#rate-based).
        msgs = self.drain(url)
        self.assertEqual(len(msgs), 1)
        self.stratus.advance_clock(901)
        msgs += self.drain(url)
        self.assertEqual(len(msgs), 2)
        for m in msgs:
            self.assertEqual(json.loads(m["Body"]),
                             {"arn": "arn:aws:scheduler:us-east-1:000000000000:schedule/default/%s" % name})
        self.sch.delete_schedule(Name=name)

    def stratus_now(self):
        name = uniq("probe")
        self.sch.create_schedule(Name=name, ScheduleExpression="rate(1 day)", FlexibleTimeWindow={"Mode": "OFF"}, State="DISABLED",
                                 Target={"Arn": "arn:aws:sqs:us-east-1:000000000000:none", "RoleArn": ROLE})
        t = self.sch.get_schedule(Name=name)["CreationDate"]
        self.sch.delete_schedule(Name=name)
        return t

    def test_at_schedule_in_a_time_zone_deletes_itself(self):
        # at() is wall-clock time in ScheduleExpressionTimezone; ActionAfterCompletion DELETE removes the
        # schedule once it has run (https://docs.aws.amazon.com/scheduler/latest/UserGuide/schedule-types.html).
        url, arn = self.queue()
        name = uniq("once")
        when = (self.stratus_now() + timedelta(seconds=150)).replace(microsecond=0)
        local = when.astimezone(ZoneInfo("America/New_York"))
        # (boto3 1.26 predates ActionAfterCompletion: there the schedule stays.)
        delete = "ActionAfterCompletion" in self.sch.meta.service_model.operation_model("CreateSchedule").input_shape.members
        extra = {"ActionAfterCompletion": "DELETE"} if delete else {}
        self.sch.create_schedule(Name=name, ScheduleExpression="at(%s)" % local.strftime("%Y-%m-%dT%H:%M:%S"),
                                 ScheduleExpressionTimezone="America/New_York", FlexibleTimeWindow={"Mode": "OFF"}, **extra,
                                 Target={"Arn": arn, "RoleArn": ROLE, "Input": '"<aws.scheduler.scheduled-time>"'})
        self.stratus.advance_clock(120)  # (30 s short: real time moves the clock too)
        self.assertEqual(self.drain(url, seconds=1), [])
        self.stratus.advance_clock(31)
        msgs = self.drain(url)
        self.assertEqual(len(msgs), 1)
        self.assertEqual(json.loads(msgs[0]["Body"]), when.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"))
        if not delete:
            self.assertEqual(self.sch.get_schedule(Name=name)["ScheduleExpressionTimezone"], "America/New_York")
            self.sch.delete_schedule(Name=name)
            return
        deadline = time.time() + 15
        while time.time() < deadline:
            try:
                self.sch.get_schedule(Name=name)
            except ClientError as e:
                self.assertEqual(e.response["Error"]["Code"], "ResourceNotFoundException")
                break
            time.sleep(0.05)
        else:
            self.fail("the schedule was not deleted after completion")

    def test_dead_letter_queue(self):
        dlq_url, dlq_arn = self.queue()
        name = uniq("dl")
        self.sch.create_schedule(Name=name, ScheduleExpression="rate(1 hour)", FlexibleTimeWindow={"Mode": "OFF"},
                                 Target={"Arn": "arn:aws:sqs:us-east-1:000000000000:gone", "RoleArn": ROLE,
                                         "DeadLetterConfig": {"Arn": dlq_arn}, "RetryPolicy": {"MaximumRetryAttempts": 0}})
        msgs = self.drain(dlq_url)
        self.assertEqual(len(msgs), 1)
        self.assertEqual(msgs[0]["MessageAttributes"]["TARGET_ARN"]["StringValue"], "arn:aws:sqs:us-east-1:000000000000:gone")
        self.sch.delete_schedule(Name=name)


if __name__ == "__main__":
    unittest.main()
