"""Japanese names for action codes, for the audit log pages and the CSV export.

An exact entry in ACTIONS wins; otherwise `<noun>.<verb>` is read from NOUNS and VERBS
("area.created" → 圏域の登録); an unknown code is shown as it is, so nothing is ever hidden.
"""

ACTIONS = {
    "user.logged_in": "ログイン",
    "user.logged_out": "ログアウト",
    "user.login_failed": "ログイン失敗",
    "user.password_change_failed": "パスワード変更の失敗（現在のパスワード誤り）",
    "membership.switched": "市町村の切替",
    "invitation.created": "招待",
    "invitation.accepted": "招待の承諾",
    "invitation.declined": "招待の辞退",
    "meeting.scheduled": "会議の登録",
    "meeting.closed": "会議の確定",
    "meeting.status_changed": "会議の状態変更",
    "meeting.attendee_added": "出席者の追加",
    "meeting.attendee_removed": "出席者の削除",
    "meeting.attendance_recorded": "出席の記録",
    "meeting.minutes_saved": "議事録の保存",
    "meeting.imported": "会議の取り込み",
    "meeting_type.preset_loaded": "会議体プリセットの読み込み",
    "plan.saved": "年間計画の保存",
    "privacy.settings_changed": "個人情報の取扱い設定の変更",
    "privacy.policy_published": "個人情報保護方針の公開",
    "pledge.signed": "誓約書の署名",
    "pledge.paper_recorded": "紙の誓約書の記録",
    "report.exported": "帳票の出力",
    "calendar.token_issued": "カレンダー連携URLの発行",
    "calendar.token_revoked": "カレンダー連携URLの停止",
    "access.refused": "アクセス拒否",
    "meeting.content_viewed": "会議の記録の閲覧",
    "review.viewed": "事例検討の記録の閲覧",
    "review.tags_viewed": "事例検討の地域課題タグの閲覧",
    "follow_up.viewed": "モニタリングの記録の閲覧",
    "issues.mining_viewed": "テキストマイニング結果の閲覧",
    "issues.kwic_viewed": "テキストマイニングの文脈（KWIC）の閲覧",
    "issues.network_viewed": "共起ネットワークの閲覧",
    "audit.exported": "監査ログの出力",
}

NOUNS = {
    "user": "利用者",
    "membership": "メンバー",
    "invitation": "招待",
    "municipality": "市町村",
    "area": "圏域",
    "center": "センター",
    "organization": "関係機関",
    "person": "名簿",
    "meeting": "会議",
    "meeting_type": "会議体",
    "plan": "年間計画",
    "pledge": "誓約書",
    "case": "事例",
    "issue": "地域課題",
    "resource": "社会資源",
    "report": "帳票",
    "audit": "監査ログ",
}

VERBS = {
    "created": "登録",
    "updated": "変更",
    "deleted": "削除",
    "viewed": "閲覧",
    "printed": "印刷",
    "exported": "出力",
    "imported": "取り込み",
    "closed": "確定",
    "reopened": "確定の取消",
}


def action_label(code: str) -> str:
    if code in ACTIONS:
        return ACTIONS[code]
    noun, _, verb = code.rpartition(".")
    if verb in VERBS:
        return f"{NOUNS[noun]}の{VERBS[verb]}" if noun in NOUNS else VERBS[verb]
    return code


def action_choices() -> list[tuple[str, str]]:
    """(prefix, label) for the filter's suggestions: each noun, then each known code."""
    nouns = [(f"{noun}.", f"{label}（すべて）") for noun, label in NOUNS.items()]
    return nouns + sorted(ACTIONS.items())
