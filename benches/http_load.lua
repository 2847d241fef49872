-- wrk script: a fixed list of searches, sent in turn (see README, "Load").
--   wrk -t2 -c32 -d20s --latency -s benches/http_load.lua http://127.0.0.1:8080
-- mixes words, phrases, slop, filters, exclusion, OR and spelling variants;
--   FAHRAS_QUERIES=terms wrk … -s benches/http_load.lua …
-- sends single words only, common and rarer in turn.
local lists = {
  mixed = {
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
  },
  terms = {
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
  },
}
local queries = lists[os.getenv("FAHRAS_QUERIES") or "mixed"]
  or error("FAHRAS_QUERIES must be mixed or terms")

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
