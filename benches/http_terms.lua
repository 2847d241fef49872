-- wrk script: single-word searches only, common and rarer words in turn (see README,
-- "Load"): the term queries of issue 4's HTTP target.
-- wrk -t2 -c32 -d20s --latency -s benches/http_terms.lua http://127.0.0.1:8080
local queries = {
  "الاتفاقية",
  "الدول",
  "المؤتمر",
  "الجريمة",
  "التعاون",
  "الفساد",
  "المصادرة",
  "الحاويات",
  "الشهود",
  "الإنترنت",
}

local function encode(text)
  return (text:gsub("[^%w%-_%.~]", function(c)
    return string.format("%%%02X", string.byte(c))
  end))
end

local paths = {}
for i, query in ipairs(queries) do
  paths[i] = "/api/search?q=" .. encode(query)
end

local next_query = 0
request = function()
  next_query = next_query % #paths + 1
  return wrk.format("GET", paths[next_query])
end
