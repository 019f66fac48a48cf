"""The screening result for download: JSON for the command line, XLSX for staff."""

from datetime import date

from tsunagu.lib.tabular import XlsxBook
from tsunagu.lib.wareki import format_month, iso_month

from .rules import ScreeningResult


def result_month(result: ScreeningResult) -> date | None:
    """The month screened: the one asked for, or the file's only month."""
    if result.month is not None:
        return result.month
    return result.months[0] if len(result.months) == 1 else None


def to_json_dict(result: ScreeningResult) -> dict:
    month = result_month(result)
    return {
        "month": iso_month(month) if month else None,
        "plans": [
            {
                "user_number": p.user_number,
                "office_number": p.office_number,
                "care_level": p.care_level,
                "life_support_count": p.life_support_count,
                "threshold": p.threshold,
            }
            for p in result.plans
        ],
        "offices": [
            {
                "office_number": o.office_number,
                "office_name": o.office_name,
                "plans": o.plan_count,
                "total_cost": o.total_cost,
                "limit_total": o.limit_total,
                "home_help_cost": o.home_help_cost,
                "limit_ratio": o.limit_ratio,
                "home_help_ratio": o.home_help_ratio,
            }
            for o in result.offices
        ],
    }


PLAN_SHEET = "届出対象のケアプラン"
OFFICE_SHEET = "対象の居宅介護支援事業所"
PLAN_HEADERS = (
    "事業所番号",
    "事業所名",
    "利用者番号",
    "要介護度",
    "サービス提供年月",
    "生活援助回数",
    "基準回数",
)
OFFICE_HEADERS = (
    "事業所番号",
    "事業所名",
    "ケアプラン数",
    "費用額合計（円）",
    "区分支給限度基準額合計（円）",
    "訪問介護の費用額（円）",
    "限度額に占める割合",
    "訪問介護の割合",
)


def _period(result: ScreeningResult) -> str:
    month = result_month(result)
    if month is not None:
        return format_month(month)
    if result.months:
        return f"{format_month(result.months[0])}〜{format_month(result.months[-1])}"
    return "該当月なし"


def to_xlsx(result: ScreeningResult) -> bytes:
    """Two sheets, each a title line, a header line and one line per flagged plan or office."""
    book = XlsxBook()
    period = _period(result)
    plans = book.sheet(PLAN_SHEET)
    plans.title(f"生活援助中心型の訪問回数が基準回数以上のケアプラン（{period}）")
    plans.header(PLAN_HEADERS)
    plans.freeze("A3")
    for p in result.plans:
        plans.append(
            [
                p.office_number,  # Text: Excel would drop a leading 0.
                p.office_name,
                p.user_number,
                p.care_level,
                p.month,
                p.life_support_count,
                p.threshold,
            ]
        )
    plans.widths((14, 30, 14, 10, 16, 12, 10))

    offices = book.sheet(OFFICE_SHEET)
    offices.title(
        f"区分支給限度基準額の7割以上かつ訪問介護が6割以上の居宅介護支援事業所（{period}）"
    )
    offices.header(OFFICE_HEADERS)
    offices.freeze("A3")
    for o in result.offices:
        cells = offices.append(
            [
                o.office_number,
                o.office_name,
                o.plan_count,
                o.total_cost,
                o.limit_total,
                o.home_help_cost,
                o.limit_ratio,
                o.home_help_ratio,
            ]
        )
        for cell in cells[3:6]:
            cell.number_format = "#,##0"
        for cell in cells[6:8]:
            cell.number_format = "0.0%"
    offices.widths((14, 30, 12, 16, 24, 20, 18, 14))
    return book.to_bytes()
