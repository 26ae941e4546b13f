-- wrk script: POST the JSON file named by BODY with the bearer token in TOKEN.
-- With RATE and CONNECTIONS set, each connection paces itself so that all of them together send
-- about RATE requests per second (wrk has no rate option; delay() is its pacing hook, a wait before
-- each request after the previous answer). PACING=poisson (default) draws each wait from an
-- exponential distribution, so the connections send independently, as separate clients do;
-- PACING=fixed waits the same time every time, which keeps connections that started together in
-- step and sends the requests in bursts of up to CONNECTIONS at once.
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer " .. os.getenv("TOKEN")
local f = assert(io.open(os.getenv("BODY"), "r"))
wrk.body = f:read("*a")
f:close()

local rate = tonumber(os.getenv("RATE") or "0")
local connections = tonumber(os.getenv("CONNECTIONS") or "1")
local poisson = (os.getenv("PACING") or "poisson") ~= "fixed"
if rate > 0 then
  local gap = 1000 * connections / rate
  math.randomseed(os.time())
  function delay()
    if poisson then
      return -gap * math.log(1 - math.random())
    end
    return gap
  end
end
