"""Postal addresses written as text, in the languages of Europe and the Americas.

An address is recognised by its structure, not by a list of places:

- a **street line**: a street-type word of the language with a name and a house number, in
  the language's order — "Via Roma 12", "Rua Augusta, 123", "Calle Mayor nº 5", "ul. Długa 5",
  "Cl. 55 #40" (the word first); "12 rue de la Paix", "221B Baker Street" (the number first);
  "Hauptstraße 5", "Kerkstraat 12", "Storgatan 3" (the word fused to the name);
- a **postcode and town** in one of the formats of the region: five digits ("10115 Berlin",
  "F-75002 Paris"), four ("1017 GC Amsterdam", "9660 Brakel"), "00-001 Warszawa",
  "1000-001 Lisboa", "350 02 Cheb", a Brazilian CEP "01234-567", a British postcode
  "SA32 8NS", "City, ST 12345" in the United States, "K1A 0B1" in Canada.

A line is an address when it holds a street line that stands on its own (a short line, or
one followed by a postcode and town), or a "name and number, postcode town" pair ("Májová
582/19, 350 02 Cheb"), or one of the unmistakable postcode formats after a place name. A
street line inside a long sentence ("Take Via Roma 5 minutes from the station") is not an
address unless a postcode follows. House numbers followed by a unit ("5 km", "12 €",
"3 giorni") and dates are not house numbers.
"""

from __future__ import annotations

import re

from .._lazyre import few_digits, lazy_compile

#: Capitalised word of a street or town name (any Latin script letter).
_CAP = r"[A-ZÀ-ÖØ-ÞĀ-ŽА-Я][\wÀ-ÿĀ-žА-я'’.-]*"
#: Lower-case particles inside names: "Via dei Mille", "Rua da Praia", "rue de la Paix".
_PARTICLE = r"(?:d[aeiou]s?|del(?:la|le|lo|l'|l’|s)?|dei|degli|di|du|le|la|les|los|las|el|l'|l’|d'|d’|y|e|et|van|von|der|den|het|am|an|zum|zur|of|the|sul|sulla|al|alla|na|no|nas|nos)"
#: A word of a street name: capitalised, a particle, a numeral ("XX Settembre", "1° Maggio", "10").
_NAME_WORD = rf"(?:{_CAP}|{_PARTICLE}|\d{{1,3}}(?:°|º|ª|[A-Z])?|[IVXLC]{{1,5}})"
#: A house number: "12", "12a", "12 bis", "582/19", "40-44", "s/n" (sin número).
_HOUSE = r"(?:\d{1,5}(?:\s?[A-Za-z](?![\w]))?(?:\s?[/-]\s?(?:\d{1,5}[A-Za-z]?|[A-Za-z](?![\w])))?(?:\s(?:bis|ter|quater))?|s/n|S/N)"
#: What may stand between a street name and its number: ", ", " n. ", " nº ", " # ".
_NUMBER_MARK = r"(?:\s*,\s*|\s+)(?:(?:n\.?|nº|n°|no\.?|nr\.?|núm\.?|num\.?|#)\s*)?"
#: After a house number, a unit or a currency means it was a quantity, not a house number.
_NOT_HOUSE_AFTER = lazy_compile(
    r"^\s*(?:%|€|\$|£|zł|kč|km|m\b|cm|mm|kg|g\b|min|h\b|°|ore|hours?|heures?|horas?|stunden?|uhr|minut|days?|"
    r"jours?|d[ií]as?|giorni|tage|dni|dias|years?|ans|años|anni|jahre|lat|anos|people|personas|persone|personnes|"
    r"personen|osób|pessoas|x\b|€)",
    re.I,
)

#: Street-type words that come before the name (Romance languages, Polish, Romanian...).
_WORD_FIRST = (
    r"Via|Viale|V\.le|Piazza|Piazzale|P\.zza|P\.za|Vicolo|Vico|Corso|C\.so|Largo|Strada|Contrada|C\.da|Località|Loc\.|"
    r"Borgo|Lungomare|Lungarno|Salita|Traversa|"
    r"Rua|Avenida|Av\.|Avda\.?|Travessa|Tv\.|Praça|Pça\.?|Alameda|Estrada|Rodovia|Rod\.|Ladeira|Beco|Calçada|"
    r"Calle|C/|Cl\.|Cll\.|Carrera|Cra\.|Kr\.|Cr\.|Diagonal|Transversal|Tr\.|Plaza|Pza\.|Paseo|Pº|Camino|Ronda|"
    r"Travesía|Carretera|Ctra\.|Glorieta|Rambla|Callejón|Bulevar|Carrer|Passeig|Plaça|Avinguda|Pg\.|"
    r"ul\.|ulica|Ul\.|Ulica|al\.|aleja|Al\.|Aleja|pl\.|plac|Pl\.|Plac|os\.|osiedle|"
    r"Strada|Str\.|Bulevardul|Bd\.|Calea|Piața|Șoseaua|Splaiul|"
    r"Avenue|Boulevard|Rue"
)
_WORD_FIRST_RE = lazy_compile(
    rf"(?<![\w])(?:{_WORD_FIRST})\s+(?:{_NAME_WORD}[\s-]+){{0,5}}?{_NAME_WORD}{_NUMBER_MARK}({_HOUSE})(?![\w/])"
)
#: French, Belgian and Québec order: the number first ("12 rue de la Paix", "6 avenue d’Alsace").
_FR_TYPES = (r"rue|avenue|av\.|boulevard|bd|bld|place|pl\.|chemin|ch\.|allée|quai|impasse|route|rte|cours|square|"
             r"voie|passage|esplanade|faubourg|fbg|rond-point|promenade|parvis|hameau|lieu-dit|sentier|cité|résidence|"
             r"montée|traverse|ruelle|mail|clos|domaine|zone|za|zi")
_FR_RE = lazy_compile(
    rf"(?<![\w,.])(\d{{1,4}}(?:\s?(?:bis|ter|quater|[A-D])(?![\w]))?),?\s+(?:{_FR_TYPES})\s+(?:{_PARTICLE}\s+|d['’]|l['’])*[\wÀ-ÿ'’-]{{2,}}",
    re.I,
)
#: English order: number, a capitalised name, the street type ("221B Baker Street",
#: "1116 Orchard St", "2 Lord Edward St"); prose such as "3 easy steps to the right place"
#: has no capitalised name.
_EN_TYPES = (r"Street|St\.?|Avenue|Ave\.?|Road|Rd\.?|Boulevard|Blvd\.?|Lane|Ln\.?|Drive|Dr\.?|Way|Court|Ct\.?|"
             r"Place|Pl\.?|Square|Sq\.?|Highway|Hwy\.?|Parkway|Pkwy\.?|Terrace|Crescent|Close|Row|Circle|Cir\.?|"
             r"Trail|Walk|Mews|Gardens|Grove|Hill")
_EN_RE = lazy_compile(
    rf"\b\d{{1,5}}(?:/\d{{1,5}})?[A-Za-z]?[.,]?\s+(?:[A-Za-z][a-zA-Z'’.-]*\s+){{0,3}}[A-Z][a-zA-Z'’.-]*\s+(?:{_EN_TYPES})(?![\w])"
    rf"|\b\d{{1,5}}(?:/\d{{1,5}})?[A-Za-z]?[.,]?\s+[a-z][a-zA-Z'’.-]*\s+(?:Street|Road|Avenue|Lane|Drive|Boulevard)(?![\w])"
)
#: Germanic and Nordic order: the type fused to the name ("Hauptstraße 5", "Wundtstr 40-44",
#: "Kerkstraat 12", "Storgatan 3", "Vesterbrogade 10").
_FUSED_TYPES = (r"straße|strasse|str\.?|weg|platz|allee|gasse|ring|damm|ufer|chaussee|steig|pfad|markt|graben|"
                r"straat|laan|plein|gracht|kade|dijk|singel|dreef|steeg|pad|"
                r"gatan|vägen|gata|gränd|torget|vej|gade|allé|torv|veien|gaten|vei|veg|katu|tie|kuja|"
                r"utca|útja|tér|ulice|náměstí|třída|nábřeží|cesta|ulica|trg")
_FUSED_RE = lazy_compile(
    rf"(?<![\w])(?:[A-ZÀ-ÖØ-ÞĀ-Ž][\wÀ-ÿĀ-ž-]*?(?:{_FUSED_TYPES})|(?:{_CAP}\s+)?(?:Straße|Strasse|Weg|Platz|Allee|Gasse|"
    rf"Ring|Damm|Markt|Ufer|Hof))\s*,?\s+({_HOUSE})(?![\w/])"
)

#: A postcode followed by a capitalised town, in the formats of Europe and the Americas.
#: A town's name: letters only ("Réf. PA 013 041 22 K0001" is a reference, not a town).
_TOWN_WORD = r"[A-ZÀ-ÖØ-ÞĀ-Ž][A-Za-zÀ-ÖØ-öø-ÿĀ-ž'’.-]*(?![\w])"
_TOWN = rf"{_TOWN_WORD}(?:[\s-]+(?:{_TOWN_WORD}|{_PARTICLE}|\([A-Z]{{2,3}}\))){{0,4}}"
_POSTCODE_TOWN_RE = lazy_compile(
    r"(?<![\w.,/-])(?:"
    r"(?:[A-Z]{1,2}-)?\d{5}"                    # DE FR IT ES FI ..., "D-10115", "F-75002"
    r"|(?:[A-Z]{1,2}-)?\d{4}(?:\s?[A-Z]{2}(?=\s))?"  # NL "1017 GC", BE CH AT DK NO HU
    r"|\d{4}-\d{3}"                            # PT
    r"|\d{2}-\d{3}"                            # PL
    r"|\d{3}\s\d{2}"                           # CZ SK SE GR
    r"|\d{2}\.?\d{3}-\d{3}"                    # BR (CEP)
    rf")\s+{_TOWN}"
)
#: Postcodes no other number looks like: British, Canadian, "City, ST 12345", a labelled CEP.
_UK_POSTCODE = r"(?:[A-Z]{1,2}\d[A-Z\d]?\s?\d[ABD-HJLNP-UW-Z]{2})"
_US_STATES = ("AL|AK|AZ|AR|CA|CO|CT|DE|DC|FL|GA|HI|ID|IL|IN|IA|KS|KY|LA|ME|MD|MA|MI|MN|MS|MO|MT|NE|NV|NH|NJ|NM|NY|"
              "NC|ND|OH|OK|OR|PA|RI|SC|SD|TN|TX|UT|VT|VA|WA|WV|WI|WY|PR")
_DISTINCT_POSTCODE_RE = lazy_compile(
    rf"[A-Za-zÀ-ÿ)]\s*,\s*{_UK_POSTCODE}(?![\w])"
    rf"|(?:^|\s){_UK_POSTCODE}(?:\s*,\s*(?:UK|United Kingdom|England|Scotland|Wales))?\s*$"
    rf"|[A-Za-z]\s*,?\s+(?:{_US_STATES})\s+\d{{5}}(?:-\d{{4}})?(?![\w])"
    r"|[A-Za-z]\s*,?\s+(?:AB|BC|MB|NB|NL|NS|NT|NU|ON|PE|QC|SK|YT)\s+[A-Z]\d[A-Z]\s?\d[A-Z]\d(?![\w])"
    r"|\bCEP:?\s*\d{2}\.?\d{3}-?\d{3}(?![\w])"
)
#: "<name> <number>," — the street part of "Májová 582/19, 350 02 Cheb" when a postcode follows.
_NAME_NUMBER_RE = lazy_compile(rf"{_CAP}(?:\s+(?:{_NAME_WORD})){{0,4}}\s*,?\s+{_HOUSE}\s*$")
#: Longest line read as one address line; longer text is prose.
SHORT_LINE = 90
#: Characters read before a postcode for its street part.
_HEAD = 80


_YEAR = lazy_compile(r"(?:19|20)\d\d")


def _house_ok(text: str, house: str, end: int) -> bool:
    """A house number, not a quantity ("5 km", "12 €"), nor a year ("Weihnachtsplatz 2024")."""
    return not _NOT_HOUSE_AFTER.match(text[end: end + 12]) and not _YEAR.fullmatch(house.strip())


def _street_matches(line: str) -> list[re.Match[str]]:
    found = []
    for rx in (_WORD_FIRST_RE, _FUSED_RE):
        for m in rx.finditer(line):
            if _house_ok(line, m.group(1), m.end(1)):
                found.append(m)
    found.extend(m for m in _FR_RE.finditer(line) if _house_ok(line, "", m.end(1)))
    found.extend(m for m in _EN_RE.finditer(line) if _house_ok(line, "", m.end()))
    return found


def _postcode_after(line: str, pos: int) -> bool:
    """A postcode and town within a short stretch after ``pos`` ("…, 41049 Sassuolo")."""
    return _POSTCODE_TOWN_RE.search(line[pos: pos + 40]) is not None or bool(_DISTINCT_POSTCODE_RE.search(line[pos: pos + 60]))


def address_in_line(line: str) -> bool:
    """True when a line of text (a block of text between line breaks) is or holds a postal address."""
    if few_digits(line, 1):
        return False
    short = len(line) <= SHORT_LINE
    for m in _street_matches(line):
        if short or _postcode_after(line, m.end()):
            return True
    if _DISTINCT_POSTCODE_RE.search(line) and (short or "," in line):
        return True
    for m in _POSTCODE_TOWN_RE.finditer(line):
        # Only the words just before the postcode: a street part is short, and reading the
        # whole line again for every postcode-like match would be quadratic in a long line.
        head = line[max(0, m.start() - _HEAD): m.start()].rstrip(" ,–-")
        nm = _NAME_NUMBER_RE.search(head) if head else None
        if nm and not _YEAR.search(head[-5:]):
            return True
    return False


def street_line(line: str) -> bool:
    """A line that is only a street and house number ("Gauwstraat 6/1,", "Liethberg 17"),
    completed by a postcode line after it."""
    line = line.strip().rstrip(",")
    if not line or len(line) > 60:
        return False
    # Every street pattern needs a house number: digits, or "s/n" (sin número).
    if few_digits(line, 1) and "s/n" not in line and "S/N" not in line:
        return False
    return bool(_street_matches(line)) or bool(_NAME_NUMBER_RE.fullmatch(line))


def postcode_line(line: str) -> bool:
    """A line that is a postcode and town ("24576 Bad Bramstedt", "SA32 8NS", "CEP 85.550-040")."""
    line = line.strip().rstrip(",")
    if not line or len(line) > 60:
        return False
    m = _POSTCODE_TOWN_RE.match(line)
    return bool(m and m.end() >= len(line) - 12) or bool(_DISTINCT_POSTCODE_RE.search(line))
