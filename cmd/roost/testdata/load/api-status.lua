-- wrk script: POST /api/v1/statuses as a Mastodon app (token in $ROOST_API_TOKEN).
wrk.method = "POST"
wrk.headers["Authorization"] = "Bearer " .. os.getenv("ROOST_API_TOKEN")
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
local n = 0
request = function()
  n = n + 1
  return wrk.format(nil, "/api/v1/statuses", nil, "visibility=public&status=API+status+" .. n .. "+%23load")
end
