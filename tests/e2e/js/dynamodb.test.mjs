// DynamoDB through the JS SDK v3 (low-level client and lib-dynamodb's document client): tables,
// items with every expression kind, Query/Scan paging and indexes, batches, transactions,
// errors with AWS's codes and messages.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  BatchGetItemCommand, BatchWriteItemCommand, CreateTableCommand, DeleteItemCommand, DeleteTableCommand,
  DescribeTableCommand, DescribeTimeToLiveCommand, DynamoDBClient, GetItemCommand, ListTablesCommand,
  ListTagsOfResourceCommand, PutItemCommand, QueryCommand, ScanCommand, TagResourceCommand,
  TransactGetItemsCommand, TransactWriteItemsCommand, UntagResourceCommand, UpdateItemCommand, UpdateTableCommand,
  UpdateTimeToLiveCommand, DescribeLimitsCommand, ListBackupsCommand, DescribeContinuousBackupsCommand,
} from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand as DocQuery, UpdateCommand, paginateQuery } from '@aws-sdk/lib-dynamodb';
import { clientConfig, startStratus } from './harness.mjs';

const rejects = (p, name, message) =>
  assert.rejects(p, (e) => {
    assert.equal(e.name, name, `${e.name}: ${e.message}`);
    if (message instanceof RegExp) assert.match(e.message, message);
    else if (message !== undefined) assert.equal(e.message, message);
    assert.equal(e.$metadata.httpStatusCode, 400);
    return true;
  });

describe('dynamodb', () => {
  let s, ddb, doc;
  before(async () => {
    s = await startStratus();
    ddb = new DynamoDBClient(clientConfig(s));
    doc = DynamoDBDocumentClient.from(ddb);
  });
  after(async () => { await s.stop(); });

  const table = async (name, extra = {}) => {
    await ddb.send(new CreateTableCommand({
      TableName: name,
      AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }, { AttributeName: 'sk', AttributeType: 'N' }],
      KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }, { AttributeName: 'sk', KeyType: 'RANGE' }],
      BillingMode: 'PAY_PER_REQUEST',
      ...extra,
    }));
  };

  test('CreateTable / DescribeTable / ListTables / DeleteTable', async () => {
    const r = await ddb.send(new CreateTableCommand({
      TableName: 'Tbl1',
      AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
      KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
      ProvisionedThroughput: { ReadCapacityUnits: 5, WriteCapacityUnits: 3 },
      Tags: [{ Key: 'team', Value: 'a' }],
    }));
    assert.equal(r.TableDescription.TableStatus, 'CREATING');
    assert.equal(r.TableDescription.TableArn, 'arn:aws:dynamodb:us-east-1:000000000000:table/Tbl1');
    assert.match(r.TableDescription.TableId, /^[0-9a-f-]{36}$/);
    assert.equal(r.TableDescription.ProvisionedThroughput.ReadCapacityUnits, 5);
    assert.ok(r.TableDescription.CreationDateTime instanceof Date);
    const d = await ddb.send(new DescribeTableCommand({ TableName: 'Tbl1' }));
    assert.equal(d.Table.TableStatus, 'ACTIVE');
    assert.equal(d.Table.ItemCount, 0);
    assert.equal(d.Table.TableSizeBytes, 0);
    assert.deepEqual(d.Table.KeySchema, [{ AttributeName: 'id', KeyType: 'HASH' }]);
    await rejects(ddb.send(new CreateTableCommand({
      TableName: 'Tbl1', AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
      KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }], BillingMode: 'PAY_PER_REQUEST',
    })), 'ResourceInUseException', 'Table already exists: Tbl1');
    const l = await ddb.send(new ListTablesCommand({}));
    assert.ok(l.TableNames.includes('Tbl1'));
    const tags = await ddb.send(new ListTagsOfResourceCommand({ ResourceArn: r.TableDescription.TableArn }));
    assert.deepEqual(tags.Tags, [{ Key: 'team', Value: 'a' }]);
    await ddb.send(new TagResourceCommand({ ResourceArn: r.TableDescription.TableArn, Tags: [{ Key: 'env', Value: 'dev' }] }));
    await ddb.send(new UntagResourceCommand({ ResourceArn: r.TableDescription.TableArn, TagKeys: ['team'] }));
    assert.deepEqual((await ddb.send(new ListTagsOfResourceCommand({ ResourceArn: r.TableDescription.TableArn }))).Tags,
      [{ Key: 'env', Value: 'dev' }]);
    const del = await ddb.send(new DeleteTableCommand({ TableName: 'Tbl1' }));
    assert.equal(del.TableDescription.TableStatus, 'DELETING');
    await rejects(ddb.send(new DescribeTableCommand({ TableName: 'Tbl1' })), 'ResourceNotFoundException',
      'Requested resource not found: Table: Tbl1 not found');
    await rejects(ddb.send(new GetItemCommand({ TableName: 'Tbl1', Key: { id: { S: 'x' } } })), 'ResourceNotFoundException',
      'Requested resource not found');
  });

  test('ListTables pagination', async () => {
    for (const n of ['pg-a', 'pg-b', 'pg-c'])
      await ddb.send(new CreateTableCommand({ TableName: n, AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
        KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }], BillingMode: 'PAY_PER_REQUEST' }));
    const p1 = await ddb.send(new ListTablesCommand({ Limit: 2, ExclusiveStartTableName: 'pg-' }));
    assert.deepEqual(p1.TableNames, ['pg-a', 'pg-b']);
    assert.equal(p1.LastEvaluatedTableName, 'pg-b');
    const p2 = await ddb.send(new ListTablesCommand({ Limit: 2, ExclusiveStartTableName: 'pg-b' }));
    assert.equal(p2.TableNames[0], 'pg-c');
  });

  test('CreateTable validation', async () => {
    await rejects(ddb.send(new CreateTableCommand({ TableName: 'bad',
      AttributeDefinitions: [{ AttributeName: 'a', AttributeType: 'S' }],
      KeySchema: [{ AttributeName: 'b', KeyType: 'HASH' }], BillingMode: 'PAY_PER_REQUEST' })), 'ValidationException',
    'One or more parameter values were invalid: Some index key attributes are not defined in AttributeDefinitions. Keys: [b], AttributeDefinitions: [a]');
    await rejects(ddb.send(new CreateTableCommand({ TableName: 'bad',
      AttributeDefinitions: [{ AttributeName: 'a', AttributeType: 'S' }, { AttributeName: 'c', AttributeType: 'S' }],
      KeySchema: [{ AttributeName: 'a', KeyType: 'HASH' }], BillingMode: 'PAY_PER_REQUEST' })), 'ValidationException',
    'One or more parameter values were invalid: Number of attributes in KeySchema does not exactly match number of attributes defined in AttributeDefinitions');
    await rejects(ddb.send(new CreateTableCommand({ TableName: 'bad',
      AttributeDefinitions: [{ AttributeName: 'a', AttributeType: 'S' }],
      KeySchema: [{ AttributeName: 'a', KeyType: 'HASH' }] })), 'ValidationException', 'No provisioned throughput specified for the table');
    await rejects(ddb.send(new CreateTableCommand({ TableName: 'xx!',
      AttributeDefinitions: [{ AttributeName: 'a', AttributeType: 'S' }],
      KeySchema: [{ AttributeName: 'a', KeyType: 'HASH' }], BillingMode: 'PAY_PER_REQUEST' })), 'ValidationException',
    /Value 'xx!' at 'tableName' failed to satisfy constraint: Member must satisfy regular expression pattern: \[a-zA-Z0-9_.-\]\+/);
  });

  test('PutItem / GetItem round-trip of every type, canonical numbers', async () => {
    await table('Types');
    const item = {
      pk: { S: 'a' }, sk: { N: '1.50' }, s: { S: 'héllo' }, n: { N: '-0.000100' }, b: { B: new Uint8Array([0, 1, 255]) },
      t: { BOOL: true }, z: { NULL: true }, l: { L: [{ S: 'x' }, { N: '2' }] }, m: { M: { k: { S: 'v' } } },
      ss: { SS: ['a', 'b'] }, ns: { NS: ['1', '2.0'] }, bs: { BS: [new Uint8Array([1]), new Uint8Array([2])] },
      e: { S: '' }, big: { N: '1E+3' },
    };
    await ddb.send(new PutItemCommand({ TableName: 'Types', Item: item }));
    const r = await ddb.send(new GetItemCommand({ TableName: 'Types', Key: { pk: { S: 'a' }, sk: { N: '1.5' } }, ConsistentRead: true }));
    assert.equal(r.Item.sk.N, '1.5');
    assert.equal(r.Item.n.N, '-0.0001');
    assert.equal(r.Item.big.N, '1000');
    assert.deepEqual([...r.Item.b.B], [0, 1, 255]);
    assert.equal(r.Item.s.S, 'héllo');
    assert.equal(r.Item.e.S, '');
    assert.deepEqual(r.Item.ns.NS.sort(), ['1', '2']);
    assert.deepEqual(r.Item.m, { M: { k: { S: 'v' } } });
    const miss = await ddb.send(new GetItemCommand({ TableName: 'Types', Key: { pk: { S: 'zz' }, sk: { N: '1' } } }));
    assert.equal(miss.Item, undefined);
    const p = await ddb.send(new GetItemCommand({ TableName: 'Types', Key: { pk: { S: 'a' }, sk: { N: '1.5' } },
      ProjectionExpression: 'l[1], m.k, #s', ExpressionAttributeNames: { '#s': 's' } }));
    assert.deepEqual(p.Item, { l: { L: [{ N: '2' }] }, m: { M: { k: { S: 'v' } } }, s: { S: 'héllo' } });
  });

  test('item validation errors', async () => {
    await table('Val');
    await rejects(ddb.send(new PutItemCommand({ TableName: 'Val', Item: { pk: { S: 'a' } } })), 'ValidationException',
      'One or more parameter values were invalid: Missing the key sk in the item');
    await rejects(ddb.send(new PutItemCommand({ TableName: 'Val', Item: { pk: { S: 'a' }, sk: { S: '1' } } })), 'ValidationException',
      'One or more parameter values were invalid: Type mismatch for key sk expected: N actual: S');
    await rejects(ddb.send(new PutItemCommand({ TableName: 'Val', Item: { pk: { S: '' }, sk: { N: '1' } } })), 'ValidationException',
      'One or more parameter values are not valid. The AttributeValue for a key attribute cannot contain an empty string value. Key: pk');
    await rejects(ddb.send(new PutItemCommand({ TableName: 'Val', Item: { pk: { S: 'a' }, sk: { N: '1' }, x: { SS: ['a', 'a'] } } })),
      'ValidationException', 'One or more parameter values were invalid: Input collection [a, a] contains duplicates.');
    await rejects(ddb.send(new PutItemCommand({ TableName: 'Val', Item: { pk: { S: 'a' }, sk: { N: '1' }, x: { SS: [] } } })),
      'ValidationException', 'One or more parameter values were invalid: An string set  may not be empty');
    await rejects(ddb.send(new PutItemCommand({ TableName: 'Val', Item: { pk: { S: 'a' }, sk: { N: 'abc' } } })),
      'ValidationException', 'The parameter cannot be converted to a numeric value: abc');
    await rejects(ddb.send(new PutItemCommand({ TableName: 'Val', Item: { pk: { S: 'a' }, sk: { N: '1e126' } } })),
      'ValidationException', 'Number overflow. Attempting to store a number with magnitude larger than supported range');
    await rejects(ddb.send(new PutItemCommand({ TableName: 'Val', Item: { pk: { S: 'a' }, sk: { N: '1' }, n: { N: '1.23456789012345678901234567890123456789' } } })),
      'ValidationException', 'Attempting to store more than 38 significant digits in a Number');
    await rejects(ddb.send(new PutItemCommand({ TableName: 'Val', Item: { pk: { S: 'a' }, sk: { N: '1' }, big: { S: 'x'.repeat(400 * 1024) } } })),
      'ValidationException', 'Item size has exceeded the maximum allowed size');
    let deep = { S: 'leaf' };
    for (let i = 0; i < 31; i++) deep = { M: { n: deep } };
    await ddb.send(new PutItemCommand({ TableName: 'Val', Item: { pk: { S: 'deep' }, sk: { N: '1' }, d: deep } }));
    const back = await ddb.send(new GetItemCommand({ TableName: 'Val', Key: { pk: { S: 'deep' }, sk: { N: '1' } } }));
    assert.deepEqual(back.Item.d, deep);
    for (let i = 0; i < 3; i++) deep = { M: { n: deep } };
    await rejects(ddb.send(new PutItemCommand({ TableName: 'Val', Item: { pk: { S: 'deep' }, sk: { N: '1' }, d: deep } })), 'ValidationException',
      'Nesting Levels have exceeded supported limits: Attributes in the item have nested levels beyond supported limit');
    await rejects(ddb.send(new GetItemCommand({ TableName: 'Val', Key: { pk: { S: 'a' } } })), 'ValidationException',
      'The provided key element does not match the schema');
    await rejects(ddb.send(new GetItemCommand({ TableName: 'Val', Key: { pk: { S: 'a' }, sk: { S: '1' } } })), 'ValidationException',
      'The provided key element does not match the schema');
    await rejects(ddb.send(new PutItemCommand({ TableName: 'Val', Item: { pk: { S: 'a' }, sk: { N: '1' } }, ReturnValues: 'ALL_NEW' })),
      'ValidationException', 'Return values set to invalid value');
  });

  test('condition expressions and ReturnValuesOnConditionCheckFailure', async () => {
    await table('Cond');
    const key = { pk: { S: 'c' }, sk: { N: '1' } };
    await ddb.send(new PutItemCommand({ TableName: 'Cond', Item: { ...key, v: { N: '5' }, tags: { SS: ['x', 'y'] }, name: { S: 'alpha' } },
      ConditionExpression: 'attribute_not_exists(pk)' }));
    const e = await ddb.send(new PutItemCommand({ TableName: 'Cond', Item: key, ConditionExpression: 'attribute_not_exists(pk)',
      ReturnValuesOnConditionCheckFailure: 'ALL_OLD' })).catch((x) => x);
    assert.equal(e.name, 'ConditionalCheckFailedException');
    assert.equal(e.message, 'The conditional request failed');
    assert.equal(e.Item.v.N, '5');
    const ok = [
      ['v = :five', { ':five': { N: '5.0' } }],
      ['v BETWEEN :a AND :b', { ':a': { N: '1' }, ':b': { N: '10' } }],
      ['v IN (:a, :b)', { ':a': { N: '4' }, ':b': { N: '5' } }],
      ['contains(tags, :t) AND begins_with(#n, :p)', { ':t': { S: 'x' }, ':p': { S: 'al' } }, { '#n': 'name' }],
      ['size(tags) = :two AND attribute_type(v, :N)', { ':two': { N: '2' }, ':N': { S: 'N' } }],
      ['NOT (v < :a) OR absent = :a', { ':a': { N: '1' } }],
      ['absent <> :a', { ':a': { N: '1' } }],
    ];
    for (const [expr, vals, names] of ok)
      await ddb.send(new UpdateItemCommand({ TableName: 'Cond', Key: key, UpdateExpression: 'SET touched = :z',
        ConditionExpression: expr, ExpressionAttributeValues: { ...vals, ':z': { BOOL: true } }, ExpressionAttributeNames: names }));
    for (const [expr, vals] of [['v > :a', { ':a': { N: '5' } }], ['attribute_exists(nope)', undefined], ['v = :s', { ':s': { S: '5' } }]])
      await rejects(ddb.send(new DeleteItemCommand({ TableName: 'Cond', Key: key, ConditionExpression: expr, ExpressionAttributeValues: vals })),
        'ConditionalCheckFailedException', 'The conditional request failed');
  });

  test('expression errors have AWS wording', async () => {
    await table('ExprErr');
    const key = { pk: { S: 'e' }, sk: { N: '1' } };
    const cases = [
      [{ UpdateExpression: 'SET a = :v +' , ExpressionAttributeValues: { ':v': { N: '1' } } }, 'Invalid UpdateExpression: Syntax error; token: "<EOF>", near: "+"'],
      [{ UpdateExpression: 'SET a = :v', ExpressionAttributeValues: { ':w': { N: '1' } } }, 'Invalid UpdateExpression: An expression attribute value used in expression is not defined; attribute value: :v'],
      [{ UpdateExpression: 'SET #a = :v', ExpressionAttributeValues: { ':v': { N: '1' } } }, 'Invalid UpdateExpression: An expression attribute name used in the document path is not defined; attribute name: #a'],
      [{ UpdateExpression: 'SET a = :v', ExpressionAttributeValues: { ':v': { N: '1' }, ':u': { N: '2' } } }, 'Value provided in ExpressionAttributeValues unused in expressions: keys: {:u}'],
      [{ UpdateExpression: 'SET a = :v', ExpressionAttributeNames: { '#x': 'x' }, ExpressionAttributeValues: { ':v': { N: '1' } } }, 'Value provided in ExpressionAttributeNames unused in expressions: keys: {#x}'],
      [{ UpdateExpression: 'SET status = :v', ExpressionAttributeValues: { ':v': { N: '1' } } }, 'Invalid UpdateExpression: Attribute name is a reserved keyword; reserved keyword: status'],
      [{ UpdateExpression: 'SET a = :v, a = :v', ExpressionAttributeValues: { ':v': { N: '1' } } }, 'Invalid UpdateExpression: Two document paths overlap with each other; must remove or rewrite one of these paths; path one: [a], path two: [a]'],
      [{ UpdateExpression: 'SET a = :v REMOVE a.b', ExpressionAttributeValues: { ':v': { N: '1' } } }, 'Invalid UpdateExpression: Two document paths overlap with each other; must remove or rewrite one of these paths; path one: [a], path two: [a, b]'],
      [{ UpdateExpression: 'SET a = :v SET b = :v', ExpressionAttributeValues: { ':v': { N: '1' } } }, 'Invalid UpdateExpression: The "SET" section can only be used once in an update expression;'],
      [{ UpdateExpression: 'SET pk = :v', ExpressionAttributeValues: { ':v': { S: '1' } } }, 'One or more parameter values were invalid: Cannot update attribute pk. This attribute is part of the key'],
      [{ UpdateExpression: 'SET a = :v', ConditionExpression: 'foo(a)', ExpressionAttributeValues: { ':v': { N: '1' } } }, 'Invalid ConditionExpression: Invalid function name; function: foo'],
      [{ UpdateExpression: 'SET a = :v', ConditionExpression: 'begins_with(a, :v)', ExpressionAttributeValues: { ':v': { N: '1' } } }, 'Invalid ConditionExpression: Incorrect operand type for operator or function; operator or function: begins_with, operand type: N'],
      [{ UpdateExpression: 'SET a = :v', Expected: { a: { Value: { N: '1' } } }, ExpressionAttributeValues: { ':v': { N: '1' } } }, 'Can not use both expression and non-expression parameters in the same request: Non-expression parameters: {Expected} Expression parameters: {UpdateExpression}'],
      [{ UpdateExpression: '' }, 'Invalid UpdateExpression: The expression can not be empty;'],
    ];
    for (const [params, msg] of cases)
      await rejects(ddb.send(new UpdateItemCommand({ TableName: 'ExprErr', Key: key, ...params })), 'ValidationException', msg);
    await rejects(ddb.send(new UpdateItemCommand({ TableName: 'ExprErr', Key: key, UpdateExpression: 'SET a = b + :v', ExpressionAttributeValues: { ':v': { N: '1' } } })),
      'ValidationException', 'The provided expression refers to an attribute that does not exist in the item');
  });

  test('UpdateItem: SET arithmetic, if_not_exists, list_append, REMOVE, ADD, DELETE, ReturnValues', async () => {
    await table('Upd');
    const key = { pk: { S: 'u' }, sk: { N: '1' } };
    let r = await ddb.send(new UpdateItemCommand({ TableName: 'Upd', Key: key,
      UpdateExpression: 'SET cnt = if_not_exists(cnt, :zero) + :one, lst = list_append(if_not_exists(lst, :empty), :l), m = :m ADD tags :t',
      ExpressionAttributeValues: { ':zero': { N: '0' }, ':one': { N: '1' }, ':empty': { L: [] }, ':l': { L: [{ S: 'a' }, { S: 'b' }, { S: 'c' }] },
        ':m': { M: { deep: { M: { x: { N: '1' } } } } }, ':t': { SS: ['red', 'blue'] } }, ReturnValues: 'ALL_NEW' }));
    assert.equal(r.Attributes.cnt.N, '1');
    assert.equal(r.Attributes.lst.L.length, 3);
    r = await ddb.send(new UpdateItemCommand({ TableName: 'Upd', Key: key,
      UpdateExpression: 'SET cnt = cnt + :ten, m.deep.y = :s, lst[1] = :s REMOVE lst[0], lst[2] ADD n :dec DELETE tags :red',
      ExpressionAttributeValues: { ':ten': { N: '10.5' }, ':s': { S: 'z' }, ':dec': { N: '-0.5' }, ':red': { SS: ['red'] } },
      ReturnValues: 'UPDATED_NEW' }));
    assert.deepEqual(r.Attributes.cnt, { N: '11.5' });
    assert.deepEqual(r.Attributes.n, { N: '-0.5' });
    assert.deepEqual(r.Attributes.tags, { SS: ['blue'] });
    const g = await ddb.send(new GetItemCommand({ TableName: 'Upd', Key: key }));
    assert.deepEqual(g.Item.lst, { L: [{ S: 'z' }] });
    assert.deepEqual(g.Item.m, { M: { deep: { M: { x: { N: '1' }, y: { S: 'z' } } } } });
    r = await ddb.send(new UpdateItemCommand({ TableName: 'Upd', Key: key, UpdateExpression: 'DELETE tags :b',
      ExpressionAttributeValues: { ':b': { SS: ['blue'] } }, ReturnValues: 'UPDATED_OLD' }));
    assert.deepEqual(r.Attributes, { tags: { SS: ['blue'] } });
    assert.equal((await ddb.send(new GetItemCommand({ TableName: 'Upd', Key: key }))).Item.tags, undefined, 'empty set removes the attribute');
    await rejects(ddb.send(new UpdateItemCommand({ TableName: 'Upd', Key: key, UpdateExpression: 'SET nope.deep = :v',
      ExpressionAttributeValues: { ':v': { N: '1' } } })), 'ValidationException', 'The document path provided in the update expression is invalid for update');
    await rejects(ddb.send(new UpdateItemCommand({ TableName: 'Upd', Key: key, UpdateExpression: 'ADD lst :v',
      ExpressionAttributeValues: { ':v': { N: '1' } } })), 'ValidationException', 'An operand in the update expression has an incorrect data type');
    // legacy AttributeUpdates + Expected
    r = await ddb.send(new UpdateItemCommand({ TableName: 'Upd', Key: key, AttributeUpdates: { cnt: { Action: 'ADD', Value: { N: '1' } }, gone: { Action: 'DELETE' } },
      Expected: { cnt: { ComparisonOperator: 'GE', AttributeValueList: [{ N: '11' }] } }, ReturnValues: 'ALL_NEW' }));
    assert.equal(r.Attributes.cnt.N, '12.5');
    // UpdateItem on a missing item creates it
    r = await ddb.send(new UpdateItemCommand({ TableName: 'Upd', Key: { pk: { S: 'new' }, sk: { N: '2' } }, UpdateExpression: 'REMOVE x', ReturnValues: 'ALL_NEW' }));
    assert.deepEqual(r.Attributes, { pk: { S: 'new' }, sk: { N: '2' } });
  });

  test('Query: key conditions, order, filter, Limit, pagination, Select COUNT', async () => {
    await table('Qry');
    const w = [];
    for (let i = 0; i < 30; i++) w.push({ PutRequest: { Item: { pk: { S: 'p' }, sk: { N: String(i) }, odd: { BOOL: i % 2 === 1 } } } });
    for (let i = 0; i < w.length; i += 25) await ddb.send(new BatchWriteItemCommand({ RequestItems: { Qry: w.slice(i, i + 25) } }));
    await ddb.send(new PutItemCommand({ TableName: 'Qry', Item: { pk: { S: 'other' }, sk: { N: '5' } } }));
    let r = await ddb.send(new QueryCommand({ TableName: 'Qry', KeyConditionExpression: 'pk = :p AND sk BETWEEN :a AND :b',
      ExpressionAttributeValues: { ':p': { S: 'p' }, ':a': { N: '5' }, ':b': { N: '9' } } }));
    assert.deepEqual(r.Items.map((i) => i.sk.N), ['5', '6', '7', '8', '9']);
    assert.equal(r.Count, 5);
    r = await ddb.send(new QueryCommand({ TableName: 'Qry', KeyConditionExpression: 'pk = :p AND sk < :a',
      ExpressionAttributeValues: { ':p': { S: 'p' }, ':a': { N: '3' } }, ScanIndexForward: false }));
    assert.deepEqual(r.Items.map((i) => i.sk.N), ['2', '1', '0']);
    r = await ddb.send(new QueryCommand({ TableName: 'Qry', KeyConditionExpression: 'pk = :p', FilterExpression: 'odd = :t',
      ExpressionAttributeValues: { ':p': { S: 'p' }, ':t': { BOOL: true } }, Limit: 10 }));
    assert.equal(r.ScannedCount, 10);
    assert.equal(r.Count, 5);
    assert.deepEqual(r.LastEvaluatedKey, { pk: { S: 'p' }, sk: { N: '9' } });
    const r2 = await ddb.send(new QueryCommand({ TableName: 'Qry', KeyConditionExpression: 'pk = :p', ExclusiveStartKey: r.LastEvaluatedKey,
      ExpressionAttributeValues: { ':p': { S: 'p' } }, Select: 'COUNT' }));
    assert.equal(r2.Count, 20);
    assert.equal(r2.Items, undefined);
    // legacy KeyConditions + QueryFilter
    r = await ddb.send(new QueryCommand({ TableName: 'Qry', KeyConditions: { pk: { ComparisonOperator: 'EQ', AttributeValueList: [{ S: 'p' }] },
      sk: { ComparisonOperator: 'GE', AttributeValueList: [{ N: '27' }] } }, QueryFilter: { odd: { ComparisonOperator: 'EQ', AttributeValueList: [{ BOOL: false }] } } }));
    assert.deepEqual(r.Items.map((i) => i.sk.N), ['28']);
    await rejects(ddb.send(new QueryCommand({ TableName: 'Qry', KeyConditionExpression: 'sk = :a', ExpressionAttributeValues: { ':a': { N: '1' } } })),
      'ValidationException', 'Query condition missed key schema element: pk');
    await rejects(ddb.send(new QueryCommand({ TableName: 'Qry', KeyConditionExpression: 'pk = :p OR sk = :a', ExpressionAttributeValues: { ':p': { S: 'p' }, ':a': { N: '1' } } })),
      'ValidationException', 'Invalid operator used in KeyConditionExpression: OR');
    await rejects(ddb.send(new QueryCommand({ TableName: 'Qry', KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: { ':p': { N: '1' } } })),
      'ValidationException', 'One or more parameter values were invalid: Condition parameter type does not match schema type');
    await rejects(ddb.send(new QueryCommand({ TableName: 'Qry', KeyConditionExpression: 'pk = :p', FilterExpression: 'sk > :a',
      ExpressionAttributeValues: { ':p': { S: 'p' }, ':a': { N: '1' } } })),
    'ValidationException', 'Filter Expression can only contain non-primary key attributes: Primary key attribute: sk');
    await rejects(ddb.send(new QueryCommand({ TableName: 'Qry', IndexName: 'nope', KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: { ':p': { S: 'p' } } })),
      'ValidationException', 'The table does not have the specified index: nope');
  });

  test('Query and Scan pages stop at 1 MB', async () => {
    await table('Big');
    const blob = 'x'.repeat(100 * 1024);
    for (let i = 0; i < 25; i += 5) {
      const w = [];
      for (let k = i; k < i + 5; k++) w.push({ PutRequest: { Item: { pk: { S: 'big' }, sk: { N: String(k) }, data: { S: blob } } } });
      await ddb.send(new BatchWriteItemCommand({ RequestItems: { Big: w } }));
    }
    const q = await ddb.send(new QueryCommand({ TableName: 'Big', KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: { ':p': { S: 'big' } } }));
    assert.ok(q.Count >= 10 && q.Count < 25, `one page holds about 1 MB (${q.Count} items)`);
    assert.ok(q.LastEvaluatedKey);
    let total = 0, pages = 0, start;
    do {
      const s2 = await ddb.send(new ScanCommand({ TableName: 'Big', ExclusiveStartKey: start }));
      total += s2.Count; pages++; start = s2.LastEvaluatedKey;
    } while (start);
    assert.equal(total, 25);
    assert.ok(pages >= 3);
  });

  test('Scan segments partition the table', async () => {
    await table('Seg');
    const w = [];
    for (let i = 0; i < 25; i++) w.push({ PutRequest: { Item: { pk: { S: `k${i}` }, sk: { N: '0' } } } });
    await ddb.send(new BatchWriteItemCommand({ RequestItems: { Seg: w } }));
    const seen = new Set();
    for (let seg = 0; seg < 4; seg++) {
      const r = await ddb.send(new ScanCommand({ TableName: 'Seg', Segment: seg, TotalSegments: 4 }));
      for (const it of r.Items) { assert.ok(!seen.has(it.pk.S)); seen.add(it.pk.S); }
    }
    assert.equal(seen.size, 25);
    await rejects(ddb.send(new ScanCommand({ TableName: 'Seg', Segment: 4, TotalSegments: 4 })), 'ValidationException',
      'The Segment parameter is zero-based and must be less than parameter TotalSegments: Segment: 4 is not less than TotalSegments: 4');
  });

  test('GSI and LSI: projections, sparseness, pagination', async () => {
    await ddb.send(new CreateTableCommand({
      TableName: 'Idx', BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }, { AttributeName: 'sk', AttributeType: 'S' },
        { AttributeName: 'g', AttributeType: 'S' }, { AttributeName: 'gs', AttributeType: 'N' }, { AttributeName: 'l', AttributeType: 'N' }],
      KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }, { AttributeName: 'sk', KeyType: 'RANGE' }],
      GlobalSecondaryIndexes: [
        { IndexName: 'byG', KeySchema: [{ AttributeName: 'g', KeyType: 'HASH' }, { AttributeName: 'gs', KeyType: 'RANGE' }], Projection: { ProjectionType: 'KEYS_ONLY' } },
        { IndexName: 'byGInc', KeySchema: [{ AttributeName: 'g', KeyType: 'HASH' }], Projection: { ProjectionType: 'INCLUDE', NonKeyAttributes: ['extra'] } },
      ],
      LocalSecondaryIndexes: [{ IndexName: 'byL', KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }, { AttributeName: 'l', KeyType: 'RANGE' }], Projection: { ProjectionType: 'ALL' } }],
    }));
    for (let i = 0; i < 6; i++)
      await ddb.send(new PutItemCommand({ TableName: 'Idx', Item: { pk: { S: 'p' }, sk: { S: `s${i}` }, l: { N: String(10 - i) },
        ...(i < 4 ? { g: { S: 'G' }, gs: { N: String(i) } } : {}), extra: { S: `e${i}` }, oth: { S: 'o' } } }));
    let r = await ddb.send(new QueryCommand({ TableName: 'Idx', IndexName: 'byG', KeyConditionExpression: 'g = :g AND gs >= :z',
      ExpressionAttributeValues: { ':g': { S: 'G' }, ':z': { N: '1' } } }));
    assert.equal(r.Count, 3, 'items without the index key are not in the index');
    assert.deepEqual(Object.keys(r.Items[0]).sort(), ['g', 'gs', 'pk', 'sk']);
    r = await ddb.send(new QueryCommand({ TableName: 'Idx', IndexName: 'byGInc', KeyConditionExpression: 'g = :g',
      ExpressionAttributeValues: { ':g': { S: 'G' } }, Limit: 2 }));
    assert.deepEqual(Object.keys(r.Items[0]).sort(), ['extra', 'g', 'pk', 'sk']);
    assert.deepEqual(Object.keys(r.LastEvaluatedKey).sort(), ['g', 'pk', 'sk']);
    const r2 = await ddb.send(new QueryCommand({ TableName: 'Idx', IndexName: 'byGInc', KeyConditionExpression: 'g = :g',
      ExpressionAttributeValues: { ':g': { S: 'G' } }, ExclusiveStartKey: r.LastEvaluatedKey }));
    assert.equal(r2.Count, 2);
    r = await ddb.send(new QueryCommand({ TableName: 'Idx', IndexName: 'byL', KeyConditionExpression: 'pk = :p',
      ExpressionAttributeValues: { ':p': { S: 'p' } } }));
    assert.deepEqual(r.Items.map((i) => i.l.N), ['5', '6', '7', '8', '9', '10']);
    r = await ddb.send(new ScanCommand({ TableName: 'Idx', IndexName: 'byG' }));
    assert.equal(r.Count, 4);
    await rejects(ddb.send(new QueryCommand({ TableName: 'Idx', IndexName: 'byG', ConsistentRead: true, KeyConditionExpression: 'g = :g',
      ExpressionAttributeValues: { ':g': { S: 'G' } } })), 'ValidationException', 'Consistent reads are not supported on global secondary indexes');
    await rejects(ddb.send(new PutItemCommand({ TableName: 'Idx', Item: { pk: { S: 'p' }, sk: { S: 'x' }, g: { N: '1' } } })), 'ValidationException',
      'One or more parameter values were invalid: Type mismatch for Index Key g Expected: S Actual: N IndexName: byG');
    // moving an item out of the index
    await ddb.send(new UpdateItemCommand({ TableName: 'Idx', Key: { pk: { S: 'p' }, sk: { S: 's0' } }, UpdateExpression: 'REMOVE g' }));
    r = await ddb.send(new ScanCommand({ TableName: 'Idx', IndexName: 'byG', Select: 'COUNT' }));
    assert.equal(r.Count, 3);
    const d = await ddb.send(new DescribeTableCommand({ TableName: 'Idx' }));
    assert.equal(d.Table.GlobalSecondaryIndexes.find((i) => i.IndexName === 'byG').ItemCount, 3);
    assert.equal(d.Table.ItemCount, 6);
    // UpdateTable: add a GSI (backfilled) and remove it
    await ddb.send(new UpdateTableCommand({ TableName: 'Idx', AttributeDefinitions: [{ AttributeName: 'oth', AttributeType: 'S' }],
      GlobalSecondaryIndexUpdates: [{ Create: { IndexName: 'byOther', KeySchema: [{ AttributeName: 'oth', KeyType: 'HASH' }], Projection: { ProjectionType: 'ALL' } } }] }));
    r = await ddb.send(new QueryCommand({ TableName: 'Idx', IndexName: 'byOther', KeyConditionExpression: 'oth = :o', ExpressionAttributeValues: { ':o': { S: 'o' } } }));
    assert.equal(r.Count, 6);
    await ddb.send(new UpdateTableCommand({ TableName: 'Idx', GlobalSecondaryIndexUpdates: [{ Delete: { IndexName: 'byOther' } }] }));
    await rejects(ddb.send(new QueryCommand({ TableName: 'Idx', IndexName: 'byOther', KeyConditionExpression: 'oth = :o', ExpressionAttributeValues: { ':o': { S: 'o' } } })),
      'ValidationException', 'The table does not have the specified index: byOther');
  });

  test('BatchGetItem / BatchWriteItem', async () => {
    await table('Bat');
    await ddb.send(new BatchWriteItemCommand({ RequestItems: { Bat: [
      { PutRequest: { Item: { pk: { S: 'a' }, sk: { N: '1' } } } }, { PutRequest: { Item: { pk: { S: 'b' }, sk: { N: '1' } } } }] } }));
    const r = await ddb.send(new BatchGetItemCommand({ RequestItems: { Bat: { Keys: [{ pk: { S: 'a' }, sk: { N: '1' } }, { pk: { S: 'zz' }, sk: { N: '1' } }] } },
      ReturnConsumedCapacity: 'TOTAL' }));
    assert.equal(r.Responses.Bat.length, 1);
    assert.deepEqual(r.UnprocessedKeys, {});
    assert.equal(r.ConsumedCapacity[0].TableName, 'Bat');
    await rejects(ddb.send(new BatchWriteItemCommand({ RequestItems: { Bat: [
      { PutRequest: { Item: { pk: { S: 'a' }, sk: { N: '1' } } } }, { DeleteRequest: { Key: { pk: { S: 'a' }, sk: { N: '1' } } } }] } })),
    'ValidationException', 'Provided list of item keys contains duplicates');
    const many = Array.from({ length: 26 }, (_, i) => ({ PutRequest: { Item: { pk: { S: `m${i}` }, sk: { N: '1' } } } }));
    await rejects(ddb.send(new BatchWriteItemCommand({ RequestItems: { Bat: many } })), 'ValidationException',
      /Member must have length less than or equal to 25|Too many items requested for the BatchWriteItem call/);
    await rejects(ddb.send(new BatchGetItemCommand({ RequestItems: { Nope: { Keys: [{ pk: { S: 'a' }, sk: { N: '1' } }] } } })),
      'ResourceNotFoundException', 'Requested resource not found');
  });

  test('TransactWriteItems: all or nothing, cancellation reasons in order, idempotency', async () => {
    await table('Txn');
    await ddb.send(new PutItemCommand({ TableName: 'Txn', Item: { pk: { S: 'acct' }, sk: { N: '1' }, bal: { N: '10' } } }));
    const e = await ddb.send(new TransactWriteItemsCommand({ TransactItems: [
      { Put: { TableName: 'Txn', Item: { pk: { S: 'new' }, sk: { N: '1' } } } },
      { Update: { TableName: 'Txn', Key: { pk: { S: 'acct' }, sk: { N: '1' } }, UpdateExpression: 'SET bal = bal - :a',
        ConditionExpression: 'bal >= :a', ExpressionAttributeValues: { ':a': { N: '50' } }, ReturnValuesOnConditionCheckFailure: 'ALL_OLD' } },
    ] })).catch((x) => x);
    assert.equal(e.name, 'TransactionCanceledException');
    assert.equal(e.message, 'Transaction cancelled, please refer cancellation reasons for specific reasons [None, ConditionalCheckFailed]');
    assert.equal(e.CancellationReasons.length, 2);
    assert.equal(e.CancellationReasons[0].Code, 'None');
    assert.equal(e.CancellationReasons[1].Code, 'ConditionalCheckFailed');
    assert.equal(e.CancellationReasons[1].Item.bal.N, '10');
    assert.equal((await ddb.send(new GetItemCommand({ TableName: 'Txn', Key: { pk: { S: 'new' }, sk: { N: '1' } } }))).Item, undefined);
    const ok = { ClientRequestToken: 'tok-1', TransactItems: [
      { Put: { TableName: 'Txn', Item: { pk: { S: 'new' }, sk: { N: '1' } } } },
      { Update: { TableName: 'Txn', Key: { pk: { S: 'acct' }, sk: { N: '1' } }, UpdateExpression: 'SET bal = bal - :a',
        ConditionExpression: 'bal >= :a', ExpressionAttributeValues: { ':a': { N: '4' } } } },
      { ConditionCheck: { TableName: 'Txn', Key: { pk: { S: 'acct' }, sk: { N: '2' } }, ConditionExpression: 'attribute_not_exists(bal)' } },
    ] };
    await ddb.send(new TransactWriteItemsCommand(ok));
    await ddb.send(new TransactWriteItemsCommand(ok));  // same token: applied once
    const g = await ddb.send(new GetItemCommand({ TableName: 'Txn', Key: { pk: { S: 'acct' }, sk: { N: '1' } } }));
    assert.equal(g.Item.bal.N, '6');
    await rejects(ddb.send(new TransactWriteItemsCommand({ ...ok, TransactItems: ok.TransactItems.slice(0, 1) })),
      'IdempotentParameterMismatchException');
    await rejects(ddb.send(new TransactWriteItemsCommand({ TransactItems: [
      { Put: { TableName: 'Txn', Item: { pk: { S: 'x' }, sk: { N: '1' } } } },
      { Delete: { TableName: 'Txn', Key: { pk: { S: 'x' }, sk: { N: '1' } } } }] })),
    'ValidationException', 'Transaction request cannot include multiple operations on one item');
    const tg = await ddb.send(new TransactGetItemsCommand({ TransactItems: [
      { Get: { TableName: 'Txn', Key: { pk: { S: 'acct' }, sk: { N: '1' } } } }, { Get: { TableName: 'Txn', Key: { pk: { S: 'none' }, sk: { N: '1' } } } }] }));
    assert.equal(tg.Responses[0].Item.bal.N, '6');
    assert.deepEqual(tg.Responses[1], {});
  });

  test('ItemCount and TableSizeBytes follow writes', async () => {
    await table('Counts');
    const count = async () => (await ddb.send(new DescribeTableCommand({ TableName: 'Counts' }))).Table;
    assert.equal((await count()).ItemCount, 0);
    await ddb.send(new PutItemCommand({ TableName: 'Counts', Item: { pk: { S: 'a' }, sk: { N: '1' }, v: { S: 'x'.repeat(100) } } }));
    await ddb.send(new PutItemCommand({ TableName: 'Counts', Item: { pk: { S: 'a' }, sk: { N: '1' }, v: { S: 'x'.repeat(10) } } }));
    await ddb.send(new BatchWriteItemCommand({ RequestItems: { Counts: [{ PutRequest: { Item: { pk: { S: 'b' }, sk: { N: '1' } } } }] } }));
    let t = await count();
    assert.equal(t.ItemCount, 2);
    const bytes = t.TableSizeBytes;
    assert.ok(bytes > 0 && bytes < 200, `${bytes}`);
    await ddb.send(new DeleteItemCommand({ TableName: 'Counts', Key: { pk: { S: 'a' }, sk: { N: '1' } } }));
    await ddb.send(new DeleteItemCommand({ TableName: 'Counts', Key: { pk: { S: 'zz' }, sk: { N: '1' } } }));
    t = await count();
    assert.equal(t.ItemCount, 1);
    assert.ok(t.TableSizeBytes < bytes);
  });

  test('ReturnConsumedCapacity', async () => {
    await table('Cap');
    const r = await ddb.send(new PutItemCommand({ TableName: 'Cap', Item: { pk: { S: 'a' }, sk: { N: '1' }, d: { S: 'x'.repeat(1500) } }, ReturnConsumedCapacity: 'TOTAL' }));
    assert.equal(r.ConsumedCapacity.TableName, 'Cap');
    assert.equal(r.ConsumedCapacity.CapacityUnits, 2);
    const g = await ddb.send(new GetItemCommand({ TableName: 'Cap', Key: { pk: { S: 'a' }, sk: { N: '1' } }, ReturnConsumedCapacity: 'INDEXES' }));
    assert.equal(g.ConsumedCapacity.CapacityUnits, 0.5);
    assert.equal(g.ConsumedCapacity.Table.CapacityUnits, 0.5);
    const gc = await ddb.send(new GetItemCommand({ TableName: 'Cap', Key: { pk: { S: 'a' }, sk: { N: '1' } }, ConsistentRead: true, ReturnConsumedCapacity: 'TOTAL' }));
    assert.equal(gc.ConsumedCapacity.CapacityUnits, 1);
  });

  test('TTL settings, DescribeLimits, continuous backups', async () => {
    await table('Ttl');
    assert.deepEqual((await ddb.send(new DescribeTimeToLiveCommand({ TableName: 'Ttl' }))).TimeToLiveDescription, { TimeToLiveStatus: 'DISABLED' });
    const u = await ddb.send(new UpdateTimeToLiveCommand({ TableName: 'Ttl', TimeToLiveSpecification: { Enabled: true, AttributeName: 'exp' } }));
    assert.deepEqual(u.TimeToLiveSpecification, { Enabled: true, AttributeName: 'exp' });
    assert.deepEqual((await ddb.send(new DescribeTimeToLiveCommand({ TableName: 'Ttl' }))).TimeToLiveDescription,
      { TimeToLiveStatus: 'ENABLED', AttributeName: 'exp' });
    await rejects(ddb.send(new UpdateTimeToLiveCommand({ TableName: 'Ttl', TimeToLiveSpecification: { Enabled: true, AttributeName: 'exp' } })),
      'ValidationException', 'TimeToLive is already enabled');
    const now = Math.floor(Date.now() / 1000);
    await ddb.send(new PutItemCommand({ TableName: 'Ttl', Item: { pk: { S: 'old' }, sk: { N: '1' }, exp: { N: String(now + 100) } } }));
    await ddb.send(new PutItemCommand({ TableName: 'Ttl', Item: { pk: { S: 'keep' }, sk: { N: '1' }, exp: { N: String(now + 100000) } } }));
    await s.advanceClock(3600);
    let gone = false;
    for (let i = 0; i < 100 && !gone; i++) {
      const g = await ddb.send(new GetItemCommand({ TableName: 'Ttl', Key: { pk: { S: 'old' }, sk: { N: '1' } } }));
      gone = !g.Item;
      if (!gone) await new Promise((r) => setTimeout(r, 50));
    }
    assert.ok(gone, 'expired item deleted');
    assert.ok((await ddb.send(new GetItemCommand({ TableName: 'Ttl', Key: { pk: { S: 'keep' }, sk: { N: '1' } } }))).Item);
    assert.deepEqual((await ddb.send(new ListBackupsCommand({}))).BackupSummaries, []);
    const lim = await ddb.send(new DescribeLimitsCommand({}));
    assert.equal(lim.TableMaxReadCapacityUnits, 40000);
    const cb = await ddb.send(new DescribeContinuousBackupsCommand({ TableName: 'Ttl' }));
    assert.equal(cb.ContinuousBackupsDescription.ContinuousBackupsStatus, 'ENABLED');
  });

  test('lib-dynamodb document client', async () => {
    await table('Doc');
    await doc.send(new PutCommand({ TableName: 'Doc', Item: { pk: 'd', sk: 1, name: 'x', nested: { list: [1, 'two', { three: true }] }, tags: new Set(['a']) } }));
    const g = await doc.send(new GetCommand({ TableName: 'Doc', Key: { pk: 'd', sk: 1 } }));
    assert.deepEqual(g.Item.nested, { list: [1, 'two', { three: true }] });
    assert.ok(g.Item.tags instanceof Set);
    const u = await doc.send(new UpdateCommand({ TableName: 'Doc', Key: { pk: 'd', sk: 1 }, UpdateExpression: 'SET #c = if_not_exists(#c, :z) + :o',
      ExpressionAttributeNames: { '#c': 'count' }, ExpressionAttributeValues: { ':z': 0, ':o': 1 }, ReturnValues: 'ALL_NEW' }));
    assert.equal(u.Attributes.count, 1);
    for (let i = 2; i <= 7; i++) await doc.send(new PutCommand({ TableName: 'Doc', Item: { pk: 'd', sk: i } }));
    let n = 0;
    for await (const page of paginateQuery({ client: doc, pageSize: 2 }, { TableName: 'Doc', KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: { ':p': 'd' } }))
      n += page.Items.length;
    assert.equal(n, 7);
    const q = await doc.send(new DocQuery({ TableName: 'Doc', KeyConditionExpression: 'pk = :p AND sk > :s', ExpressionAttributeValues: { ':p': 'd', ':s': 5 } }));
    assert.deepEqual(q.Items.map((i) => i.sk), [6, 7]);
  });

  test('responses carry x-amz-crc32 and a DynamoDB request id', async () => {
    await table('Hdr');
    const res = await s.fetch('/', { method: 'POST', headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': 'DynamoDB_20120810.GetItem' },
      body: JSON.stringify({ TableName: 'Hdr', Key: { pk: { S: 'a' }, sk: { N: '1' } } }) });
    assert.equal(res.status, 200);
    assert.match(res.headers.get('x-amzn-requestid'), /^[A-Z0-9]{52}$/);
    assert.ok(res.headers.get('x-amz-crc32'));
    assert.deepEqual(await res.json(), {});
    const bad = await s.fetch('/', { method: 'POST', headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': 'DynamoDB_20120810.PutItem' },
      body: JSON.stringify({ TableName: 'Hdr', Item: { pk: { S: 'a' }, sk: { N: '1' }, x: {} } }) });
    assert.equal(bad.status, 400);
    const body = await bad.json();
    assert.equal(body.__type, 'com.amazon.coral.validate#ValidationException');
    assert.equal(body.message, 'Supplied AttributeValue is empty, must contain exactly one of the supported datatypes');
  });
});
