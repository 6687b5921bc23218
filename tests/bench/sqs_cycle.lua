-- wrk script: SQS send → receive → delete, batches of 10, JSON protocol (as current SDKs send it).
-- Each connection cycles SendMessageBatch(10) → ReceiveMessage(10) → DeleteMessageBatch(what it got).
-- wrk runs response() and then request() for the same connection back to back, so the next request
-- is carried from one to the other in `pending`. Set QUEUE_URL in the environment.
local queue = os.getenv("QUEUE_URL")
local headers = {
  ["Content-Type"] = "application/x-amz-json-1.0",
  ["X-Amz-Date"] = "20240101T000000Z",
  ["Authorization"] = "AWS4-HMAC-SHA256 Credential=AKIDBENCH/20240101/us-east-1/sqs/aws4_request, SignedHeaders=host;x-amz-date, Signature=0000000000000000000000000000000000000000000000000000000000000000",
}
local entries = {}
for i = 1, 10 do
  entries[#entries + 1] = string.format('{"Id":"m%d","MessageBody":"benchmark message %d with a little payload"}', i, i)
end
local send_body = '{"QueueUrl":"' .. queue .. '","Entries":[' .. table.concat(entries, ",") .. ']}'
local receive_body = '{"QueueUrl":"' .. queue .. '","MaxNumberOfMessages":10}'
local pending = nil
deleted = 0

local function req(target, body)
  headers["X-Amz-Target"] = "AmazonSQS." .. target
  return wrk.format("POST", "/", headers, body)
end

request = function()
  local r = pending or req("SendMessageBatch", send_body)
  pending = nil
  return r
end

response = function(status, hdrs, body)
  if status ~= 200 then return end
  if body:find('"Successful"%s*:%s*%[') and body:find('"MD5OfMessageBody"') then
    pending = req("ReceiveMessage", receive_body)
  elseif body:find('"Messages"') then
    local del = {}
    local i = 0
    for handle in body:gmatch('"ReceiptHandle"%s*:%s*"([^"]+)"') do
      i = i + 1
      del[#del + 1] = string.format('{"Id":"d%d","ReceiptHandle":"%s"}', i, handle)
    end
    deleted = deleted + i
    pending = req("DeleteMessageBatch", '{"QueueUrl":"' .. queue .. '","Entries":[' .. table.concat(del, ",") .. ']}')
  end
end

-- Per-thread message counts are collected through a shared table.
local threads = {}
setup = function(thread) table.insert(threads, thread) end
done = function(summary, latency, requests)
  local total = 0
  for _, t in ipairs(threads) do total = total + (t:get("deleted") or 0) end
  io.write(string.format("RESULT rps=%.1f msgs=%.1f p50_us=%d p99_us=%d errors=%d requests=%d\n",
    summary.requests / (summary.duration / 1e6), total / (summary.duration / 1e6),
    latency:percentile(50), latency:percentile(99),
    summary.errors.status + summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    summary.requests))
end
