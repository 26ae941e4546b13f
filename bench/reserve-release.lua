-- wrk script: reserve + release cycles. Each connection alternates a reserving plan request
-- (BODY, with "reserve": true) and the DELETE of the reservation it got back.
local body
do
  local f = assert(io.open(os.getenv("BODY"), "r"))
  body = f:read("*a")
  f:close()
end
local auth = "Bearer " .. os.getenv("TOKEN")
local pending = {}

function request()
  local id = table.remove(pending)
  if id then
    return wrk.format("DELETE", "/api/v1/reservations/" .. id, {["Authorization"] = auth})
  end
  return wrk.format("POST", "/api/v1/routing-plans",
    {["Authorization"] = auth, ["Content-Type"] = "application/json"}, body)
end

function response(status, headers, resp)
  if status == 200 then
    local id = resp:match('"reservation":{"id":"([^"]+)"')
    if id then
      table.insert(pending, id)
    end
  end
end
