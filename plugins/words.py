"""Word lists of the built-in probes in the languages of Europe and the Americas.

Each list is a compiled pattern, matched case-insensitively on visible text. The languages
covered are named beside each; a probe that meets a language none of its lists covers says
so rather than judging the page by English words.
"""

from __future__ import annotations

import re
from functools import lru_cache

from ._lazyre import folded_spans, lazy_compile

# --------------------------------------------------------------------------- calls to action

#: Words of a call to action ("Book a table", "Réserver", "Termin buchen", "Umów wizytę"):
#: en, de, fr, es, it, pt, nl, pl, cs, sv, da, no, fi, ro, tr.
CTA_WORDS = lazy_compile(
    r"\b(get|start|try|book|buy|shop|contact|sign\s+up|join|learn|download|order|request|schedule|call|see|"
    r"discover|explore|reserve|subscribe|enquire|inquire|apply|register|donate|visit|view|"
    # de
    r"jetzt|buchen|termin|bestellen|kaufen|anfragen|anfrage|kontakt(?:ieren)?|reservieren|entdecken|mehr\s+erfahren|"
    r"anrufen|vereinbaren|registrieren|spenden|ansehen|zum\s+shop|"
    # fr
    r"r[ée]server|r[ée]servez|commander|commandez|acheter|contactez|contacter|d[ée]couvrir|d[ée]couvrez|"
    r"prendre\s+rendez|rendez[- ]vous|devis|demander|appeler|appelez|voir|s'inscrire|inscrivez|essayer|"
    # es
    r"reservar|reserva|reserve|comprar|compra|pedir|pide|contactar|cont[áa]ctanos|llamar|llama|descubre|"
    r"descubrir|solicitar|solicita|agendar|agenda|pedir\s+cita|cita|ver|presupuesto|inscr[íi]bete|"
    # it
    r"prenota|prenotare|acquista|ordina|contattaci|contatta|chiama|scopri|richiedi|visita|iscriviti|"
    # pt
    r"agende|marcar|compre|comprar|encomendar|fale|falar|ligue|conhe[çc]a|saiba\s+mais|solicite|or[çc]amento|"
    r"inscreva|quero|"
    # nl
    r"boek|boeken|bestel|bestellen|koop|kopen|afspraak|reserveer|bel\s+(?:ons|nu|me)|ontdek|bekijk|vraag|offerte|"
    # pl
    r"zarezerwuj|rezerwuj|um[óo]w|kup|zam[óo]w|skontaktuj|zadzwo[ńn]|sprawd[źz]|zobacz|zapisz|"
    # cs
    r"objednat|objednejte|rezervovat|rezervujte|koupit|kupte|kontaktujte|zavolejte|zjistit|"
    # sv, da, no, fi, ro, tr
    r"boka|k[öo]p|best[äa]ll|kontakta|ring\s+(?:oss|os|os\s+op)|bestil|k[øo]b|book\s+tid|bestill|varaa|osta|tilaa|ota\s+yhteytt[äa]|"
    r"rezerv[ăa]|cump[ăa]r[ăa]|comand[ăa]|sun[ăa]|rezervasyon|sat[ıi]n\s+al|sipari[şs]|bizi\s+aray[ıi]n|randevu)\b",
    re.I,
)

# --------------------------------------------------------------------------- policies

_P = r"^(?:(?:our|the|view|read|see|unsere?|notre|nos|nuestra|nuestro|nuestros|la|le|les|el|il|la\s+nostra|a|o|nossa|" \
     r"nossos|onze|ons|informativa\s+sulla|zásady|polityka)\s+)?(?:"
_S = r")(?:\s*\((?:pdf|en|de|fr)\))?$"
#: Link texts, titles and h1s that name a policy, and URL slugs, per kind: en, de, fr, es,
#: it, pt, nl, pl, cs, sv, da, no, fi, ro, tr. A legal notice (Impressum, mentions légales,
#: aviso legal, note legali, colofon) names the publisher: it is none of these.
POLICY_WORDS: dict[str, tuple[re.Pattern[str], re.Pattern[str]]] = {
    "privacy": (
        lazy_compile(_P + r"privacy(?:\s+(?:policy|notice|statement|center|centre|&\s+cookies?(?:\s+policy)?|and\s+cookies?(?:\s+policy)?))?|"
                   r"privacy\s*&\s*terms|data\s+protection(?:\s+(?:policy|notice))?|gdpr|"
                   r"datenschutz(?:erkl[äa]rung|hinweise?|richtlinie|bestimmungen)?|privatsph[äa]re|"
                   r"(?:politique\s+de\s+)?confidentialit[ée]|protection\s+des\s+donn[ée]es(?:\s+personnelles)?|"
                   r"donn[ée]es\s+personnelles|vie\s+priv[ée]e|rgpd|"
                   r"(?:pol[ií]tica\s+de\s+)?privacidad|aviso\s+de\s+privacidad|protecci[oó]n\s+de\s+datos(?:\s+personales)?|"
                   r"(?:informativa\s+)?privacy|informativa(?:\s+sul(?:la)?\s+(?:privacy|trattamento\s+dei\s+dati))?|"
                   r"protezione\s+dei\s+dati(?:\s+personali)?|trattamento\s+dei\s+dati(?:\s+personali)?|"
                   r"(?:pol[ií]tica\s+de\s+)?privacidade|prote[çc][ãa]o\s+de\s+dados|lgpd|"
                   r"privacyverklaring|privacybeleid|privacystatement|gegevensbescherming|"
                   r"(?:polityka\s+)?prywatno[śs]ci|ochrona\s+danych(?:\s+osobowych)?|rodo|"
                   r"(?:z[áa]sady\s+)?ochran[ay]\s+osobn[íi]ch\s+[úu]daj[ůu]|zpracov[áa]n[íi]\s+osobn[íi]ch\s+[úu]daj[ůu]|"
                   r"integritetspolicy|personuppgifter|dataskydd|privatlivspolitik|persondatapolitik|databeskyttelse|"
                   r"personvern(?:erkl[æa]ring)?|tietosuoja(?:seloste|k[äa]yt[äa]nt[öo])?|"
                   r"(?:politica\s+de\s+)?confiden[țt]ialitate|protec[țt]ia\s+datelor|"
                   r"gizlilik(?:\s+politikas[ıi])?|kvkk|ki[şs]isel\s+verilerin\s+korunmas[ıi]" + _S, re.I),
        lazy_compile(r"(^|[/_-])(privacy|privacy-?policy|datenschutz|datenschutzerkl\w*|confidentialite|privacidad|privacidade|"
                   r"data-?protection|gdpr|rgpd|lgpd|privacyverklaring|privacybeleid|prywatnosci|polityka-prywatnosci|"
                   r"ochrana-osobnich-udaju|gdpr|integritetspolicy|privatlivspolitik|personvern|tietosuoja|"
                   r"confidentialitate|gizlilik|kvkk|informativa-privacy)([/_.-]|$)", re.I),
    ),
    "terms": (
        lazy_compile(_P + r"terms(?:\s+(?:of\s+(?:service|use|sale|business)|and\s+conditions|&\s+conditions))?|"
                   r"terms\s+&\s+privacy|tos|t\s*&\s*cs?|eula|end[- ]user\s+licen[cs]e\s+agreement|licen[cs]e\s+agreement|legal|"
                   r"agb|allgemeine\s+gesch[äa]ftsbedingungen|gesch[äa]ftsbedingungen|nutzungsbedingungen|"
                   r"conditions\s+g[ée]n[ée]rales(?:\s+d[e']\s*(?:vente|service|utilisation))?|cgv|cgu|"
                   r"t[ée]rminos(?:\s+(?:y\s+condiciones|de\s+uso|de\s+servicio))?|condiciones(?:\s+(?:de\s+uso|generales(?:\s+de\s+(?:venta|contrataci[oó]n))?))?|"
                   r"termini\s+e\s+condizioni|termini\s+di\s+(?:servizio|utilizzo)|condizioni(?:\s+(?:d'uso|di\s+utilizzo|generali(?:\s+di\s+vendita)?))?|"
                   r"termos(?:\s+(?:de\s+uso|de\s+servi[çc]o|e\s+condi[çc][õo]es))?|condi[çc][õo]es\s+(?:gerais|de\s+uso)|"
                   r"(?:algemene\s+)?voorwaarden|gebruiksvoorwaarden|"
                   r"regulamin(?:\s+(?:sklepu|serwisu))?|(?:og[óo]lne\s+)?warunki(?:\s+korzystania)?|"
                   r"(?:v[šs]eobecn[ée]\s+)?obchodn[íi]\s+podm[íi]nky|podm[íi]nky\s+u[žz]it[íi]|"
                   r"(?:allm[äa]nna\s+)?villkor|k[öo]pvillkor|handelsbetingelser|vilk[åa]r|salgsbetingelser|"
                   r"k[äa]ytt[öo]ehdot|toimitusehdot|termeni\s+[șs]i\s+condi[țt]ii|"
                   r"kullan[ıi]m\s+ko[şs]ullar[ıi]|[şs]artlar\s+ve\s+ko[şs]ullar|mesafeli\s+sat[ıi][şs]\s+s[öo]zle[şs]mesi" + _S, re.I),
        lazy_compile(r"(^|[/_-])(terms|tos|terms-of-service|terms-and-conditions|terms-of-use|eula|agb|cgv|cgu|terminos|"
                   r"condiciones|termini|condizioni|termos|termos-de-uso|voorwaarden|algemene-voorwaarden|regulamin|"
                   r"obchodni-podminky|podminky|villkor|vilkar|handelsbetingelser|kayttoehdot|termeni|kosullar|"
                   r"conditions-generales)([/_.-]|$)", re.I),
    ),
    "refund": (
        lazy_compile(_P + r"refunds?(?:\s+policy)?|money[- ]back(?:\s+guarantee)?|refund\s+(?:and|&)\s+returns?(?:\s+policy)?|"
                   r"returns?\s+(?:and|&)\s+refunds?(?:\s+policy)?|"
                   r"widerruf(?:srecht|sbelehrung)?|r[üu]ckgabe(?:recht)?|r[üu]ckerstattung|umtausch|"
                   r"remboursements?|politique\s+de\s+remboursement|droit\s+de\s+r[ée]tractation|r[ée]tractation|"
                   r"reembolsos?|pol[ií]tica\s+de\s+(?:reembolso|devoluci[oó]n(?:es)?)|devoluciones|derecho\s+de\s+desistimiento|"
                   r"rimbors[oi]|resi(?:\s+e\s+rimborsi)?|diritto\s+di\s+recesso|recesso|"
                   r"devolu[çc][ãa]o|trocas\s+e\s+devolu[çc][õo]es|pol[ií]tica\s+de\s+(?:troca|devolu[çc][ãa]o|reembolso)|"
                   r"retourneren|retourbeleid|retouren|herroepingsrecht|terugbetaling|"
                   r"zwroty|reklamacje\s+i\s+zwroty|odst[ąa]pienie\s+od\s+umowy|"
                   r"vr[áa]cen[íi]\s+zbo[žz][íi]|reklama[čc]n[íi]\s+[řr][áa]d|odstoupen[íi]\s+od\s+smlouvy|"
                   r"returer|[åa]ngerr[äa]tt|[åa]terbetalning|returnering|fortrydelsesret|angrerett|palautus(?:oikeus)?|"
                   r"returnare|rambursare|iade(?:\s+politikas[ıi])?" + _S, re.I),
        lazy_compile(r"(^|[/_-])(refunds?|refund-policy|money-back|widerruf\w*|rueckgabe|remboursement|retractation|reembolso|"
                   r"devoluciones|rimborsi|resi|recesso|devolucao|trocas|retourneren|retourbeleid|herroepingsrecht|zwroty|"
                   r"vraceni-zbozi|reklamace|returer|angerratt|fortrydelsesret|angrerett|palautus|returnare|iade)([/_.-]|$)", re.I),
    ),
    "cancellation": (
        lazy_compile(_P + r"cancell?ation(?:\s+policy)?|cancel(?:\s+(?:your\s+)?subscription)?|"
                   r"k[üu]ndigung|stornierung|storno(?:bedingungen)?|r[ée]siliation|annulation|"
                   r"(?:pol[ií]tica\s+de\s+)?cancelaci[oó]n|anulaci[oó]n|cancellazione|disdetta|annullamento|cancelamento|"
                   r"annulering(?:svoorwaarden)?|anulowanie|rezygnacja|storno(?:podm[íi]nky)?|zru[šs]en[íi]|avbokning|"
                   r"afbestilling|avbestilling|peruutus(?:ehdot)?|anulare|iptal(?:\s+ko[şs]ullar[ıi])?" + _S, re.I),
        lazy_compile(r"(^|[/_-])(cancell?ation|cancellation-policy|kuendigung|kundigung|storno|stornierung|resiliation|annulation|"
                   r"cancelacion|cancellazione|cancelamento|annulering|anulowanie|avbokning|afbestilling|peruutus|iptal)([/_.-]|$)",
                   re.I),
    ),
    "shipping": (
        lazy_compile(_P + r"shipping(?:\s+(?:policy|info|information|&\s+returns|and\s+returns))?|delivery(?:\s+(?:policy|info|information))?|"
                   r"returns?(?:\s+policy)?|returns?\s*&\s*exchanges|"
                   r"versand(?:kosten|bedingungen|informationen)?|liefer(?:ung|bedingungen|zeiten)|versand\s*&\s*lieferung|"
                   r"livraison|exp[ée]dition|frais\s+de\s+port|"
                   r"env[ií]os?|pol[ií]tica\s+de\s+env[ií]os?|gastos\s+de\s+env[ií]o|"
                   r"spedizion[ei]|consegna|costi\s+di\s+spedizione|"
                   r"envio|entrega|frete|pol[ií]tica\s+de\s+(?:envio|entrega)|"
                   r"verzend(?:ing|kosten)|levering|"
                   r"dostawa|wysy[łl]ka|dostawa\s+i\s+p[łl]atno[śs][ćc]|doprava(?:\s+a\s+platba)?|doru[čc]en[íi]|"
                   r"frakt|leverans|fragt|toimitus|livrare|kargo|teslimat" + _S, re.I),
        lazy_compile(r"(^|[/_-])(shipping|delivery|returns|versand|lieferung|livraison|envios?|spedizion[ei]|consegna|frete|"
                   r"verzending|levering|dostawa|wysylka|doprava|frakt|leverans|fragt|toimitus|livrare|kargo|teslimat)([/_.-]|$)",
                   re.I),
    ),
    "cookies": (
        lazy_compile(_P + r"cookies?(?:\s+(?:policy|notice|statement|settings|preferences))?|"
                   r"cookie-?richtlinie|cookie-?hinweise?|politique\s+(?:de|relative\s+aux)\s+cookies|"
                   r"pol[ií]tica\s+de\s+cookies|informativa\s+(?:sui\s+)?cookies?|cookiebeleid|cookieverklaring|"
                   r"polityka\s+cookies|z[áa]sady\s+(?:pou[žz][íi]v[áa]n[íi]\s+)?cookies|cookiepolicy|[çc]erez\s+politikas[ıi]"
                   + _S, re.I),
        lazy_compile(r"(^|[/_-])(cookies?|cookie-?policy|cookiebeleid|cookieverklaring|cookie-richtlinie|politica-de-cookies)([/_.-]|$)",
                   re.I),
    ),
}
#: A legal notice: the publisher's identity (Impressum, mentions légales, aviso legal, note
#: legali, colofon...). Not terms of sale; it may hold a privacy section.
LEGAL_NOTICE = lazy_compile(
    r"\b(impressum|imprint|legal\s+notice|site\s+notice|mentions\s+l[ée]gales|aviso\s+legal|note\s+legali|"
    r"informazioni\s+legali|colofon|disclaimer|informa[çc][õo]es\s+legais|nota\s+legal|stopka\s+redakcyjna|"
    r"tir[áa][žz]|yasal\s+uyar[ıi])\b",
    re.I,
)
#: A section heading that states terms: "Voucher Terms", "Condiciones de reserva",
#: "2. Condiciones de uso y propiedad intelectual", "Conditions générales de vente",
#: "Allgemeine Geschäftsbedingungen", "Buchungsbedingungen". "Conditions" alone is not
#: enough ("Conditions we treat" on a clinic's page): it needs what the terms are of.
TERMS_SECTION = lazy_compile(
    r"\b(?:terms|termos|termini|t[ée]rminos|t\s*&\s*cs?|agb|cgv|cgu)\b"
    r"|\b(?:conditions?|condiciones|condizioni|condi[çc][õo]es|voorwaarden|warunki|podm[íi]nky|villkor|vilk[åa]r|"
    r"betingelser|ehdot|condi[țt]ii|ko[şs]ullar)\s+(?:\w+\s+)?(?:of|de|d['’]|du|des|di|del|della|da|do|van|voor|"
    r"f[öo]r|for|dla|g[ée]n[ée]rales?|generales|generali|gerais|generale|algemene|ogólne|ogolne|v[šs]eobecn[ée])\b"
    r"|\b(?:allgemeine|algemene|general)\s+(?:gesch[äa]ftsbedingungen|voorwaarden|conditions|terms)\b"
    r"|\b\w*(?:gesch[äa]fts|buchungs|reise|liefer|nutzungs|vertrags|teilnahme)bedingungen\b",
    re.I,
)
#: A heading that opens a privacy section inside another page ("Datenschutz",
#: "Données personnelles", "Protección de datos", "Dati personali", "Dados pessoais"...).
PRIVACY_SECTION = lazy_compile(
    r"\b(privacy|data\s+protection|personal\s+data|datenschutz|personenbezogene\s+daten|donn[ée]es\s+personnelles|"
    r"protection\s+des\s+donn[ée]es|confidentialit[ée]|rgpd|gdpr|protecci[oó]n\s+de\s+datos|datos\s+personales|privacidad|"
    r"dati\s+personali|trattamento\s+dei\s+dati|dados\s+pessoais|privacidade|lgpd|persoonsgegevens|gegevensbescherming|"
    r"dane\s+osobowe|ochrona\s+danych|rodo|osobn[íi]\s+[úu]daje|ochrana\s+osobn[íi]ch\s+[úu]daj[ůu]|personuppgifter|"
    r"persondata|personopplysninger|henkil[öo]tiedot|tietosuoja|date\s+personale|ki[şs]isel\s+veriler)\b",
    re.I,
)

# --------------------------------------------------------------------------- selling online

#: Controls of an online shop: add to cart, cart, checkout, buy now, subscribe to a plan:
#: en, de, fr, es, it, pt, nl, pl, cs, sv, da, no, fi, ro, tr.
SHOP_CONTROL = lazy_compile(
    r"\b(add\s+to\s+(?:cart|basket|bag)|buy\s+(?:now|it\s+now)|check\s?out(?:\s+now)?|proceed\s+to\s+checkout|view\s+(?:cart|basket)|"
    r"shopping\s+(?:cart|basket|bag)|your\s+(?:cart|basket)|"
    r"in\s+den\s+warenkorb|warenkorb|zur\s+kasse|jetzt\s+kaufen|kaufen|"
    r"ajouter\s+au\s+panier|panier|commander\s+maintenant|passer\s+(?:la\s+)?commande|acheter(?:\s+maintenant)?|"
    r"a[ñn]adir\s+al\s+carrito|agregar\s+al\s+carrito|carrito|finalizar\s+(?:compra|pedido)|comprar\s+ahora|"
    r"aggiungi\s+al\s+carrello|carrello|acquista(?:\s+ora)?|"
    r"adicionar\s+ao\s+carrinho|carrinho|finalizar\s+compra|comprar\s+agora|"
    r"in\s+(?:de\s+)?winkelwagen|winkelwagen|winkelmand|afrekenen|nu\s+kopen|"
    r"dodaj\s+do\s+koszyka|koszyk|kup\s+teraz|do\s+kasy|"
    r"p[řr]idat\s+do\s+ko[šs][íi]ku|ko[šs][íi]k|koupit(?:\s+nyn[íi])?|"
    r"l[äa]gg\s+i\s+varukorgen|varukorg|kassan|k[öo]p\s+nu|l[æa]g\s+i\s+kurv|indk[øo]bskurv|handlekurv|legg\s+i\s+handlekurven|"
    r"lis[äa][äa]\s+ostoskoriin|ostoskori|kassalle|ad[ăa]ug[ăa]\s+[îi]n\s+co[șs]|co[șs]ul\s+meu|"
    r"sepete\s+ekle|sepet(?:im)?|[şs]imdi\s+sat[ıi]n\s+al)\b",
    re.I,
)
#: URL paths of a shop's cart and checkout.
SHOP_PATH = lazy_compile(
    r"(^|/)(cart|basket|checkout|warenkorb|kasse|panier|carrito|carrello|carrinho|winkelwagen|winkelmand|koszyk|kosik|"
    r"varukorg|kurv|handlekurv|ostoskori|cos|sepet|shop/cart)(/|\.|$|\?)|[?&]add-to-cart=",
    re.I,
)
#: Scripts and hosts of shop and payment services.
SHOP_SERVICES = ("cdn.shopify.com", "shopify.com/s/", "woocommerce", "snipcart", "ecwid.com", "app.ecwid",
                 "js.stripe.com", "checkout.stripe.com", "buy.stripe.com", "paypal.com/sdk", "paypalobjects.com",
                 "gumroad.com", "lemonsqueezy.com", "paddle.com/paddle", "cdn.paddle.com", "foxycart", "foxy.io",
                 "squareup.com", "square.site", "sellfy", "payhip", "shopware", "prestashop", "magento", "bigcommerce",
                 "wix-ecommerce", "mollie.com", "sumup", "klarna")

# --------------------------------------------------------------------------- opening hours

#: Day names and their abbreviations: en, de, fr, es, it, pt, nl, pl, cs, sv, da, no, fi, ro, tr.
DAYS = (r"mon|tue|wed|thu|fri|sat|sun|monday|tuesday|wednesday|thursday|friday|saturday|sunday|weekdays|weekends|daily|"
        r"mo|di|mi|do|fr|sa|so|montag|dienstag|mittwoch|donnerstag|freitag|samstag|sonntag|werktags|t[äa]glich|"
        r"lun|mar|mer|jeu|ven|sam|dim|lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche|"
        r"lu|ma|mi|ju|vi|s[áa]|do|lunes|martes|mi[ée]rcoles|jueves|viernes|s[áa]bado|domingo|todos\s+los\s+d[íi]as|"
        r"gio|sab|dom|luned[ìi]|marted[ìi]|mercoled[ìi]|gioved[ìi]|venerd[ìi]|sabato|domenica|tutti\s+i\s+giorni|"
        r"seg|ter|qua|qui|sex|s[áa]b|segunda(?:-feira)?|ter[çc]a(?:-feira)?|quarta(?:-feira)?|quinta(?:-feira)?|"
        r"sexta(?:-feira)?|"
        r"ma|wo|vr|za|zo|maandag|dinsdag|woensdag|donderdag|vrijdag|zaterdag|zondag|"
        r"pn|wt|[śs]r|czw|pt|sob|nd|poniedzia[łl]ek|wtorek|[śs]roda|czwartek|pi[ąa]tek|sobota|niedziela|"
        r"po|[úu]t|st|[čc]t|p[áa]|so|ne|pond[ěe]l[íi]|[úu]ter[ýy]|st[řr]eda|[čc]tvrtek|p[áa]tek|ned[ěe]le|"
        r"m[åa]ndag|tisdag|onsdag|torsdag|fredag|l[öo]rdag|s[öo]ndag|tirsdag|l[øo]rdag|s[øo]ndag|"
        r"maanantai|tiistai|keskiviikko|torstai|perjantai|lauantai|sunnuntai|"
        r"luni|mar[țt]i|miercuri|joi|vineri|s[âa]mb[ăa]t[ăa]|duminic[ăa]|"
        r"pazartesi|sal[ıi]|[çc]ar[şs]amba|per[şs]embe|cuma|cumartesi|pazar")
#: A time of day: "9", "9:30", "9.30", "9h", "9h30", "9 Uhr", "9am"; marked: one that
#: cannot be any other number ("9:30", "9h", "9 Uhr", "9am").
_TIME = r"\d{1,2}(?:[:.h]\d{2})?\s?(?:am|pm|a\.m\.|p\.m\.|h|hs|hrs|uhr|godz\.?)?"
_MARKED = r"\d{1,2}(?:[:.h]\d{2}\s?(?:am|pm|a\.m\.|p\.m\.|h|hs|hrs|uhr)?|\s?(?:am|pm|a\.m\.|p\.m\.|h|hs|hrs|uhr)(?![a-z]))"
_SPAN = r"\s?(?:-|–|—|to|until|till|bis|à|a|às|alle|al|do|tot|til)\s?"
_FROM = r"(?:\b(?:das|de|von|from|dalle|dal|od|van|fra|från|kl\.?|ab|ore)\s+)?"
#: An opening-hours line: day names, then a span of time ("Mo - Fr: 10:00 - 19:00",
#: "Segunda a sexta, das 8h às 18h", "lun.-ven. 9h-18h", "lunes a viernes de 9 a 18"). A
#: two-letter day ("Mo", "Po") needs a time that is surely one; a day's full name does not.
HOURS_LINE = lazy_compile(
    rf"((?<![\w])(?:{DAYS})\.?(?![\w])[^\n]{{0,40}}?{_FROM}(?:{_MARKED}{_SPAN}{_TIME}|{_TIME}{_SPAN}{_MARKED})"
    rf"|(?<![\w])(?=[^\W\d_]{{4,}})(?:{DAYS})(?![\w])[^\n]{{0,40}}?{_FROM}{_TIME}{_SPAN}{_TIME})",
    re.I,
)
#: Names of opening or calling hours ("Öffnungszeiten", "horaires d'ouverture"). Only the
#: full names: a bare "horário" or "orari" is any time ("agende um horário", "orari del
#: check-in").
HOURS_WORDS = lazy_compile(
    r"\b(business\s+hours|opening\s+(?:hours|times)|office\s+hours|hours\s+of\s+operation|24/7|24\s+hours|"
    r"[öo]ffnungszeiten|sprechzeiten|gesch[äa]ftszeiten|b[üu]rozeiten|"
    r"horaires\s+d'ouverture|heures\s+d'ouverture|horarios?\s+de\s+(?:atenci[oó]n|apertura)|"
    r"orari[oe]?\s+di\s+apertura|hor[áa]rios?\s+de\s+(?:funcionamento|atendimento)|openingstijden|openingsuren|"
    r"godziny\s+(?:otwarcia|pracy|przyj[ęe][ćc])|otev[íi]rac[íi]\s+doba|ordina[čc]n[íi]\s+hodiny|provozn[íi]\s+doba|"
    r"[öo]ppettider|[åa]bningstider|[åa]pningstider|aukioloajat|program(?:ul)?\s+de\s+lucru|[çc]al[ıi][şs]ma\s+saatleri)\b",
    re.I,
)

# --------------------------------------------------------------------------- feedback

#: The words of a link that asks for feedback, a review or a complaint, per language (en, de,
#: fr, es, it, pt, nl, pl, cs, sk, sv, da, no, fi, ro, tr, with the national complaints books:
#: livro de reclamações, libro / hoja de reclamaciones): phrases (two
#: words or more, unmistakable in any page), single words (counted on pages in their
#: language or English, or of unknown language: "Reclamation" on an English page is no
#: French "réclamation"), and single words that mean something else in running text,
#: counted only as a link's whole text ("Avis" is the reviews page; "Obtenir un avis sous
#: 48h" is a lawyer's opinion).
_FEEDBACK_LANGS: dict[str, tuple[str, str, str]] = {
    "en": (r"give\s+feedback|send\s+feedback|take\s+(?:our|the)\s+survey|rate\s+us|leave\s+(?:us\s+)?a\s+review|"
           r"write\s+a\s+review|review\s+us|reviews?\s+on\s+google|feature\s+requests?|report\s+(?:a\s+)?(?:bug|issue|problem)|"
           r"(?:submit|leave|share)\s+(?:a\s+|your\s+)?testimonial",
           r"feedback|survey|suggestions?|complaints?", r"issues?"),
    "de": (r"bewertung\s+abgeben|bewerten\s+sie\s+uns", r"umfrage|bewertung|rezension|beschwerde|anregungen", ""),
    "fr": (r"laisser\s+un\s+avis|donnez\s+votre\s+avis|(?:vos|nos|les|des)\s+avis|avis\s+(?:clients?|google|v[ée]rifi[ée]s)",
           r"enqu[êe]te|r[ée]clamations?|suggestions", r"avis"),
    "es": (r"d[ée]janos\s+tu\s+(?:opini[oó]n|rese[ñn]a)|libro\s+de\s+reclamaciones|hojas?\s+de\s+reclamaciones",
           r"encuesta|opiniones|rese[ñn]as?|sugerencias|reclamaciones|quejas", r"opini[oó]n"),
    "it": (r"lascia\s+una\s+recensione", r"recension[ei]|sondaggio|reclami|suggerimenti", ""),
    "pt": (r"livro\s+de\s+reclama[çc][õo]es|deixe\s+(?:sua|a\s+sua)\s+avalia[çc][ãa]o|pesquisa\s+de\s+satisfa[çc][ãa]o",
           r"reclama[çc][õo]es|avalia[çc][õo]es|avalie|sugest[õo]es", ""),
    "nl": ("", r"recensies?|beoordelingen|klachten?|enqu[êe]te", r"beoordeling"),
    "pl": (r"wystaw\s+opini[ęe]", r"ankieta|reklamacje|skargi", r"opini[ea]"),
    "cs": (r"napsat\s+recenzi", r"recenze|hodnocen[íi]|st[íi][žz]nosti|dotazn[íi]k", ""),
    "sk": ("", r"recenzie", ""),
    "sv": ("", r"omd[öo]me|recension|klagom[åa]l", ""),
    "da": ("", r"anmeldelse", r"klage"),
    "no": ("", r"anmeldelse", r"klage"),
    "fi": ("", r"arvostelu|palaute", ""),
    "ro": ("", r"reclama[țt]ii", ""),
    "tr": ("", r"[şs]ikayet", r"yorum"),
}
_FEEDBACK_PHRASE = lazy_compile(r"\b(?:" + "|".join(p for p, _w, _b in _FEEDBACK_LANGS.values() if p) + r")\b", re.I)
_FEEDBACK_WORD = {code: lazy_compile(rf"\b(?:{w})\b", re.I) for code, (_p, w, _b) in _FEEDBACK_LANGS.items() if w}
_FEEDBACK_BARE = {code: lazy_compile(rf"^\W*(?:{b})\W*$", re.I) for code, (_p, _w, b) in _FEEDBACK_LANGS.items() if b}


@lru_cache(maxsize=16384)
def feedback_words(text: str, lang: str | None) -> bool:
    """True when a link's ``text`` offers a way to give feedback, on a page in ``lang``
    (None: not known). See :data:`_FEEDBACK_LANGS` for which words count where. Cached: a
    menu's links recur on every page."""
    if _FEEDBACK_PHRASE.search(text):
        return True
    codes = _FEEDBACK_LANGS if lang is None or lang not in _FEEDBACK_LANGS else ("en", lang)
    for code in codes:
        word = _FEEDBACK_WORD.get(code)
        if word is not None and word.search(text):
            return True
        bare = _FEEDBACK_BARE.get(code)
        if bare is not None and bare.match(text):
            return True
    return False


#: Review and complaint services, and survey tools (hosts or URL parts).
FEEDBACK_SERVICES: dict[str, tuple[str, ...]] = {
    "complaints-book": ("livroreclamacoes.pt", "reclameaqui.com.br", "hojasdereclamaciones", "libroreclamaciones",
                        "libro-de-reclamaciones"),
    "trustedshops": ("trustedshops.",),
    "provenexpert": ("provenexpert.com",),
    "ekomi": ("ekomi.",),
    "avis-verifies": ("avis-verifies.com", "opiniones-verificadas.com", "netreviews."),
    "judge.me": ("judge.me",),
    "google-reviews": ("writereview", "g.page/r/", "search.google.com/local/reviews"),
}

_DAY_WORD = lazy_compile(rf"(?<![\w])(?:{DAYS})\.?(?![\w])", re.I)
_ALWAYS_OPEN = lazy_compile(r"24/7|24\s+hours", re.I)


def mentions_hours(text: str) -> bool:
    """True when ``text`` gives opening or calling hours by name ("Öffnungszeiten",
    "horaires d'ouverture") followed by a time or a day within 80 characters, or says it is
    always open ("24/7"). A name alone ("before or after your opening hours") gives none."""
    # folded_spans: most pages name no hours, which a substring search tells at once.
    for start, end in folded_spans(HOURS_WORDS, text):
        # The pattern is one group around its words: the match is what it names.
        if _ALWAYS_OPEN.fullmatch(text[start:end]):
            return True
        after = text[end:end + 80]
        if any(c.isdigit() for c in after) or _DAY_WORD.search(after):
            return True
    return False

#: Sign-up controls of a plan: en, de, fr, es, it, pt, nl, pl, cs, sv, da, no, fi, ro, tr.
SIGNUP_CONTROL = lazy_compile(
    r"\b(sign\s+up|subscribe|start\s+(?:your\s+)?(?:free\s+)?trial|try\s+(?:it\s+)?free|get\s+started|choose\s+(?:this\s+)?plan|"
    r"select\s+plan|buy\s+now|upgrade|jetzt\s+(?:registrieren|abonnieren|starten|testen)|abonnieren|kostenlos\s+testen|"
    r"s'abonner|abonnez-vous|essai\s+gratuit|choisir\s+(?:ce\s+)?(?:plan|forfait|offre)|suscr[íi]bete|suscribirse|"
    r"prueba\s+gratis|elegir\s+plan|abbonati|prova\s+gratis|scegli\s+(?:il\s+)?piano|assinar|assine|teste\s+gr[áa]tis|"
    r"escolher\s+plano|abonneer|abonneren|gratis\s+proberen|kies\s+(?:dit\s+)?(?:plan|abonnement)|subskrybuj|wykup|"
    r"wypr[óo]buj\s+za\s+darmo|p[řr]edplatit|vyzkou[šs]et\s+zdarma|prenumerera|abonn[ée]r|pr[øo]v\s+gratis|tilaa|"
    r"aboneaz[ăa]-te|abone\s+ol|[üu]cretsiz\s+dene)\b",
    re.I,
)
