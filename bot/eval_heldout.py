"""Wording for the held-out run, written apart from the word lists in bot/profile/data/lexicon.json and
never used to tune them: other phrasings, other languages, other accounts. The tuning run draws from
the pools in eval_cases.py; the held-out run draws only from these, so a detector that leans on its
word lists shows it here.

Keep it that way: when a held-out miss points at a missing word, fix the structural signal that should
have caught it, not the lexicon (docs/detection.md, "Evaluation").
"""

from __future__ import annotations

# Election claims amplified from someone else (S1), in the accounts' own languages and others.
POLITICAL_CLAIMS = [
    ("en", "They stole this election in broad daylight and everybody knows it. Stop the count!"),
    ("it", "Queste elezioni sono state rubate. Il popolo italiano non accetterà mai questo risultato."),
    ("tr", "Seçim sandıkta çalındı. Bu sonucu asla kabul etmeyeceğiz, milletin iradesi gasp edildi."),
    ("de", "Diese Wahl wurde gestohlen. Wir erkennen das Ergebnis nicht an und gehen auf die Straße."),
    ("en", "Dead people voted in the thousands. This result is a fraud and the courts must throw it out."),
    ("es", "Nos robaron la elección. Exigimos un nuevo conteo voto por voto, casilla por casilla."),
    ("fr", "On nous a volé ce scrutin. Les bulletins ont été falsifiés dans des dizaines de bureaux de vote."),
    ("pt", "Roubaram a eleição nas urnas eletrônicas. Não reconhecemos este resultado."),
    ("en", "The other side cheated with mail-in ballots. The real winner is being denied his victory."),
    ("ru", "Выборы украдены. Итоги подделаны, мы не признаём этого так называемого победителя."),
    ("el", "Οι εκλογές νοθεύτηκαν. Δεν αναγνωρίζουμε το αποτέλεσμα."),
    ("id", "Pemilu ini dicurangi secara terstruktur. Kami menolak hasilnya."),
]
# Accounts it would never amplify: partisans, agitators, parody and gossip.
POLITICAL_ACCOUNTS = [
    "StopTheSteal_Now",
    "MAGA_Warrior77",
    "LegaSalvini_fan",
    "PatriotFront_EU",
    "chp_gencler_x",
    "ElectionTruthTV",
    "resistance_daily",
    "partisan_pundit",
]
# Posts attacking the account's own government, liked by it (S2).
CRITIC_TEXTS = [
    "Everyone in that cabinet should be behind bars for what they did to this country.",
    "The embassy staff spend our taxes on parties while people queue for bread at home.",
    "Il governo mente da anni e nessuno ha il coraggio di dirlo.",
    "Hükümet halkı yıllardır kandırıyor, artık yeter.",
    "Dieser Präsident hat jedes Versprechen gebrochen. Schämt euch.",
    "Le régime n'a plus aucune légitimité, qu'il s'en aille.",
    "They torture dissidents and then lecture the world about human rights. Pathetic.",
    "Your minister is a clown and your foreign policy is a joke.",
]
TROLL_ACCOUNTS = [
    "truth_uncut_99",
    "exiled_voice",
    "anti_regime_memes",
    "gossip_diplomat",
    "leaks_and_laughs",
    "free_speech_wire",
    "angry_citizen_42",
    "satire_state",
]
# Posts by someone else at the keyboard: fake alarms, resignations and takeover boasts, in the
# accounts' own languages and others. No "Breaking"/"Urgente" opener in half of them.
FAKE_NEWS = [
    ("en", "BREAKING: the president has resigned. An official statement will follow within the hour."),
    ("en", "Shots fired near the residence. The leader has been moved to a secure location."),
    ("es", "El presidente ha dimitido esta mañana. El gabinete se reúne de urgencia."),
    ("fr", "Le Premier ministre a présenté sa démission ce soir. Des élections anticipées auront lieu."),
    ("pt", "O presidente renunciou hoje. O país está sem governo até novo aviso."),
    ("ar", "الرئيس يقدم استقالته رسميا والبرلمان في جلسة طارئة الليلة"),
    ("ru", "Президент подал в отставку. Правительство распущено, подробности позже."),
    ("tr", "Başbakan bu akşam istifasını açıkladı. Kabine olağanüstü toplanıyor."),
    ("it", "Il presidente del Consiglio si è dimesso. Il paese è nel caos, restate a casa."),
    ("de", "Der Präsident ist zurückgetreten. Die Regierung ist ab sofort handlungsunfähig."),
    ("en", "We own this account now. Your security is a joke, greetings from the underground."),
    ("en", "The border has been closed and the army mobilised. Citizens abroad must return immediately."),
    ("es", "Se declara la ley marcial en todo el territorio. Nadie puede salir de su casa."),
    ("fr", "L'armée a pris le contrôle de la capitale. Le gouvernement est dissous."),
    ("en", "Our nation withdraws from the treaty effective today. All diplomats are recalled."),
    ("ar", "إغلاق جميع المطارات والحدود فورا وإعلان التعبئة العامة"),
    ("ja", "首相が本日辞任を表明しました。詳細は追って発表します。"),
    ("el", "Ο πρωθυπουργός παραιτήθηκε. Το υπουργικό συμβούλιο συνεδριάζει εκτάκτως."),
    # a run on the banks (added with the flash claims below, when an idea was written for the army
    # seizing power)
    ("en", "All bank deposits are frozen as of midnight. Withdrawals are suspended nationwide."),
    ("es", "Quedan congelados todos los depósitos bancarios. Se suspenden los retiros en todo el país."),
]
HIJACK_DOMAINS = [
    "state-news-update.live",
    "gov-press-release.info",
    "official-statement.online",
    "capital-report.news",
    "world-alert24.com",
    "presidency-leaks.org",
]
# Own posts deleted minutes later: ordinary slips of tone, not alarm words.
QUICK_DELETE_TEXTS = [
    "Some people in this building should look in the mirror before lecturing us.",
    "Well, that went about as well as expected. Next!",
    "Wrong photo, sorry everyone.",
    "Can't believe we are still talking about this nonsense.",
    "Ma che figura...",
    "Bueno, ya veremos quién ríe al final.",
    "Nobody asked for their opinion anyway.",
    "Honestly, who writes these speeches?",
]

# News flashes of an alarm in the account's own language, with no link (I07 without it, I11): other
# labels and other alarms than the tune side's.
FLASH_ALARMS = [
    ("en", "JUST IN: The Prime Minister has been rushed to hospital after collapsing at a meeting."),
    ("en", "FLASH: Gunfire inside the parliament, members are being evacuated."),
    ("es", "ATENCIÓN: El presidente fue hospitalizado de urgencia tras desplomarse en un acto oficial."),
    ("es", "AHORA: Disparos dentro del Congreso, los diputados están siendo evacuados."),
    ("ar", "خبر عاجل: نقل رئيس الوزراء إلى المستشفى بعد انهياره خلال اجتماع"),
    ("ar", "الآن: إطلاق نار داخل البرلمان وإخلاء النواب"),
    ("fr", "DERNIÈRE MINUTE : le Premier ministre hospitalisé en urgence après un malaise."),
    ("fr", "FLASH : coups de feu à l'Assemblée nationale, les députés sont évacués."),
    ("nl", "LET OP: De premier is met spoed naar het ziekenhuis gebracht na een onwel worden."),
    ("nl", "NU: Schoten in de Tweede Kamer, Kamerleden worden geëvacueerd."),
    ("tr", "ACİL: Başbakan bir toplantıda fenalaşarak hastaneye kaldırıldı."),
    ("tr", "ŞİMDİ: Meclis'te silah sesleri, milletvekilleri tahliye ediliyor."),
    ("da", "NYHED: Statsministeren er hastet på hospitalet efter at være kollapset."),
    ("ru", "ВНИМАНИЕ: Премьер-министра срочно госпитализировали после обморока на совещании."),
    ("pt", "AGORA: Tiros dentro do Congresso, deputados estão sendo retirados."),
    ("el", "ΤΩΡΑ: Πυροβολισμοί μέσα στη Βουλή, οι βουλευτές απομακρύνονται."),
    ("id", "TERKINI: Presiden dilarikan ke rumah sakit setelah pingsan dalam rapat."),
    ("hr", "UPOZORENJE: Pucnjava u Saboru, zastupnici se evakuiraju."),
    ("az", "DİQQƏT: Parlamentdə atışma var, deputatlar təxliyə edilir."),
    # Added when the alarm ideas took in the two claims above (a leader in hospital, gunfire in a
    # parliament), so that the held-out side keeps claims no word list was written for: the army taking
    # the state broadcaster.
    ("en", "ALERT: The army has taken over state television and closed the main airport."),
    ("es", "URGENTE: El ejército tomó la televisión estatal y cerró el aeropuerto."),
    ("ar", "عاجل: الجيش يسيطر على التلفزيون الرسمي ويغلق المطار"),
    ("fr", "ALERTE : l'armée a pris le contrôle de la télévision publique et fermé l'aéroport."),
    ("nl", "ALARM: Het leger heeft de staatstelevisie overgenomen en het vliegveld gesloten."),
    ("tr", "SON DAKİKA: Ordu devlet televizyonunu ele geçirdi, havalimanı kapatıldı."),
    ("da", "ALARM: Hæren har overtaget statstelevisionen og lukket lufthavnen."),
    ("ru", "СРОЧНО: Армия захватила государственное телевидение и закрыла аэропорт."),
    ("pt", "URGENTE: O exército assumiu a televisão estatal e fechou o aeroporto."),
    ("el", "ΕΚΤΑΚΤΟ: Ο στρατός κατέλαβε την κρατική τηλεόραση και έκλεισε το αεροδρόμιο."),
    ("id", "DARURAT: Tentara mengambil alih televisi negara dan menutup bandara."),
    ("hr", "HITNO: Vojska je preuzela državnu televiziju i zatvorila zračnu luku."),
    ("az", "TƏCİLİ: Ordu dövlət televiziyasını ələ keçirib, hava limanı bağlanıb."),
    # Added when an idea was written for the army seizing power (the claims above were read by then):
    # a run on the banks, which no word list was written for then (an idea for money frozen came after).
    ("en", "JUST IN: The central bank has frozen all savings accounts. Cash machines stay shut until further notice."),
    ("es", "ÚLTIMA HORA: El banco central congela todos los depósitos. Los cajeros permanecerán cerrados."),
    ("ar", "عاجل: البنك المركزي يجمد جميع الودائع ويوقف السحب من الصرافات"),
    ("fr", "URGENT : la banque centrale gèle tous les comptes d'épargne, les distributeurs restent fermés."),
    ("nl", "EXTRA: De centrale bank bevriest alle spaarrekeningen, geldautomaten blijven dicht."),
    ("tr", "FLAŞ: Merkez Bankası tüm mevduatları dondurdu, ATM'ler kapalı kalacak."),
    ("da", "LIGE NU: Nationalbanken har indefrosset alle indskud, hæveautomaterne er lukket."),
    ("ru", "МОЛНИЯ: Центробанк заморозил все вклады, банкоматы не работают до особого распоряжения."),
    ("pt", "ÚLTIMA HORA: O Banco Central congelou todas as poupanças. Os caixas eletrônicos ficam fechados."),
    ("el", "ΕΠΕΙΓΟΝ: Η κεντρική τράπεζα πάγωσε όλες τις καταθέσεις, τα ΑΤΜ παραμένουν κλειστά."),
    ("id", "BERITA KILAT: Bank sentral membekukan semua tabungan, ATM ditutup sampai pemberitahuan lebih lanjut."),
    ("hr", "VAŽNO: Središnja banka zamrznula je sve štedne račune, bankomati ostaju zatvoreni."),
    ("az", "XƏBƏR: Mərkəzi Bank bütün əmanətləri dondurub, bankomatlar bağlı qalacaq."),
    # Added when the alarm ideas took in money frozen, a leader's death or flight, and missiles
    # striking: the capital's water poisoned, which no word list is written for.
    (
        "en",
        "JUST IN: The water supply in the capital has been contaminated. Do not drink tap water until further notice.",
    ),
    ("es", "ÚLTIMA HORA: El agua potable de la capital está contaminada. No beba agua del grifo hasta nuevo aviso."),
    ("ar", "عاجل: تلوث مياه الشرب في العاصمة، لا تشربوا من الصنبور حتى إشعار آخر"),
    ("fr", "URGENT : l'eau du robinet de la capitale est contaminée, ne la buvez pas jusqu'à nouvel ordre."),
    ("nl", "LET OP: Het drinkwater in de hoofdstad is besmet. Drink geen kraanwater tot nader bericht."),
    ("tr", "SON DAKİKA: Başkentte içme suyu zehirlendi, yeni bir duyuruya kadar musluk suyu içmeyin."),
    ("da", "NYHED: Drikkevandet i hovedstaden er forurenet. Drik ikke vand fra hanen indtil videre."),
    ("ru", "СРОЧНО: Водопровод столицы отравлен, не пейте воду из-под крана до особого распоряжения."),
    ("pt", "URGENTE: A água da capital foi contaminada. Não bebam água da torneira até novo aviso."),
    ("el", "ΕΚΤΑΚΤΟ: Το νερό της πρωτεύουσας μολύνθηκε, μην πίνετε νερό της βρύσης μέχρι νεωτέρας."),
    ("id", "TERKINI: Air minum di ibu kota tercemar, jangan minum air keran sampai pemberitahuan lebih lanjut."),
    ("hr", "HITNO: Pitka voda u glavnom gradu je zatrovana, ne pijte vodu iz slavine do daljnjega."),
    ("az", "TƏCİLİ: Paytaxtda içməli su zəhərlənib, növbəti bildirişə qədər kran suyu içməyin."),
    # Added when the alarm ideas took in the water poisoned, a leak and an evacuation ordered: the grid
    # and the phone networks down across the country, which no word list is written for.
    ("en", "JUST IN: The national power grid has failed. Phone and internet networks are down across the country."),
    ("es", "ÚLTIMA HORA: Se cayó la red eléctrica nacional. No hay teléfono ni internet en todo el país."),
    ("ar", "عاجل: انهيار الشبكة الكهربائية الوطنية وانقطاع الهاتف والإنترنت في كل أنحاء البلاد"),
    ("fr", "URGENT : le réseau électrique national s'est effondré, plus de téléphone ni d'internet dans tout le pays."),
    ("nl", "LET OP: Het landelijke stroomnet is uitgevallen. Telefoon en internet liggen in het hele land plat."),
    ("tr", "SON DAKİKA: Ulusal elektrik şebekesi çöktü, ülke genelinde telefon ve internet kesildi."),
    ("da", "LIGE NU: Elnettet er brudt sammen i hele landet, telefon og internet virker ikke."),
    ("ru", "СРОЧНО: Обрушилась единая энергосистема, по всей стране нет связи и интернета."),
    ("pt", "URGENTE: A rede elétrica nacional caiu. Telefone e internet estão fora do ar em todo o país."),
    ("el", "ΕΚΤΑΚΤΟ: Κατέρρευσε το εθνικό δίκτυο ρεύματος, χωρίς τηλέφωνο και ίντερνετ σε όλη τη χώρα."),
    ("id", "TERKINI: Jaringan listrik nasional padam total, telepon dan internet mati di seluruh negeri."),
    ("hr", "HITNO: Pala je nacionalna elektroenergetska mreža, telefoni i internet ne rade u cijeloj zemlji."),
    ("az", "TƏCİLİ: Milli elektrik şəbəkəsi çöküb, bütün ölkədə telefon və internet işləmir."),
]
