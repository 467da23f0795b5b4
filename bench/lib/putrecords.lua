-- wrk script for bench/sources: Kinesis PutRecords load.
--
-- POSTs pre-built PutRecords bodies (the files named after `--` on wrk's
-- command line), each thread cycling through them, with the headers given by
-- -H (X-Amz-Target, Content-Type, a SigV4-shaped Authorization). Every
-- response's FailedRecordCount is read and summed: PutRecords answers 200 even
-- when some records of the batch were not written.
--
-- At the end it prints one line that bench/lib/sources.py parses:
--   PutRecords check: responses R, FailedRecordCount total F, without FailedRecordCount U

wrk.method = "POST"

local threads = {}

function setup(thread)
    table.insert(threads, thread)
end

function init(args)
    responses, failed_records, unparsed = 0, 0, 0
    requests, next_request = {}, 0
    for i, path in ipairs(args) do
        local f = assert(io.open(path, "rb"))
        local body = f:read("*a")
        f:close()
        requests[i] = wrk.format(nil, nil, nil, body)
    end
    if #requests == 0 then
        error("putrecords.lua: give the body files after --")
    end
end

function request()
    next_request = next_request % #requests + 1
    return requests[next_request]
end

function response(status, headers, body)
    responses = responses + 1
    local n = string.match(body, '"FailedRecordCount"%s*:%s*(%d+)')
    if n == nil then
        unparsed = unparsed + 1
    else
        failed_records = failed_records + tonumber(n)
    end
end

function done(summary, latency, requests)
    local r, f, u = 0, 0, 0
    for _, t in ipairs(threads) do
        r = r + t:get("responses")
        f = f + t:get("failed_records")
        u = u + t:get("unparsed")
    end
    io.write(string.format("PutRecords check: responses %d, FailedRecordCount total %d, without FailedRecordCount %d\n",
                           r, f, u))
end
