"""DynamoDB and DynamoDB Streams through boto3 (1.43 and 1.26), the AWS CLI (v1 and v2) and raw HTTP."""
import json
import time
import unittest
from decimal import Decimal

import boto3
from botocore.exceptions import ClientError

from stratus_harness import StratusTestCase, cli_available


def make_table(ddb, name, stream=None, range_type="N"):
    kw = {}
    if stream:
        kw["StreamSpecification"] = {"StreamEnabled": True, "StreamViewType": stream}
    ddb.create_table(
        TableName=name,
        AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"},
                              {"AttributeName": "sk", "AttributeType": range_type}],
        KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}, {"AttributeName": "sk", "KeyType": "RANGE"}],
        BillingMode="PAY_PER_REQUEST", **kw)


class DynamoDbBoto3(StratusTestCase):
    def setUp(self):
        self.ddb = self.client("dynamodb")

    def assertError(self, ctx, code, message=None):
        err = ctx.exception.response["Error"]
        self.assertEqual(err["Code"], code, err)
        if message is not None:
            self.assertEqual(err["Message"], message)
        self.assertEqual(ctx.exception.response["ResponseMetadata"]["HTTPStatusCode"], 400)

    def test_table_lifecycle_and_waiter(self):
        make_table(self.ddb, "life")
        self.ddb.get_waiter("table_exists").wait(TableName="life", WaiterConfig={"Delay": 1, "MaxAttempts": 5})
        d = self.ddb.describe_table(TableName="life")["Table"]
        self.assertEqual(d["TableStatus"], "ACTIVE")
        self.assertEqual(d["BillingModeSummary"]["BillingMode"], "PAY_PER_REQUEST")
        self.assertIn("life", self.ddb.list_tables()["TableNames"])
        self.ddb.delete_table(TableName="life")
        self.ddb.get_waiter("table_not_exists").wait(TableName="life", WaiterConfig={"Delay": 1, "MaxAttempts": 5})
        with self.assertRaises(ClientError) as c:
            self.ddb.describe_table(TableName="life")
        self.assertError(c, "ResourceNotFoundException", "Requested resource not found: Table: life not found")

    def test_items_and_resource_api(self):
        make_table(self.ddb, "res")
        t = boto3.resource("dynamodb", endpoint_url=self.stratus.endpoint, region_name="us-east-1",
                           aws_access_key_id="test", aws_secret_access_key="test").Table("res")
        t.put_item(Item={"pk": "a", "sk": 1, "price": Decimal("9.99"), "tags": {"x", "y"}, "data": b"\x00\x01",
                         "doc": {"list": [1, "two", None]}})
        item = t.get_item(Key={"pk": "a", "sk": 1})["Item"]
        self.assertEqual(item["price"], Decimal("9.99"))
        self.assertEqual(item["tags"], {"x", "y"})
        self.assertEqual(item["data"].value, b"\x00\x01")
        self.assertEqual(item["doc"], {"list": [Decimal(1), "two", None]})
        r = t.update_item(Key={"pk": "a", "sk": 1}, UpdateExpression="ADD hits :one SET price = price + :d",
                          ExpressionAttributeValues={":one": 1, ":d": Decimal("0.01")}, ReturnValues="UPDATED_NEW")
        self.assertEqual(r["Attributes"], {"hits": Decimal(1), "price": Decimal("10")})
        with self.assertRaises(ClientError) as c:
            t.put_item(Item={"pk": "a", "sk": 1}, ConditionExpression="attribute_not_exists(pk)")
        self.assertError(c, "ConditionalCheckFailedException", "The conditional request failed")
        with self.assertRaises(ClientError) as c:
            t.update_item(Key={"pk": "a", "sk": 1}, UpdateExpression="SET price = price * :x",
                          ExpressionAttributeValues={":x": 2})
        self.assertError(c, "ValidationException", 'Invalid UpdateExpression: Syntax error; token: "*", near: "price * :x"')

    def test_query_scan_pagination(self):
        make_table(self.ddb, "pages")
        for i in range(0, 40, 20):
            self.ddb.batch_write_item(RequestItems={"pages": [
                {"PutRequest": {"Item": {"pk": {"S": "p"}, "sk": {"N": str(k)}}}} for k in range(i, i + 20)]})
        pager = self.ddb.get_paginator("query")
        counts = [page["Count"] for page in pager.paginate(
            TableName="pages", KeyConditionExpression="pk = :p", ExpressionAttributeValues={":p": {"S": "p"}},
            PaginationConfig={"PageSize": 15})]
        self.assertEqual(sum(counts), 40)
        self.assertEqual(counts[0], 15)
        scan = [i["sk"]["N"] for page in self.ddb.get_paginator("scan").paginate(TableName="pages", PaginationConfig={"PageSize": 7})
                for i in page["Items"]]
        self.assertEqual(sorted(scan, key=int), [str(i) for i in range(40)])
        r = self.ddb.query(TableName="pages", KeyConditionExpression="pk = :p AND sk >= :s",
                           ExpressionAttributeValues={":p": {"S": "p"}, ":s": {"N": "38"}}, ScanIndexForward=False)
        self.assertEqual([i["sk"]["N"] for i in r["Items"]], ["39", "38"])

    def test_errors(self):
        make_table(self.ddb, "errs")
        with self.assertRaises(ClientError) as c:
            self.ddb.get_item(TableName="nope", Key={"pk": {"S": "a"}, "sk": {"N": "1"}})
        self.assertError(c, "ResourceNotFoundException", "Requested resource not found")
        with self.assertRaises(ClientError) as c:
            self.ddb.put_item(TableName="errs", Item={"pk": {"S": "a"}, "sk": {"N": "1"}},
                              ConditionExpression="a = :v")
        self.assertError(c, "ValidationException",
                         "Invalid ConditionExpression: An expression attribute value used in expression is not defined; attribute value: :v")
        with self.assertRaises(ClientError) as c:
            self.ddb.query(TableName="errs", KeyConditionExpression="pk = :p AND sk > :a AND sk < :b",
                           ExpressionAttributeValues={":p": {"S": "p"}, ":a": {"N": "1"}, ":b": {"N": "2"}})
        self.assertError(c, "ValidationException", "Conditions can be of length 1 or 2 only")
        with self.assertRaises(ClientError) as c:
            self.ddb.scan(TableName="errs", Segment=1)
        self.assertError(c, "ValidationException",
                         "The TotalSegments parameter is required but was not present in the request when Segment parameter is present")

    def test_transactions(self):
        make_table(self.ddb, "txn")
        self.ddb.transact_write_items(TransactItems=[
            {"Put": {"TableName": "txn", "Item": {"pk": {"S": "a"}, "sk": {"N": "1"}, "n": {"N": "1"}}}},
            {"Put": {"TableName": "txn", "Item": {"pk": {"S": "b"}, "sk": {"N": "1"}}}}])
        with self.assertRaises(ClientError) as c:
            self.ddb.transact_write_items(TransactItems=[
                {"ConditionCheck": {"TableName": "txn", "Key": {"pk": {"S": "b"}, "sk": {"N": "1"}},
                                    "ConditionExpression": "attribute_not_exists(pk)"}},
                {"Update": {"TableName": "txn", "Key": {"pk": {"S": "a"}, "sk": {"N": "1"}},
                            "UpdateExpression": "SET n = n + :one", "ExpressionAttributeValues": {":one": {"N": "1"}}}}])
        err = c.exception.response
        self.assertEqual(err["Error"]["Code"], "TransactionCanceledException")
        self.assertEqual([r["Code"] for r in err["CancellationReasons"]], ["ConditionalCheckFailed", "None"])
        g = self.ddb.transact_get_items(TransactItems=[{"Get": {"TableName": "txn", "Key": {"pk": {"S": "a"}, "sk": {"N": "1"}}}}])
        self.assertEqual(g["Responses"][0]["Item"]["n"], {"N": "1"})

    def test_streams_records(self):
        make_table(self.ddb, "str", stream="NEW_AND_OLD_IMAGES")
        d = self.ddb.describe_table(TableName="str")["Table"]
        arn = d["LatestStreamArn"]
        self.assertTrue(arn.startswith("arn:aws:dynamodb:us-east-1:000000000000:table/str/stream/"))
        self.assertEqual(arn.split("/stream/")[1], d["LatestStreamLabel"])
        key = {"pk": {"S": "k"}, "sk": {"N": "1"}}
        self.ddb.put_item(TableName="str", Item=dict(key, v={"N": "1"}))
        self.ddb.put_item(TableName="str", Item=dict(key, v={"N": "1"}))  # no change: no record
        self.ddb.update_item(TableName="str", Key=key, UpdateExpression="SET v = :two",
                             ExpressionAttributeValues={":two": {"N": "2"}})
        self.ddb.delete_item(TableName="str", Key=key)
        st = self.client("dynamodbstreams")
        streams = st.list_streams(TableName="str")["Streams"]
        self.assertEqual([s["StreamArn"] for s in streams], [arn])
        desc = st.describe_stream(StreamArn=arn)["StreamDescription"]
        self.assertEqual(desc["StreamStatus"], "ENABLED")
        self.assertEqual(desc["StreamViewType"], "NEW_AND_OLD_IMAGES")
        shard = desc["Shards"][0]["ShardId"]
        it = st.get_shard_iterator(StreamArn=arn, ShardId=shard, ShardIteratorType="TRIM_HORIZON")["ShardIterator"]
        r = st.get_records(ShardIterator=it)
        recs = r["Records"]
        self.assertEqual([x["eventName"] for x in recs], ["INSERT", "MODIFY", "REMOVE"])
        self.assertEqual(recs[0]["eventSource"], "aws:dynamodb")
        self.assertEqual(recs[0]["eventVersion"], "1.1")
        self.assertEqual(recs[0]["awsRegion"], "us-east-1")
        self.assertEqual(recs[0]["dynamodb"]["Keys"], key)
        self.assertEqual(recs[1]["dynamodb"]["OldImage"]["v"], {"N": "1"})
        self.assertEqual(recs[1]["dynamodb"]["NewImage"]["v"], {"N": "2"})
        self.assertNotIn("NewImage", recs[2]["dynamodb"])
        self.assertEqual(recs[2]["dynamodb"]["StreamViewType"], "NEW_AND_OLD_IMAGES")
        seqs = [x["dynamodb"]["SequenceNumber"] for x in recs]
        self.assertEqual(seqs, sorted(seqs))
        self.assertIn("NextShardIterator", r)
        self.assertEqual(st.get_records(ShardIterator=r["NextShardIterator"])["Records"], [])
        after = st.get_shard_iterator(StreamArn=arn, ShardId=shard, ShardIteratorType="AFTER_SEQUENCE_NUMBER",
                                      SequenceNumber=seqs[0])["ShardIterator"]
        self.assertEqual([x["eventName"] for x in st.get_records(ShardIterator=after)["Records"]], ["MODIFY", "REMOVE"])
        latest = st.get_shard_iterator(StreamArn=arn, ShardId=shard, ShardIteratorType="LATEST")["ShardIterator"]
        self.ddb.put_item(TableName="str", Item=dict(key, v={"N": "3"}))
        self.assertEqual([x["eventName"] for x in st.get_records(ShardIterator=latest)["Records"]], ["INSERT"])
        with self.assertRaises(ClientError) as c:
            st.describe_stream(StreamArn=arn + "x")
        self.assertEqual(c.exception.response["Error"]["Code"], "ResourceNotFoundException")

    def test_ttl_expiry_writes_service_remove_record(self):
        make_table(self.ddb, "ttlt", stream="OLD_IMAGE")
        self.ddb.update_time_to_live(TableName="ttlt", TimeToLiveSpecification={"Enabled": True, "AttributeName": "exp"})
        now = int(time.time())
        self.ddb.put_item(TableName="ttlt", Item={"pk": {"S": "x"}, "sk": {"N": "1"}, "exp": {"N": str(now + 60)}})
        st = self.client("dynamodbstreams")
        arn = self.ddb.describe_table(TableName="ttlt")["Table"]["LatestStreamArn"]
        shard = st.describe_stream(StreamArn=arn)["StreamDescription"]["Shards"][0]["ShardId"]
        # An iterator taken before the clock moves keeps working (iterators age in real time).
        it = st.get_shard_iterator(StreamArn=arn, ShardId=shard, ShardIteratorType="TRIM_HORIZON")["ShardIterator"]
        self.stratus.advance_clock(7200)
        deadline = time.time() + 10
        while time.time() < deadline and "Item" in self.ddb.get_item(TableName="ttlt", Key={"pk": {"S": "x"}, "sk": {"N": "1"}}):
            time.sleep(0.05)
        self.assertNotIn("Item", self.ddb.get_item(TableName="ttlt", Key={"pk": {"S": "x"}, "sk": {"N": "1"}}))
        recs = st.get_records(ShardIterator=it)["Records"]
        self.assertEqual(recs[-1]["eventName"], "REMOVE")
        self.assertEqual(recs[-1]["userIdentity"], {"PrincipalId": "dynamodb.amazonaws.com", "Type": "Service"})
        self.assertEqual(recs[-1]["dynamodb"]["OldImage"]["exp"], {"N": str(now + 60)})

    @unittest.skipUnless(cli_available(), "AWS CLI v1 not available")
    def test_cli_v1(self):
        self._cli(False)

    @unittest.skipUnless(cli_available(v2=True), "AWS CLI v2 not available")
    def test_cli_v2(self):
        self._cli(True)

    def _cli(self, v2):
        name = "cli2" if v2 else "cli1"
        cli = self.stratus.aws_cli
        cli("dynamodb", "create-table", "--table-name", name, "--attribute-definitions", "AttributeName=id,AttributeType=S",
            "--key-schema", "AttributeName=id,KeyType=HASH", "--billing-mode", "PAY_PER_REQUEST", v2=v2)
        cli("dynamodb", "put-item", "--table-name", name, "--item", json.dumps({"id": {"S": "1"}, "n": {"N": "7"}}), v2=v2)
        out = json.loads(cli("dynamodb", "get-item", "--table-name", name, "--key", json.dumps({"id": {"S": "1"}}), v2=v2).stdout)
        self.assertEqual(out["Item"]["n"], {"N": "7"})
        out = json.loads(cli("dynamodb", "scan", "--table-name", name, v2=v2).stdout)
        self.assertEqual(out["Count"], 1)
        p = cli("dynamodb", "describe-table", "--table-name", "missing-table", v2=v2, check=False)
        self.assertNotEqual(p.returncode, 0)
        self.assertIn("ResourceNotFoundException", p.stderr)

    def test_malformed_input_is_a_400_never_a_5xx(self):
        make_table(self.ddb, "robust")
        cases = [
            ("PutItem", {"TableName": "robust", "Item": {"pk": {"S": "a"}, "sk": {"N": "1"}, "x": None}}),
            ("PutItem", {"TableName": "robust", "Item": {"pk": {"S": "a"}, "sk": {"N": "1"}, "l": {"L": [None]}}}),
            ("PutItem", {"TableName": "robust", "Item": {"pk": {"S": "a"}, "sk": {"N": "1"}, "b": {"B": "!!"}}}),
            ("PutItem", {"TableName": "robust", "Item": {"pk": {"S": 1}, "sk": {"N": "1"}}}),
            ("PutItem", {"TableName": "robust", "Item": {"pk": {"S": "a"}, "sk": {"N": "1"}},
                         "ConditionExpression": "a = :v", "ExpressionAttributeValues": {":v": None}}),
            ("PutItem", {"TableName": "robust", "Item": {"pk": {"S": "a"}, "sk": {"N": "1"}},
                         "ConditionExpression": "#a = #a", "ExpressionAttributeNames": {"#a": None}}),
            ("PutItem", {"TableName": "robust", "Item": {"pk": {"S": "a"}, "sk": {"N": "1"}}, "Expected": {"a": None}}),
            ("UpdateItem", {"TableName": "robust", "Key": {"pk": {"S": "a"}, "sk": {"N": "1"}}, "AttributeUpdates": {"a": None}}),
            ("BatchWriteItem", {"RequestItems": {"robust": None}}),
            ("BatchWriteItem", {"RequestItems": {"robust": [None]}}),
            ("BatchWriteItem", {"RequestItems": {"robust": [{}]}}),
            ("BatchGetItem", {"RequestItems": {"robust": None}}),
            ("BatchGetItem", {"RequestItems": {"robust": {"Keys": [None]}}}),
            ("TransactWriteItems", {"TransactItems": [None]}),
            ("TransactWriteItems", {"TransactItems": [{}]}),
            ("TransactGetItems", {"TransactItems": [None]}),
            ("Query", {"TableName": "robust", "KeyConditions": {"pk": None}}),
            ("Query", {"TableName": "robust", "KeyConditionExpression": "pk = :p", "ExpressionAttributeValues": {":p": {"S": "a"}},
                       "ExclusiveStartKey": {"pk": None}}),
            ("Scan", {"TableName": "robust", "ScanFilter": {"a": {"ComparisonOperator": "EQ", "AttributeValueList": [None]}}}),
            ("CreateTable", {"TableName": "robust2", "AttributeDefinitions": [None], "KeySchema": [None], "BillingMode": "PAY_PER_REQUEST"}),
            ("TagResource", {"ResourceArn": "arn:aws:dynamodb:us-east-1:000000000000:table/robust", "Tags": [None]}),
            ("UntagResource", {"ResourceArn": "arn:aws:dynamodb:us-east-1:000000000000:table/robust", "TagKeys": [None]}),
            ("ExecuteStatement", {"Statement": "SELECT * FROM robust WHERE pk = ?", "Parameters": [None]}),
            ("BatchExecuteStatement", {"Statements": [None]}),
            ("UpdateItem", {"TableName": "robust", "Key": {"pk": {"S": "a"}, "sk": {"N": "1"}}, "UpdateExpression": "SET a = :v",
                            "ExpressionAttributeValues": {":v": {"M": {"x": None}}}}),
        ]
        for op, body in cases:
            status, _, raw = self.stratus.http("POST", "/", json.dumps(body), {
                "Content-Type": "application/x-amz-json-1.0", "X-Amz-Target": "DynamoDB_20120810." + op})
            self.assertEqual(status, 400, (op, body, raw))
            doc = json.loads(raw)
            self.assertTrue(doc["__type"].endswith(("ValidationException", "SerializationException")), (op, doc))

    def test_raw_http_validation(self):
        status, headers, body = self.stratus.http("POST", "/", json.dumps({"TableName": "ab"}), {
            "Content-Type": "application/x-amz-json-1.0", "X-Amz-Target": "DynamoDB_20120810.DescribeTable"})
        self.assertEqual(status, 400)
        doc = json.loads(body)
        self.assertEqual(doc["__type"], "com.amazon.coral.validate#ValidationException")
        self.assertIn("Value 'ab' at 'tableName' failed to satisfy constraint: Member must have length greater than or equal to 3",
                      doc["message"])


class DynamoDbDurability(unittest.TestCase):
    def test_kill9_keeps_acknowledged_writes(self):
        from stratus_harness import Stratus
        s = Stratus()
        try:
            ddb = s.client("dynamodb")
            ddb.create_table(
                TableName="durable", BillingMode="PAY_PER_REQUEST",
                AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"},
                                      {"AttributeName": "g", "AttributeType": "S"}],
                KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
                GlobalSecondaryIndexes=[{"IndexName": "byG", "KeySchema": [{"AttributeName": "g", "KeyType": "HASH"}],
                                         "Projection": {"ProjectionType": "ALL"}}],
                StreamSpecification={"StreamEnabled": True, "StreamViewType": "NEW_IMAGE"})
            for i in range(5):
                ddb.put_item(TableName="durable", Item={"pk": {"S": "k%d" % i}, "g": {"S": "G"}, "n": {"N": str(i)}})
            s.kill9()
            s.start()
            ddb = s.client("dynamodb")
            self.assertEqual(ddb.get_item(TableName="durable", Key={"pk": {"S": "k3"}})["Item"]["n"], {"N": "3"})
            q = ddb.query(TableName="durable", IndexName="byG", KeyConditionExpression="g = :g",
                          ExpressionAttributeValues={":g": {"S": "G"}})
            self.assertEqual(q["Count"], 5)
            self.assertEqual(ddb.describe_table(TableName="durable")["Table"]["ItemCount"], 5)
            ddb.put_item(TableName="durable", Item={"pk": {"S": "k9"}, "g": {"S": "G"}})
            st = s.client("dynamodbstreams")
            arn = ddb.describe_table(TableName="durable")["Table"]["LatestStreamArn"]
            shard = st.describe_stream(StreamArn=arn)["StreamDescription"]["Shards"][0]["ShardId"]
            it = st.get_shard_iterator(StreamArn=arn, ShardId=shard, ShardIteratorType="TRIM_HORIZON")["ShardIterator"]
            recs = st.get_records(ShardIterator=it)["Records"]
            self.assertEqual(len(recs), 6)
            seqs = [r["dynamodb"]["SequenceNumber"] for r in recs]
            self.assertEqual(seqs, sorted(set(seqs)), "sequence numbers keep increasing across restarts")
        finally:
            s.close()


if __name__ == "__main__":
    unittest.main()
