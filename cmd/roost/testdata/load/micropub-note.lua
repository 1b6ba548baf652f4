-- wrk script: create notes through Micropub (token in $ROOST_TOKEN).
wrk.method = "POST"
wrk.headers["Authorization"] = "Bearer " .. os.getenv("ROOST_TOKEN")
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
local n = 0
request = function()
  n = n + 1
  return wrk.format(nil, "/micropub", nil,
    "h=entry&content=Load+note+" .. n .. "+about+%23testing+and+https%3A%2F%2Fexample.com%2F")
end
