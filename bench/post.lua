-- wrk script: POST the JSON file named by BODY with the bearer token in TOKEN.
-- With RATE and CONNECTIONS set, each connection paces itself so that all of them together send
-- about RATE requests per second (wrk has no rate option; delay() is its pacing hook).
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer " .. os.getenv("TOKEN")
local f = assert(io.open(os.getenv("BODY"), "r"))
wrk.body = f:read("*a")
f:close()

local rate = tonumber(os.getenv("RATE") or "0")
local connections = tonumber(os.getenv("CONNECTIONS") or "1")
if rate > 0 then
  local gap = 1000 * connections / rate
  function delay()
    return gap
  end
end
