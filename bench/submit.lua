-- wrk script of bench/submit.py: every request files one application with its own idempotency key.
-- Input from the environment (BENCH_BODY, BENCH_TOKEN, BENCH_HOST, BENCH_RUN); prints one RESULT line.

local threads = {}
local next_thread = 1

function setup(thread)
  thread:set("thread_number", next_thread)
  next_thread = next_thread + 1
  table.insert(threads, thread)
end

local body = os.getenv("BENCH_BODY")
local token = os.getenv("BENCH_TOKEN")
local host = os.getenv("BENCH_HOST")
local run = os.getenv("BENCH_RUN")
local sent = 0
created = 0
other = 0

function request()
  sent = sent + 1
  return wrk.format("POST", "/api/v1/applications", {
    ["Host"] = host,
    ["Content-Type"] = "application/json",
    ["Authorization"] = "Bearer " .. token,
    ["Idempotency-Key"] = run .. "-" .. thread_number .. "-" .. sent,
  }, body)
end

function response(status, headers, body)
  if status == 201 then created = created + 1 else other = other + 1 end
end

-- RESULT <answers> <201s> <other answers> <socket errors> <seconds> <p50 ms> <p95 ms> <p99 ms>
function done(summary, latency, requests)
  local all_created, all_other = 0, 0
  for _, thread in ipairs(threads) do
    all_created = all_created + thread:get("created")
    all_other = all_other + thread:get("other")
  end
  local errors = summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout
  io.write(string.format("RESULT %d %d %d %d %.3f %.1f %.1f %.1f\n", summary.requests, all_created, all_other,
    errors, summary.duration / 1e6, latency:percentile(50) / 1e3, latency:percentile(95) / 1e3,
    latency:percentile(99) / 1e3))
end
