-- wrk script for the Jicofo bridge-selection endpoint: POSTs, in turn, the request bodies of the
-- files listed (comma-separated) in BODIES, with only Content-Type set, as Jicofo does (no token:
-- the integration key is in the URL). Rotating bodies varies the participant's region and the
-- conference's bridges, so the service does not answer one request over and over.
-- RATE and CONNECTIONS pace the connections as bench/post.lua does (Poisson arrivals), so that all
-- of them together send about RATE requests per second; without RATE they send as fast as they can.
local bodies = {}
for name in string.gmatch(os.getenv("BODIES"), "[^,]+") do
  local f = assert(io.open(name, "r"))
  bodies[#bodies + 1] = f:read("*a")
  f:close()
end
local headers = { ["Content-Type"] = "application/json" }
local next_body = 0

function request()
  next_body = next_body % #bodies + 1
  return wrk.format("POST", nil, headers, bodies[next_body])
end

local rate = tonumber(os.getenv("RATE") or "0")
local connections = tonumber(os.getenv("CONNECTIONS") or "1")
if rate > 0 then
  local mean_gap = 1000 * connections / rate
  math.randomseed(os.time())
  function delay()
    return -mean_gap * math.log(1 - math.random())
  end
end
