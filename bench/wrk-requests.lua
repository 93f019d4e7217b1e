-- wrk script for bench/wrk.ts: sends requests built beforehand, as they are,
-- either as fast as the connections go or at a steady rate.
--
--   wrk -t T -c C -d S -s bench/wrk-requests.lua <origin> -- <file> <rate or 0> <T> [<expected text>]
--
-- <file>.<k> holds thread k's requests, raw HTTP, each after a line with its length in bytes;
-- each is sent once, in order (as fast as they go, a thread that runs out
-- starts again and counts the repeats; at a rate, it stops). With a rate, thread k sends one request every
-- T/rate s, its schedule 1/rate s after thread k - 1's, so requests leave
-- every 1/rate s whatever the answers before them take (as wrk2 paces, and
-- as Shopify's many senders do): a connection that is free claims the next
-- slot in the schedule and waits for it. When every connection is busy the
-- next request leaves late; how many did, and the worst lateness, are
-- printed, because the latency of a late request does not count the wait.
-- done() prints one JSON line for bench/wrk.ts to read.

local ffi = require("ffi")
ffi.cdef([[
typedef struct { long tv_sec; long tv_nsec; } regulars_timespec;
int clock_gettime(int clk_id, regulars_timespec *tp);
]])
local timespec = ffi.new("regulars_timespec")
local function now_ms()
  ffi.C.clock_gettime(1, timespec) -- CLOCK_MONOTONIC
  return tonumber(timespec.tv_sec) * 1000 + tonumber(timespec.tv_nsec) / 1e6
end

local threads = {}
function setup(thread)
  thread:set("id", #threads)
  table.insert(threads, thread)
end

function init(args)
  local file = io.open(args[1] .. "." .. id, "rb")
  queue = {}
  while true do
    local length = file:read("*n")
    if not length then
      break
    end
    file:read(1) -- the newline after the length
    queue[#queue + 1] = file:read(length)
  end
  file:close()
  nextRequest = 1
  repeats = 0
  claimed = 0
  taken = 0 -- how far into the queue this thread got
  local rate = tonumber(args[2])
  local count = tonumber(args[3])
  expect = args[4] or "" -- text every 2xx answer must hold (empty: any)
  unexpected = 0
  if rate > 0 then
    interval = 1000 * count / rate
    offset = id * 1000 / rate
  end
  late = 0
  worstLate = 0
  answered = 0
  ok = 0
end

function delay()
  if not interval then
    return 0
  end
  if claimed >= #queue then
    return 3600000 -- every request has its slot: wait out the run
  end
  claimed = claimed + 1
  local now = now_ms()
  if not slot then
    slot = now + offset
  end
  local due = slot
  slot = slot + interval
  local wait = due - now
  if wait < -1 then
    late = late + 1
    if -wait > worstLate then
      worstLate = -wait
    end
  end
  if wait <= 0 then
    return 0
  end
  return math.floor(wait + 0.5)
end

function request()
  -- wrk calls thread 0's request() once before the run, to check it: that call sends nothing.
  if id == 0 and not checked then
    checked = true
    return queue[1]
  end
  if nextRequest > #queue then
    nextRequest = 1
    repeats = repeats + 1
  end
  local raw = queue[nextRequest]
  nextRequest = nextRequest + 1
  taken = math.max(taken, nextRequest - 1)
  return raw
end

function response(status, headers, body)
  answered = answered + 1
  if status >= 200 and status < 300 then
    ok = ok + 1
    if expect ~= "" and not string.find(body, expect, 1, true) then
      unexpected = unexpected + 1
    end
  end
end

function done(summary, latency)
  local lateCount, worst, repeated, okCount, answeredCount, unexpectedCount = 0, 0, 0, 0, 0, 0
  local taken = {}
  for _, thread in ipairs(threads) do
    taken[#taken + 1] = tostring(thread:get("taken"))
    lateCount = lateCount + thread:get("late")
    worst = math.max(worst, thread:get("worstLate"))
    repeated = repeated + thread:get("repeats")
    okCount = okCount + thread:get("ok")
    answeredCount = answeredCount + thread:get("answered")
    unexpectedCount = unexpectedCount + thread:get("unexpected")
  end
  local e = summary.errors
  io.write(
    string.format(
      '{"answered":%d,"ok":%d,"durationUs":%d,"connectErrors":%d,"readErrors":%d,"writeErrors":%d,"timeouts":%d,'
        .. '"p50Us":%d,"p99Us":%d,"maxUs":%d,"late":%d,"worstLateMs":%.1f,"repeats":%d,"unexpected":%d,"taken":[%s]}\n',
      answeredCount,
      okCount,
      summary.duration,
      e.connect,
      e.read,
      e.write,
      e.timeout,
      latency:percentile(50),
      latency:percentile(99),
      latency.max,
      lateCount,
      worst,
      repeated,
      unexpectedCount,
      table.concat(taken, ",")
    )
  )
end
