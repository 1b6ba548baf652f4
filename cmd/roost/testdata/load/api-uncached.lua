-- wrk script: GET an API timeline (path in $ROOST_API_PATH) with a different
-- max_id above every id on each request, so the one-second page cache never
-- answers and every page is rendered (token in $ROOST_API_TOKEN).
wrk.headers["Authorization"] = "Bearer " .. os.getenv("ROOST_API_TOKEN")
local path = os.getenv("ROOST_API_PATH")
local n = 0
request = function()
  n = n + 1
  -- A string: Lua's numbers are doubles and would print 9e+18.
  return wrk.format("GET", path .. "&max_id=8999999999" .. string.format("%09d", 999999999 - n))
end
