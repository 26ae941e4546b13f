-- wrk script: joins and leaves of live meetings. MEETINGS (a file of meeting ids, one a line) are
-- the meetings to use; request n joins participant n/2 into meeting (n/2 mod M) for even n, and for
-- odd n the participant that joined KEEP rounds earlier leaves the same meeting, so every meeting
-- holds about KEEP (20) people once warm and joins and leaves alternate. Locations cycle over a few
-- cities on three continents. With RATE and CONNECTIONS set, connections pace themselves with
-- Poisson arrivals to about RATE requests per second in total (as post.lua does).
-- STATE (a file) makes consecutive runs one stream: a run starts at the participant number the run
-- before it wrote there and writes its own end, so a step after the first goes on with joins and
-- leaves from its first request, in meetings that stay at KEEP, instead of renewing leases for its
-- first KEEP rounds. Without it every run starts at participant 0 of PREFIX. Use it with -t1.
-- FILL=N instead only joins participants f0..f(N-1) into the first meeting, then stops.
local auth = "Bearer " .. os.getenv("TOKEN")
local meetings = {}
for line in io.lines(os.getenv("MEETINGS")) do
  if #line > 0 then
    table.insert(meetings, line)
  end
end
local m = #meetings
local keep = tonumber(os.getenv("KEEP") or "20")
local fill = tonumber(os.getenv("FILL") or "0")
local prefix = os.getenv("PREFIX") or "u"
local places = {
  '{"latitude": 50.11, "longitude": 8.68}', '{"latitude": 40.71, "longitude": -74.0}',
  '{"latitude": -23.55, "longitude": -46.63}', '{"latitude": 19.08, "longitude": 72.88}',
  '{"latitude": 35.68, "longitude": 139.65}', '{"latitude": -33.87, "longitude": 151.21}',
  '{"latitude": 48.86, "longitude": 2.35}', '{"latitude": 37.77, "longitude": -122.42}'}
-- the large meeting of step 3: six cities far apart, which the placement spreads over about six
-- data centers (the table says how many it used)
local spread = {
  '{"latitude": 50.11, "longitude": 8.68}', '{"latitude": -33.87, "longitude": 151.21}',
  '{"latitude": -23.55, "longitude": -46.63}', '{"latitude": 37.34, "longitude": -121.89}',
  '{"latitude": 19.08, "longitude": 72.88}', '{"latitude": 1.35, "longitude": 103.82}'}
local state = os.getenv("STATE")
local start = 0
if state then
  local f = io.open(state, "r")
  if f then
    start = tonumber(f:read("*l") or "0") or 0
    f:close()
  end
end
-- requests made so far (a global: done() reads it from the thread)
n = 0
local headers = {["Authorization"] = auth, ["Content-Type"] = "application/json"}
local bare = {["Authorization"] = auth}

local function join(meeting, id, k, where)
  local body = '{"id": "' .. id .. '", "location": ' .. where[(k % #where) + 1] .. '}'
  return wrk.format("POST", "/api/v1/meetings/" .. meeting .. "/participants", headers, body)
end

function request()
  if probe then
    -- wrk calls request() once on the first thread before the run to check what it returns, and
    -- never sends that one: it gets no participant number of its own
    probe = false
    return wrk.format("PUT", "/api/v1/meetings/" .. meetings[1] .. "/lease", bare)
  end
  local i = n
  n = n + 1
  if fill > 0 then
    if i >= fill then
      -- the meeting is full: renew its lease until wrk stops, so that no connection joins one more
      wrk.thread:stop()
      return wrk.format("PUT", "/api/v1/meetings/" .. meetings[1] .. "/lease", bare)
    end
    return join(meetings[1], "f" .. i, i, spread)
  end
  local j = start + math.floor(i / 2)
  local meeting = meetings[(j % m) + 1]
  if i % 2 == 0 then
    return join(meeting, prefix .. j, j, places)
  end
  if j < keep * m then
    -- warming up: nobody to leave yet
    return wrk.format("PUT", "/api/v1/meetings/" .. meeting .. "/lease", bare)
  end
  local gone = j - keep * m
  return wrk.format("DELETE", "/api/v1/meetings/" .. meeting .. "/participants/" .. prefix .. gone, bare)
end

local rate = tonumber(os.getenv("RATE") or "0")
local connections = tonumber(os.getenv("CONNECTIONS") or "1")
if rate > 0 then
  local gap = 1000 * connections / rate
  math.randomseed(os.time())
  function delay()
    return -gap * math.log(1 - math.random())
  end
end

-- the participant number the next run of the stream starts at: one past the last one joined
local threads = {}
probe = false
function setup(thread)
  table.insert(threads, thread)
  if #threads == 1 then
    thread:set("probe", true)
  end
end

function done(summary, latency, requests)
  if state then
    local sent = 0
    for _, thread in ipairs(threads) do
      sent = sent + thread:get("n")
    end
    local f = assert(io.open(state, "w"))
    f:write(string.format("%d\n", start + math.floor((sent + 1) / 2)))
    f:close()
  end
end
