-- wrk script: create blog posts through Micropub (token in $ROOST_TOKEN).
wrk.method = "POST"
wrk.headers["Authorization"] = "Bearer " .. os.getenv("ROOST_TOKEN")
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
local n = 0
request = function()
  n = n + 1
  return wrk.format(nil, "/micropub", nil,
    "h=entry&name=Article+" .. n .. "&category=load&content=Some+**Markdown**+with+a+[link](https%3A%2F%2Fexample.com)%0A%0A-+one%0A-+two")
end
