"""The menus are written once (lib/navigation.py): the links a membership's permissions allow,
and which one is the page being shown."""

from django.template import Context, Template
from django.test import RequestFactory

from tsunagu.lib.navigation import MENUS, shown_links


def labels(links):
    return [link.label for link in links]


def current(menu, path, permissions=frozenset()):
    links = shown_links(MENUS[menu], permissions=permissions, path=path)
    return [link.label for link in links if link.current]


def test_a_link_needs_its_permission():
    menu = MENUS["main"]
    plain = labels(shown_links(menu, permissions=set(), path="/"))
    assert "会議" in plain and "社会資源" in plain
    assert "監査ログ" not in plain and "開催状況" not in plain and "メンバー管理" not in plain
    more = labels(shown_links(menu, permissions={"audit.view", "meetings.view_all"}, path="/"))
    assert "監査ログ" in more and "開催状況" in more and "メンバー管理" not in more


def test_the_current_link_is_the_longest_address_that_starts_the_path():
    everything = {"issues.view", "issues.mine", "business.view", "business.records"}
    assert current("main", "/", everything) == ["ダッシュボード"]
    assert current("main", "/meetings/12/agenda/", everything) == ["会議"]
    assert current("main", "/issues/mining/3/", everything) == ["テキスト分析"]
    assert current("main", "/issues/themes/", everything) == ["地域課題のテーマ"]
    assert current("main", "/issues/5/", everything) == ["地域課題"]
    # The dashboard is current only on its own address, not on every page below "/".
    assert current("main", "/reviews/7/", everything) == []
    assert current("business", "/business/", everything) == ["概要"]
    assert current("business", "/business/consultations/4/", everything) == ["総合相談"]
    assert current("business", "/business/submissions/4/", everything) == []
    assert current("resources", "/resources/needs/2/") == ["ニーズ"]
    assert current("resources", "/resources/12/match/") == ["社会資源"]


def test_the_tag_draws_the_menu_with_its_fold_button():
    request = RequestFactory().get("/cases/")
    html = Template('{% nav "main" %}').render(Context({"request": request, "can": {"audit.view"}}))
    assert 'aria-label="メインメニュー"' in html
    assert 'aria-controls="nav-main"' in html and 'id="nav-main"' in html
    assert '<a href="/cases/" aria-current="page">事例</a>' in html
    assert "監査ログ" in html and "メンバー管理" not in html
    assert "<summary>名簿・設定</summary>" in html
    section = Template('{% nav "resources" %}').render(Context({"request": request, "can": set()}))
    assert "nav-toggle" not in section and 'aria-label="社会資源のメニュー"' in section
