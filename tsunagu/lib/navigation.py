"""The site's menus, written once: each link with the permission it needs.

A template shows a menu with `{% nav "main" %}` (tsunagu_tags); the tag keeps the links the
current membership's permissions allow and marks the page the browser is on. Adding a page to a
menu is one line here.
"""

from collections.abc import Collection, Iterable
from dataclasses import dataclass

from django.urls import reverse


@dataclass(frozen=True)
class Link:
    label: str
    url_name: str
    # The permission the link needs ("" = every member who sees the menu).
    permission: str = ""
    # Current only on its own address (a menu's top page), not on the pages below it.
    exact: bool = False
    # Links in the menu's second group (the main menu's 名簿・設定).
    more: bool = False


@dataclass(frozen=True)
class Menu:
    label: str  # the <nav>'s accessible name
    links: tuple[Link, ...]
    # Whose permissions decide: the municipal membership's, or the prefecture membership's.
    prefecture: bool = False
    # The main menu folds into a button on small screens; the section menus wrap.
    collapsible: bool = False
    more_label: str = ""


MENUS: dict[str, Menu] = {
    "main": Menu(
        label="メインメニュー",
        collapsible=True,
        more_label="名簿・設定",
        links=(
            Link("ダッシュボード", "reports:dashboard", exact=True),
            Link("会議", "meetings:meeting_list"),
            Link("事例", "cases:case_list"),
            Link("開催状況", "reports:schedule_matrix", "meetings.view_all"),
            Link("統計", "reports:meeting_stats", "meetings.view_all"),
            Link("年間計画", "meetings:plan", "meetings.view_all"),
            Link("地域課題", "issues:issue_list", "issues.view"),
            Link("テキスト分析", "issues:mining", "issues.mine"),
            Link("生活援助の点検", "cases:screening", "screening.run"),
            Link("社会資源", "resources:resource_list"),
            Link("センター業務", "centerwork:business_home", "business.view"),
            Link("会議体", "meetings:meeting_type_list", more=True),
            Link("日常生活圏域", "organizations:area_list", more=True),
            Link("地域包括支援センター", "organizations:center_list", more=True),
            Link("関係機関・事業所", "organizations:organization_list", more=True),
            Link("名簿（人・職種）", "organizations:person_list", more=True),
            Link("地域課題のテーマ", "issues:theme_list", "issues.view", more=True),
            Link("カレンダー連携", "meetings:calendar_settings", more=True),
            Link("メンバー管理", "accounts:member_list", "members.manage", more=True),
            Link("個人情報の取扱い", "confidentiality:privacy", "members.manage", more=True),
            Link("監査ログ", "audit:audit_entry_list", "audit.view", more=True),
        ),
    ),
    "business": Menu(
        label="センター業務のメニュー",
        links=(
            Link("概要", "centerwork:business_home", exact=True),
            Link("総合相談", "centerwork:consultation_list", "business.records"),
            Link("実態把握・介護予防把握", "centerwork:outreach", "business.records"),
            Link("講座・行事・研修", "centerwork:event_list"),
            Link("ボランティア", "centerwork:volunteer_list"),
            Link("コーディネーター配置", "centerwork:coordinator_check"),
            Link("指導・助言", "centerwork:guidance_list"),
            Link("月次報告", "centerwork:monthly_overview"),
            Link("事業計画・報告", "centerwork:annual_overview"),
            Link("取り込み", "centerwork:business_import", "business.records"),
            Link("設定", "centerwork:business_settings", "business.oversee"),
        ),
    ),
    "resources": Menu(
        label="社会資源のメニュー",
        links=(
            Link("社会資源", "resources:resource_list"),
            Link("ニーズ", "resources:need_list"),
            Link("不足（ニーズと資源）", "resources:gap_list"),
            Link("コーディネーターの活動", "resources:activity_list"),
        ),
    ),
    "prefecture": Menu(
        label="県のメニュー",
        prefecture=True,
        collapsible=True,
        links=(
            Link("県のトップ", "prefecture:pref_home", exact=True),
            Link("派遣依頼", "prefecture:pref_request_list"),
            Link("アドバイザー名簿", "prefecture:pref_adviser_list"),
            Link("派遣実績", "prefecture:pref_records"),
            Link("研修", "prefecture:pref_training_list"),
            Link("市町村の状況", "prefecture:pref_overview", "overview.view"),
            Link("県の利用者", "prefecture:pref_member_list", "members.manage"),
        ),
    ),
}


@dataclass(frozen=True)
class ShownLink:
    label: str
    url: str
    current: bool
    more: bool


def shown_links(menu: Menu, *, permissions: Collection[str], path: str) -> list[ShownLink]:
    """The menu's links the permissions allow; the one for `path` is current.

    The current link is the one whose address is the longest start of the path (on
    /issues/mining/ that is テキスト分析, not 地域課題); an `exact` link only on its own address.
    """
    allowed = [
        (link, reverse(link.url_name))
        for link in menu.links
        if not link.permission or link.permission in permissions
    ]
    current = _current_url(allowed, path)
    return [
        ShownLink(label=link.label, url=url, current=url == current, more=link.more)
        for link, url in allowed
    ]


def _current_url(links: Iterable[tuple[Link, str]], path: str) -> str:
    matching = [url for link, url in links if (path == url if link.exact else path.startswith(url))]
    return max(matching, key=len, default="")
