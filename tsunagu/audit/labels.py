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
    "meeting.attendees_invited": "出席者の一括招待",
    "meeting.copied": "会議の複製",
    "meeting.handout_added": "配布資料の追加",
    "meeting.handout_deleted": "配布資料の削除",
    "meeting.handout_downloaded": "配布資料のダウンロード",
    "case.agenda_reordered": "議題の順番の変更",
    "case.agenda_minutes_set": "議題の予定時間の変更",
    "case.removed_from_agenda": "事例の議題からの削除",
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
    "user.locked_out": "ロックアウト",
    "user.session_expired": "セッションの期限切れ",
    "user.2fa_enabled": "二段階認証の設定",
    "user.2fa_failed": "確認コードの誤り",
    "user.2fa_expired": "確認コード入力の期限切れ",
    "user.2fa_code_shown": "デモ用確認コードの表示",
    "security.csrf_failed": "不正な送信の拒否（CSRF）",
    "case.action_added": "役割分担の追加",
    "case.action_updated": "役割分担の変更",
    "case.advice_added": "助言の記録",
    "case.advice_updated": "助言の変更",
    "case.advice_deleted": "助言の削除",
    "case.action_deleted": "役割分担の削除",
    "case.timer_started": "事例検討の開始（会議モード）",
    "case.timer_stopped": "事例検討の停止（会議モード）",
    "meeting.room_viewed": "会議モードの閲覧",
    "meeting.screen_viewed": "大画面表示の閲覧",
    "meeting.minutes_printed": "会議録（会議全体）の出力",
    "case.assessment_saved": "課題整理総括表の保存",
    "case.care_plan_saved": "ケアプランの保存",
    "case.content_purged": "事例内容の消去（保存年限）",
    "case.follow_up_recorded": "モニタリングの記録",
    "case.moved": "事例の状態変更",
    "case.put_on_agenda": "事例の議題登録",
    "case.reviewed": "事例検討の記録",
    "issue.discussed": "地域課題の検討記録",
    "issue.escalated": "地域課題の提起",
    "issue.tagged": "事例へのテーマ付け",
    "issue.untagged": "事例のテーマ付けの削除",
    "issue.tag_updated": "事例のテーマ付けの変更",
    "issues.documents_exported": "市の会議資料の出力",
    "issues.mining_started": "テキストマイニングの実行",
    "meeting.content_purged": "会議内容の消去（保存年限）",
    "ops.backup": "バックアップ",
    "pledge.scan_viewed": "誓約書の画像の閲覧",
    "screening.run": "生活援助プランの点検",
    "resource_gap.issue_opened": "社会資源の不足の課題化",
    "resource_gap.issue_linked": "社会資源の不足を課題に結び付け",
    "business.settings_saved": "センター業務の設定の保存",
    "business.targets_added": "把握の対象者の追加",
    "business.visits_imported": "把握の訪問の取り込み",
    "business.targets_set": "年間目標の保存",
    "business.category_added": "相談区分の追加",
    "business.event_recorded": "講座・行事の記録",
    "business.event_changed": "講座・行事の変更",
    "business.guidance_recorded": "基幹型の助言・指導の記録",
    "business.points_awarded": "ボランティアのポイントの記録",
    "business.visit_recorded": "把握の訪問の記録",
    "business.volunteer_registered": "ボランティアの登録",
    "consultation.created": "総合相談の記録",
    "consultation.updated": "総合相談の変更",
    "consultation.viewed": "総合相談の閲覧",
    "consultation.contact_added": "継続支援の対応の記録",
    "consultation.to_case": "総合相談から事例を作成",
    "submission.opened": "報告の作成",
    "submission.remarks_saved": "報告の備考の保存",
    "submission.submitted": "報告の提出",
    "submission.returned": "報告の差戻し",
    "submission.accepted": "報告の受理",
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
    "issues": "地域課題",
    "security": "セキュリティ",
    "ops": "運用",
    "screening": "点検",
    "privacy": "個人情報の取扱い",
    "calendar": "カレンダー連携",
    "access": "アクセス",
    "theme": "テーマ",
    "proposal": "施策・取組",
    "milestone": "節目",
    "need": "ニーズ",
    "activity": "活動",
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


def codes_for(text: str) -> list[str] | None:
    """The action codes a Japanese name on the filter means, or None if it names none.

    「ログイン失敗」 gives its code; a noun such as 「事例」 or 「事例（すべて）」 gives every
    code under it (as the prefix "case."); a part of a name (「誓約書」) gives every code whose
    name contains it.
    """
    text = text.strip().removesuffix("（すべて）")
    if not text:
        return None
    exact = [code for code, label in ACTIONS.items() if label == text]
    if exact:
        return exact
    prefixes = [f"{noun}." for noun, label in NOUNS.items() if label == text]
    if prefixes:
        return prefixes
    partial = [code for code, label in ACTIONS.items() if text in label]
    return partial or None
