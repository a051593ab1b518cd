"""The document language detector: each language on sentences written for these tests,
short and empty input, mixed scripts, determinism, and the stoplists handed to filters."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cleaner import language
from cleaner.language import LANGUAGES, detect, stoplist_name, stopwords_for

#: The required languages: a city council passes a budget (one story told in each).
COUNCIL: dict[str, str] = {
    "en": (
        "The city council approved a new budget on Tuesday after months of debate, and "
        "the mayor said the money would be spent on schools, roads and public transport. "
        "Opposition members argued that the plan was too expensive and that it did not do "
        "enough for families who are struggling with rising rents."
    ),
    "de": (
        "Der Stadtrat hat am Dienstag nach monatelangen Diskussionen einen neuen Haushalt "
        "beschlossen. Die Bürgermeisterin sagte, das Geld werde vor allem in Schulen, "
        "Straßen und den öffentlichen Nahverkehr fließen. Die Opposition kritisierte, "
        "dass der Plan zu teuer sei und den Familien, die unter steigenden Mieten leiden, "
        "nicht genug helfe."
    ),
    "fr": (
        "Le conseil municipal a adopté mardi un nouveau budget après des mois de débats. "
        "Selon la maire, l'argent sera consacré aux écoles, aux routes et aux transports "
        "publics. L'opposition estime que le projet est trop coûteux et qu'il ne fait pas "
        "assez pour les familles qui souffrent de la hausse des loyers."
    ),
    "es": (
        "El ayuntamiento aprobó el martes un nuevo presupuesto tras meses de debate. La "
        "alcaldesa afirmó que el dinero se destinará sobre todo a escuelas, carreteras y "
        "transporte público. La oposición criticó que el plan es demasiado caro y que no "
        "hace lo suficiente por las familias que sufren la subida de los alquileres."
    ),
    "it": (
        "Il consiglio comunale ha approvato martedì un nuovo bilancio dopo mesi di "
        "discussioni. La sindaca ha detto che i soldi saranno spesi soprattutto per "
        "scuole, strade e trasporto pubblico. L'opposizione sostiene che il piano è "
        "troppo costoso e che non fa abbastanza per le famiglie che soffrono per "
        "l'aumento degli affitti."
    ),
    "pt": (
        "A câmara municipal aprovou na terça-feira um novo orçamento depois de meses de "
        "debate. A presidente da câmara disse que o dinheiro será gasto sobretudo em "
        "escolas, estradas e transportes públicos. A oposição criticou o plano por ser "
        "demasiado caro e por não fazer o suficiente pelas famílias que sofrem com o "
        "aumento das rendas."
    ),
    "nl": (
        "De gemeenteraad heeft dinsdag na maanden van discussie een nieuwe begroting "
        "goedgekeurd. De burgemeester zei dat het geld vooral naar scholen, wegen en het "
        "openbaar vervoer gaat. De oppositie vindt het plan te duur en vindt dat het te "
        "weinig doet voor gezinnen die het moeilijk hebben door de stijgende huren."
    ),
    "pl": (
        "Rada miasta przyjęła we wtorek nowy budżet po wielu miesiącach dyskusji. "
        "Prezydent miasta powiedziała, że pieniądze zostaną przeznaczone przede wszystkim "
        "na szkoły, drogi i transport publiczny. Opozycja twierdzi, że plan jest zbyt "
        "drogi i nie pomaga wystarczająco rodzinom, które zmagają się z rosnącymi "
        "czynszami."
    ),
    "ru": (
        "Городской совет во вторник после нескольких месяцев обсуждений утвердил новый "
        "бюджет. Мэр заявила, что деньги будут направлены прежде всего на школы, дороги и "
        "общественный транспорт. Оппозиция считает, что план слишком дорогой и не "
        "помогает семьям, которые страдают от роста арендной платы."
    ),
    "tr": (
        "Belediye meclisi aylarca süren tartışmaların ardından salı günü yeni bütçeyi "
        "onayladı. Belediye başkanı, paranın öncelikle okullara, yollara ve toplu "
        "taşımaya harcanacağını söyledi. Muhalefet ise planın çok pahalı olduğunu ve "
        "artan kiralarla mücadele eden aileler için yeterli olmadığını savundu."
    ),
    "ja": (
        "市議会は火曜日、数か月にわたる議論の末に新しい予算案を可決した。市長は、予算"
        "は主に学校や道路、公共交通機関の整備に使われると説明した。一方、野党は計画の"
        "費用が高すぎるうえ、家賃の上昇に苦しむ家庭への支援が十分ではないと批判してい"
        "る。"
    ),
    "zh": (
        "市议会周二在经过数月的讨论后通过了新的预算案。市长表示，这笔资金将主要用于学"
        "校、道路和公共交通建设。反对派则批评该计划成本过高，而且对受房租上涨困扰的家"
        "庭帮助不足。"
    ),
    "ar": (
        "وافق المجلس البلدي يوم الثلاثاء على ميزانية جديدة بعد أشهر من النقاش. وقالت "
        "رئيسة البلدية إن الأموال ستخصص بشكل أساسي للمدارس والطرق والنقل العام. وانتقدت "
        "المعارضة الخطة معتبرة أنها مكلفة للغاية ولا تقدم ما يكفي للأسر التي تعاني من "
        "ارتفاع الإيجارات."
    ),
}


#: The required languages again, on another story (a storm; prices in Brazil for pt).
WEATHER: dict[str, str] = {
    "en": (
        "Heavy rain is expected across the north of the country this weekend, and "
        "forecasters have warned that some rivers could burst their banks. Residents were "
        "advised to avoid unnecessary travel until the storm has passed."
    ),
    "de": (
        "Am Wochenende wird im Norden des Landes mit starkem Regen gerechnet. Die "
        "Meteorologen warnen, dass einige Flüsse über die Ufer treten könnten, und raten "
        "den Bewohnern, bis zum Ende des Unwetters auf unnötige Fahrten zu verzichten."
    ),
    "fr": (
        "De fortes pluies sont attendues ce week-end dans le nord du pays, et les "
        "prévisionnistes craignent que certaines rivières ne débordent. Les habitants "
        "sont invités à éviter tout déplacement inutile jusqu'à la fin de la tempête."
    ),
    "es": (
        "Se esperan fuertes lluvias este fin de semana en el norte del país y los "
        "meteorólogos advierten de que algunos ríos podrían desbordarse. Las autoridades "
        "han pedido a los vecinos que eviten los desplazamientos innecesarios hasta que "
        "pase la tormenta."
    ),
    "it": (
        "Nel fine settimana sono attese forti piogge nel nord del paese e i meteorologi "
        "avvertono che alcuni fiumi potrebbero esondare. Le autorità hanno chiesto ai "
        "residenti di evitare gli spostamenti non necessari finché la tempesta non sarà "
        "passata."
    ),
    "pt": (
        "O governo federal anunciou nesta quarta-feira um pacote de medidas para conter a "
        "alta dos preços dos alimentos. Segundo o ministro, as ações devem começar a "
        "valer no próximo mês e não vão exigir aumento de impostos."
    ),
    "nl": (
        "Dit weekend wordt in het noorden van het land zware regenval verwacht en "
        "meteorologen waarschuwen dat sommige rivieren buiten hun oevers kunnen treden. "
        "Bewoners wordt aangeraden onnodige reizen te vermijden totdat de storm voorbij "
        "is."
    ),
    "pl": (
        "W ten weekend na północy kraju spodziewane są ulewne deszcze, a synoptycy "
        "ostrzegają, że niektóre rzeki mogą wystąpić z brzegów. Mieszkańcom zaleca się "
        "unikanie zbędnych podróży do czasu, aż burza minie."
    ),
    "ru": (
        "В выходные на севере страны ожидаются сильные дожди, и синоптики предупреждают, "
        "что некоторые реки могут выйти из берегов. Жителям рекомендовано отказаться от "
        "ненужных поездок, пока не пройдёт непогода."
    ),
    "tr": (
        "Hafta sonu ülkenin kuzeyinde şiddetli yağış bekleniyor ve meteoroloji uzmanları "
        "bazı nehirlerin taşabileceği konusunda uyarıyor. Vatandaşlara fırtına geçene "
        "kadar zorunlu olmadıkça yolculuk yapmamaları tavsiye edildi."
    ),
    "ja": (
        "週末は国の北部で大雨が予想されており、気象庁は一部の河川が氾濫するおそれがあ"
        "ると警告している。住民には、嵐が過ぎるまで不要な外出を控えるよう呼びかけてい"
        "る。"
    ),
    "zh": (
        "预计本周末该国北部将出现强降雨，气象部门警告部分河流可能发生洪水。当局呼吁居"
        "民在暴风雨过去之前避免不必要的出行。"
    ),
    "ar": (
        "من المتوقع أن تهطل أمطار غزيرة على شمال البلاد خلال عطلة نهاية الأسبوع، وحذر "
        "خبراء الأرصاد من أن بعض الأنهار قد تفيض. ونصحت السلطات السكان بتجنب السفر غير "
        "الضروري حتى تمر العاصفة."
    ),
}


#: Further languages, the near pairs among them (es/pt/gl/ca, no/nn/da/sv, cs/sk,
#: hr/sl, ru/uk/bg/mk/be/sr, hi/mr/ne, ar/fa/ur, id/ms, nl/af, zu/xh): the council story.
MORE: dict[str, str] = {
    "pt-br": (
        "O governo federal anunciou nesta quarta-feira um pacote de medidas para conter a "
        "alta dos preços dos alimentos. Segundo o ministro, as ações devem começar a "
        "valer no próximo mês e não vão exigir aumento de impostos. Economistas ouvidos "
        "pela reportagem afirmam que o efeito deve ser limitado."
    ),
    "gl": (
        "O concello aprobou o martes un novo orzamento despois de meses de debate. A "
        "alcaldesa dixo que o diñeiro se destinará sobre todo a escolas, estradas e "
        "transporte público. A oposición criticou que o plan é demasiado caro e que non "
        "fai abondo polas familias que sofren a suba dos alugueiros."
    ),
    "ca": (
        "L'ajuntament va aprovar dimarts un nou pressupost després de mesos de debat. "
        "L'alcaldessa va dir que els diners es destinaran sobretot a escoles, carreteres "
        "i transport públic. L'oposició va criticar que el pla és massa car i que no fa "
        "prou per les famílies que pateixen la pujada dels lloguers."
    ),
    "af": (
        "Die stadsraad het Dinsdag ná maande se debat 'n nuwe begroting goedgekeur. Die "
        "burgemeester het gesê die geld sal hoofsaaklik aan skole, paaie en openbare "
        "vervoer bestee word. Die opposisie het gekla dat die plan te duur is en nie "
        "genoeg doen vir gesinne wat sukkel met stygende huurgeld nie."
    ),
    "cs": (
        "Městské zastupitelstvo v úterý po měsících debat schválilo nový rozpočet. "
        "Primátorka uvedla, že peníze půjdou především na školy, silnice a veřejnou "
        "dopravu. Opozice tvrdí, že plán je příliš drahý a že nedělá dost pro rodiny, "
        "které se potýkají s rostoucím nájemným."
    ),
    "sk": (
        "Mestské zastupiteľstvo v utorok po mesiacoch diskusií schválilo nový rozpočet. "
        "Primátorka uviedla, že peniaze pôjdu najmä na školy, cesty a verejnú dopravu. "
        "Opozícia tvrdí, že plán je príliš drahý a že nerobí dosť pre rodiny, ktoré "
        "zápasia s rastúcimi nájmami."
    ),
    "sl": (
        "Mestni svet je v torek po več mesecih razprav sprejel nov proračun. Županja je "
        "povedala, da bo denar namenjen predvsem šolam, cestam in javnemu prevozu. "
        "Opozicija meni, da je načrt predrag in da ne naredi dovolj za družine, ki se "
        "spopadajo z naraščajočimi najemninami."
    ),
    "hr": (
        "Gradsko vijeće u utorak je nakon višemjesečne rasprave usvojilo novi proračun. "
        "Gradonačelnica je rekla da će novac biti potrošen ponajprije na škole, ceste i "
        "javni prijevoz. Oporba tvrdi da je plan preskup i da ne čini dovoljno za "
        "obitelji koje se bore s rastućim najamninama."
    ),
    "sr": (
        "Градско веће је у уторак после вишемесечне расправе усвојило нови буџет. "
        "Градоначелница је рекла да ће новац бити потрошен пре свега на школе, путеве и "
        "јавни превоз. Опозиција тврди да је план прескуп и да не чини довољно за "
        "породице које се боре са све већим киријама."
    ),
    "uk": (
        "Міська рада у вівторок після кількох місяців обговорень ухвалила новий бюджет. "
        "Мерка заявила, що гроші буде спрямовано насамперед на школи, дороги та "
        "громадський транспорт. Опозиція вважає, що план занадто дорогий і не допомагає "
        "родинам, які страждають від зростання орендної плати."
    ),
    "bg": (
        "Общинският съвет прие във вторник нов бюджет след месеци на обсъждания. Кметът "
        "заяви, че парите ще бъдат изразходвани преди всичко за училища, пътища и "
        "обществен транспорт. Опозицията смята, че планът е твърде скъп и не помага "
        "достатъчно на семействата, които страдат от растящите наеми."
    ),
    "mk": (
        "Советот на општината во вторник по неколкумесечна расправа усвои нов буџет. "
        "Градоначалничката изјави дека парите ќе бидат потрошени пред сè за училишта, "
        "патишта и јавен превоз. Опозицијата смета дека планот е премногу скап и дека не "
        "прави доволно за семејствата што се борат со растечките кирии."
    ),
    "be": (
        "Гарадскі савет у аўторак пасля некалькіх месяцаў абмеркавання зацвердзіў новы "
        "бюджэт. Мэр заявіла, што грошы будуць накіраваны перш за ўсё на школы, дарогі і "
        "грамадскі транспарт. Апазіцыя лічыць, што план занадта дарагі і не дапамагае "
        "сем'ям, якія пакутуюць ад росту арэнднай платы."
    ),
    "zh-hant": (
        "市議會週二在經過數月的討論後通過了新的預算案。市長表示，這筆資金將主要用於學"
        "校、道路和公共交通建設。"
    ),
    "ko": (
        "시의회는 화요일 몇 달간의 논의 끝에 새 예산안을 통과시켰다. 시장은 예산이 주로 학교와 도로, 대중교통에 쓰일 것이라고 밝혔다. 야당은 계획이 "
        "너무 비싸고 임대료 상승으로 어려움을 겪는 가정에 대한 지원이 부족하다고 비판했다."
    ),
    "fa": (
        "شورای شهر روز سه‌شنبه پس از ماه‌ها بحث، بودجه جدید را تصویب کرد. شهردار گفت که "
        "این پول بیشتر برای مدرسه‌ها، جاده‌ها و حمل‌ونقل عمومی هزینه خواهد شد. مخالفان "
        "می‌گویند این طرح بسیار گران است و به خانواده‌هایی که با افزایش اجاره‌بها دست و "
        "پنجه نرم می‌کنند کمک کافی نمی‌کند."
    ),
    "ur": (
        "سٹی کونسل نے منگل کو کئی مہینوں کی بحث کے بعد نیا بجٹ منظور کر لیا۔ میئر نے کہا "
        "کہ یہ رقم زیادہ تر اسکولوں، سڑکوں اور پبلک ٹرانسپورٹ پر خرچ کی جائے گی۔ اپوزیشن "
        "کا کہنا ہے کہ یہ منصوبہ بہت مہنگا ہے اور ان خاندانوں کے لیے کافی نہیں جو بڑھتے "
        "ہوئے کرایوں سے پریشان ہیں۔"
    ),
    "hi": (
        "नगर परिषद ने मंगलवार को कई महीनों की बहस के बाद नया बजट पारित कर दिया। महापौर ने "
        "कहा कि यह पैसा मुख्य रूप से स्कूलों, सड़कों और सार्वजनिक परिवहन पर खर्च किया "
        "जाएगा। विपक्ष का कहना है कि यह योजना बहुत महंगी है और बढ़ते किराए से परेशान "
        "परिवारों के लिए पर्याप्त नहीं है।"
    ),
    "mr": (
        "नगर परिषदेने मंगळवारी अनेक महिन्यांच्या चर्चेनंतर नवीन अर्थसंकल्प मंजूर केला. "
        "महापौरांनी सांगितले की हा पैसा मुख्यतः शाळा, रस्ते आणि सार्वजनिक वाहतुकीवर खर्च "
        "केला जाईल. विरोधकांचे म्हणणे आहे की ही योजना खूप महाग आहे आणि वाढत्या भाड्यामुळे "
        "त्रस्त असलेल्या कुटुंबांसाठी ती पुरेशी नाही."
    ),
    "ne": (
        "नगर परिषदले मंगलबार धेरै महिनाको बहसपछि नयाँ बजेट पारित गर्‍यो। मेयरले यो रकम "
        "मुख्य रूपमा विद्यालय, सडक र सार्वजनिक यातायातमा खर्च गरिने बताइन्। विपक्षले यो "
        "योजना धेरै महँगो भएको र बढ्दो भाडाले पीडित परिवारका लागि पर्याप्त नभएको बताएको "
        "छ।"
    ),
    "el": (
        "Το δημοτικό συμβούλιο ενέκρινε την Τρίτη νέο προϋπολογισμό μετά από μήνες "
        "συζητήσεων. Η δήμαρχος δήλωσε ότι τα χρήματα θα διατεθούν κυρίως σε σχολεία, "
        "δρόμους και δημόσιες συγκοινωνίες. Η αντιπολίτευση υποστηρίζει ότι το σχέδιο "
        "είναι πολύ ακριβό και δεν κάνει αρκετά για τις οικογένειες που πλήττονται από "
        "την αύξηση των ενοικίων."
    ),
    "he": (
        "מועצת העיר אישרה ביום שלישי תקציב חדש לאחר חודשים של דיונים. ראש העירייה אמרה כי "
        "הכסף יושקע בעיקר בבתי ספר, בכבישים ובתחבורה ציבורית. האופוזיציה טוענת כי התוכנית "
        "יקרה מדי ואינה עושה מספיק עבור משפחות המתמודדות עם עליית שכר הדירה."
    ),
    "sv": (
        "Kommunfullmäktige godkände på tisdagen en ny budget efter flera månaders debatt. "
        "Kommunstyrelsens ordförande sa att pengarna framför allt ska gå till skolor, "
        "vägar och kollektivtrafik. Oppositionen menar att planen är för dyr och att den "
        "inte gör tillräckligt för familjer som har svårt att klara de stigande hyrorna."
    ),
    "da": (
        "Byrådet vedtog tirsdag et nyt budget efter flere måneders debat. Borgmesteren "
        "sagde, at pengene først og fremmest skal bruges på skoler, veje og kollektiv "
        "trafik. Oppositionen mener, at planen er for dyr, og at den ikke gør nok for de "
        "familier, der kæmper med stigende huslejer."
    ),
    "no": (
        "Bystyret vedtok tirsdag et nytt budsjett etter flere måneders debatt. Ordføreren "
        "sa at pengene først og fremst skal brukes på skoler, veier og kollektivtrafikk. "
        "Opposisjonen mener at planen er for dyr, og at den ikke gjør nok for familier "
        "som sliter med økende husleie."
    ),
    "nn": (
        "Bystyret vedtok tysdag eit nytt budsjett etter fleire månader med debatt. "
        "Ordføraren sa at pengane først og fremst skal brukast på skular, vegar og "
        "kollektivtrafikk. Opposisjonen meiner at planen er for dyr, og at han ikkje gjer "
        "nok for familiar som slit med aukande husleige."
    ),
    "fi": (
        "Kaupunginvaltuusto hyväksyi tiistaina uuden talousarvion kuukausia kestäneen "
        "keskustelun jälkeen. Pormestarin mukaan rahat käytetään ennen kaikkea kouluihin, "
        "teihin ja joukkoliikenteeseen. Oppositio pitää suunnitelmaa liian kalliina ja "
        "katsoo, ettei se auta tarpeeksi perheitä, jotka kärsivät vuokrien noususta."
    ),
    "et": (
        "Linnavolikogu kiitis teisipäeval pärast mitu kuud kestnud arutelu heaks uue "
        "eelarve. Linnapea sõnul kulutatakse raha eelkõige koolidele, teedele ja "
        "ühistranspordile. Opositsiooni hinnangul on plaan liiga kallis ega aita "
        "piisavalt peresid, kes kannatavad üürihindade tõusu all."
    ),
    "hu": (
        "A városi közgyűlés kedden hónapokig tartó vita után elfogadta az új "
        "költségvetést. A polgármester szerint a pénzt elsősorban iskolákra, utakra és a "
        "tömegközlekedésre fordítják. Az ellenzék szerint a terv túl drága, és nem segít "
        "eléggé azoknak a családoknak, amelyek a növekvő lakbérekkel küzdenek."
    ),
    "ro": (
        "Consiliul local a aprobat marți un nou buget, după luni întregi de dezbateri. "
        "Primarul a declarat că banii vor fi cheltuiți în principal pe școli, drumuri și "
        "transport public. Opoziția susține că planul este prea scump și că nu face "
        "suficient pentru familiile care se confruntă cu creșterea chiriilor."
    ),
    "lt": (
        "Miesto taryba antradienį po kelis mėnesius trukusių diskusijų patvirtino naują "
        "biudžetą. Merės teigimu, pinigai pirmiausia bus skirti mokykloms, keliams ir "
        "viešajam transportui. Opozicija tvirtina, kad planas per brangus ir nepakankamai "
        "padeda šeimoms, kurios kenčia dėl augančių nuomos kainų."
    ),
    "lv": (
        "Pilsētas dome otrdien pēc vairākus mēnešus ilgām debatēm apstiprināja jauno "
        "budžetu. Mēre sacīja, ka nauda galvenokārt tiks tērēta skolām, ceļiem un "
        "sabiedriskajam transportam. Opozīcija uzskata, ka plāns ir pārāk dārgs un "
        "nepalīdz pietiekami ģimenēm, kuras cieš no īres maksas kāpuma."
    ),
    "id": (
        "Dewan kota pada hari Selasa menyetujui anggaran baru setelah berbulan-bulan "
        "perdebatan. Wali kota mengatakan bahwa dana tersebut akan digunakan terutama "
        "untuk sekolah, jalan, dan transportasi umum. Pihak oposisi menilai rencana itu "
        "terlalu mahal dan tidak cukup membantu keluarga yang kesulitan menghadapi "
        "kenaikan harga sewa rumah."
    ),
    "ms": (
        "Majlis bandaraya pada hari Selasa telah meluluskan bajet baharu selepas "
        "perbahasan selama beberapa bulan. Datuk Bandar berkata bahawa peruntukan itu "
        "akan dibelanjakan terutamanya untuk sekolah, jalan raya dan pengangkutan awam. "
        "Pihak pembangkang berpendapat bahawa rancangan itu terlalu mahal dan tidak cukup "
        "untuk membantu keluarga yang bergelut dengan kenaikan sewa rumah."
    ),
    "vi": (
        "Hội đồng thành phố hôm thứ Ba đã thông qua ngân sách mới sau nhiều tháng tranh "
        "luận. Thị trưởng cho biết số tiền này sẽ được dùng chủ yếu cho trường học, đường "
        "sá và giao thông công cộng. Phe đối lập cho rằng kế hoạch quá tốn kém và không "
        "hỗ trợ đủ cho các gia đình đang gặp khó khăn vì giá thuê nhà tăng."
    ),
    "sw": (
        "Baraza la jiji limeidhinisha bajeti mpya siku ya Jumanne baada ya miezi kadhaa "
        "ya mjadala. Meya alisema kwamba fedha hizo zitatumika hasa kwa shule, barabara "
        "na usafiri wa umma. Upinzani unasema mpango huo ni ghali mno na hausaidii vya "
        "kutosha familia zinazokabiliwa na kupanda kwa kodi ya nyumba."
    ),
    "is": (
        "Borgarstjórn samþykkti nýja fjárhagsáætlun á þriðjudag eftir margra mánaða "
        "umræður. Borgarstjóri sagði að peningunum yrði einkum varið til skóla, vega og "
        "almenningssamgangna. Stjórnarandstaðan telur að áætlunin sé of dýr og geri ekki "
        "nóg fyrir fjölskyldur sem glíma við hækkandi leigu."
    ),
    "zu": (
        "Umkhandlu wedolobha uphasise isabelomali esisha ngoLwesibili ngemuva kwezinyanga "
        "eziningi zezingxoxo. UMeya uthe le mali izosetshenziswa kakhulu ezikoleni, "
        "emigwaqweni nakwezokuthutha komphakathi. Abaphikisayo bathi lolu hlelo ludula "
        "kakhulu futhi alwenzi okwanele ukusiza imindeni ekhungathekile ngenxa "
        "yokukhuphuka kwerenti."
    ),
    "xh": (
        "IBhunga lesixeko liphumeze uhlahlo-lwabiwo mali olutsha ngoLwesibini emva "
        "kweenyanga ezininzi zengxoxo. USodolophu uthe le mali iza kusetyenziswa ikakhulu "
        "kwizikolo, iindlela kunye nezothutho loluntu. Abachasi bathi esi sicwangciso "
        "sibiza kakhulu kwaye asenzi ngokwaneleyo ukunceda iintsapho ezisokolayo ngenxa "
        "yokunyuka kwerenti."
    ),
}
REQUIRED = ("en", "de", "fr", "es", "it", "pt", "nl", "pl", "ru", "tr", "ja", "zh", "ar")


def _code(key: str) -> str:
    return key.split("-")[0]  # "pt-br" is Portuguese, "zh-hant" Chinese


@pytest.mark.parametrize("code", REQUIRED)
def test_each_required_language_is_detected_on_two_stories(code: str) -> None:
    assert detect(COUNCIL[code]) == code
    assert detect(WEATHER[code]) == code


@pytest.mark.parametrize("key", MORE)
def test_further_languages_and_near_pairs_are_detected(key: str) -> None:
    assert detect(MORE[key]) == _code(key)


@pytest.mark.parametrize("code", REQUIRED)
def test_one_sentence_is_enough(code: str) -> None:
    first = WEATHER[code].split(". ")[0].split("。")[0]
    assert detect(first) == code


@pytest.mark.parametrize("text", [
    "", "   \n\t ", "1234 5678", "2024-05-01 12:00", "!!! ??? ...", "+1 (555) 010-9999",
    "https://example.com/news/2024/05/01/story.html", "Breaking", "Read more", "OK",
    "Der Hund", "the the the the the", "東京", "Москва", "\u00a0\u200b\ufeff",
])
def test_short_empty_or_wordless_text_gives_no_language(text: str) -> None:
    assert detect(text) == ""


def test_a_name_in_another_script_does_not_change_the_language() -> None:
    assert detect(WEATHER["en"] + " The minister, Сергей Лавров, did not comment.") == "en"
    assert detect(WEATHER["en"] + " The film, 千と千尋の神隠し, was shown again.") == "en"
    assert detect(WEATHER["ru"] + " Компании Apple и Microsoft не ответили на запрос.") == "ru"
    assert detect(WEATHER["ar"] + " (AFP) CNN BBC Reuters") == "ar"


def test_mixed_script_text_takes_the_dominant_script() -> None:
    # Japanese with English brand names, Korean with a Han surname, a Chinese article
    # quoting a product name; and the other way round, two Japanese words in English prose.
    assert detect(WEATHER["ja"] + " NHK News Web, Yahoo! Japan, Google Maps") == "ja"
    assert detect("李 대통령은 " + MORE["ko"]) == "ko"
    assert detect(WEATHER["zh"] + " (Reuters) iPhone 16 Pro Max") == "zh"
    assert detect(COUNCIL["en"] + " 東京 大阪") == "en"


def test_kana_make_han_text_japanese_and_their_absence_chinese() -> None:
    assert detect(COUNCIL["ja"]) == "ja"
    assert detect(COUNCIL["zh"]) == "zh"
    assert detect(MORE["zh-hant"]) == "zh"


def test_a_page_dump_is_read_by_its_prose_not_its_menus() -> None:
    # An English menu over a German article: the short lines are passed over.
    menu = "\n".join(["Home", "News", "Sport", "Login", "Subscribe", "Weather", "Contact us",
                      "Newsletter", "Privacy policy", "Cookie settings"] * 5)
    assert detect(menu + "\n" + COUNCIL["de"] + "\n" + WEATHER["de"]) == "de"


def test_a_repeated_word_is_one_word_of_evidence() -> None:
    # A menu repeating a word that another language lists must not outvote the prose.
    menu = " ".join(["plan"] * 80)
    assert detect(WEATHER["en"] + "\n" + menu) == "en"


def test_english_words_in_other_stoplists_do_not_take_english_text() -> None:
    # justext's Sundanese, Uzbek, Malay and Igbo lists hold English's commonest words.
    text = ("The report said that the data were not available for all of the regions, and "
            "that it would be published later this year with more information about them.")
    assert detect(text) == "en"


def test_the_longest_sample_cannot_overflow_the_score_fields() -> None:
    # Four hundred different stopwords, each at its heaviest weight in some language.
    words = sorted(stopwords_for("fi"))[:400] + sorted(stopwords_for("en"))[:400]
    assert detect(" ".join(words)) in LANGUAGES | {""}


def test_detection_is_deterministic_within_and_across_processes() -> None:
    texts = [COUNCIL["es"], MORE["gl"], MORE["no"], MORE["da"], MORE["id"], MORE["ms"], ""]
    first = [detect(t) for t in texts]
    assert [detect(t) for t in texts] == first
    code = ("import sys, json; from cleaner.language import detect; "
            "print(json.dumps([detect(t) for t in json.load(sys.stdin)]))")
    import json

    for seed in ("0", "12345"):
        out = subprocess.run([sys.executable, "-c", code], input=json.dumps(texts),
                             capture_output=True, text=True, check=True,
                             env={**os.environ, "PYTHONHASHSEED": seed})
        assert json.loads(out.stdout) == first


@given(st.text(max_size=300))
def test_any_text_gives_a_known_code_or_nothing(text: str) -> None:
    assert detect(text) in LANGUAGES | {""}


@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=200))
def test_script_counts_agree_with_a_character_by_character_reading(text: str) -> None:
    # _letters counts UTF-8 lead bytes in C; reading each character's own bytes must agree.
    sample = text[::language.STRIDE]
    latin = 0
    scripts: dict[str, int] = {}
    for ch in sample:
        raw = ch.encode("utf-8")
        if raw[0] in language._LATIN_LEADS or raw[:2] in language._LATIN_PAIRS:
            latin += 1
            continue
        for name, _, prefixes in language._SCRIPTS:
            if raw[:1] in prefixes or raw[:2] in prefixes:
                scripts[name] = scripts.get(name, 0) + 1
                break
    got_latin, got = language._letters(text)
    assert got_latin == latin
    if got:  # _letters skips the other scripts when they cannot outweigh the Latin letters
        assert got == scripts
    else:
        assert language.CJK_WEIGHT * sum(scripts.values()) <= latin


def test_every_code_is_a_two_letter_iso_639_1_code() -> None:
    assert all(len(code) == 2 and code.isalpha() and code.islower() for code in LANGUAGES)
    assert set(REQUIRED) <= LANGUAGES


def test_stoplist_names_and_stopwords_per_code() -> None:
    assert stoplist_name("en") == "English"
    assert stoplist_name("pt") == "Portuguese"
    assert stoplist_name("no") == stoplist_name("nb") == "Norwegian_Bokmal"
    assert stoplist_name("ja") is None and stoplist_name("") is None
    assert {"the", "and", "of"} <= stopwords_for("en")
    assert {"и", "в", "не"} <= stopwords_for("ru")
    assert stopwords_for("zh") == frozenset() and stopwords_for("xh") == frozenset()


def test_every_language_detected_by_stopwords_has_its_list() -> None:
    # A justext upgrade that renamed a list would silently drop its language.
    for group in language._STOPLISTS.values():
        for code in group:
            assert stopwords_for(code), code


def test_lone_surrogates_are_no_letters_of_any_script() -> None:
    from cleaner.language import detect

    assert detect("\ud800" * 300) == ""
