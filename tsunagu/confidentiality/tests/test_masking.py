import io
import json
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from django.core.management import call_command

from bench.masking_eval import evaluate
from tsunagu.confidentiality.masking import KIND_LABELS, Finding, find, mask

LABELLED = Path(__file__).resolve().parents[3] / "data" / "masking" / "labelled.jsonl"


def kinds(text):
    return [(f.kind, f.text) for f in find(text)]


# --- names ---------------------------------------------------------------------------------


def test_it_masks_a_full_name_with_its_honorific():
    masked, findings = mask("山田花子さんは長男夫婦と同居している。")
    assert masked == "A氏は長男夫婦と同居している。"
    assert findings == [Finding("name", 0, 6, "山田花子さん", "A氏")]


def test_it_gives_the_same_person_the_same_letter():
    masked, _ = mask("山田花子さんが来所。山田さんは転倒を心配している。隣人の佐藤様も同席。")
    assert masked == "A氏が来所。A氏は転倒を心配している。隣人のB氏も同席。"


def test_it_tells_apart_two_people_with_one_surname():
    masked, _ = mask("中村トシ子さんの長男中村浩さんが、中村トシ子さんの通院に付き添う。")
    assert masked == "A氏の長男B氏が、A氏の通院に付き添う。"


@pytest.mark.parametrize(
    "text, name",
    [
        ("主治医の吉田先生から意見があった。", "吉田先生"),
        ("民生委員の高橋正男氏から報告。", "高橋正男氏"),
        ("孫の野口翔太君が同居。", "野口翔太君"),
        ("孫の中島ゆいちゃんはヤングケアラーの可能性。", "中島ゆいちゃん"),
        ("妻のゆかりさんが来所した。", "ゆかりさん"),
        ("御手洗トメさんの食事量が減っている。", "御手洗トメさん"),
        ("前田せつさんはペースメーカーを使用。", "前田せつさん"),
        ("古川よねさんは毎朝仏壇に話しかけている。", "古川よねさん"),
        ("グエン・ティ・ランさんは外国籍。", "グエン・ティ・ランさん"),
        ("本人（勅使河原 玄さん）は元大工。", "勅使河原 玄さん"),
        ("本人氏名：青木昭二", "青木昭二"),
        ("篠原医師より説明があった。", "篠原"),
    ],
)
def test_it_finds_names(text, name):
    assert kinds(text) == [("name", name)]


def test_it_finds_surnames_listed_after_a_label():
    found = kinds("参加者：内田（包括）、杉山（市）、工藤（社協）")
    assert found == [("name", "内田"), ("name", "杉山"), ("name", "工藤")]


def test_it_skips_letters_already_used_for_anonymised_people():
    masked, _ = mask("A氏の長女の鈴木さんが来所した。")
    assert masked == "A氏の長女のB氏が来所した。"


@pytest.mark.parametrize(
    "text",
    [
        "A氏は80代女性、要介護2で独居。",
        "Aさん宅にはエアコンがない。B氏の長女が週1回訪問。",
        "ヘルパーさんと娘さん、奥さん、お嫁さんに説明した。",
        "利用者様とご本人様、本人さんの意向を確認。",
        "佐藤病院と松本クリニックに通院している。",
        "長谷川式簡易知能評価スケールは18点。",
        "松戸市様より依頼があった。",
        "社会福祉協議会様に照会した。",
        "介護支援専門員、理学療法士、管理栄養士が助言者として参加。",
    ],
)
def test_it_does_not_take_roles_or_anonymised_people_for_names(text):
    assert find(text) == []


# --- addresses ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, address, replacement",
    [
        ("住所：松戸市小金原3丁目5番2号", "松戸市小金原3丁目5番2号", "松戸市〇〇"),
        ("千葉県松戸市常盤平2-3-4在住", "千葉県松戸市常盤平2-3-4", "千葉県松戸市〇〇"),
        ("長男宅（柏市豊四季123番地の5）へ", "柏市豊四季123番地の5", "柏市〇〇"),
        (
            "横浜市港北区日吉本町1丁目23-4の長男宅",
            "横浜市港北区日吉本町1丁目23-4",
            "横浜市港北区〇〇",
        ),
        (
            "実家は江戸川区北小岩三丁目十五番六号にある。",
            "江戸川区北小岩三丁目十五番六号",
            "江戸川区〇〇",
        ),
        ("松戸市根本町3-4-5の木造アパート", "松戸市根本町3-4-5", "松戸市〇〇"),
        ("小金原3丁目の集合住宅", "小金原3丁目", "〇〇"),
        (
            "送付先は〒271-0092 松戸市松戸1179-3とする。",
            "〒271-0092 松戸市松戸1179-3",
            "松戸市〇〇",
        ),
        ("松戸市小金原在住の80代男性", "松戸市小金原", "松戸市〇〇"),
        ("松戸市上本郷２丁目３－１５の借家", "松戸市上本郷２丁目３－１５", "松戸市〇〇"),
    ],
)
def test_it_masks_addresses_below_the_municipality(text, address, replacement):
    (finding,) = find(text)
    assert (finding.kind, finding.text, finding.replacement) == ("address", address, replacement)


@pytest.mark.parametrize(
    "text",
    [
        "松戸市の会議で報告した。",
        "千葉県と松戸市の合同研修会。",
        "2丁目の公民館で介護予防教室を開催。",
        "地域包括支援センター常盤平の社会福祉士が同席。",
        "松戸市常盤平地区社会福祉協議会の協力を得た。",
        "常盤平団地の自治会と連携する。",
    ],
)
def test_it_leaves_municipalities_and_area_names(text):
    assert find(text) == []


# --- numbers, dates, e-mail -------------------------------------------------------------------


@pytest.mark.parametrize(
    "phone",
    [
        "090-1234-5678",
        "047-345-6789",
        "0471-23-4567",
        "0120-123-456",
        "09012345678",
        "0473681234",
        "047(361)2211",
        "(047)361-2211",
        "090 1234 5678",
        "080ー9876ー5432",
        "０９０－２２２２－３３３３",
        "０４７（３６６）１２３４",
    ],
)
def test_it_masks_phone_numbers(phone):
    masked, findings = mask(f"連絡先は{phone}です。")
    assert masked == "連絡先は［電話番号］です。"
    assert [(f.kind, f.text) for f in findings] == [("phone", phone)]


@pytest.mark.parametrize(
    "text, number",
    [
        ("被保険者番号：1234567890", "1234567890"),
        ("被保険者番号 ０１２３４５６７８９", "０１２３４５６７８９"),
        ("被保番号0000123456を記入", "0000123456"),
        ("被保険者番号：1234 567 890", "1234 567 890"),
        ("9876543210で照会した。", "9876543210"),
    ],
)
def test_it_masks_insured_numbers(text, number):
    masked, findings = mask(text)
    assert [(f.kind, f.text) for f in findings] == [("insured_number", number)]
    assert "［被保険者番号］" in masked


@pytest.mark.parametrize(
    "text, date",
    [
        ("昭和15年3月2日生まれの女性。", "昭和15年3月2日"),
        ("本人は1940年3月2日生、独居。", "1940年3月2日"),
        ("生年月日：S15.3.2", "S15.3.2"),
        ("生年月日 昭和１５年３月２日", "昭和１５年３月２日"),
        ("長男（生年月日：昭和45年4月1日）", "昭和45年4月1日"),
        ("昭和二十年一月十日生まれ。", "昭和二十年一月十日"),
        ("誕生日は12月24日です。", "12月24日"),
        ("S15年3月2日生", "S15年3月2日"),
    ],
)
def test_it_masks_birth_dates(text, date):
    masked, findings = mask(text)
    assert [(f.kind, f.text) for f in findings] == [("birth_date", date)]
    assert "［生年月日］" in masked


@pytest.mark.parametrize(
    "text",
    [
        "令和6年6月1日の地域ケア会議で検討した。",
        "要介護認定の有効期間は令和6年4月1日から令和7年3月31日まで。",
        "家族会議は3月2日に実施予定。",
        "本人は1940年代生まれで、生まれは秋田県。",
        "令和3年6月1日生活保護を申請。",
        "生年月日の記載漏れがないか確認する。",
    ],
)
def test_it_does_not_take_other_dates_for_birth_dates(text):
    assert find(text) == []


@pytest.mark.parametrize(
    "email",
    ["yamada.hanako@example.jp", "taro+care@example.org", "ｔａｎａｋａ＠ｅｘａｍｐｌｅ．ｃｏｍ"],
)
def test_it_masks_email_addresses(email):
    masked, findings = mask(f"メール：{email}まで")
    assert masked == "メール：［メール］まで"
    assert findings[0].text == email


@pytest.mark.parametrize(
    "text",
    [
        "3か月後にモニタリングを行う。",
        "ドネペジル5mgを1日1回、アムロジピンを朝夕。",
        "月額の年金は約6万円、家賃は4万5千円。",
        "第1号被保険者数は約12万人。市の保険者番号は122077。",
        "血圧は150/90mmHg、HbA1cは7.2%。",
        "会議は14:00〜15:30、市役所新館5階会議室で開催。",
        "介護保険サービスの利用限度額は、要介護2で月19,705単位。",
    ],
)
def test_it_leaves_ordinary_numbers(text):
    assert find(text) == []


# --- positions and the API ------------------------------------------------------------------


def test_it_reports_positions_in_the_original_text():
    # ㍻ becomes two characters under NFKC: the offsets must not shift.
    text = "㍻元年から ｶﾞｽ 電話０９０－１２３４－５６７８、被保険者番号１２３４５６７８９０"
    findings = find(text)
    assert [(f.kind, text[f.start : f.end]) for f in findings] == [
        ("phone", "０９０－１２３４－５６７８"),
        ("insured_number", "１２３４５６７８９０"),
    ]


def test_it_returns_sorted_non_overlapping_findings():
    text = (
        "佐藤一郎様（昭和12年4月10日生、被保険者番号1234509876）は松戸市小金原5丁目8番3号に独居。"
        "長男の連絡先は090-8765-4321、メールはmakoto.t@example.jp。"
    )
    findings = find(text)
    assert [f.kind for f in findings] == [
        "name",
        "birth_date",
        "insured_number",
        "address",
        "phone",
        "email",
    ]
    assert all(a.end <= b.start for a, b in zip(findings, findings[1:], strict=False))
    assert {f.kind for f in findings} <= set(KIND_LABELS)


def test_it_handles_empty_and_clean_text():
    assert mask("") == ("", [])
    assert mask("本日は特記事項なし。") == ("本日は特記事項なし。", [])


def test_it_handles_text_longer_than_sudachi_accepts_at_once():
    # Sudachi refuses more than 49,149 bytes in one call; this line is 60,000.
    text = "本日は特記事項なし。" * 2000 + "山田花子さんの電話は090-1234-5678。"
    masked, findings = mask(text)
    assert [f.kind for f in findings] == ["name", "phone"]
    assert masked.endswith("A氏の電話は［電話番号］。")


def test_it_works_from_several_threads():
    texts = [f"山田花子さんの電話は090-1234-{i:04d}。" for i in range(40)]
    with ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(lambda t: mask(t)[0], texts))
    assert results == ["A氏の電話は［電話番号］。"] * 40


# --- the command --------------------------------------------------------------------------------


def run_mask_text(monkeypatch, stdin, *args):
    monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
    out = io.StringIO()
    call_command("mask_text", *args, stdout=out)
    return out.getvalue()


def test_it_masks_stdin_line_for_line(monkeypatch):
    out = run_mask_text(
        monkeypatch,
        "山田花子さんは松戸市小金原3丁目5番2号に住む。\n\n山田さんの電話は047-123-4567。\n",
    )
    assert out.splitlines() == [
        "A氏は松戸市〇〇に住む。",
        "",
        "A氏の電話は［電話番号］。",
    ]


def test_it_prints_findings_as_json_lines(monkeypatch):
    out = run_mask_text(
        monkeypatch, "本日は特記事項なし。\n山田さんに電話 047-123-4567\n", "--json"
    )
    first, second = (json.loads(line) for line in out.splitlines())
    assert first == {"line": 1, "masked": "本日は特記事項なし。", "findings": []}
    assert second == {
        "line": 2,
        "masked": "A氏に電話 ［電話番号］",
        "findings": [
            {"kind": "name", "start": 0, "end": 4, "text": "山田さん", "replacement": "A氏"},
            {
                "kind": "phone",
                "start": 8,
                "end": 20,
                "text": "047-123-4567",
                "replacement": "［電話番号］",
            },
        ],
    }
    assert "山田さん" in out  # ensure_ascii=False: Japanese stays readable


# --- quality gate -------------------------------------------------------------------------------


def test_it_meets_the_recall_targets_on_the_labelled_set():
    result = evaluate(LABELLED)
    assert result["sentences"] >= 220
    targets = {
        "phone": 0.95,
        "insured_number": 0.95,
        "email": 0.95,
        "birth_date": 0.95,
        "name": 0.85,
        "address": 0.85,
    }
    recalls = {kind: round(result[kind]["recall"], 3) for kind in targets}
    assert all(recalls[k] >= t for k, t in targets.items()), recalls
    # Precision has no target in the issue, but a masker that flags everything is no help.
    assert result["overall"]["precision"] >= 0.9, result["overall"]
