"""Two fictional municipalities with the shapes of the seeds' real ones.

松風市 has the 15 daily-life areas of seed 002 (Matsudo's design) and a city-run 基幹型 center;
小川平市 has five areas, one center of which is 基幹型 (seed 001, Kodaira's design). Every
person, phone number and address is invented; phone numbers use the unassigned 000 exchange.
"""

import random

from tsunagu.organizations.choices import Operation
from tsunagu.organizations.choices import OrganizationKind as Kind
from tsunagu.organizations.choices import Profession as P
from tsunagu.organizations.models import Area, Center, Municipality, Organization, Person

MATSUKAZE_AREAS = [
    "明第1",
    "明第2西",
    "明第2東",
    "本庁",
    "矢切",
    "東部",
    "常盤平",
    "常盤平団地",
    "五香松飛台",
    "六実六高台",
    "小金",
    "小金原",
    "新松戸",
    "馬橋西",
    "馬橋",
]
OGAWADAIRA_AREAS = ["中央", "北部", "東部", "西部", "南部"]

OPERATORS = [
    "社会福祉法人 松籟会",
    "社会福祉法人 みどり福祉会",
    "医療法人社団 若葉会",
    "社会福祉法人 あおば会",
    "公益社団法人 ひまわり福祉協会",
]

SURNAMES = [
    ("佐藤", "サトウ"),
    ("鈴木", "スズキ"),
    ("高橋", "タカハシ"),
    ("田中", "タナカ"),
    ("伊藤", "イトウ"),
    ("渡辺", "ワタナベ"),
    ("山本", "ヤマモト"),
    ("中村", "ナカムラ"),
    ("小林", "コバヤシ"),
    ("加藤", "カトウ"),
    ("吉田", "ヨシダ"),
    ("山田", "ヤマダ"),
    ("佐々木", "ササキ"),
    ("松本", "マツモト"),
    ("井上", "イノウエ"),
    ("木村", "キムラ"),
    ("林", "ハヤシ"),
    ("清水", "シミズ"),
    ("森", "モリ"),
    ("池田", "イケダ"),
    ("橋本", "ハシモト"),
    ("石川", "イシカワ"),
    ("前田", "マエダ"),
    ("藤田", "フジタ"),
    ("岡田", "オカダ"),
    ("後藤", "ゴトウ"),
    ("長谷川", "ハセガワ"),
    ("村上", "ムラカミ"),
    ("近藤", "コンドウ"),
    ("坂本", "サカモト"),
    ("遠藤", "エンドウ"),
    ("青木", "アオキ"),
]
GIVEN_NAMES = [
    ("陽子", "ヨウコ"),
    ("恵美", "エミ"),
    ("直樹", "ナオキ"),
    ("健太", "ケンタ"),
    ("由美", "ユミ"),
    ("真理子", "マリコ"),
    ("浩二", "コウジ"),
    ("翔", "ショウ"),
    ("美穂", "ミホ"),
    ("智子", "トモコ"),
    ("大輔", "ダイスケ"),
    ("彩", "アヤ"),
    ("和也", "カズヤ"),
    ("裕子", "ユウコ"),
    ("隆", "タカシ"),
    ("明美", "アケミ"),
    ("誠", "マコト"),
    ("香織", "カオリ"),
    ("拓也", "タクヤ"),
    ("幸子", "サチコ"),
    ("正人", "マサト"),
    ("千尋", "チヒロ"),
    ("修", "オサム"),
    ("玲奈", "レイナ"),
]

# Organisations: (name, kind, index of the area they stand in).
MATSUKAZE_ORGANIZATIONS = [
    ("松風市 福祉長寿部 高齢者支援課", Kind.GOVERNMENT, 3),
    ("ケアプランセンターあさがお", Kind.HOME_CARE_SUPPORT, 0),
    ("居宅介護支援事業所 さくら苑", Kind.HOME_CARE_SUPPORT, 4),
    ("まつかぜケアプランニング", Kind.HOME_CARE_SUPPORT, 6),
    ("ケアマネジメントセンター小金", Kind.HOME_CARE_SUPPORT, 10),
    ("新松戸ケアサポート", Kind.HOME_CARE_SUPPORT, 12),
    ("馬橋ライフケア居宅介護支援", Kind.HOME_CARE_SUPPORT, 14),
    ("ヘルパーステーションひだまり", Kind.HOME_HELP, 1),
    ("訪問介護 こもれび", Kind.HOME_HELP, 7),
    ("訪問看護ステーション つばさ", Kind.HOME_NURSING, 5),
    ("デイサービス ゆうゆう", Kind.DAY_SERVICE, 8),
    ("リハビリデイ あゆみ", Kind.DAY_REHAB, 9),
    ("松風中央病院", Kind.HOSPITAL, 3),
    ("常盤平ファミリークリニック", Kind.HOSPITAL, 6),
    ("小金原歯科医院", Kind.DENTAL, 11),
    ("みなと薬局 本庁店", Kind.PHARMACY, 3),
    ("すずらん薬局", Kind.PHARMACY, 13),
    ("松風市医師会", Kind.MEDICAL_ASSOCIATION, 3),
    ("松風市社会福祉協議会", Kind.SOCIAL_WELFARE_COUNCIL, 3),
    ("NPO法人 まつかぜ地域ささえあいネット", Kind.NPO, 2),
    ("NPO法人 おでかけサポート五香", Kind.NPO, 8),
    ("常盤平団地自治会", Kind.NEIGHBORHOOD, 7),
    ("馬橋西町会", Kind.NEIGHBORHOOD, 13),
    ("松風市民生委員児童委員協議会", Kind.WELFARE_COMMISSIONERS, 3),
]
OGAWADAIRA_ORGANIZATIONS = [
    ("小川平市 健康福祉部 高齢者支援課", Kind.GOVERNMENT, 0),
    ("ケアプラン けやき", Kind.HOME_CARE_SUPPORT, 1),
    ("小川平ケアマネジメント", Kind.HOME_CARE_SUPPORT, 3),
    ("訪問介護 たんぽぽ", Kind.HOME_HELP, 2),
    ("小川平リハビリテーション病院", Kind.HOSPITAL, 4),
    ("きずな歯科クリニック", Kind.DENTAL, 0),
    ("いちょう薬局", Kind.PHARMACY, 2),
    ("小川平市社会福祉協議会", Kind.SOCIAL_WELFARE_COUNCIL, 0),
    ("NPO法人 こだまの会", Kind.NPO, 3),
    ("小川平市民生委員児童委員協議会", Kind.WELFARE_COMMISSIONERS, 0),
]

# Who works where: (profession, organisation name or None for a center, how many).
MATSUKAZE_PEOPLE = [
    (P.CARE_MANAGER, "ケアプランセンターあさがお", 2),
    (P.CARE_MANAGER, "居宅介護支援事業所 さくら苑", 2),
    (P.CARE_MANAGER, "まつかぜケアプランニング", 1),
    (P.CARE_MANAGER, "ケアマネジメントセンター小金", 1),
    (P.CHIEF_CARE_MANAGER, "新松戸ケアサポート", 1),
    (P.CARE_MANAGER, "馬橋ライフケア居宅介護支援", 1),
    (P.PHYSIOTHERAPIST, "リハビリデイ あゆみ", 2),
    (P.OCCUPATIONAL_THERAPIST, "松風中央病院", 1),
    (P.SPEECH_THERAPIST, "松風中央病院", 1),
    (P.DIETITIAN, "松風中央病院", 1),
    (P.DENTAL_HYGIENIST, "小金原歯科医院", 1),
    (P.DENTIST, "小金原歯科医院", 1),
    (P.PHARMACIST, "みなと薬局 本庁店", 1),
    (P.PHARMACIST, "すずらん薬局", 1),
    (P.PHYSICIAN, "常盤平ファミリークリニック", 1),
    (P.PHYSICIAN, "松風市医師会", 1),
    (P.NURSE, "訪問看護ステーション つばさ", 2),
    (P.WELFARE_COMMISSIONER, "松風市民生委員児童委員協議会", 4),
    (P.COORDINATOR_1, "松風市社会福祉協議会", 1),
    (P.COORDINATOR_2, "NPO法人 まつかぜ地域ささえあいネット", 3),
    (P.CITY_STAFF, "松風市 福祉長寿部 高齢者支援課", 3),
    (P.RESIDENT, "常盤平団地自治会", 2),
    (P.RESIDENT, "馬橋西町会", 1),
    (P.OTHER, "ヘルパーステーションひだまり", 1),
    (P.OTHER, "NPO法人 おでかけサポート五香", 1),
]
OGAWADAIRA_PEOPLE = [
    (P.CARE_MANAGER, "ケアプラン けやき", 2),
    (P.CHIEF_CARE_MANAGER, "小川平ケアマネジメント", 1),
    (P.CARE_MANAGER, "小川平ケアマネジメント", 1),
    (P.PHYSIOTHERAPIST, "小川平リハビリテーション病院", 1),
    (P.OCCUPATIONAL_THERAPIST, "小川平リハビリテーション病院", 1),
    (P.DIETITIAN, "小川平リハビリテーション病院", 1),
    (P.DENTAL_HYGIENIST, "きずな歯科クリニック", 1),
    (P.PHARMACIST, "いちょう薬局", 1),
    (P.PHYSICIAN, "小川平リハビリテーション病院", 1),
    (P.WELFARE_COMMISSIONER, "小川平市民生委員児童委員協議会", 2),
    (P.COORDINATOR_1, "小川平市社会福祉協議会", 1),
    (P.COORDINATOR_2, "小川平市社会福祉協議会", 1),
    (P.CITY_STAFF, "小川平市 健康福祉部 高齢者支援課", 2),
    (P.RESIDENT, "NPO法人 こだまの会", 1),
]
CENTER_PROFESSIONS = [P.PUBLIC_HEALTH_NURSE, P.SOCIAL_WORKER, P.CHIEF_CARE_MANAGER]


class NameMaker:
    """Distinct fictional names, the same ones on every run (the demo load is idempotent)."""

    def __init__(self, seed: int):
        pairs = [(s, g) for s in SURNAMES for g in GIVEN_NAMES]
        random.Random(seed).shuffle(pairs)
        self.pairs = iter(pairs)

    def next(self) -> tuple[str, str]:
        (surname, surname_kana), (given, given_kana) = next(self.pairs)
        return f"{surname} {given}", f"{surname_kana} {given_kana}"


def phone(area_code: str, number: int) -> str:
    return f"{area_code}-000-{number:04d}"


def load_municipality(
    *,
    code,
    name,
    prefecture,
    area_names,
    core_area,
    core_direct,
    organizations,
    people,
    center_staff,
    area_code,
    seed,
):
    municipality, _ = Municipality.objects.update_or_create(
        code=code, defaults={"name": name, "prefecture": prefecture}
    )
    areas = []
    for order, area_name in enumerate(area_names, start=1):
        area, _ = Area.objects.update_or_create(
            municipality=municipality,
            name=area_name,
            defaults={"sort_order": order, "description": f"{area_name}地区とその周辺の町丁目"},
        )
        areas.append(area)

    centers = []
    if core_area is None:
        center, _ = Center.objects.update_or_create(
            municipality=municipality,
            name=f"{name}基幹型地域包括支援センター",
            defaults={
                "is_core": True,
                "operation": Operation.DIRECT,
                "area": None,
                "operator": name,
                "address": f"{name}役所 本庁舎1階",
                "phone": phone(area_code, 1000),
            },
        )
        centers.append(center)
    for index, area in enumerate(areas):
        is_core = area.name == core_area
        center, _ = Center.objects.update_or_create(
            municipality=municipality,
            name=f"{area.name}地域包括支援センター",
            defaults={
                "area": area,
                "is_core": is_core,
                "operation": Operation.DIRECT
                if is_core and core_direct
                else Operation.COMMISSIONED,
                "operator": OPERATORS[index % len(OPERATORS)],
                "address": f"{name}{area.name}一丁目{index + 1}番地",
                "phone": phone(area_code, 1001 + index),
            },
        )
        centers.append(center)

    orgs = {}
    for index, (org_name, kind, area_index) in enumerate(organizations):
        org, _ = Organization.objects.update_or_create(
            municipality=municipality,
            name=org_name,
            defaults={
                "kind": kind,
                "area": areas[area_index],
                "address": f"{name}{areas[area_index].name}二丁目{index + 1}番",
                "phone": phone(area_code, 2000 + index),
            },
        )
        orgs[org_name] = org

    names = NameMaker(seed)
    number = 3000
    for center in centers[:center_staff]:
        for profession in CENTER_PROFESSIONS:
            number += 1
            add_person(municipality, names, profession, phone(area_code, number), center=center)
    for profession, org_name, count in people:
        for _ in range(count):
            number += 1
            add_person(
                municipality,
                names,
                profession,
                phone(area_code, number),
                organization=orgs[org_name],
            )
    return municipality


def add_person(municipality, names, profession, phone_number, *, center=None, organization=None):
    name, furigana = names.next()
    Person.objects.update_or_create(
        municipality=municipality,
        name=name,
        defaults={
            "furigana": furigana,
            "profession": profession,
            "center": center,
            "organization": organization,
            "phone": phone_number,
        },
    )


def load_directory():
    matsukaze = load_municipality(
        code="129909",
        name="松風市",
        prefecture="12",
        area_names=MATSUKAZE_AREAS,
        core_area=None,
        core_direct=True,
        organizations=MATSUKAZE_ORGANIZATIONS,
        people=MATSUKAZE_PEOPLE,
        center_staff=16,
        area_code="047",
        seed=1,
    )
    ogawadaira = load_municipality(
        code="139904",
        name="小川平市",
        prefecture="13",
        area_names=OGAWADAIRA_AREAS,
        core_area="中央",
        core_direct=False,
        organizations=OGAWADAIRA_ORGANIZATIONS,
        people=OGAWADAIRA_PEOPLE,
        center_staff=5,
        area_code="042",
        seed=2,
    )
    return matsukaze, ogawadaira
