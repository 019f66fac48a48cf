import pytest

from tsunagu.audit.labels import action_label
from tsunagu.audit.models import target_label


@pytest.mark.parametrize(
    ("code", "label"),
    [
        ("user.logged_in", "ログイン"),
        ("user.logged_out", "ログアウト"),
        ("user.login_failed", "ログイン失敗"),
        ("meeting.closed", "会議の確定"),
        ("access.refused", "アクセス拒否"),
        ("area.created", "圏域の登録"),
        ("person.updated", "名簿の変更"),
        ("case.viewed", "事例の閲覧"),
        ("case.printed", "事例の印刷"),
        ("report.exported", "帳票の出力"),
        ("something_new.deleted", "削除"),
        ("something_new.done", "something_new.done"),
    ],
)
def test_it_names_actions_in_japanese(code, label):
    assert action_label(code) == label


def test_it_names_targets_by_their_model():
    assert target_label("organizations.center") == "地域包括支援センター"
    assert target_label("gone.model") == "gone.model"
    assert target_label("") == ""


def test_entries_about_a_moved_model_still_name_it():
    # Pledges were recorded as confidentiality.pledge before the model moved to meetings;
    # chained entries are never rewritten.
    assert target_label("confidentiality.pledge") == "誓約書"
    assert target_label("meetings.pledge") == "誓約書"
