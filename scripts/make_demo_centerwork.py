"""Writes the demo's center records (data/demo/centerwork/*.csv), fictional and reproducible.

The files hold 令和7年度 (April 2025 to March 2026); the demo loader moves them to the 年度
it is run in. Run from the repository root:  .venv/bin/python scripts/make_demo_centerwork.py
"""

import csv
import datetime
import random
from pathlib import Path

OUT = Path(__file__).resolve().parents[1] / "data" / "demo" / "centerwork"
MATSUKAZE = [
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
OGAWADAIRA = ["中央", "北部", "東部", "西部", "南部"]
CITIES = {
    "matsukaze": ["松風市基幹型地域包括支援センター"]
    + [f"{a}地域包括支援センター" for a in MATSUKAZE],
    "ogawadaira": [f"{a}地域包括支援センター" for a in OGAWADAIRA],
}
# Centers that fall behind in the demo: fewer courses and visits than the plan asks.
BEHIND = {
    "常盤平団地地域包括支援センター",
    "馬橋西地域包括支援センター",
    "西部地域包括支援センター",
}
MONTHS = [(2025, m) for m in range(4, 13)] + [(2026, m) for m in range(1, 4)]

METHODS = [("電話", 45), ("来所", 25), ("訪問", 20), ("メール", 5), ("その他", 5)]
CONSULTERS = [
    ("家族", 40),
    ("本人", 25),
    ("ケアマネ", 10),
    ("民生委員", 7),
    ("近隣", 6),
    ("医療機関", 6),
    ("事業所", 4),
    ("その他", 2),
]
RESPONSES = [
    ("情報提供", 40),
    ("関係機関紹介", 20),
    ("継続支援", 20),
    ("訪問", 12),
    ("同行", 4),
    ("その他", 4),
]
CATEGORIES = [
    ("総合相談", 20),
    ("介護保険", 30),
    ("福祉サービス", 12),
    ("医療", 8),
    ("認知症", 14),
    ("権利擁護(成年後見)", 3),
    ("消費者被害", 1),
    ("虐待(疑い)", 2),
    ("困難事例", 2),
    ("ケアマネ支援", 4),
    ("介護予防", 8),
    ("住まい", 3),
    ("経済", 3),
    ("その他", 2),
]
SUMMARIES = {
    "介護保険": ["要介護認定の申請方法を知りたい", "区分変更の相談", "住宅改修の手続きについて"],
    "認知症": ["物忘れが増え、受診先を知りたい", "夜間の外出が心配", "認知症カフェの案内を希望"],
    "総合相談": ["一人暮らしで今後が不安", "退院後の生活について", "外出の機会が減っている"],
    "福祉サービス": ["配食サービスを利用したい", "緊急通報システムの相談", "紙おむつ給付について"],
    "医療": ["通院の付き添いがいない", "服薬の管理が難しい"],
    "権利擁護(成年後見)": ["金銭管理が難しくなってきた", "成年後見制度の説明を希望"],
    "消費者被害": ["高額な契約をしてしまった様子"],
    "虐待(疑い)": ["家族からの暴言があると近隣から連絡", "あざがあるとデイサービスから連絡"],
    "困難事例": ["支援を拒否しており、ごみが溜まっている", "家族も支援が必要な状況"],
    "ケアマネ支援": ["支援困難ケースについてケアマネから相談"],
    "介護予防": ["体操教室に参加したい", "フレイル予防について知りたい"],
    "住まい": ["階段の上り下りが難しく転居を検討"],
    "経済": ["年金だけでは生活が苦しい"],
    "その他": ["その他の問い合わせ"],
}
SURNAMES = ["佐藤", "鈴木", "高橋", "田中", "伊藤", "渡辺", "山本", "中村", "小林", "加藤"]
GIVEN = ["和子", "洋子", "幸子", "節子", "弘", "清", "茂", "京子", "恵子", "勝"]


def pick(rng, weighted):
    return rng.choices([v for v, _ in weighted], [w for _, w in weighted])[0]


# A year's courses and events: (種別, 名称, participants from–to, held in a month). Centers
# behind their targets hold fewer (seed 001 §4 (6),(7),(9)–(12); 基幹型 (13),(14)).
EVENT_RULES = [
    (
        "介護予防講座",
        "いきいき体操教室",
        (12, 35),
        lambda regular, core, behind, month: regular and (not behind or month % 3 == 0),
    ),
    (
        "認知症カフェ",
        "オレンジカフェ",
        (6, 20),
        lambda regular, core, behind, month: regular and month % 2 == 0 and not behind,
    ),
    (
        "家族介護教室",
        "介護者のつどい",
        (5, 15),
        lambda regular, core, behind, month: regular and month in (6, 11),
    ),
    (
        "認知症サポーター養成講座",
        "認知症サポーター養成講座",
        (10, 40),
        lambda regular, core, behind, month: regular and month in (7, 1),
    ),
    (
        "認知症相談会",
        "もの忘れ相談会",
        (3, 12),
        lambda regular, core, behind, month: regular and month == 10 and not behind,
    ),
    (
        "センター職員研修",
        "権利擁護研修",
        (20, 40),
        lambda regular, core, behind, month: core and month in (5, 9, 1),
    ),
    (
        "ケアマネ研修",
        "ケアマネジメント研修",
        (30, 70),
        lambda regular, core, behind, month: core and month in (7, 2),
    ),
]


def day_in(rng, year, month):
    return datetime.date(year, month, rng.randint(1, 28))


def refs_of(center):
    prefix = center[:2]
    return [f"{prefix}-{i:04d}" for i in range(1, 400)]


def write(name, header, rows):
    with (OUT / name).open("w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)


def main():
    OUT.mkdir(parents=True, exist_ok=True)
    rng = random.Random(19)
    for city, centers in CITIES.items():
        consultations, events, targets, visits, volunteers, activities = [], [], [], [], [], []
        for ci, center in enumerate(centers, start=1):
            core = "基幹型" in center or center.startswith("中央")
            people = refs_of(center)
            regulars = people[:25]
            for year, month in MONTHS:
                for _ in range(rng.randint(4, 9) if "基幹型" in center else rng.randint(14, 30)):
                    ref = rng.choice(regulars) if rng.random() < 0.6 else rng.choice(people)
                    first = pick(rng, CATEGORIES)
                    names = [first]
                    if rng.random() < 0.18:
                        second = pick(rng, CATEGORIES)
                        if second != first:
                            names.append(second)
                    consultations.append(
                        [
                            center,
                            day_in(rng, year, month).isoformat(),
                            pick(rng, METHODS),
                            pick(rng, CONSULTERS),
                            "、".join(names),
                            ref,
                            pick(rng, RESPONSES),
                            rng.choice(SUMMARIES[first]),
                        ]
                    )
                behind = center in BEHIND
                regular = "基幹型" not in center
                for kind, title, (low, high), held in EVENT_RULES:
                    if held(regular=regular, core=core, behind=behind, month=month):
                        day = day_in(rng, year, month).isoformat()
                        events.append([center, kind, day, title, rng.randint(low, high)])
            if "基幹型" in center:
                continue
            listed = people[100:230]
            for i, ref in enumerate(listed):
                targets.append([center, "実態把握", "A 対象者" if i < 90 else "B 未回答者", ref])
            share = 0.45 if center in BEHIND else rng.uniform(0.85, 1.05)
            for i, ref in enumerate(listed[: int(len(listed) * share)]):
                year, month = MONTHS[min(11, i * 12 // max(1, int(len(listed) * share)))]
                visits.append(
                    [
                        center,
                        "実態把握",
                        ref,
                        day_in(rng, year, month).isoformat(),
                        pick(rng, [("面談", 70), ("不在", 15), ("電話で確認", 10), ("拒否", 5)]),
                        "○" if rng.random() < 0.3 else "",
                    ]
                )
            for n in range(rng.randint(3, 6)):
                number = f"V{ci:02d}-{n + 1:03d}"
                name = f"{rng.choice(SURNAMES)} {rng.choice(GIVEN)}"
                kind = "介護予防ボランティア" if n % 3 else "見守りボランティア"
                volunteers.append([center, kind, number, name, "2025-04-01"])
                for year, month in MONTHS:
                    if rng.random() < 0.7:
                        activities.append(
                            [
                                number,
                                day_in(rng, year, month).isoformat(),
                                rng.choice(["いきいきサロン", "体操教室の補助", "見守り訪問"]),
                                rng.choice([2, 3, 5]),
                            ]
                        )
        write(
            f"{city}_consultations.csv",
            ["センター", "受付日", "方法", "相談者", "区分", "管理番号", "対応", "概要"],
            consultations,
        )
        write(f"{city}_events.csv", ["センター", "種別", "開催日", "名称", "参加者数"], events)
        write(f"{city}_targets.csv", ["センター", "事業", "リスト", "管理番号"], targets)
        write(
            f"{city}_visits.csv",
            ["センター", "事業", "管理番号", "訪問日", "結果", "見守り世帯"],
            visits,
        )
        write(
            f"{city}_volunteers.csv", ["センター", "種別", "登録番号", "氏名", "登録日"], volunteers
        )
        write(f"{city}_activities.csv", ["登録番号", "活動日", "活動先", "ポイント"], activities)


if __name__ == "__main__":
    main()
