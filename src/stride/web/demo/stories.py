"""Synthetic demo family stories for the demo guardian's child (issue 18).

Two stories of ``DEMO-00007``, in all five languages and marked "Synthetic demo story":
one published (drafted and sent by the demo coordinator, approved by the demo guardian,
checked by the demo clinician, published: it is on /stories/ and in the sitemap, beside the
child's registry outcome), and one waiting for the family's approval (the guardian sees
it in the portal, the coordinator on the case page). Both go through the stories app's
services, so the de-identification check and the consents are applied as for any story.

Idempotent: a child that has any story already is left as it is, so a story withdrawn
while trying the demo is not published again by a reload.
"""

from __future__ import annotations

from stride.core.stories import ChecklistItem
from stride.web.accounts.models import User
from stride.web.patients.models import Case, Guardian
from stride.web.stories import services
from stride.web.stories.models import Story
from stride.web.stories.selectors import current_hash

_TICKED = [item.value for item in ChecklistItem]

#: The published story: (title, body) per language. No name, no exact date, no town.
PUBLISHED: dict[str, tuple[str, str]] = {
    "en": ("Synthetic demo story: walking to the garden gate",
           "Synthetic demo story, not a real family. Before the operation, A. needed our hands "
           "to cross the room. The first weeks after it were hard work: exercises every "
           "morning and a lot of patience. Four months later A. walked to the garden "
           "gate alone, with a walker, and asked to do it again."),
    "zh-hans": ("合成示例故事：走到花园门口",
                "合成示例故事，并非真实家庭。手术前，A.需要我们牵着手才能走过房间。术后最初几周"
                "很辛苦：每天早上做练习，需要很多耐心。四个月后，A.已经能扶着助行器独自走到花园门"
                "口，还要求再走一次。"),
    "ar": ("قصة تجريبية مصطنعة: المشي حتى باب الحديقة",
           "قصة تجريبية مصطنعة، وليست عائلة حقيقية. قبل العملية كان A. يحتاج إلى أيدينا ليعبر "
           "الغرفة. كانت الأسابيع الأولى بعدها عملاً شاقاً: تمارين كل صباح وصبر كثير. وبعد أربعة "
           "أشهر مشى A. وحده حتى باب الحديقة مستعيناً بالمشاية، وطلب أن يعيد ذلك."),
    "ru": ("Синтетическая демонстрационная история: до калитки сада",
           "Синтетическая демонстрационная история, не настоящая семья. До операции A. мог "
           "пересечь комнату только держась за наши руки. Первые недели после неё были "
           "тяжёлой работой: упражнения каждое утро и много терпения. Через четыре месяца A. сам "
           "дошёл до калитки сада с ходунками и попросил пройти ещё раз."),
    "bg": ("Синтетична демонстрационна история: до портата на градината",
           "Синтетична демонстрационна история, не истинско семейство. Преди операцията A. "
           "се нуждаеше от ръцете ни, за да прекоси стаята. Първите седмици след нея бяха "
           "тежка работа: упражнения всяка сутрин и много търпение. Четири месеца по-късно A. "
           "стигна сам до портата на градината с проходилка и поиска да го направи пак."),
}

#: The story waiting for the family's approval.
AWAITING: dict[str, tuple[str, str]] = {
    "en": ("Synthetic demo story: months of small steps",
           "Synthetic demo story, not a real family. Six months on, A. climbs two steps holding "
           "the rail and plays football in the yard with a cousin."),
    "zh-hans": ("合成示例故事：几个月的小步伐",
                "合成示例故事，并非真实家庭。六个月后，A.能扶着栏杆爬两级台阶，还和表哥在院子里踢"
                "足球。"),
    "ar": ("قصة تجريبية مصطنعة: أشهر من الخطوات الصغيرة",
           "قصة تجريبية مصطنعة، وليست عائلة حقيقية. بعد ستة أشهر يصعد A. درجتين ممسكاً بالدرابزين "
           "ويلعب كرة القدم في الفناء مع ابن عمه."),
    "ru": ("Синтетическая демонстрационная история: месяцы маленьких шагов",
           "Синтетическая демонстрационная история, не настоящая семья. Через полгода A. "
           "поднимается на две ступеньки, держась за перила, и играет в футбол во дворе с "
           "двоюродным братом."),
    "bg": ("Синтетична демонстрационна история: месеци на малки стъпки",
           "Синтетична демонстрационна история, не истинско семейство. Шест месеца по-късно A. "
           "изкачва две стъпала, като се държи за парапета, и играе футбол в двора с "
           "братовчед си."),
}


def _draft(case: Case, coordinator: User, texts: dict[str, tuple[str, str]]) -> Story:
    story = services.create_story(by=coordinator, case=case, pseudonym="A.",
                                  country=case.patient.country)
    for language, (title, body) in texts.items():
        services.save_text(by=coordinator, story=story, language=language, title=title,
                           body=body)
    services.send_to_family(by=coordinator, story=story, ticked=_TICKED)
    return Story.objects.get(pk=story.pk)


def load_demo_stories(users: dict[str, User], case: Case | None) -> int:
    """Give the demo guardian's child its two synthetic stories; return how many were
    added (0 when there is no such case or it has stories already)."""
    coordinator, clinician = users.get("demo-coordinator"), users.get("demo-clinician")
    guardian_user = users.get("demo-guardian")
    if case is None or coordinator is None or clinician is None or guardian_user is None:
        return 0
    if Story.objects.filter(case=case).exists():
        return 0
    guardian = Guardian.objects.filter(patient=case.patient, user=guardian_user).first()
    if guardian is None:
        return 0
    published = _draft(case, coordinator, PUBLISHED)
    services.family_approve(by=guardian_user, story=published, guardian=guardian,
                            language=guardian.preferred_language or "en",
                            content=current_hash(published))
    services.clinician_agree(by=clinician, story=published,
                             note="Synthetic demo check: the treatment and progress agree "
                                  "with the record.", content=current_hash(published))
    services.publish(by=coordinator, story=published)
    _draft(case, coordinator, AWAITING)
    return 2
