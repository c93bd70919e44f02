"""Context vocabularies used for disambiguation (all forms are given un-normalised and are
normalised when the matcher is built).

- TYPE_WORDS: place-type words; one directly before a name ("بلدة هجين", "ريف الميادين",
  "مدينتي الميادين والبوكمال") is evidence that the name is a place.
- REGION_TERMS: Deir ez-Zor context (Euphrates banks, local tribes); near an ambiguous name
  they act as an anchor. They never make an article relevant on their own.
- NEGATIVE: named groups of words that signal another sense or another country. A word of
  a name's group within NEG_WINDOW characters (same field) rejects the name.
- BLOCKERS: phrases in which a gazetteer name is not a location (TV channel, outlets,
  companies). A name inside a blocker is rejected whatever the evidence.
"""

TYPE_WORDS_AR = [
    "بلدة", "بلدات", "بلدتي", "بلدته", "قرية", "قرى", "قريتي", "قريته", "مدينة", "مدن", "مدينتي",
    "حي", "أحياء", "حيي", "ناحية", "نواحي", "ناحيتي", "ريف", "بادية", "منطقة", "مناطق", "مركز",
    "أطراف", "محيط", "أهالي", "أبناء", "سكان", "مشفى", "مستشفى", "مدخل", "مداخل", "جسر",
    "معبر", "حقل", "بلدية", "مخيم", "شرقي", "غربي", "شمالي", "جنوبي", "قرب", "مزارع",
    "ضواحي", "أسواق", "سوق", "وسط", "عشائر", "شوارع",
]
# prepositions: evidence only before a name WITHOUT the article (في هجين, من ذيبان) - an
# adjective such as هجين "hybrid" follows a noun, not a preposition.
PREPOSITIONS_AR = ["في", "من", "إلى", "الى", "على", "عن", "قرب", "نحو", "باتجاه", "حتى", "داخل",
                   "خارج", "بين", "حول"]
# anaphoric place nouns: the article itself calls the name a town/city/village
ANAPHORA = ["البلدة", "المدينة", "القرية", "الناحية", "الحي", "بلدتهم", "قريتهم", "مدينتهم",
            "the town", "the city", "the village"]
TYPE_WORDS_EN = ["town", "village", "city", "district", "subdistrict", "countryside", "area",
                 "outskirts", "residents", "villages", "towns", "province", "governorate"]
# English prepositions: like PREPOSITIONS_AR, evidence only for names with rule "anchor"
PREPOSITIONS_EN = ["in", "around", "outside", "from", "near", "into", "at"]
# negative groups that are word senses (not other places): a Latin transliteration of the
# name has no such sense, so Latin names of these places are unambiguous.
WORD_SENSE_GROUPS = {"hybrid", "adoption", "insight", "grammar", "pictures", "squares", "palm"}

REGION_TERMS = [
    # river banks / river (also gazetteer "region" rows)
    "الفرات", "نهر الفرات", "شرق الفرات", "غرب الفرات", "الضفة الشرقية", "الضفة الغربية",
    "ضفة الجزيرة", "ضفة الشامية", "الضفتين", "الجزيرة السورية", "منطقة الجزيرة", "قرى الجزيرة",
    "قرى الشامية", "الخابور",
    # tribes of the governorate
    "العكيدات", "البكارة", "الشعيطات", "البوكامل", "المشاهدة", "البوسرايا",
    "Euphrates", "east of the Euphrates", "Akeidat", "Uqaydat", "Shaitat", "Baggara",
]

NEGATIVE = {
    "media": ["قناة", "قناه", "مراسل", "مراسلة", "مراسله", "شاشة", "تلفزيون", "فضائية", "الإخبارية",
              "الإعلامية", "برنامج", "بثت", "مقابلة",
              "channel", "tv", "correspondent", "told", "reported", "interview", "network",
              "broadcaster", "television"],
    "lebanon": ["لبنان", "لبناني", "اللبناني", "اللبنانية", "اللبنانيين", "بيروت", "حزب الله اللبناني",
                "جنوب لبنان", "الجنوب اللبناني", "Lebanon", "Lebanese", "Beirut", "Hezbollah"],
    "gaza": ["غزة", "القطاع", "إسرائيل", "الإسرائيلي", "الإسرائيلية", "الاحتلال", "فلسطين",
             "الفلسطيني", "الفلسطينيين", "Gaza", "Israel", "Israeli"],
    "squares": ["العامة", "شتى", "مختلف", "كافة", "جميع", "شتى", "الاقتصادية", "العلمية",
                "الثقافية", "الرياضية", "السياسية", "القاهرة"],
    "hybrid": ["سيارة", "سيارات", "محرك", "محركات", "نظام", "نظاما", "تعليم", "التعليم", "طاقة",
               "الطاقة", "حرب", "حربا", "نموذج", "نموذجا", "طراز", "طرازا", "كهرباء", "الكهرباء",
               "البنزين", "هجينا", "هجينة", "سلالة", "بذور", "القمح الهجين", "hybrid"],
    "adoption": ["قانون", "الكفالة", "كفالة", "الأطفال", "طفل", "الأيتام", "الطفل", "الشرعي",
                 "شرعا", "الحكومة", "مشروع", "الوزارة", "وزارة", "الكامل", "الرسمي"],
    "jalaa": ["عيد", "ذكرى", "الذكرى", "شارع", "ملعب", "الفرنسي", "الفرنسيين", "الانتداب",
              "الاستقلال", "الاحتفال", "احتفالات", "نيسان", "أبريل", "جندي"],
    "insight": ["جمعية", "للمكفوفين", "المكفوفين", "السياسية", "فقدان", "كتاب", "الكاتب",
                "القيادة", "مفهوم", "بلا", "عمى", "الإيمان"],
    "grammar": ["الفتحة", "الضمة", "السكون", "التجويد", "حركة", "الحركات", "الإعراب", "النحو"],
    "pictures": ["شاهد", "بالصور", "نشر", "نشرت", "التقط", "التقطت", "تظهر", "تظهر", "أظهرت",
                 "مصور", "مصورون", "مصورونا", "الفضائية", "الأقمار", "المسربة", "فيديو",
                 "الفيديو", "عدسة", "كاميرا", "تداول", "متداولة", "صور", "الصورة"],
    "jordan": ["الأردن", "الأردنية", "الأردني", "الأردنيين", "مادبا", "عمان", "الدرك", "لواء ذيبان",
               "Jordan", "Jordanian", "Madaba", "Amman"],
    "tunisia": ["تونس", "تونسية", "التونسية", "التونسي", "المنستير", "النجم الساحلي", "الساحل التونسي",
                "الترجي", "Tunisia", "Tunisian"],
    "palm": ["النخيل", "نخيل", "حشرة", "الحشرة", "الحمراء", "آفة", "الآفة", "weevil"],
    "sudan": ["دارفور", "غرب دارفور", "السودان", "السودانية", "السوداني", "السودانيين", "الدعم السريع",
              "تشاد", "الفاشر", "نيالا", "الخرطوم", "Darfur", "Sudan", "Sudanese", "Chad"],
    "damascus": ["دمشق", "بدمشق", "ريف دمشق", "قاسيون", "أبو رمانة", "الأموي", "الأمويين",
                 "الشام القديمة", "الفلسطينية", "فلسطيني", "Damascus"],
    "homs": ["حمص", "حماة", "طرطوس", "Homs"],
    "shia": ["حسينية", "الحسينيات", "العتبة", "كربلاء", "النجف", "عزاء", "مجلس عزاء", "عاشوراء",
             "المنامة", "البحرين", "الزوار"],
    "iraq": ["العراق", "العراقية", "العراقي", "الأنبار", "بغداد", "الفلوجة", "دجلة", "الحشد",
             "Iraq", "Iraqi", "Anbar", "Baghdad", "Fallujah"],
    "libya": ["ليبيا", "الليبي", "الليبية", "الليبيين", "ليبيين", "ليبيون", "حفتر", "سرت", "طرابلس",
              "بنغازي", "Libya", "Libyan", "Haftar"],
    "egypt": ["مصر", "المصرية", "القاهرة", "الكويت", "Egypt", "Kuwait"],
    "daraa": ["درعا", "حوران", "السويداء", "المثلث", "الطيبي", "Daraa"],
    "palestine": ["فلسطين", "الفلسطيني", "الفلسطينية", "حماس", "أحمد ياسين", "الضفة", "رام الله",
                  "Hamas", "Palestinian"],
    "monastery": ["مار", "رهبان", "الرهبان", "راهب", "الراهب", "راهبات", "الراهبات", "كنيسة",
                  "الكنيسة", "صيدنايا", "معلولا", "الأثري", "القديس", "الأب", "المسيحي",
                  "المسيحية"],
    "saudi": ["السعودية", "الجبيل الصناعية", "الشرقية السعودية"],
    "hasakah": ["الحسكة", "بالحسكة", "القامشلي", "غويران", "سجن"],
    "raqqa": ["الرقة", "الطبقة"],
}

BLOCKERS = [
    # Al Mayadeen TV channel
    "قناة الميادين", "شبكة الميادين", "مراسل الميادين", "مراسلة الميادين", "مراسلو الميادين",
    "الميادين نت", "موقع الميادين", "قناة الميادين الفضائية", "تلفزيون الميادين",
    "لقناة الميادين", "الميادين الإخبارية", "الميادين الفضائية", "الميادين الإعلامية",
    "Al Mayadeen TV", "Al-Mayadeen TV", "Al Mayadeen channel", "Al Mayadeen network",
    "Al Mayadeen correspondent", "told Al Mayadeen", "Al Mayadeen reported", "Al Mayadeen English",
    "al-Mayadeen television", "Al Mayadeen television",
    # outlets named after places
    "شبكة دير الزور تذبح بصمت", "شبكة ديرالزور تذبح بصمت", "دير الزور تذبح بصمت",
    "ديرالزور تذبح بصمت", "Deir Ezzor is Being Slaughtered Silently", "فرات بوست", "Furat Post",
    "Deir Ezzor 24", "دير الزور 24", "ديرالزور 24", "عين الفرات", "صدى الشرقية",
    # companies / other senses
    "ConocoPhillips", "Conoco Phillips", "سوق الحميدية", "عيد الجلاء", "ذكرى الجلاء",
    "جبهة الشامية", "الجبهة الشامية", "قناة الجزيرة", "الجزيرة نت", "الجزيرة مباشر",
    "شبه الجزيرة", "الجزيرة العربية", "جامعة تشرين", "سد تشرين", "صحيفة تشرين",
    "ساحة الشهداء", "القصور الكلوي", "القصور الرئاسية", "القصور الملكية",
    "مخيم الحسينية", "الحسينية الكبرى", "سجن الصناعة",
    "الدير الأثري", "دير مار", "Green Village project",
]

NEG_WINDOW = 70      # characters either side (normalised text, same field)
REGION_WINDOW = 160  # characters either side for Euphrates/Jazira/tribe context
