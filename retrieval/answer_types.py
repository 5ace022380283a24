"""What kind of answer a question wants, and the patterns that find one in a sentence.

A question asking "how many" is answered by a sentence holding a number that
the question does not already hold ("How many troops are in Syria?" wants
"fewer than 1,000", not another sentence that merely repeats "troops").
Whether a sentence offers one is a cue of the first pass (retrieval/cues.py);
the kind also decides whether the reader's phrase is bolded
(retrieval/answers.py).
"""

from __future__ import annotations

import re
from enum import Enum


class AnswerType(Enum):
    NUMBER = "number"
    DATE = "date"
    NAME = "name"


#: The same question words in the other languages the bot speaks (Spanish, German,
#: Russian, Portuguese, French, Turkish, Indonesian, Ukrainian, Chinese, Arabic,
#: Persian) and in the other languages of XQuAD (Hindi, Vietnamese, Thai, Greek,
#: Romanian) and Japanese: a Russian "Сколько" asks for a number as "how many" does.
#: Devanagari's vowel signs are no word characters to ``\b``, so its words are
#: bounded by ``_HI`` and ``_IH``; Thai, Chinese and Japanese have no bounds to find.
_HI = r"(?<![\w\u0900-\u097f])"
_IH = r"(?![\w\u0900-\u097f])"
_DATE_ELSEWHERE = (
    r"|\bcu[aá]ndo\b|\ben\s+qu[eé]\s+a[nñ]o\b|\bwann\b|\bin\s+welchem\s+jahr"
    r"|\bкогда\b|\bв\s+как(?:ом|ие)\s+год|\bquando\b|\bem\s+que\s+ano\b|\bquand\b"
    r"|\ben\s+quelle\s+ann[eé]e\b|\bne\s+zaman\b|\bhangi\s+y[ıi]l|\bkapan\b"
    rf"|{_HI}कब{_IH}|{_HI}किस\s+(?:साल|वर्ष){_IH}|\bkhi\s+nào\b|\bbao\s+giờ\b"
    r"|\b(?:năm|lúc|ngày)\s+nào\b|เมื่อไร|เมื่อไหร่|ปีใด|ปีไหน|ปีอะไร|\bπ[όο]τε\b"
    r"|\bπο[ιί][οα]\s+(?:έτος|χρονιά)|\bc[âa]nd\b|\bîn\s+ce\s+an\b|いつ|何年"
    r"|في\s+أي\s+(?:عام|سنة)"
    r"|\bколи\b|\bв\s+якому\s+році|什么时候|哪一年|何时|哪年|متى|چه\s*سالی|چه\s*زمانی"
)
_NUMBER_ELSEWHERE = (
    r"|\bcu[aá]nt[oa]s?\b|\bwie\s+(?:viele?|hoch|lange|alt|weit|gro[sß]|oft)\b"
    r"|\bсколько\b|\bquant[oa]s?\b|\bcombien\b|\bka[cç]\b|\bberapa\b|\bскільки\b"
    r"|多少|几|\bكم\b|\bچند\b"
    rf"|{_HI}कितन[ाीे]{_IH}|\bbao\s+nhiêu\b|\bmấy\b|กี่|เท่าไร|เท่าไหร่"
    r"|\bπ[όο]σ(?:ος|οι|ες|α|ο|η|ων)\b|\bc[âa][țţt][ie]\b"
    r"|いくつ|いくら|何人|どのくらい"
)
_NAME_ELSEWHERE = (
    r"|\bqui[eé]n(?:es)?\b|\bd[oó]nde\b|\bwer\b|\bwo\b|\bкто\b"
    r"|\bкого\b|\bгде\b|\bquem\b|\bonde\b|\bqui\b|\bo[uù]\b|\bnerede\b"
    r"|\bsiapa\b|\bdi\s+mana\b|\bхто\b|\bде\b|谁|哪里|哪儿|\bمن\b|\bأين\b|کجا|چه\s*کسی"
    rf"|{_HI}(?:कौन|किसने|कहाँ|कहां){_IH}|\blà\s+ai\b|^\s*ai\s+(?:là|đã|được|sẽ)\b|\bở\s+đâu\b"
    r"|ใคร|ที่ไหน|\bπο[ιί]ος\b"
    r"|\bπού\b|^\W*cine\b|\bunde\b|誰|だれ|どこ"  # Spanish "cine" is cinema
)
_DATE_QUESTION = re.compile(
    r"\bwhen\b|\b(?:what|which)\s+(?:year|decade|century|date|day|month|time)\b" + _DATE_ELSEWHERE,
    re.I,
)
_NUMBER_QUESTION = re.compile(
    r"\bhow\s+(?:many|much|long|old|far|large|big|tall|high|often|fast)\b"
    r"|\bwhat\s+(?:percentage|percent|number|amount|proportion|share)\b" + _NUMBER_ELSEWHERE,
    re.I,
)
_NAME_QUESTION = re.compile(
    r"\bwho(?:m|se)?\b|\bwhere\b"
    r"|\b(?:what|which)\s+(?:team|city|country|company|state|nation|person|organi[sz]ation"
    r"|group|university|school|river|place|agency|party|official|leader|base)\b" + _NAME_ELSEWHERE,
    re.I,
)

#: An amount in a sentence: digits in any script and either grouping ("1,000.5",
#: "1.000,5", Arabic-Indic "١٢٠"), or number words of English and the bot's other
#: languages. Words that are also common words elsewhere are left out (French "un",
#: Portuguese "um", Turkish "bir", "on" and "bin", Persian "یک" and "نه", Chinese "一");
#: none of those kept occurs in a SQuAD dev-half sentence without digits or English
#: number words, so English sentences read as before.
NUMBER = re.compile(
    r"\d[\d,.]*|\b(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|"
    r"thirteen|fourteen|fifteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|"
    r"hundred|thousand|million|billion|trillion|dozen|half"
    r"|dos|tres|cuatro|cinco|seis|siete|ocho|nueve|diez|cien|ciento|mil|millón|millones"
    r"|zwei|drei|vier|fünf|sechs|sieben|acht|neun|zehn|zwölf|hundert|tausend"
    r"|Millionen?|Milliarden?|deux|trois|quatre|cinq|sept|huit|neuf|dix|mille|millions"
    r"|milliards?|dois|três|quatro|sete|oito|nove|dez|cem|milhão|milhões|bilhões"
    r"|iki|üç|dört|beş|altı|yedi|sekiz|dokuz|yüz|milyon|milyar|dua|tiga|empat"
    r"|enam|tujuh|delapan|sembilan|sepuluh|seratus|ribu|juta|miliar"
    r"|два|две|три|четыре|пять|шесть|семь|восемь|девять|десять|сто|тысяч[аи]?"
    r"|миллион(?:а|ов)?|миллиард(?:а|ов)?|чотири|п'ять|шість|сім|вісім|дев'ять|тисяч[аі]?"
    r"|мільйон(?:а|ів)?|мільярд(?:а|ів)?|اثنان|ثلاثة|أربعة|خمسة|ستة|سبعة|ثمانية|تسعة"
    r"|عشرة|مئة|مائة|ألف|آلاف|مليون|ملايين|مليار|سه|چهار|پنج|شش|هفت|هشت|صد|هزار"
    r"|میلیون|میلیارد)\b|[〇零二三四五六七八九十百千万亿两]",
    re.I,
)
#: A date, year or weekday in a sentence (month names in the bot's other Latin and
#: Cyrillic languages too, in Romanian, Greek, Arabic and Hindi, and Chinese "2016年" /
#: "5月").
DATE = re.compile(
    r"\b(?:1\d{3}|20\d{2})s?\b|\d+\s*[年月日]"
    r"|\b(?:enero|febrero|marzo|abril|junio|julio|agosto|septiembre|octubre|noviembre"
    r"|diciembre|januar|februar|märz|juni|juli|oktober|dezember|janvier|février"
    r"|avril|juin|juillet|août|septembre|octobre|novembre|décembre|janeiro|fevereiro|março"
    r"|maio|junho|julho|setembro|outubro|dezembro|января|февраля|марта|апреля|мая|июня"
    r"|июля|августа|сентября|октября|ноября|декабря|січня|лютого|березня|квітня|травня"
    r"|червня|липня|серпня|вересня|жовтня|листопада|грудня|ianuarie|februarie|martie"
    r"|aprilie|iunie|iulie|septembrie|octombrie|noiembrie|decembrie|ιανουαρίου"
    r"|φεβρουαρίου|μαρτίου|απριλίου|μαΐου|ιουνίου|ιουλίου|αυγούστου|σεπτεμβρίου"
    r"|οκτωβρίου|νοεμβρίου|δεκεμβρίου|يناير|فبراير|مارس|أبريل|مايو|يونيو|يوليو|أغسطس"
    r"|سبتمبر|أكتوبر|نوفمبر|ديسمبر)\b"
    rf"|{_HI}(?:जनवरी|फरवरी|फ़रवरी|\u095eरवरी|मार्च|अप्रैल|मई|जून|जुलाई|अगस्त|सितंबर|सितम्बर|अक्टूबर"
    rf"|नवंबर|नवम्बर|दिसंबर|दिसम्बर){_IH}"
    r"|\b(?:January|February|March|April|May|June|July|August|September|October|November|"
    r"December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec|Monday|Tuesday|Wednesday|"
    r"Thursday|Friday|Saturday|Sunday|yesterday|today|tomorrow)\b"
    r"|\b(?:last|next|this)\s+(?:week|month|year)\b|\bcentur(?:y|ies)\b",
    re.I,
)
#: A capitalised word: a name, unless grammar capitalised it (Cyrillic capitals too).
CAPITALISED = re.compile(r"\b[A-ZА-ЯЁІЇЄҐ][\w'\u2019-]*")


def answer_type(question: str) -> AnswerType | None:
    """The answer type a question asks for, or ``None`` when it is open-ended."""
    if _DATE_QUESTION.search(question):
        return AnswerType.DATE
    if _NUMBER_QUESTION.search(question):
        return AnswerType.NUMBER
    if _NAME_QUESTION.search(question):
        return AnswerType.NAME
    return None
