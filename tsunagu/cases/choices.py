"""Fixed lists of individual case review (DOMAIN.md §4)."""

from django.db import models


class CareLevel(models.TextChoices):
    INDEPENDENT = "independent", "自立"
    PROGRAM = "program", "事業対象者"
    SUPPORT_1 = "support_1", "要支援1"
    SUPPORT_2 = "support_2", "要支援2"
    CARE_1 = "care_1", "要介護1"
    CARE_2 = "care_2", "要介護2"
    CARE_3 = "care_3", "要介護3"
    CARE_4 = "care_4", "要介護4"
    CARE_5 = "care_5", "要介護5"


# Since 2018-10-01, a care plan with this many 訪問介護 生活援助中心型 visits in a month, or
# more, must be submitted to the municipality (DOMAIN.md §4).
LIFE_SUPPORT_THRESHOLDS = {
    CareLevel.CARE_1: 27,
    CareLevel.CARE_2: 34,
    CareLevel.CARE_3: 43,
    CareLevel.CARE_4: 38,
    CareLevel.CARE_5: 31,
}

# The 2021 rule for whole 居宅介護支援事業所: over the office's plans, total cost at or above
# 70% of the 区分支給限度基準額 and 訪問介護 at or above 60% of the total cost.
OFFICE_LIMIT_RATIO = 0.70
OFFICE_HOME_HELP_RATIO = 0.60
