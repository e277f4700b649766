"""Word lists of the built-in probes in the languages of Europe and the Americas.

Each list is a compiled pattern, matched case-insensitively on visible text. The languages
covered are named beside each; a probe that meets a language none of its lists covers says
so rather than judging the page by English words.
"""

from __future__ import annotations

import re

# --------------------------------------------------------------------------- calls to action

#: Words of a call to action ("Book a table", "Réserver", "Termin buchen", "Umów wizytę"):
#: en, de, fr, es, it, pt, nl, pl, cs, sv, da, no, fi, ro, tr.
CTA_WORDS = re.compile(
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
