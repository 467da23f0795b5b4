-- wrk script for bench/invoke: Lambda Invoke (and the DryRun ceiling) load.
--
-- POSTs one body (the first argument after `--`) to the URL given to wrk, with
-- the headers given by -H (a SigV4-shaped Authorization, and for the ceiling
-- X-Amz-Invocation-Type: DryRun). Every response is checked: its status must
-- be the expected one (second argument), it must not carry X-Amz-Function-Error,
-- and its body must equal the expected body (third argument; "-" = any).
--
-- At the end it prints one line that bench/lib/invoke.py parses:
--   Invoke check: responses R, unexpected status S, function errors F, unexpected bodies B

wrk.method = "POST"

local threads = {}

function setup(thread)
    table.insert(threads, thread)
end

function init(args)
    responses, bad_status, function_errors, bad_bodies = 0, 0, 0, 0
    local body = args[1]
    expected_status = tonumber(args[2] or "200")
    expected_body = args[3] or "-"
    if body == nil then
        error("invoke.lua: give BODY [STATUS [EXPECTED_BODY]] after --")
    end
    prepared = wrk.format(nil, nil, nil, body)
end

function request()
    return prepared
end

function response(status, headers, body)
    responses = responses + 1
    if status ~= expected_status then
        bad_status = bad_status + 1
    end
    for name, _ in pairs(headers) do
        if string.lower(name) == "x-amz-function-error" then
            function_errors = function_errors + 1
        end
    end
    if expected_body ~= "-" and body ~= expected_body then
        bad_bodies = bad_bodies + 1
    end
end

function done(summary, latency, requests)
    local r, s, f, b = 0, 0, 0, 0
    for _, t in ipairs(threads) do
        r = r + t:get("responses")
        s = s + t:get("bad_status")
        f = f + t:get("function_errors")
        b = b + t:get("bad_bodies")
    end
    io.write(string.format("Invoke check: responses %d, unexpected status %d, function errors %d, unexpected bodies %d\n",
                           r, s, f, b))
end
