"""Synthetic demo content for the public pages, in the five languages of the site.

Questions and answers, cost ranges for the three programmes (in euros, marked synthetic
demo figures: no real programme's prices), travel help, and the public profiles of
demo-coordinator, demo-clinician and demo-surgeon (consented through the same service a
member of staff uses); demo-clinician-2 writes a profile but has not agreed to show it.

Idempotent: content is added only while there is none of its kind, and a profile only to
a user who has none, so an administrator's own content is never replaced.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from decimal import Decimal

from django.db import transaction

from stride.core.pathway import Programme
from stride.web.accounts.models import User
from stride.web.site import services as site
from stride.web.site.models import (
    CostRange,
    CostRangeText,
    Question,
    QuestionText,
    StaffProfile,
    TravelHelp,
    TravelHelpText,
    TravelTopic,
)

#: One item's words per language: (language, fields).
Texts = Mapping[str, tuple[str, ...]]

QUESTIONS: tuple[Texts, ...] = (
    {
        "en": ("Can my child be treated here?",
               "Send an inquiry with your child's documents and a walking video. A coordinator "
               "reads it, and if a treatment may suit your child a doctor evaluates them. "
               "Only that evaluation can tell; the self-check on the form is a first guide."),
        "zh-hans": ("我的孩子可以在这里治疗吗？",
                    "请提交咨询，并附上孩子的病历和走路视频。协调员会阅读，如果某种治疗可能适合您的孩子，"
                    "医生会进行评估。只有评估才能确定；表格中的自我检查只是初步参考。"),
        "ar": ("هل يمكن علاج طفلي هنا؟",
               "أرسلوا استفسارًا مع وثائق طفلكم ومقطع فيديو لمشيه. يقرأه منسق، وإذا كان العلاج قد "
               "يناسب طفلكم يقيّمه طبيب. التقييم وحده يستطيع الحكم؛ الفحص الذاتي في الاستمارة "
               "دليل أولي فقط."),
        "ru": ("Можно ли лечить здесь моего ребёнка?",
               "Отправьте запрос с документами ребёнка и видео его ходьбы. Координатор прочитает "
               "его, и если лечение может подойти, врач проведёт обследование. Ответ даст только "
               "оно; самопроверка в форме — лишь первая подсказка."),
        "bg": ("Може ли детето ми да бъде лекувано тук?",
               "Изпратете запитване с документите на детето и видео как ходи. Координатор го "
               "прочита и ако лечението може да е подходящо, лекар оценява детето. Само "
               "оценката може да отговори; самопроверката във формуляра е само първи ориентир."),
    },
    {
        "en": ("How long do we stay after SDR?",
               "Usually about four weeks: the operation, some days on the ward, then daily "
               "physiotherapy before you travel home. Physiotherapy goes on at home for months."),
        "zh-hans": ("SDR手术后我们需要停留多久？",
                    "通常约四周：手术、住院数天，然后每天进行物理治疗，之后回家。回家后物理治疗还需持续数月。"),
        "ar": ("كم نبقى بعد عملية قطع الجذور الظهرية الانتقائي؟",
               "عادة نحو أربعة أسابيع: العملية، ثم بضعة أيام في القسم، ثم علاج طبيعي يومي قبل "
               "السفر إلى البيت. ويستمر العلاج الطبيعي في البيت لأشهر."),
        "ru": ("Сколько мы пробудем после СДР?",
               "Обычно около четырёх недель: операция, несколько дней в отделении, затем "
               "ежедневная физиотерапия до отъезда. Дома физиотерапия продолжается месяцами."),
        "bg": ("Колко време оставаме след СДР?",
               "Обикновено около четири седмици: операцията, няколко дни в отделението, после "
               "ежедневна физиотерапия преди пътуването към дома. Вкъщи физиотерапията "
               "продължава месеци."),
    },
    {
        "en": ("Is cell therapy a proven treatment?",
               "No. It is still being studied. We offer it only inside registered clinical "
               "trials, and we tell you what the studies have found so far."),
        "zh-hans": ("细胞治疗是经过证实的疗法吗？",
                    "不是。它仍在研究中。我们只在已注册的临床试验中提供，并会告诉您目前研究的发现。"),
        "ar": ("هل العلاج بالخلايا علاج مثبت؟",
               "لا. ما زال قيد الدراسة. نقدمه فقط ضمن تجارب سريرية مسجلة، ونخبركم بما وجدته "
               "الدراسات حتى الآن."),
        "ru": ("Клеточная терапия — доказанное лечение?",
               "Нет. Она всё ещё изучается. Мы предлагаем её только в рамках зарегистрированных "
               "клинических исследований и рассказываем, что они пока показали."),
        "bg": ("Доказано лечение ли е клетъчната терапия?",
               "Не. Тя все още се проучва. Предлагаме я само в регистрирани клинични "
               "изпитвания и ви казваме какво са установили проучванията досега."),
    },
    {
        "en": ("Do we need to speak English?",
               "No. Write to us in your language. During the stay an interpreter joins the "
               "consultations and the important talks with the team."),
        "zh-hans": ("我们需要会说英语吗？",
                    "不需要。请用您的语言给我们写信。在停留期间，翻译会参加会诊以及与团队的重要谈话。"),
        "ar": ("هل نحتاج إلى التحدث بالإنجليزية؟",
               "لا. اكتبوا إلينا بلغتكم. خلال الإقامة ينضم مترجم إلى الاستشارات والأحاديث "
               "المهمة مع الفريق."),
        "ru": ("Нужно ли говорить по-английски?",
               "Нет. Пишите нам на своём языке. Во время пребывания переводчик присутствует на "
               "консультациях и важных беседах с командой."),
        "bg": ("Трябва ли да говорим английски?",
               "Не. Пишете ни на своя език. По време на престоя преводач присъства на "
               "консултациите и на важните разговори с екипа."),
    },
    {
        "en": ("When do we know the cost?",
               "After the evaluation. The coordinator sends a written estimate in your "
               "language, which you can accept or ask about. The cost page shows the ranges "
               "the programme has set."),
        "zh-hans": ("我们什么时候能知道费用？",
                    "在评估之后。协调员会用您的语言发送书面估价，您可以接受或提出问题。费用页面显示项目设定的费用范围。"),
        "ar": ("متى نعرف التكلفة؟",
               "بعد التقييم. يرسل المنسق تقديرًا مكتوبًا بلغتكم، يمكنكم قبوله أو السؤال عنه. "
               "تعرض صفحة التكاليف النطاقات التي حددها البرنامج."),
        "ru": ("Когда мы узнаем стоимость?",
               "После обследования. Координатор пришлёт письменную смету на вашем языке; её "
               "можно принять или задать вопрос. На странице стоимости — диапазоны, "
               "установленные программой."),
        "bg": ("Кога ще знаем цената?",
               "След оценката. Координаторът изпраща писмена оценка на вашия език, която "
               "можете да приемете или да зададете въпрос. Страницата за разходите показва "
               "диапазоните, определени от програмата."),
    },
    {
        "en": ("What happens after we go home?",
               "We ask for follow-up visits or videos at set times, and you can write to the "
               "team from the family portal. Your local physiotherapist receives a letter."),
        "zh-hans": ("回家后会怎样？",
                    "我们会在固定时间安排随访或请您发送视频，您也可以通过家庭门户给团队写信。您当地的物理治疗师会收到一封信。"),
        "ar": ("ماذا يحدث بعد عودتنا إلى البيت؟",
               "نطلب زيارات متابعة أو مقاطع فيديو في أوقات محددة، ويمكنكم الكتابة إلى الفريق من "
               "بوابة الأسرة. ويتلقى أخصائي العلاج الطبيعي المحلي لديكم رسالة."),
        "ru": ("Что будет после возвращения домой?",
               "Мы просим о контрольных визитах или видео в назначенные сроки, а писать команде "
               "можно через семейный портал. Ваш местный физиотерапевт получит письмо."),
        "bg": ("Какво следва, след като се приберем у дома?",
               "Молим за контролни прегледи или видеа в определени срокове, а можете да пишете "
               "на екипа от семейния портал. Вашият местен физиотерапевт получава писмо."),
    },
)

#: (programme, low, high, texts: label, included, not included) — synthetic demo figures.
COSTS: tuple[tuple[Programme, Decimal, Decimal, Texts], ...] = (
    (Programme.SDR, Decimal("18000"), Decimal("26000"), {
        "en": ("Selective dorsal rhizotomy and four weeks of rehabilitation",
               "The operation, the ward stay, daily physiotherapy for four weeks, an "
               "interpreter during consultations.",
               "Travel, accommodation for the family outside the ward, visa fees."),
        "zh-hans": ("选择性脊神经后根切断术及四周康复",
                    "手术、住院、四周每日物理治疗、会诊期间的翻译。",
                    "旅费、家人在病房以外的住宿、签证费。"),
        "ar": ("قطع الجذور الظهرية الانتقائي وأربعة أسابيع من إعادة التأهيل",
               "العملية، والإقامة في القسم، والعلاج الطبيعي اليومي لأربعة أسابيع، ومترجم خلال "
               "الاستشارات.",
               "السفر، وإقامة الأسرة خارج القسم، ورسوم التأشيرة."),
        "ru": ("Селективная дорсальная ризотомия и четыре недели реабилитации",
               "Операция, пребывание в отделении, ежедневная физиотерапия четыре недели, "
               "переводчик на консультациях.",
               "Дорога, проживание семьи вне отделения, визовые сборы."),
        "bg": ("Селективна дорзална ризотомия и четири седмици рехабилитация",
               "Операцията, престоят в отделението, ежедневна физиотерапия четири седмици, "
               "преводач по време на консултациите.",
               "Пътуване, настаняване на семейството извън отделението, визови такси."),
    }),
    (Programme.REHABILITATION, Decimal("3500"), Decimal("7000"), {
        "en": ("A rehabilitation block of two to four weeks",
               "Daily physiotherapy and occupational therapy, the assessments at the start "
               "and the end.",
               "Travel, accommodation, visa fees."),
        "zh-hans": ("两到四周的康复疗程",
                    "每日物理治疗和作业治疗，开始和结束时的评估。",
                    "旅费、住宿、签证费。"),
        "ar": ("برنامج إعادة تأهيل من أسبوعين إلى أربعة أسابيع",
               "علاج طبيعي ووظيفي يومي، والتقييمات في البداية والنهاية.",
               "السفر، والإقامة، ورسوم التأشيرة."),
        "ru": ("Курс реабилитации от двух до четырёх недель",
               "Ежедневная физиотерапия и эрготерапия, оценки в начале и в конце.",
               "Дорога, проживание, визовые сборы."),
        "bg": ("Рехабилитационен курс от две до четири седмици",
               "Ежедневна физиотерапия и ерготерапия, оценките в началото и в края.",
               "Пътуване, настаняване, визови такси."),
    }),
    (Programme.CELL_THERAPY, Decimal("2000"), Decimal("4000"), {
        "en": ("Stay during a visit of a registered cell-therapy trial (investigational)",
               "The hospital stay for the trial visit and the assessments the trial asks for.",
               "The trial treatment itself follows the trial's own rules; travel, "
               "accommodation and visa fees."),
        "zh-hans": ("参加已注册细胞治疗试验访视期间的住院（试验性）",
                    "试验访视的住院以及试验要求的评估。",
                    "试验治疗本身遵循试验自身的规定；旅费、住宿和签证费。"),
        "ar": ("الإقامة خلال زيارة ضمن تجربة مسجلة للعلاج بالخلايا (تجريبي)",
               "الإقامة في المستشفى لزيارة التجربة والتقييمات التي تطلبها التجربة.",
               "يخضع العلاج التجريبي نفسه لقواعد التجربة؛ السفر والإقامة ورسوم التأشيرة."),
        "ru": ("Пребывание во время визита зарегистрированного исследования клеточной "
               "терапии (экспериментальное)",
               "Пребывание в больнице во время визита и обследования, которых требует "
               "исследование.",
               "Само исследуемое лечение подчиняется правилам исследования; дорога, "
               "проживание, визовые сборы."),
        "bg": ("Престой по време на посещение в регистрирано изпитване на клетъчна терапия "
               "(експериментално)",
               "Болничният престой за посещението и изследванията, които изпитването изисква.",
               "Самото изпитвано лечение следва правилата на изпитването; пътуване, "
               "настаняване, визови такси."),
    }),
)

TRAVEL: tuple[tuple[TravelTopic, Texts], ...] = (
    (TravelTopic.VISAS, {
        "en": ("Visas",
               "If your country needs a visa, the coordinator issues a visa invitation letter "
               "addressed to your consulate, with the dates and the names of everyone who "
               "travels. Ask for it as soon as the dates are agreed."),
        "zh-hans": ("签证",
                    "如果您的国家需要签证，协调员会开具致贵国领事馆的签证邀请函，写明日期和所有出行人员的姓名。日期确定后请尽快申请。"),
        "ar": ("التأشيرات",
               "إذا كانت بلادكم تحتاج إلى تأشيرة، يصدر المنسق رسالة دعوة للتأشيرة موجهة إلى "
               "قنصليتكم، تذكر التواريخ وأسماء جميع المسافرين. اطلبوها حالما يتم الاتفاق على "
               "التواريخ."),
        "ru": ("Визы",
               "Если вашей стране нужна виза, координатор оформит визовое приглашение на имя "
               "вашего консульства с датами и именами всех, кто едет. Попросите его, как только "
               "даты согласованы."),
        "bg": ("Визи",
               "Ако за вашата страна е нужна виза, координаторът издава покана за виза до "
               "вашето консулство, с датите и имената на всички пътуващи. Поискайте я веднага "
               "щом датите са уговорени."),
    }),
    (TravelTopic.ACCOMMODATION, {
        "en": ("Accommodation",
               "One parent can stay with the child on the ward. For the rest of the family the "
               "coordinator suggests nearby flats and hotels; you book and pay them yourselves."),
        "zh-hans": ("住宿",
                    "一位家长可以在病房陪伴孩子。对于其他家庭成员，协调员会推荐附近的公寓和酒店，由您自行预订和付费。"),
        "ar": ("الإقامة",
               "يمكن لأحد الوالدين البقاء مع الطفل في القسم. ولبقية الأسرة يقترح المنسق شققًا "
               "وفنادق قريبة؛ تحجزونها وتدفعون ثمنها بأنفسكم."),
        "ru": ("Проживание",
               "Один из родителей может оставаться с ребёнком в отделении. Для остальной семьи "
               "координатор подскажет квартиры и гостиницы рядом; бронируете и оплачиваете их вы."),
        "bg": ("Настаняване",
               "Единият родител може да остане с детето в отделението. За останалите от "
               "семейството координаторът предлага близки квартири и хотели; вие ги резервирате "
               "и плащате."),
    }),
    (TravelTopic.INTERPRETERS, {
        "en": ("Interpreters",
               "Tell us your language in the inquiry. An interpreter joins the consultations "
               "and the important talks; the letters you receive are written in your language."),
        "zh-hans": ("翻译",
                    "请在咨询中告诉我们您的语言。翻译会参加会诊和重要谈话；您收到的信件会用您的语言书写。"),
        "ar": ("المترجمون",
               "أخبرونا بلغتكم في الاستفسار. ينضم مترجم إلى الاستشارات والأحاديث المهمة؛ "
               "والرسائل التي تصلكم مكتوبة بلغتكم."),
        "ru": ("Переводчики",
               "Укажите свой язык в запросе. Переводчик присутствует на консультациях и важных "
               "беседах; письма, которые вы получаете, написаны на вашем языке."),
        "bg": ("Преводачи",
               "Посочете езика си в запитването. Преводач присъства на консултациите и "
               "важните разговори; писмата, които получавате, са на вашия език."),
    }),
    (TravelTopic.GETTING_THERE, {
        "en": ("Getting there",
               "The nearest airport is about 30 minutes away by taxi. Tell the coordinator "
               "your flight and whether your child needs a wheelchair at the airport."),
        "zh-hans": ("如何到达",
                    "最近的机场乘出租车约30分钟。请告诉协调员您的航班，以及孩子在机场是否需要轮椅。"),
        "ar": ("الوصول إلينا",
               "أقرب مطار على بعد نحو 30 دقيقة بسيارة الأجرة. أخبروا المنسق برحلتكم وما إذا كان "
               "طفلكم يحتاج إلى كرسي متحرك في المطار."),
        "ru": ("Как добраться",
               "Ближайший аэропорт примерно в 30 минутах на такси. Сообщите координатору свой "
               "рейс и нужна ли ребёнку инвалидная коляска в аэропорту."),
        "bg": ("Как да стигнете",
               "Най-близкото летище е на около 30 минути с такси. Кажете на координатора "
               "полета си и дали детето ще има нужда от инвалидна количка на летището."),
    }),
)

#: (user name, role shown by default, (role, biography) per language, consents):
#: synthetic people. demo-clinician wrote nothing in Chinese or Russian (the fallback).
PROFILES: tuple[tuple[str, str, Texts, bool], ...] = (
    ("demo-coordinator", "International patient coordinator", {
        "en": ("International patient coordinator",
               "Synthetic demo profile. Answers inquiries, arranges evaluations, visas and "
               "travel, and stays the family's contact throughout.",),
        "zh-hans": ("国际患者协调员",
                    "合成演示资料。回复咨询，安排评估、签证和行程，并始终是家庭的联系人。"),
        "ar": ("منسقة المرضى الدوليين",
               "ملف تجريبي مصطنع. تجيب عن الاستفسارات، وترتب التقييمات والتأشيرات والسفر، "
               "وتبقى جهة اتصال الأسرة طوال الوقت."),
        "ru": ("Координатор иностранных пациентов",
               "Синтетический демо-профиль. Отвечает на запросы, организует обследования, "
               "визы и поездку и остаётся контактом семьи на всём пути."),
        "bg": ("Координатор на чуждестранни пациенти",
               "Синтетичен демо профил. Отговаря на запитвания, урежда оценки, визи и "
               "пътуване и остава връзката на семейството през цялото време."),
    }, True),
    ("demo-clinician", "Paediatric rehabilitation physician", {
        "en": ("Paediatric rehabilitation physician",
               "Synthetic demo profile. Evaluates children from their documents and videos, "
               "then in person, and leads the rehabilitation plan."),
        "ar": ("طبيبة إعادة تأهيل الأطفال",
               "ملف تجريبي مصطنع. تقيّم الأطفال من وثائقهم ومقاطع الفيديو، ثم شخصيًا، وتقود "
               "خطة إعادة التأهيل."),
        "bg": ("Лекар по детска рехабилитация",
               "Синтетичен демо профил. Оценява децата по документите и видеата им, после "
               "лично, и ръководи рехабилитационния план."),
    }, True),
    ("demo-surgeon", "Paediatric neurosurgeon", {
        "en": ("Paediatric neurosurgeon",
               "Synthetic demo profile. Performs selective dorsal rhizotomy with "
               "intra-operative monitoring of each rootlet."),
        "zh-hans": ("小儿神经外科医生",
                    "合成演示资料。在术中监测每根神经小根的情况下进行选择性脊神经后根切断术。"),
        "ar": ("جراح أعصاب الأطفال",
               "ملف تجريبي مصطنع. يجري عملية قطع الجذور الظهرية الانتقائي مع مراقبة كل جُذير "
               "أثناء العملية."),
        "ru": ("Детский нейрохирург",
               "Синтетический демо-профиль. Выполняет селективную дорсальную ризотомию с "
               "интраоперационным мониторингом каждого корешка."),
        "bg": ("Детски неврохирург",
               "Синтетичен демо профил. Извършва селективна дорзална ризотомия с "
               "интраоперативно проследяване на всяко коренче."),
    }, True),
    ("demo-clinician-2", "Paediatric physiotherapist", {
        "en": ("Paediatric physiotherapist",
               "Synthetic demo profile, not shown: this member of staff has not agreed to a "
               "public profile."),
    }, False),
)

#: The date the synthetic cost ranges were "set" (fixed, so reloading changes nothing).
COSTS_SET_ON = date(2026, 11, 2)


def _load_questions() -> int:
    if Question.objects.exists():
        return 0
    for order, texts in enumerate(QUESTIONS, start=1):
        entry = Question.objects.create(order=order * 10, is_synthetic=True)
        for language, (question, answer) in texts.items():
            QuestionText.objects.create(entry=entry, language=language, question=question,
                                        answer=answer)
    return len(QUESTIONS)


def _load_costs() -> int:
    if CostRange.objects.exists():
        return 0
    for order, (programme, low, high, texts) in enumerate(COSTS, start=1):
        cost = CostRange.objects.create(programme=programme.value, order=order, currency="EUR",
                                        low=low, high=high, valid_from=COSTS_SET_ON,
                                        is_synthetic=True)
        for language, (label, included, not_included) in texts.items():
            CostRangeText.objects.create(cost_range=cost, language=language, label=label,
                                         included=included, not_included=not_included)
    return len(COSTS)


def _load_travel() -> int:
    if TravelHelp.objects.exists():
        return 0
    for order, (topic, texts) in enumerate(TRAVEL, start=1):
        section = TravelHelp.objects.create(topic=topic.value, order=order * 10,
                                            is_synthetic=True)
        for language, (title, body) in texts.items():
            TravelHelpText.objects.create(section=section, language=language, title=title,
                                          body=body)
    return len(TRAVEL)


def _load_profiles(users: Mapping[str, User]) -> int:
    made = 0
    for username, role_title, biographies, consents in PROFILES:
        user = users.get(username)
        if user is None or StaffProfile.objects.filter(user=user).exists():
            continue
        site.save_public_profile(
            by=user, display_name=user.get_full_name() or user.get_username(),
            role_title=role_title,
            biographies={language: text for language, (_role, text) in biographies.items()},
            role_titles={language: role for language, (role, _text) in biographies.items()})
        if consents:
            site.give_public_profile_consent(by=user)
        made += 1
    return made


@transaction.atomic
def load_demo_site(users: Mapping[str, User]) -> int:
    """Add the synthetic public-page content and staff profiles that are not there yet;
    return how many items (questions, cost ranges, travel sections, profiles) were added."""
    return _load_questions() + _load_costs() + _load_travel() + _load_profiles(users)
