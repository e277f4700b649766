"""What each form of a page is for: contact, booking, feedback, newsletter, search, login,
comment, message or other. The document reads forms as elements (``PageFacts.forms``); the
``forms`` extractor gives their purposes, in the same order."""

from __future__ import annotations

import re
from collections.abc import Iterable

from cxprobe import Document, Extractor, FormField

from .._lazyre import lazy_compile

SEARCH_NAMES = lazy_compile(r"^(q|s|query|search|keyword|keywords|term|searchterm|search_query)$", re.I)
BOOKING_WORDS = lazy_compile(r"\b(book|booking|reserv|appointment|table|guests?|persons?|people|date|time|check-?in|schedule)\w*", re.I)
FEEDBACK_WORDS = lazy_compile(r"\b(feedback|survey|questionnaire|rate us|rating|review|suggestion|opinion|satisfaction|umfrage|enquête|encuesta|avis)\b", re.I)


#: A blog's comment box: "Leave a Reply" and its kin in the languages of Europe and the Americas.
COMMENT_WORDS = lazy_compile(
    r"\b(?:leave\s+a\s+(?:reply|comment)|post\s+(?:a\s+)?comment|add\s+(?:a\s+)?comment|write\s+a\s+comment|"
    r"cancel\s+reply|laisser\s+un\s+commentaire|(?:laissez|[ée]crire)\s+un\s+commentaire|"
    r"(?:hinterlasse|schreibe)\w*\s+(?:einen\s+)?kommentar|kommentar\s+(?:schreiben|abschicken|absenden)|"
    r"(?:deja|deje|escribe|publicar)\s+(?:un\s+)?comentario|(?:deixe|deixar|escreva)\s+(?:um\s+)?coment[áa]rio|"
    r"lascia\s+un\s+commento|scrivi\s+un\s+commento|(?:plaats|laat)\s+een\s+(?:reactie|opmerking)|"
    r"(?:dodaj|napisz|zostaw)\s+komentarz|(?:napsat|přidat)\s+koment[áa][řr])\b",
    re.I,
)
#: The markers of a comment form in its address, id or class: WordPress's "#commentform"
#: posting to "wp-comments-post.php", "comment-form", "comments-form".
COMMENT_FORM = lazy_compile(r"wp-comments-post|comment-?form|comments?-form|respond\b", re.I)


def is_comment_form(fields: list[FormField], context: str, action: str = "", selector: str = "") -> bool:
    """A blog comment box: the form's address or id names comments, or it asks for a
    comment next to a website field (author, email, url, comment), or its heading is
    "Leave a reply" in any of the languages above. A comment is public: it is not a
    message to the business."""
    if COMMENT_FORM.search(action) or COMMENT_FORM.search(selector):
        return True
    names = {(f.name or "").lower() for f in fields}
    if "comment" in names and names & {"url", "website", "author"}:
        return True
    return COMMENT_WORDS.search(context) is not None


def classify_form(fields: Iterable[FormField], context: str, search_role: bool = False,
                  action: str = "", selector: str = "") -> str:
    """Purpose of a form from its fields: contact, booking, feedback, newsletter, search,
    login, comment (a blog's comment box), message or other."""
    fl = list(fields)
    types = [f.type for f in fl]
    words = " ".join(f"{f.name} {f.label}" for f in fl) + " " + context
    has_free_text = any(t == "textarea" for t in types) or any(
        re.search(r"message|comment|inquiry|enquiry|question|details|notes?\b|nachricht|mensaje", f"{f.name} {f.label}", re.I)
        and f.type in ("text", "textarea") for f in fl)
    has_email = "email" in types or any(re.search(r"e-?mail", f"{f.name} {f.label}", re.I) for f in fl)
    has_phone = "tel" in types or any(re.search(r"phone|tel\b|mobile|telefon", f"{f.name} {f.label}", re.I) for f in fl)
    if "password" in types:
        return "login"
    if search_role or "search" in types or (len(fl) <= 2 and any(SEARCH_NAMES.match(f.name or "") for f in fl)):
        return "search"
    if re.search(r"\bsearch\b|suche|recherche|buscar", context, re.I) and len(fl) <= 2 and not has_email:
        return "search"
    if has_free_text and is_comment_form(fl, context, action, selector):
        return "comment"
    visible = [t for t in types if t not in ("checkbox",)]
    if FEEDBACK_WORDS.search(context) and (has_free_text or "radio" in types):
        return "feedback"
    if ("radio" in types and types.count("radio") >= 3 and has_free_text) and not has_email:
        return "feedback"
    booking = ("date" in types or "time" in types or "datetime-local" in types or
               bool(BOOKING_WORDS.search(words) and ("number" in types or "select" in types or "date" in types)))
    if booking and (has_email or has_phone):
        return "booking"
    if has_free_text and (has_email or has_phone):
        return "contact"
    if has_email and not has_free_text and len(visible) <= 3:
        return "newsletter"
    if has_free_text and FEEDBACK_WORDS.search(words):
        return "feedback"
    if has_free_text:
        return "message"
    return "other"


class FormsExtractor(Extractor):
    """``forms``: the purpose of each of the page's forms, in the order of ``PageFacts.forms``."""

    name = "forms"
    description = "the purpose of each form: contact, booking, feedback, newsletter, search, login, comment, message, other"

    def extract(self, doc: Document) -> tuple[str, ...]:
        return tuple(classify_form(f.fields, f.context, f.role == "search", f.action, f.selector) for f in doc.facts.forms)
