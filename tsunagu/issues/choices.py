from django.db import models

# No national taxonomy exists; this practical list is every municipality's
# starting point, and a 市職員 can rename, add or retire themes.
DEFAULT_THEMES = [
    "移動・交通",
    "買い物・配食",
    "栄養・口腔",
    "フレイル・通いの場",
    "認知症",
    "独居・孤立・見守り",
    "8050・多問題世帯・ひきこもり",
    "ゴミ出し・住環境",
    "権利擁護(虐待・成年後見・消費者被害)",
    "医療介護連携・服薬・退院支援",
    "家族介護者支援",
    "経済困窮",
    "住まい",
    "災害",
    "担い手・サービス不足",
    "制度・情報周知",
]


class Level(models.TextChoices):
    INDIVIDUAL = "individual", "個別"
    AREA = "area", "圏域"
    CITY = "city", "市"
    PREFECTURE = "prefecture", "県・国"


LEVEL_RANK = {Level.INDIVIDUAL: 0, Level.AREA: 1, Level.CITY: 2, Level.PREFECTURE: 3}


class IssueStatus(models.TextChoices):
    CANDIDATE = "candidate", "候補"
    DISCUSSING = "discussing", "検討中"
    RAISED = "raised", "上位会議へ提起"
    IN_PROGRESS = "in_progress", "施策化・資源開発中"
    RESOLVED = "resolved", "解決"
    CONTINUING = "continuing", "継続"


OPEN_STATUSES = [
    IssueStatus.CANDIDATE,
    IssueStatus.DISCUSSING,
    IssueStatus.RAISED,
    IssueStatus.IN_PROGRESS,
    IssueStatus.CONTINUING,
]


class ProposalKind(models.TextChoices):
    POLICY = "policy", "施策提案"
    RESOURCE = "resource", "資源開発"
    PLAN = "plan", "事業計画への反映"


class ProposalStatus(models.TextChoices):
    PLANNED = "planned", "未着手"
    IN_PROGRESS = "in_progress", "実施中"
    DONE = "done", "完了"
    DROPPED = "dropped", "中止"
