// DynamoDB PartiQL (ExecuteStatement, BatchExecuteStatement, ExecuteTransaction) and the
// DynamoDB Streams API through the JS SDK v3.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  BatchExecuteStatementCommand, CreateTableCommand, DynamoDBClient, ExecuteStatementCommand,
  ExecuteTransactionCommand, GetItemCommand, UpdateTableCommand, DescribeTableCommand,
} from '@aws-sdk/client-dynamodb';
import { DescribeStreamCommand, DynamoDBStreamsClient, GetRecordsCommand, GetShardIteratorCommand, ListStreamsCommand } from '@aws-sdk/client-dynamodb-streams';
import { clientConfig, startStratus } from './harness.mjs';

describe('dynamodb partiql and streams', () => {
  let s, ddb, streams;
  before(async () => {
    s = await startStratus();
    ddb = new DynamoDBClient(clientConfig(s));
    streams = new DynamoDBStreamsClient(clientConfig(s));
    await ddb.send(new CreateTableCommand({
      TableName: 'Music', BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [{ AttributeName: 'Artist', AttributeType: 'S' }, { AttributeName: 'Song', AttributeType: 'S' }],
      KeySchema: [{ AttributeName: 'Artist', KeyType: 'HASH' }, { AttributeName: 'Song', KeyType: 'RANGE' }],
    }));
  });
  after(async () => { await s.stop(); });

  test('INSERT, SELECT with key and filter, projections, parameters', async () => {
    await ddb.send(new ExecuteStatementCommand({ Statement: `INSERT INTO "Music" VALUE {'Artist': 'Acme', 'Song': 'One', 'Year': 2001, 'Tags': <<'rock', 'pop'>>, 'Info': {'Label': 'X', 'Charts': [1, 2]}}` }));
    await ddb.send(new ExecuteStatementCommand({ Statement: 'INSERT INTO Music VALUE {\'Artist\': ?, \'Song\': ?, \'Year\': ?}',
      Parameters: [{ S: 'Acme' }, { S: 'Two' }, { N: '2005' }] }));
    await ddb.send(new ExecuteStatementCommand({ Statement: `INSERT INTO "Music" VALUE {'Artist': 'Zed', 'Song': 'Solo', 'Year': 1999}` }));
    const dup = await ddb.send(new ExecuteStatementCommand({ Statement: `INSERT INTO "Music" VALUE {'Artist': 'Zed', 'Song': 'Solo'}` })).catch((e) => e);
    assert.equal(dup.name, 'DuplicateItemException');
    assert.equal(dup.message, 'Duplicate primary key exists in table');
    let r = await ddb.send(new ExecuteStatementCommand({ Statement: `SELECT * FROM "Music" WHERE Artist = 'Acme'` }));
    assert.deepEqual(r.Items.map((i) => i.Song.S), ['One', 'Two']);
    r = await ddb.send(new ExecuteStatementCommand({ Statement: `SELECT Song, Info.Charts[1] FROM Music WHERE Artist = ? AND "Year" > ?`,
      Parameters: [{ S: 'Acme' }, { N: '2000' }] }));
    assert.deepEqual(r.Items, [{ Song: { S: 'One' }, Info: { M: { Charts: { L: [{ N: '2' }] } } } }, { Song: { S: 'Two' } }]);
    r = await ddb.send(new ExecuteStatementCommand({ Statement: `SELECT Artist FROM Music WHERE "Year" BETWEEN 1990 AND 2002 AND begins_with(Song, 'O')` }));
    assert.deepEqual(r.Items, [{ Artist: { S: 'Acme' } }]);
    r = await ddb.send(new ExecuteStatementCommand({ Statement: `SELECT * FROM Music WHERE Tags IS MISSING` }));
    assert.equal(r.Items.length, 2);
    r = await ddb.send(new ExecuteStatementCommand({ Statement: `SELECT * FROM Music WHERE Artist IN ['Zed', 'Nobody'] OR contains(Tags, 'rock')` }));
    assert.equal(r.Items.length, 2);
    const page = await ddb.send(new ExecuteStatementCommand({ Statement: `SELECT * FROM Music`, Limit: 2 }));
    assert.equal(page.Items.length, 2);
    assert.ok(page.NextToken);
    const rest = await ddb.send(new ExecuteStatementCommand({ Statement: `SELECT * FROM Music`, Limit: 2, NextToken: page.NextToken }));
    assert.equal(rest.Items.length, 1);
  });

  test('UPDATE and DELETE need the full key; RETURNING', async () => {
    let r = await ddb.send(new ExecuteStatementCommand({ Statement: `UPDATE Music SET "Year" = "Year" + 1 SET Plays = 10 REMOVE Info WHERE Artist = 'Acme' AND Song = 'One' RETURNING ALL NEW *` }));
    assert.equal(r.Items[0].Year.N, '2002');
    assert.equal(r.Items[0].Plays.N, '10');
    assert.equal(r.Items[0].Info, undefined);
    const missing = await ddb.send(new ExecuteStatementCommand({ Statement: `UPDATE Music SET Plays = 1 WHERE Artist = 'Nobody' AND Song = 'x'` })).catch((e) => e);
    assert.equal(missing.name, 'ConditionalCheckFailedException');
    const partial = await ddb.send(new ExecuteStatementCommand({ Statement: `UPDATE Music SET Plays = 1 WHERE Artist = 'Acme'` })).catch((e) => e);
    assert.equal(partial.name, 'ValidationException');
    assert.equal(partial.message, 'Where clause does not contain a mandatory equality on all key attributes');
    const cond = await ddb.send(new ExecuteStatementCommand({ Statement: `DELETE FROM Music WHERE Artist = 'Zed' AND Song = 'Solo' AND "Year" = 1 ` })).catch((e) => e);
    assert.equal(cond.name, 'ConditionalCheckFailedException');
    r = await ddb.send(new ExecuteStatementCommand({ Statement: `DELETE FROM Music WHERE Artist = 'Zed' AND Song = 'Solo' RETURNING ALL OLD *` }));
    assert.equal(r.Items[0].Year.N, '1999');
    const bad = await ddb.send(new ExecuteStatementCommand({ Statement: `SELEKT * FROM Music` })).catch((e) => e);
    assert.equal(bad.name, 'ValidationException');
    assert.match(bad.message, /^Statement wasn't well formed, can't be processed/);
    const nt = await ddb.send(new ExecuteStatementCommand({ Statement: `SELECT * FROM Nope` })).catch((e) => e);
    assert.equal(nt.name, 'ResourceNotFoundException');
  });

  test('BatchExecuteStatement and ExecuteTransaction', async () => {
    const b = await ddb.send(new BatchExecuteStatementCommand({ Statements: [
      { Statement: `INSERT INTO Music VALUE {'Artist': 'B', 'Song': '1'}` },
      { Statement: `INSERT INTO Music VALUE {'Artist': 'Acme', 'Song': 'One'}` },
      { Statement: `SELECT * FROM Music WHERE Artist = 'Acme' AND Song = 'Two'` },
    ] }));
    assert.equal(b.Responses[0].Error, undefined);
    assert.equal(b.Responses[1].Error.Code, 'DuplicateItem');
    assert.equal(b.Responses[2].Item.Song.S, 'Two');
    await ddb.send(new ExecuteTransactionCommand({ TransactStatements: [
      { Statement: `INSERT INTO Music VALUE {'Artist': 'T', 'Song': '1'}` },
      { Statement: `UPDATE Music SET Plays = 5 WHERE Artist = 'B' AND Song = '1'` },
    ] }));
    assert.equal((await ddb.send(new GetItemCommand({ TableName: 'Music', Key: { Artist: { S: 'B' }, Song: { S: '1' } } }))).Item.Plays.N, '5');
    const e = await ddb.send(new ExecuteTransactionCommand({ TransactStatements: [
      { Statement: `INSERT INTO Music VALUE {'Artist': 'T2', 'Song': '1'}` },
      { Statement: `INSERT INTO Music VALUE {'Artist': 'T', 'Song': '1'}` },
    ] })).catch((x) => x);
    assert.equal(e.name, 'TransactionCanceledException');
    assert.deepEqual(e.CancellationReasons.map((x) => x.Code), ['None', 'DuplicateItem']);
    assert.equal((await ddb.send(new GetItemCommand({ TableName: 'Music', Key: { Artist: { S: 'T2' }, Song: { S: '1' } } }))).Item, undefined);
    const reads = await ddb.send(new ExecuteTransactionCommand({ TransactStatements: [
      { Statement: `SELECT Plays FROM Music WHERE Artist = 'B' AND Song = '1'` }] }));
    assert.deepEqual(reads.Responses, [{ Item: { Plays: { N: '5' } } }]);
  });

  test('streams: enable on an existing table, KEYS_ONLY records, disable closes the shard', async () => {
    const u = await ddb.send(new UpdateTableCommand({ TableName: 'Music', StreamSpecification: { StreamEnabled: true, StreamViewType: 'KEYS_ONLY' } }));
    const arn = u.TableDescription.LatestStreamArn;
    assert.ok(arn);
    await ddb.send(new ExecuteStatementCommand({ Statement: `INSERT INTO Music VALUE {'Artist': 'S', 'Song': '1', 'x': 1}` }));
    const list = await streams.send(new ListStreamsCommand({ TableName: 'Music' }));
    assert.equal(list.Streams[0].StreamArn, arn);
    const d = await streams.send(new DescribeStreamCommand({ StreamArn: arn }));
    assert.equal(d.StreamDescription.StreamStatus, 'ENABLED');
    assert.deepEqual(d.StreamDescription.KeySchema, [{ AttributeName: 'Artist', KeyType: 'HASH' }, { AttributeName: 'Song', KeyType: 'RANGE' }]);
    const shard = d.StreamDescription.Shards[0];
    assert.match(shard.ShardId, /^shardId-\d{20}-[0-9a-f]{8}$/);
    const it = await streams.send(new GetShardIteratorCommand({ StreamArn: arn, ShardId: shard.ShardId, ShardIteratorType: 'TRIM_HORIZON' }));
    const recs = await streams.send(new GetRecordsCommand({ ShardIterator: it.ShardIterator }));
    assert.equal(recs.Records.length, 1);
    const rec = recs.Records[0];
    assert.equal(rec.eventName, 'INSERT');
    assert.deepEqual(rec.dynamodb.Keys, { Artist: { S: 'S' }, Song: { S: '1' } });
    assert.equal(rec.dynamodb.NewImage, undefined);
    assert.equal(rec.dynamodb.StreamViewType, 'KEYS_ONLY');
    assert.ok(rec.dynamodb.ApproximateCreationDateTime instanceof Date);
    assert.match(rec.dynamodb.SequenceNumber, /^\d{21}$/);
    await ddb.send(new UpdateTableCommand({ TableName: 'Music', StreamSpecification: { StreamEnabled: false } }));
    const closed = await streams.send(new DescribeStreamCommand({ StreamArn: arn }));
    assert.equal(closed.StreamDescription.StreamStatus, 'DISABLED');
    assert.ok(closed.StreamDescription.Shards[0].SequenceNumberRange.EndingSequenceNumber);
    const end = await streams.send(new GetRecordsCommand({ ShardIterator: recs.NextShardIterator }));
    assert.deepEqual(end.Records, []);
    assert.equal(end.NextShardIterator, undefined, 'a closed shard read to its end has no next iterator');
    const again = await ddb.send(new UpdateTableCommand({ TableName: 'Music', StreamSpecification: { StreamEnabled: false } })).catch((x) => x);
    assert.equal(again.name, 'ValidationException');
    assert.equal(again.message, 'Table has no stream to disable: TableName: Music');
    const desc = await ddb.send(new DescribeTableCommand({ TableName: 'Music' }));
    assert.equal(desc.Table.StreamSpecification, undefined, 'a disabled stream leaves no StreamSpecification');
    assert.equal(desc.Table.LatestStreamArn, arn, 'LatestStreamArn survives the disable');
    const noop = await ddb.send(new UpdateTableCommand({ TableName: 'Music' })).catch((x) => x);
    assert.match(noop.message, /^At least one of ProvisionedThroughput, BillingMode, UpdateStreamEnabled, GlobalSecondaryIndexUpdates, SSESpecification, ReplicaUpdates/);
    const bad = await streams.send(new GetShardIteratorCommand({ StreamArn: arn, ShardId: 'shardId-00000000000000000000-00000000', ShardIteratorType: 'LATEST' })).catch((x) => x);
    assert.equal(bad.name, 'ResourceNotFoundException');
  });
});
