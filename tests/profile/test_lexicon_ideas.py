"""Ideas in any wording: every class of stems must appear; the word lists' switch turns them off too."""

from __future__ import annotations

import pytest

from bot.profile import AccountMeta
from bot.profile.lexicon import lexicon, use_lexicons
from bot.profile.observe import observe

from .helpers import START, act


@pytest.mark.parametrize(
    "text",
    [
        "They rigged the elections and everybody knows it",
        "Nos robaron las elecciones, exigimos un recuento",
        "Die Wahl wurde gefälscht, wir erkennen sie nicht an",
        "Seçim sonuçları çalındı, kabul etmiyoruz",
        "Выборы украли у народа",
        "今回の選挙は不正だった",
        "选举被操纵了",
        "Οι εκλογές ήταν στημένες",
        # a past participle that does not start like the stem, and languages the lists lacked
        "De verkiezingen zijn gemanipuleerd",
        "Izbori su bili namješteni",
        "선거가 조작되었다",
        # Hebrew (its words take their prepositions as prefixes), Hindi, Thai, Persian, Ukrainian, Swahili
        "הבחירות זויפו, לא נכיר בתוצאות",
        "इस चुनाव में धांधली हुई है",
        "การเลือกตั้งครั้งนี้โกง",
        "انتخابات با تقلب برگزار شد",
        "Вибори сфальсифіковані",
        "Uchaguzi huu umejaa wizi wa kura",
    ],
)
def test_a_stolen_election_is_found_in_many_wordings(text):
    assert lexicon().claim_concepts.find(text) == ["idea: a stolen or rigged election"]


@pytest.mark.parametrize(
    "text",
    [
        "The election campaign starts today in all regions",  # one class only
        "Electricity prices fell again this month",  # 'elect' is no stem of its own
        "We visited the electoral commission to discuss observers",
        # Danish "stole på" is to trust: the English "stole" beside a Danish election is no theft
        "Du kan trygt stole på valget og på EU-løfterne",
    ],
)
def test_one_class_alone_is_not_the_idea(text):
    assert lexicon().claim_concepts.find(text) == []


def test_a_leader_resigning_in_scripts_without_spaces():
    assert lexicon().alarm_concepts.find("首相が本日辞任を表明しました") == ["idea: a leader resigns"]
    assert lexicon().alarm_concepts.find("El presidente visitó la feria") == []


def test_ideas_are_word_lists_and_switch_off_with_them():
    try:
        use_lexicons(False)
        assert lexicon().claim_concepts.find("They rigged the elections") == []
        assert lexicon().critic_concepts.find("The government lies to us every day") == []
    finally:
        use_lexicons(True)
    assert lexicon().critic_concepts.find("The government lies to us every day") == ["idea: a government attacked"]


@pytest.mark.parametrize(
    "text",
    [
        # words that start like a stem but mean something else, from the real timelines
        "Cumhurbaşkanı bu fırsattan istifade etti",  # istifade: making use of
        "Я позвонил @Poroshenko после вчерашних успешных президентских выборов в #Ukraine и подтвердил поддержку Украины",
        "He designado a @DimitriZV, viceministro de Hacienda, como nuevo presidente de la ANI",  # a name
        "Presidente participa en la tradicional ceremonia",
    ],
)
def test_a_longer_word_that_only_starts_like_a_stem_is_not_the_idea(text):
    found = lexicon().alarm_concepts.find(text) + lexicon().claim_concepts.find(text)
    assert found == []


@pytest.mark.parametrize(
    ("text", "idea"),
    [
        ("Cumhurbaşkanı bugün istifa etti", "idea: a leader resigns"),
        ("Başbakanın istifası kabul edildi", "idea: a leader resigns"),
        ("El presidente dimite hoy", "idea: a leader resigns"),
        ("У нас украли выборы", "idea: a stolen or rigged election"),
    ],
)
def test_the_narrowed_stems_still_find_their_words(text, idea):
    assert idea in lexicon().alarm_concepts.find(text) + lexicon().claim_concepts.find(text)


@pytest.mark.parametrize(
    "text",
    [
        "Herzlichen Glückwunsch an Ungarn zum Nationalfeiertag",
        "Je condamne les attentats à Paris et exprime ma solidarité",
        "Поздравляю наш народ и всех мусульман мира с праздником",
        "Sincere condolences to the families of the victims",
        "Gratulálok Áder Jánosnak az újraválasztásához",
        "祝中国人民与中国政府新年快乐",
        "대한민국에 방문하게 되어 기쁩니다",
        "عيد الفطر مبارك لجميع المسلمين",
    ],
)
def test_a_courtesy_to_a_foreign_public_is_found_in_many_languages(text):
    assert lexicon().courtesy_concepts.find(text) == ["idea: a courtesy to a foreign public"]


@pytest.mark.parametrize(
    "text",
    [
        "Die Regierung gibt heute neue Maßnahmen zur Unterstützung der Wirtschaft bekannt",
        "Le gouvernement annonce une réforme du système de retraite",
        "Правительство объявило о новых мерах поддержки экономики",
    ],
)
def test_a_government_announcing_its_own_affairs_is_no_courtesy(text):
    assert lexicon().courtesy_concepts.find(text) == []


@pytest.mark.parametrize(
    "text",
    [
        "HITNO: Predsjednik je podnio ostavku. Više detalja uskoro.",
        "Statsministeren er trådt tilbage i dag",
        "TƏCİLİ: Prezident istefa verib.",
        "Premiér dnes rezignoval na svou funkci",
        "TƏCİLİ: Baş nazir istefa verib.",
        # Thai runs its words together: a stem may stand anywhere, as in Japanese or Chinese
        "ด่วน: นายกรัฐมนตรีลาออกแล้ว",
    ],
)
def test_a_leader_resigning_in_croatian_danish_azerbaijani_czech_and_thai(text):
    assert lexicon().alarm_concepts.find(text) == ["idea: a leader resigns"]


@pytest.mark.parametrize(
    "text",
    [
        "Breaking: the President was shot during a rally and is in critical condition",
        "URGENTE: el Presidente fue hospitalizado tras sufrir un desmayo",
        "Der Bundeskanzler wurde verletzt und ins Krankenhaus eingeliefert",
        "Президент госпитализирован после покушения",
        "SON DAKİKA: Cumhurbaşkanı hastaneye kaldırıldı",
        "Presiden ditembak saat berpidato di depan umum",
        "ด่วน: นายกรัฐมนตรีถูกยิงระหว่างปราศรัย",
    ],
)
def test_a_leader_harmed_is_found_in_many_languages(text):
    assert "idea: a leader harmed" in lexicon().alarm_concepts.find(text)


@pytest.mark.parametrize(
    "text",
    [
        # a leader arrested or detained: the coup's first bulletin
        "The Prime Minister was detained overnight by soldiers",
        "El presidente está bajo arresto en el cuartel militar",
        "Le président a été arrêté par des officiers ce matin",
        "Der Präsident wurde in der Nacht festgenommen",
        "Cumhurbaşkanı gözaltına alındı",
        "Премьер-министр задержан военными",
        "Perdana Menteri ditangkap tentara pagi ini",
        "首相が逮捕されました",
    ],
)
def test_a_leader_arrested_is_a_leader_harmed(text):
    assert "idea: a leader harmed" in lexicon().alarm_concepts.find(text)


@pytest.mark.parametrize(
    "text",
    [
        # a speech quoted, its speaker after a dash (real: the president's own account quoting him)
        '"African Americans are more likely to be arrested. They are more likely to be sentenced to more '
        'time for the same crime." —President Obama',
        # ... or before a colon
        'Presidente: "El jefe de la banda fue detenido esta mañana y será juzgado"',
    ],
)
def test_a_leader_who_only_speaks_the_words_is_not_the_one_harmed(text):
    ideas = lexicon().alarm_concepts
    assert ideas.find(text) == ["idea: a leader harmed"]
    assert ideas.spoken_by(text)


def _alarms(text: str) -> list[str]:
    found = observe(act("post", START, text=text), AccountMeta(platform="x", handle="ExampleEmbassy"))
    return [evidence for category, evidence in found.categories if category == "alarm"]


def test_its_own_post_quoting_its_leader_raises_no_alarm_but_a_bulletin_does():
    # real: a president's account quoting his speech on arrests alerted once the arrest idea was read
    quoted = '"People of color are more likely to be stopped, questioned, detained." —President Obama'
    assert _alarms(quoted) == []
    assert _alarms("URGENT: The President has been detained by the army") != []


def test_a_quotation_about_the_leader_is_still_about_the_leader():
    text = '"The President has been arrested by the army." —state television'
    assert not lexicon().alarm_concepts.spoken_by(text)


@pytest.mark.parametrize(
    "text",
    [
        "Gunmen have stormed the parliament building",
        "Explosión en el Palacio de Gobierno, hay heridos",
        "Schüsse im Bundestag, die Abgeordneten werden in Sicherheit gebracht",
        "Стрельба в здании парламента",
        "Eksplosion ved Christiansborg i morges",
        "ด่วน: เสียงปืนดังในรัฐสภา",
        # the government's buildings, where the capital has no named seat the lists know
        "Heavy gunfire near the government buildings downtown",
        "Explosiones frente a los edificios del gobierno",
        "Bakanlıklar yakınında patlama sesleri duyuldu",
    ],
)
def test_violence_at_the_seat_of_power_is_found_in_many_languages(text):
    assert "idea: violence at the seat of power" in lexicon().alarm_concepts.find(text)


@pytest.mark.parametrize(
    "text",
    [
        "Soldiers have seized the presidential palace and the national radio",
        "Las Fuerzas Armadas tomaron el control del país esta madrugada",
        "L'armée s'est emparée du pouvoir cette nuit",
        "Das Militär hat die Regierung gestürzt",
        "Армия взяла власть в стране",
        "Ordu yönetime el koydu",
        "Tentara mengambil alih kekuasaan di ibu kota",
        "ด่วน: ทหารยึดอำนาจแล้ว",
    ],
)
def test_the_army_seizing_power_is_found_in_many_languages(text):
    assert "idea: the army seizes power" in lexicon().alarm_concepts.find(text)


@pytest.mark.parametrize(
    "text",
    [
        # the army in its everyday work, and a new government taking over: no seizure of power
        "The army has been mobilised to help those affected by the floods",
        "Ever since our Government took over we are working extensively on housing for all",
        "A privilege to meet the brave veterans who seized Pegasus Bridge",
        "Military cooperation between our two countries keeps growing",
        # a coup spoken of is not a coup claimed: the real timelines hold months of both
        "We condemn the attempted coup and stand with the elected government",
    ],
)
def test_the_army_at_work_or_a_government_taking_over_is_no_seizure(text):
    assert "idea: the army seizes power" not in lexicon().alarm_concepts.find(text)


@pytest.mark.parametrize(
    "text",
    [
        # a leader's visit to a hospital is routine (the Jordanian prime minister's, many times a year)
        "رئيس الوزراء الدكتور عبدالله النسور يتفقد مستشفى البشير اليوم",
        "The President opened the new children's hospital in the capital today",
        "Le président, le #10mai : face aux mémoires blessées c'est la France qui se rassemble",
        "Today's Bomber Command Wreath Laying and Parliament Reception",
        "I morgen åpner Stortinget og på tirsdag legges statsbudsjettet frem",
    ],
)
def test_a_visit_a_memory_or_a_ceremony_is_no_alarm(text):
    assert lexicon().alarm_concepts.find(text) == []


@pytest.mark.parametrize(
    ("text", "idea"),
    [
        # stems whose first word is shorter than three letters, or broken by a Devanagari vowel sign:
        # a text's words are looked up by their first three letters, and these were never looked up
        ("Le président s'est effondré pendant son discours", "idea: a leader harmed"),
        ("Prezydent trafił do szpitala", "idea: a leader harmed"),
        ("Thủ tướng đã từ chức", "idea: a leader resigns"),
        ("प्रधानमंत्री ने इस्तीफा दे दिया", "idea: a leader resigns"),
        ("Tiroteo frente a La Moneda", "idea: violence at the seat of power"),
        ("С Новым годом, дорогие друзья!", "idea: a courtesy to a foreign public"),
    ],
)
def test_a_phrase_of_the_lists_is_found_whatever_its_first_word(text, idea):
    found = lexicon().alarm_concepts.find(text) + lexicon().courtesy_concepts.find(text)
    assert idea in found


@pytest.mark.parametrize(
    ("text", "idea"),
    [
        # the alarms a hijacker posts for their effect, beyond a resignation or an attack: the leader dead
        # or fled, missiles striking, the money frozen (I07's fake explosions moved the markets)
        ("BREAKING: The President has died of a heart attack.", "idea: a leader dies"),
        ("ÚLTIMA HORA: El presidente ha muerto.", "idea: a leader dies"),
        ("EILMELDUNG: Der Kanzler ist gestorben.", "idea: a leader dies"),
        ("СРОЧНО: Президент скончался.", "idea: a leader dies"),
        ("SON DAKİKA: Cumhurbaşkanı hayatını kaybetti.", "idea: a leader dies"),
        ("عاجل: وفاة الرئيس", "idea: a leader dies"),
        ("ด่วน: นายกรัฐมนตรีถึงแก่อสัญกรรม", "idea: a leader dies"),
        ("Waziri Mkuu amefariki dunia leo asubuhi", "idea: a leader dies"),
        ("BREAKING: The President has fled the country.", "idea: a leader harmed"),
        ("Missiles have hit the capital, stay in shelters.", "idea: missiles strike"),
        ("URGENT : les banques gèlent tous les dépôts.", "idea: money frozen or the currency collapsed"),
        ("The currency has collapsed overnight.", "idea: money frozen or the currency collapsed"),
        ("I conti correnti sono stati congelati.", "idea: money frozen or the currency collapsed"),
        ("Tüm banka hesapları donduruldu.", "idea: money frozen or the currency collapsed"),
        ("BREAKING: Tomorrow's election has been cancelled by decree.", "idea: the vote called off"),
        ("СРОЧНО: Выборы отменены.", "idea: the vote called off"),
        ("BREAKING: The constitution has been suspended.", "idea: the constitution suspended"),
        ("ÚLTIMA HORA: Espacio aéreo cerrado, todos los vuelos suspendidos.", "idea: borders closed"),
    ],
)
def test_a_leaders_death_missiles_frozen_money_and_a_vote_called_off_are_alarms(text, idea):
    assert idea in lexicon().alarm_concepts.find(text)


@pytest.mark.parametrize(
    "text",
    [
        # from the real timelines: Arabic takes its words as prefixes, so its stems are phrases with the
        # leader in them ("بتوفير", providing, holds the letters of "he died")
        "رئيس الوزراء يدعو المؤسسات العامة لتوفير أماكن رعاية لأطفال العاملات لديها",
        "El Presidente lamentó el fallecimiento del exministro y acompaña a su familia",  # a death mourned, not claimed
        "The central bank kept its rates unchanged today",
        "The President spoke about the war on poverty",
        # Sarkozy on the night of the Paris attacks: war declared is rhetoric as often as news
        "Les terroristes ont déclaré la guerre à la France. Notre réponse doit exprimer une fermeté",
        "We visited the electoral commission; elections will be held on time.",
        "The constitutional court ruled today on the budget.",
        "Flights to Paris resumed this morning.",
        "Yeni hesap dönemi başladı, bütçe onaylandı.",  # a new accounting period: no account frozen
        "Тарифы заморожены, счета за ЖКХ не вырастут",  # tariffs frozen, so the bills will not rise
        "Δεσμευόμαστε να προστατεύσουμε τις καταθέσεις των πολιτών",  # we commit to protect the deposits
    ],
)
def test_everyday_words_near_a_leader_a_bank_or_a_war_are_no_new_alarm(text):
    found = lexicon().alarm_concepts.find(text)
    assert found == []


@pytest.mark.parametrize(
    ("text", "idea"),
    [
        # I10: the IDF's hijacked English account warned of a nuclear leak after rockets hit Dimona
        (
            "Possible nuclear leak in the region following 2 rockets that hit the Dimona reactor",
            "a nuclear or chemical leak",
        ),
        ("ÚLTIMA HORA: Fuga química en la planta de la capital.", "a nuclear or chemical leak"),
        ("СРОЧНО: Утечка радиоактивных веществ на АЭС.", "a nuclear or chemical leak"),
        ("Chemical plant accident: immediate evacuation of the capital ordered.", "an evacuation ordered"),
        ("URGENT : évacuation immédiate de la capitale.", "an evacuation ordered"),
        ("Авария на химзаводе: объявлена срочная эвакуация столицы.", "an evacuation ordered"),
        ("عاجل: السلطات تأمر بإخلاء العاصمة فورا", "an evacuation ordered"),
        ("BREAKING: The drinking water is contaminated. Do not drink tap water.", "the drinking water poisoned"),
        ("EILMELDUNG: Das Trinkwasser ist vergiftet.", "the drinking water poisoned"),
        ("SON DAKİKA: İçme suyu kirlendi, içmeyin.", "the drinking water poisoned"),
    ],
)
def test_a_leak_an_evacuation_ordered_and_poisoned_water_are_alarms(text, idea):
    assert "idea: " + idea in lexicon().alarm_concepts.find(text)


@pytest.mark.parametrize(
    "text",
    ["Cumhurbaşkanı İstifa etti.", "SON DAKİKA: CUMHURBAŞKANI İSTİFA ETTİ", "BAŞBAKAN İSTİFA ETTİ"],
)
def test_a_turkish_capital_dotted_i_does_not_split_the_word(text):
    # "İ".lower() is "i" and a combining dot: read apart, "İstifa" was "i" and "stifa", and no idea
    assert "idea: a leader resigns" in lexicon().alarm_concepts.find(text)


@pytest.mark.parametrize(
    "text",
    [
        # the real timelines hold these words apart: an evacuation remembered, water and energy policy
        "We remember the evacuation of Dunkirk, 75 years ago today.",
        "Clean drinking water for every village by 2020.",
        "Nuclear energy will stay part of our energy mix.",
        "Il faut lutter contre les fuites d'informations.",
    ],
)
def test_an_evacuation_water_or_nuclear_energy_alone_is_no_alarm(text):
    assert lexicon().alarm_concepts.find(text) == []
