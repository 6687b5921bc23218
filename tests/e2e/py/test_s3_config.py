"""S3 bucket configurations (tagging, policy, encryption, ownership, public access block,
lifecycle with expiration applied on Stratus's clock) and event notifications delivered to SQS."""
import datetime
import json
import time
import urllib.parse
import uuid

from s3_helpers import S3TestCase


class S3BucketConfigs(S3TestCase):
    def test_bucket_tagging(self):
        b = self.bucket()
        code, status, err, _ = self.error(self.s3.get_bucket_tagging, Bucket=b)
        self.assertEqual((code, status, err["Message"]), ("NoSuchTagSet", 404, "The TagSet does not exist"))
        self.s3.put_bucket_tagging(Bucket=b, Tagging={"TagSet": [{"Key": "env", "Value": "dev"}]})
        self.assertEqual(self.s3.get_bucket_tagging(Bucket=b)["TagSet"], [{"Key": "env", "Value": "dev"}])
        self.s3.delete_bucket_tagging(Bucket=b)
        self.error(self.s3.get_bucket_tagging, Bucket=b)

    def test_policy(self):
        b = self.bucket()
        code, status, _, _ = self.error(self.s3.get_bucket_policy, Bucket=b)
        self.assertEqual((code, status), ("NoSuchBucketPolicy", 404))
        policy = json.dumps({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": "*",
                                                                     "Action": "s3:GetObject", "Resource": "arn:aws:s3:::%s/*" % b}]})
        self.s3.put_bucket_policy(Bucket=b, Policy=policy)
        self.assertEqual(json.loads(self.s3.get_bucket_policy(Bucket=b)["Policy"]), json.loads(policy))
        self.assertTrue(self.s3.get_bucket_policy_status(Bucket=b)["PolicyStatus"]["IsPublic"])
        code, status, err, _ = self.error(self.s3.put_bucket_policy, Bucket=b, Policy="not json")
        self.assertEqual((code, status), ("MalformedPolicy", 400))
        self.s3.delete_bucket_policy(Bucket=b)
        self.error(self.s3.get_bucket_policy, Bucket=b)

    def test_encryption_default_and_custom(self):
        b = self.bucket()
        rules = self.s3.get_bucket_encryption(Bucket=b)["ServerSideEncryptionConfiguration"]["Rules"]
        self.assertEqual(rules[0]["ApplyServerSideEncryptionByDefault"]["SSEAlgorithm"], "AES256")
        self.s3.put_bucket_encryption(Bucket=b, ServerSideEncryptionConfiguration={"Rules": [
            {"ApplyServerSideEncryptionByDefault": {"SSEAlgorithm": "aws:kms", "KMSMasterKeyID": "alias/x"},
             "BucketKeyEnabled": True}]})
        rule = self.s3.get_bucket_encryption(Bucket=b)["ServerSideEncryptionConfiguration"]["Rules"][0]
        self.assertEqual(rule["ApplyServerSideEncryptionByDefault"], {"SSEAlgorithm": "aws:kms", "KMSMasterKeyID": "alias/x"})
        self.assertTrue(rule["BucketKeyEnabled"])

    def test_ownership_and_public_access_block(self):
        b = self.bucket(ObjectOwnership="BucketOwnerPreferred")
        self.assertEqual(self.s3.get_bucket_ownership_controls(Bucket=b)["OwnershipControls"]["Rules"],
                         [{"ObjectOwnership": "BucketOwnerPreferred"}])
        self.s3.delete_bucket_ownership_controls(Bucket=b)
        code, status, _, _ = self.error(self.s3.get_bucket_ownership_controls, Bucket=b)
        self.assertEqual((code, status), ("OwnershipControlsNotFoundError", 404))
        code, status, _, _ = self.error(self.s3.get_public_access_block, Bucket=b)
        self.assertEqual((code, status), ("NoSuchPublicAccessBlockConfiguration", 404))
        self.s3.put_public_access_block(Bucket=b, PublicAccessBlockConfiguration={"BlockPublicAcls": True,
                                                                                   "RestrictPublicBuckets": True})
        cfg = self.s3.get_public_access_block(Bucket=b)["PublicAccessBlockConfiguration"]
        self.assertEqual(cfg, {"BlockPublicAcls": True, "IgnorePublicAcls": False, "BlockPublicPolicy": False,
                               "RestrictPublicBuckets": True})

    def test_request_payment_accelerate_logging(self):
        b = self.bucket()
        self.assertEqual(self.s3.get_bucket_request_payment(Bucket=b)["Payer"], "BucketOwner")
        self.s3.put_bucket_accelerate_configuration(Bucket=b, AccelerateConfiguration={"Status": "Enabled"})
        self.assertEqual(self.s3.get_bucket_accelerate_configuration(Bucket=b)["Status"], "Enabled")
        self.assertNotIn("LoggingEnabled", self.s3.get_bucket_logging(Bucket=b))
        code, status, _, _ = self.error(self.s3.put_bucket_logging, Bucket=b, BucketLoggingStatus={
            "LoggingEnabled": {"TargetBucket": "no-such-target-bucket", "TargetPrefix": "logs/"}})
        self.assertEqual((code, status), ("InvalidTargetBucketForLogging", 400))


    def test_replication_configuration(self):
        """Stored and returned (objects are not copied): Terraform reads it on every refresh."""
        src, dst = self.bucket(), self.bucket()
        code, status, err, _ = self.error(self.s3.get_bucket_replication, Bucket=src)
        self.assertEqual((code, status, err["Message"]),
                         ("ReplicationConfigurationNotFoundError", 404, "The replication configuration was not found"))
        cfg = {"Role": "arn:aws:iam::000000000000:role/replication", "Rules": [
            {"ID": "all", "Priority": 1, "Status": "Enabled", "Filter": {"Prefix": ""},
             "DeleteMarkerReplication": {"Status": "Disabled"},
             "Destination": {"Bucket": "arn:aws:s3:::" + dst, "StorageClass": "STANDARD"}}]}
        code, status, err, _ = self.error(self.s3.put_bucket_replication, Bucket=src, ReplicationConfiguration=cfg)
        self.assertEqual((code, status, err["Message"]), ("InvalidRequest", 400,
                         "Versioning must be 'Enabled' on the bucket to apply a replication configuration"))
        self.s3.put_bucket_versioning(Bucket=src, VersioningConfiguration={"Status": "Enabled"})
        code, status, err, _ = self.error(self.s3.put_bucket_replication, Bucket=src, ReplicationConfiguration=cfg)
        self.assertEqual((code, err["Message"]), ("InvalidRequest", "Destination bucket must have versioning enabled."))
        self.s3.put_bucket_versioning(Bucket=dst, VersioningConfiguration={"Status": "Enabled"})
        self.s3.put_bucket_replication(Bucket=src, ReplicationConfiguration=cfg)
        got = self.s3.get_bucket_replication(Bucket=src)["ReplicationConfiguration"]
        self.assertEqual(got["Role"], cfg["Role"])
        self.assertEqual(got["Rules"][0]["ID"], "all")
        self.assertEqual(got["Rules"][0]["Destination"]["Bucket"], "arn:aws:s3:::" + dst)
        self.s3.delete_bucket_replication(Bucket=src)
        self.assertEqual(self.error(self.s3.get_bucket_replication, Bucket=src)[0], "ReplicationConfigurationNotFoundError")


class S3Lifecycle(S3TestCase):
    def test_expiration_applied(self):
        b = self.bucket()
        self.s3.put_bucket_lifecycle_configuration(Bucket=b, LifecycleConfiguration={"Rules": [
            {"ID": "tmp-1d", "Status": "Enabled", "Filter": {"Prefix": "tmp/"}, "Expiration": {"Days": 1}},
            {"ID": "uploads", "Status": "Enabled", "Filter": {"Prefix": ""},
             "AbortIncompleteMultipartUpload": {"DaysAfterInitiation": 2}}]})
        rules = self.s3.get_bucket_lifecycle_configuration(Bucket=b)["Rules"]
        self.assertEqual([r["ID"] for r in rules], ["tmp-1d", "uploads"])
        self.s3.put_object(Bucket=b, Key="tmp/a", Body=b"a")
        self.s3.put_object(Bucket=b, Key="keep/b", Body=b"b")
        h = self.s3.head_object(Bucket=b, Key="tmp/a")
        self.assertIn('rule-id="tmp-1d"', h["Expiration"])
        self.assertTrue(h["Expiration"].startswith('expiry-date="'))
        self.assertIn("00:00:00 GMT", h["Expiration"])
        self.s3.create_multipart_upload(Bucket=b, Key="big")
        self.stratus.advance_clock(2 * 86400 + 60)
        self.error(self.s3.head_object, Bucket=b, Key="tmp/a")
        self.assertEqual(self.s3.get_object(Bucket=b, Key="keep/b")["Body"].read(), b"b")
        self.s3.advance = None
        self.stratus.advance_clock(86400)
        self.assertNotIn("Uploads", self.s3.list_multipart_uploads(Bucket=b))

    def test_versioned_expiration_creates_delete_marker(self):
        b = self.bucket()
        self.s3.put_bucket_versioning(Bucket=b, VersioningConfiguration={"Status": "Enabled"})
        self.s3.put_bucket_lifecycle_configuration(Bucket=b, LifecycleConfiguration={"Rules": [
            {"ID": "r", "Status": "Enabled", "Filter": {}, "Expiration": {"Days": 1},
             "NoncurrentVersionExpiration": {"NoncurrentDays": 3}}]})
        self.s3.put_object(Bucket=b, Key="v", Body=b"v")
        self.stratus.advance_clock(2 * 86400 + 60)
        lv = self.s3.list_object_versions(Bucket=b)
        self.assertEqual(len(lv["Versions"]), 1)
        self.assertTrue(lv["DeleteMarkers"][0]["IsLatest"])
        self.stratus.advance_clock(4 * 86400)
        self.assertNotIn("Versions", self.s3.list_object_versions(Bucket=b))

    def test_lifecycle_validation(self):
        b = self.bucket()
        code, status, err, _ = self.error(self.s3.put_bucket_lifecycle_configuration, Bucket=b, LifecycleConfiguration={
            "Rules": [{"ID": "x", "Status": "Enabled", "Filter": {"Prefix": ""}, "Expiration": {"Days": 0}}]})
        self.assertEqual((code, status), ("InvalidArgument", 400))
        self.assertEqual(err["Message"], "'Days' for Expiration action must be a positive integer")
        code, status, _, _ = self.error(self.s3.get_bucket_lifecycle_configuration, Bucket=b)
        self.assertEqual((code, status), ("NoSuchLifecycleConfiguration", 404))


class S3Notifications(S3TestCase):
    def queue(self):
        sqs = self.client("sqs")
        url = sqs.create_queue(QueueName="s3-events-%s" % uuid.uuid4().hex[:8])["QueueUrl"]
        arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
        return sqs, url, arn

    def receive(self, sqs, url, n=1):
        msgs = []
        deadline = time.time() + 10
        while len(msgs) < n and time.time() < deadline:
            r = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10, WaitTimeSeconds=1)
            for m in r.get("Messages", []):
                msgs.append(json.loads(m["Body"]))
                sqs.delete_message(QueueUrl=url, ReceiptHandle=m["ReceiptHandle"])
        return msgs

    def test_records_to_sqs(self):
        b = self.bucket()
        sqs, url, arn = self.queue()
        self.s3.put_bucket_notification_configuration(Bucket=b, NotificationConfiguration={"QueueConfigurations": [
            {"Id": "images", "QueueArn": arn, "Events": ["s3:ObjectCreated:*", "s3:ObjectRemoved:*"],
             "Filter": {"Key": {"FilterRules": [{"Name": "prefix", "Value": "img/"}, {"Name": "suffix", "Value": ".png"}]}}}]})
        test = self.receive(sqs, url)[0]
        self.assertEqual((test["Service"], test["Event"], test["Bucket"]), ("Amazon S3", "s3:TestEvent", b))
        cfg = self.s3.get_bucket_notification_configuration(Bucket=b)["QueueConfigurations"][0]
        self.assertEqual((cfg["Id"], cfg["QueueArn"]), ("images", arn))
        etag = self.s3.put_object(Bucket=b, Key="img/a photo.png", Body=b"png")["ETag"].strip('"')
        self.s3.put_object(Bucket=b, Key="img/skip.jpg", Body=b"jpg")
        self.s3.put_object(Bucket=b, Key="other/x.png", Body=b"png")
        self.s3.delete_object(Bucket=b, Key="img/a photo.png")
        msgs = self.receive(sqs, url, 2)
        self.assertEqual(len(msgs), 2)
        created, removed = msgs[0]["Records"][0], msgs[1]["Records"][0]
        self.assertEqual(created["eventName"], "ObjectCreated:Put")
        self.assertEqual(created["eventSource"], "aws:s3")
        self.assertEqual(created["eventVersion"], "2.1")
        self.assertEqual(created["awsRegion"], "us-east-1")
        self.assertEqual(created["s3"]["configurationId"], "images")
        self.assertEqual(created["s3"]["bucket"]["name"], b)
        self.assertEqual(created["s3"]["bucket"]["arn"], "arn:aws:s3:::" + b)
        self.assertEqual(created["s3"]["object"]["key"], "img/a+photo.png")
        self.assertEqual(urllib.parse.unquote_plus(created["s3"]["object"]["key"]), "img/a photo.png")
        self.assertEqual((created["s3"]["object"]["size"], created["s3"]["object"]["eTag"]), (3, etag))
        self.assertRegex(created["s3"]["object"]["sequencer"], r"^[0-9A-F]{16,}$")
        self.assertEqual(removed["eventName"], "ObjectRemoved:Delete")
        self.assertNotIn("size", removed["s3"]["object"])
        self.assertGreater(removed["s3"]["object"]["sequencer"], created["s3"]["object"]["sequencer"])
        self.assertEqual(self.receive(sqs, url), [])

    def test_unknown_queue_rejected(self):
        b = self.bucket()
        code, status, err, _ = self.error(self.s3.put_bucket_notification_configuration, Bucket=b, NotificationConfiguration={
            "QueueConfigurations": [{"QueueArn": "arn:aws:sqs:us-east-1:000000000000:absent-queue",
                                     "Events": ["s3:ObjectCreated:*"]}]})
        self.assertEqual((code, status), ("InvalidArgument", 400))
        self.assertEqual(err["Message"], "Unable to validate the following destination configurations")
        code, status, _, _ = self.error(self.s3.put_bucket_notification_configuration, Bucket=b, NotificationConfiguration={
            "QueueConfigurations": [{"QueueArn": "arn:aws:sqs:us-east-1:000000000000:q", "Events": ["s3:Bogus"]}]})
        self.assertEqual((code, status), ("InvalidArgument", 400))
        self.assertEqual(self.s3.get_bucket_notification_configuration(Bucket=b).get("QueueConfigurations"), None)

    def test_multipart_and_copy_events(self):
        b = self.bucket()
        sqs, url, arn = self.queue()
        self.s3.put_bucket_notification_configuration(Bucket=b, NotificationConfiguration={"QueueConfigurations": [
            {"QueueArn": arn, "Events": ["s3:ObjectCreated:CompleteMultipartUpload", "s3:ObjectCreated:Copy"]}]})
        self.receive(sqs, url)
        up = self.s3.create_multipart_upload(Bucket=b, Key="mp")
        e = self.s3.upload_part(Bucket=b, Key="mp", UploadId=up["UploadId"], PartNumber=1, Body=b"x")["ETag"]
        self.s3.complete_multipart_upload(Bucket=b, Key="mp", UploadId=up["UploadId"],
                                          MultipartUpload={"Parts": [{"PartNumber": 1, "ETag": e}]})
        self.s3.copy_object(Bucket=b, Key="mp-copy", CopySource="%s/mp" % b)
        self.s3.put_object(Bucket=b, Key="plain", Body=b"not selected")
        names = [m["Records"][0]["eventName"] for m in self.receive(sqs, url, 2)]
        self.assertEqual(names, ["ObjectCreated:CompleteMultipartUpload", "ObjectCreated:Copy"])
