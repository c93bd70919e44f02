"""Build places.csv from the shared gazetteer (sources/) - every edit is listed here.

Run:  python crawler/geo/data/build_places.py
Input:  sources/deir_ez_zor_places.csv (shared gazetteer, 213 rows),
        sources/ocha_sy09_from_kobotool.csv (raw OCHA rows, for parent p-codes).
Output: places.csv with columns
        pcode,name_ar,name_en,alt_names,level,parent,lat,lon,source,notes
        - name_ar / name_en: display names without OCHA qualifiers ("الجنينة", not
          "الجنينة - مركز دير الزور"); the OCHA label stays in alt_names.
        - parent: the parent's p-code (the source used English names, which are
          ambiguous: "Deir-ez-Zor" is the governorate, a district and a subdistrict).
        - pcode: OCHA code, or a local code "SY09-Lnn" (landmark), "SY09-Nnn"
          (neighbourhood from news usage), "SY09-Vnn" (village from news usage),
          "SY09-Rnn" (region/river: context only, never enough on its own).
See SOURCES.md for the sources and the list of corrections.
"""

from __future__ import annotations

import csv
from pathlib import Path

HERE = Path(__file__).resolve().parent
SRC = HERE / "sources"
NEWS = "news usage (rasad, compiled by hand; verify)"

# -------- corrections to the shared gazetteer (documented in SOURCES.md) --------
REMOVE_ALTS = {
    # GeoNames conflates Hajin with Abu Hardub (C5195, a different Thiban village)
    "C5175": {"Abu Hardub", "Abū Ḩardūb"},
    # "Sousse" is the Tunisian city; GeoNames lists it for As-Susah: source of false alerts
    "C5186": {"Sousse"},
    # bare city names belong to the governorate row; the city row keeps "city" forms
    "C5086": None,  # handled below
    # the district/subdistrict rows share the town's bare name; keep the qualified forms
    "SY0901": {"Deir ez-Zor", "دير الزور"},
    # "the Syrian Badia" spans Homs, Raqqa, Deir ez-Zor - not a Deir ez-Zor name
    "L:Deir ez-Zor desert (Badia)": {"البادية السورية"},
    # "الكبر" alone is a common word (old age / arrogance)
    "L:Al-Kibar site": {"الكبر"},
    # "صور" alone is Tyre (Lebanon) or "pictures"
    "SY090106": {"صور"},
}
ADD_ALTS = {
    "SY09": ["دير الزور", "ديرالزور", "Deir Ezzor", "Deir ez-Zor", "Deir al-Zour", "Deir el-Zor",
             "Deir al-Zor", "Dayr az-Zawr", "Deir Ez-Zour", "Deir Azzour", "Deir Al Zour",
             "Deir ez Zor", "Deir Ezzour", "Deirezzor", "Deir-ez-Zor", "ريف دير الزور",
             "ريف ديرالزور", "ريف الدير", "مجلس دير الزور العسكري",
             "الدير"],  # "the monastery": rule "anchor" in ambiguous.csv
    "C5086": ["مدينة دير الزور", "مدينة ديرالزور", "Deir ez-Zor city", "city of Deir ez-Zor",
              "Deir Ezzor city", "city of Deir Ezzor", "Deir al-Zour city"],
    "SY0902": ["منطقة البوكمال"],
    "C5167": ["البو كمال", "ابو كمال", "بوكمال", "Abu Kamal", "Albukamal", "Al-Bukamal",
              "Albu Kamal", "Boukamal", "Bukamal", "Abu Kemal"],
    "C5192": ["Mayadin", "al-Mayadin", "Mayadeen", "al-Mayadeen", "Al Mayadeen"],
    "C5184": ["الباغوز", "باغوز", "الباغوز الفوقاني", "Baghuz", "Baghouz", "al-Baghuz", "Baghuz Fawqani"],
    "C5183": ["الشعفه", "Shaafa", "al-Shafa", "Sha'fah", "Al-Sha'afa"],
    "C5186": ["السوسه", "Sousa", "Susa", "al-Susah", "As-Susah"],
    "C5119": ["Shuhayl", "Al-Shuhail", "Shuhail", "Shheil", "al-Shuhayl", "Al-Shheil"],
    "C5202": ["Dhiban", "Thiban"],
    "C5197": ["Tayyana", "al-Tayana", "Tayana"],
    "C5120": ["Subha", "al-Sabha"],
    "C5110": ["Busayra", "Busaira", "Busairah", "al-Busayrah", "al-Busayra", "Al-Busaira"],
    "C5096": ["Kasra", "al-Kasra"],
    "C5127": ["Mohasan", "Muhasan", "Mohassan", "Muhassan", "Mouhasan"],
    "C5210": ["Ashara", "al-Ashara", "Al-Asharah"],
    "C5207": ["Quriya", "al-Quriyah", "Quriyeh", "al-Quriya"],
    "C6531": ["حويجة صقر", "Hawijat Saqr", "Huweijat Saqr"],
    "C6528": ["Hawijat Qati", "Huweijat Qate"],
    "C5141": ["جديد بكارة", "جديدة البكارة"],
    "C5107": ["ابريهة"],
    "C5196": ["سويدان", "السويدان"],
    "C6309": ["الجبيلة", "حي الجبيلة"],
    "C5195": ["Abu Hardub", "Abū Ḩardūb"],
    "C5175": ["Hajin", "Hajeen"],
    "C5131": ["Tabni", "al-Tabni"],
    "C5178": ["Jalaa", "al-Jalaa"],
    "C5157": ["Suwar", "al-Suwar", "as-Suwar"],
    "C5140": ["Khasham", "Khusham"],
    "C5211": ["Subaykhan", "Sbeikhan"],
    "C5172": ["Kishkiyeh", "al-Kishkiyah"],
    "C5173": ["Gharanij", "Ghranij"],
    "C5174": ["Abu Hamam", "Abu Hammam"],
    "N0421": ["حي البعاجين"],
    "N0425": ["حي الحميدية"],
    "N0419": ["حي القصور"],
    "N0413": ["حي الجورة", "حي الثورة"],
    "N0427": ["حي هرابش"],
    "N0418": ["حي الرشدية"],
    "N0420": ["حي الشيخ ياسين"],
    "N0412": ["حي الحسينية"],
    "N0414": ["حي المهاجرين"],
    "N0417": ["حي حطلة"],
    "N0411": ["حي البغيلية"],
}

# parents of rows that the source gave without p-code (landmarks, news neighbourhoods)
LANDMARK_PARENT = {
    "Al-Omar oil field": "SY0903", "Conoco gas field": "SY090105",
    "Al-Tanak oil field": "SY0902", "Al-Jafra oil field": "SY090100",
    "Al-Izba oil field": "SY0901", "Al-Taim oil field": "SY0901", "Al-Ward oil field": "SY0903",
    "Al-Kharrata oil field": "SY0901", "Al-Bukamal - Al-Qaim border crossing": "C5167",
    "Deir ez-Zor Military Airport": "C5086", "Al-Siyasiyah Bridge": "C5086",
    "Deir ez-Zor Suspension Bridge": "C5086", "Al-Mayadin Bridge": "C5192",
    "Ashara - Darnaj Bridge": "C5210", "Abu Kamal - Baghuz Bridge": "C5167",
    "Jabal al-Tharda": "SY0901", "Brigade 137 base": "C5086",
    "eastern Deir ez-Zor countryside": "SY09", "western Deir ez-Zor countryside": "SY09",
    "northern Deir ez-Zor countryside": "SY09", "Deir ez-Zor desert (Badia)": "SY09",
    "Al-Rahba Castle": "C5192", "Dura-Europos": "SY090202", "Mari (Tell Hariri)": "SY090200",
    "Al-Kibar site": "SY0901", "T2 pumping station": "SY0902", "Hamdan airport": "SY090200",
    "Al-Furat University": "C5086", "Terqa": "C5210",
}
# context-only rows (rivers, river banks): level "region"
REGION = {"Jazira (east/left bank of the Euphrates)", "Shamiya (west/right bank of the Euphrates)",
          "Euphrates River", "Khabur River"}
LANDMARK_NAME_AR = {  # display names without the parenthesised notes
    "Jazira (east/left bank of the Euphrates)": "الجزيرة",
    "Shamiya (west/right bank of the Euphrates)": "الشامية",
    "Mari (Tell Hariri)": "ماري",
}
EXTRA_LANDMARK_ALTS = {
    "Al-Omar oil field": ["قاعدة العمر", "حقول العمر", "Omar field", "al-Omar oil field", "Omar oilfield"],
    "Conoco gas field": ["كونوكو", "قاعدة كونيكو", "معمل كونيكو", "Conoco gas plant", "Conoco base"],
    "Al-Tanak oil field": ["Tanak field"],
    "Deir ez-Zor Military Airport": ["Deir ez-Zor military airport", "Deir Ezzor airport"],
    "Abu Kamal - Baghuz Bridge": [],
}

# new rows from news usage (no OCHA code found in the 2019 list)
NEW_ROWS = [
    # pcode, name_ar, name_en, alts, level, parent, notes
    ("SY09-V01", "البوليل", "Al-Buleil", "Buleil|Bulail|al-Bulayl", "village", "SY090103",
     "town on the Shamiya bank near Muhasan; OCHA lists only قطعة البوليل (C5126)"),
    ("SY09-V02", "العزبة", "Al-Izba", "Izba|al-Azba", "village", "SY0901",
     "village on the Jazira bank north of the city (next to the Izba field)"),
    ("SY09-V03", "الباغوز تحتاني", "Lower Baghuz", "Baghuz Tahtani", "village", "SY090203",
     "OCHA 2019 list has only الباغوز فوقاني (C5184); code likely among the missing C-codes"),
    ("SY09-V04", "السكرية", "Al-Sukkariya", "Sukkariyah", "village", "SY090200",
     "village near Abu Kamal city"),
    ("SY09-V05", "الدحلة", "Dahla", "", "village", "SY090105",
     "duplicate guard: OCHA C5142 الدحلة; kept only as alt there"),
    ("SY09-N01", "حي الجمعيات", "Al-Jamiyat (Abu Kamal)", "", "neighbourhood", "C5167",
     "Abu Kamal city neighbourhood"),
]


def read(path: Path) -> list[dict]:
    with path.open(encoding="utf-8") as f:
        return list(csv.DictReader(f))


def clean_ar(name: str) -> str:
    return name.split(" - ")[0].split("_")[0].strip()


def clean_en(name: str) -> str:
    return name.split(" (")[0].split(" - ")[0].strip()


def main() -> None:
    rows = read(SRC / "deir_ez_zor_places.csv")
    ocha = read(SRC / "ocha_sy09_from_kobotool.csv")
    parent_of: dict[str, str] = {}
    for r in ocha:
        code = r["name"]
        if code in ("other", "Not_sure"):
            continue
        parent_of[code] = r["Sub_district"] or r["District"] or r["Governorate"] or ""
    out = []
    seen = set()
    n_local = 0
    for r in rows:
        code = r["pcode"].strip()
        level = r["admin_level"]
        en = r["name_en"].strip()
        alts = [a.strip() for a in r["alt_names"].split("|") if a.strip()]
        notes = []
        if not code:
            if en in REGION:
                n_local += 1
                code, level = f"SY09-R{sum(1 for o in out if o['level'] == 'region') + 1:02d}", "region"
            elif level == "landmark":
                code = f"SY09-L{sum(1 for o in out if o['level'] == 'landmark') + 1:02d}"
            else:
                code = f"SY09-N{sum(1 for o in out if o['pcode'].startswith('SY09-N')) + 2:02d}"
            parent = LANDMARK_PARENT.get(en, "SY09" if level in ("region",) else "C5086")
            key = "L:" + en
            alts += EXTRA_LANDMARK_ALTS.get(en, [])
        else:
            parent = parent_of.get(code, "")
            if code.startswith("N04"):
                # OCHA lists the city's neighbourhoods under the subdistrict; they are
                # inside the city community C5086 - parent corrected so a watch on the city
                # includes them.
                parent = "C5086"
                notes.append("parent SY090100 -> C5086 (city neighbourhood)")
            key = code
        rm = REMOVE_ALTS.get(key)
        if code == "C5086":
            # bare spellings of "Deir ez-Zor" are indexed on the governorate row
            alts = []
            notes.append("bare spellings moved to the governorate row SY09")
        elif rm:
            alts = [a for a in alts if a not in rm]
            notes.append("removed alt: " + ", ".join(sorted(rm)))
        alts += ADD_ALTS.get(code, [])
        name_ar = LANDMARK_NAME_AR.get(en, clean_ar(r["name_ar"]))
        if r["name_ar"] != name_ar:
            alts.insert(0, r["name_ar"])
            if code.startswith(("SY0901", "SY0902", "SY0903", "SY09010", "SY09020", "SY09030")) and level == "subdistrict" and r["name_ar"].startswith("مركز"):
                pass
        name_en = clean_en(en) if level not in ("landmark", "region") else en
        if code == "SY0901":
            name_ar, name_en = "منطقة دير الزور", "Deir-ez-Zor district"
        if code == "SY090100":
            name_en = "Deir-ez-Zor subdistrict"
        # dedupe alt names, keep order
        seen_alt = set()
        alts = [a for a in alts if a and a != name_ar and not (a in seen_alt or seen_alt.add(a))]
        src = r["source"]
        if code in ADD_ALTS or code in REMOVE_ALTS or key in REMOVE_ALTS:
            src += "; " + NEWS + " (alt names edited)"
        out.append({"pcode": code, "name_ar": name_ar, "name_en": name_en,
                    "alt_names": "|".join(alts), "level": level, "parent": parent,
                    "lat": r["lat"], "lon": r["lon"], "source": src, "notes": "; ".join(notes)})
        seen.add(code)
    for code, ar, en, alts, level, parent, note in NEW_ROWS:
        if code == "SY09-V05":
            continue  # guard row documented only
        out.append({"pcode": code, "name_ar": ar, "name_en": en, "alt_names": alts, "level": level,
                    "parent": parent, "lat": "", "lon": "", "source": NEWS, "notes": note})
    codes = {o["pcode"] for o in out}
    bad = [o["pcode"] for o in out if o["parent"] not in codes and o["parent"] != "SY"]
    for o in out:
        if o["pcode"] == "SY09":
            o["parent"] = "SY"
    bad = [o["pcode"] for o in out if o["parent"] not in codes and o["parent"] != "SY"]
    assert not bad, bad
    with (HERE / "places.csv").open("w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, fieldnames=list(out[0].keys()))
        w.writeheader()
        w.writerows(out)
    print(f"{len(out)} rows -> places.csv")


if __name__ == "__main__":
    main()
