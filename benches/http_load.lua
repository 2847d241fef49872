-- wrk script: a fixed, mixed list of searches, sent in turn (see README, "Load").
-- wrk -t2 -c32 -d20s --latency -s benches/http_load.lua http://127.0.0.1:8080
local queries = {
  "الجريمة",
  "تسليم المجرمين",
  "\"التعاون الدولي\"",
  "\"المادة 18 من الاتفاقية\"",
  "الأسلحة النارية session:10",
  "العداله الجنائيه",
  "مكتب الأمم المتحدة المعني بالمخدرات والجريمة",
  "الاتجار -بالأشخاص",
  "\"تسليم المجرمين\"~2 year:2022",
  "المساعدة OR التقنية",
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
