"""Words: the extractor's own tokenizer (no parser is needed) and the function-word lists it reads."""

from __future__ import annotations

import re
from dataclasses import dataclass

_TOKEN_RE = re.compile(
    r"(?:[A-Z]\.){2,}"  # U.S., D.C.
    r"|\d{1,3}(?:,\d{3})+(?:\.\d+)?(?:-[^\W_]+)*"  # 2,000 and 2,000-strong
    r"|[^\W_]+(?:[’'.&-][^\W_]+)*"
    r"|''|``|\S",
)

_ABBREV = frozenset(
    "mr mrs ms dr st jr sr gen sen rep gov col lt sgt capt prof rev hon maj cmdr adm supt insp det pres "
    "messrs mt ft no vs inc corp co ltd".split()
)

PRONOUNS = frozenset("he she they we i it you who".split())

_OBJ_PRONOUNS = frozenset("him her them us me".split())

_DETERMINERS = frozenset(
    "the a an this that these those his her their its our my your some many several few most all both each "
    "every another other one two three four five six seven eight nine ten dozens hundreds thousands any no "
    "numerous various".split()
)

_AUX = frozenset(
    "has have had is are was were be been being will would could should may might must can do does did shall "
    "'s ’s 've ’ve 'd ’d 'll ’ll n't n’t not never also still now then later previously repeatedly once "
    "recently already just reportedly privately publicly earlier again often frequently separately "
    "subsequently initially originally even only simply further flatly bluntly angrily quickly quietly "
    "openly directly specifically explicitly firmly strongly emphatically tersely curtly famously herself "
    "himself themselves itself sometimes always long since last night yesterday today tonight".split()
)

_PREPOSITIONS = frozenset(
    "on in at during to for with from after before while when as by about over into since than until upon "
    "via through under across against among amid between without within outside like near despite "
    "following per whereas because although though if whether where".split()
)

_CONJ = frozenset("and but or nor so yet".split())

_TIME = frozenset(
    "monday tuesday wednesday thursday friday saturday sunday today yesterday tonight tomorrow morning "
    "afternoon evening night week weekend month year earlier later recently last this next ago "
    "january february march april may june july august september october november december "
    "jan feb mar apr jun jul aug sep sept oct nov dec".split()
)

ROLE_NOUNS = frozenset(
    "spokesman spokeswoman spokesperson spokespeople official officials aide aides adviser advisers advisor "
    "advisors executive chief chairman chairwoman chair director leader leaders secretary chancellor "
    "minister president senator governor mayor councillor candidate nominee manager strategist analyst "
    "analysts expert experts source sources officer officers member members mp mps mep peer activist "
    "activists campaigner campaigners founder co-founder head owner partner lawyer attorney professor "
    "economist historian researcher researchers scientist pollster editor reporter correspondent "
    "commentator columnist writer author organiser organizer coordinator chairperson convenor president "
    "vice-president deputy representative delegate voter voters supporter supporters critic critics "
    "resident residents witness witnesses neighbour neighbor neighbours neighbors friend friends colleague "
    "colleagues ally allies opponent opponents rival rivals worker workers employee employees union "
    "spokespersons commissioner inspector superintendent chief-executive ceo cfo coo boss bosses "
    "general judge justice prosecutor prosecutors detective police officer firefighter firefighters "
    "doctor doctors nurse teacher student students parent parents victim victims survivor family families "
    "group groups campaign committee council party government department ministry agency office "
    "administration organisation organization foundation charity company firm board trust movement "
    "network association federation institute".split()
)

DOCUMENT_NOUNS = frozenset(
    "report study poll polls survey statement letter memo email e-mail document documents filing "
    "lawsuit complaint ruling analysis article editorial post tweet video ad ads advert website "
    "book research data figures records".split()
)


@dataclass(frozen=True)
class _Tok:
    start: int
    end: int
    text: str
    lower: str
    ent: int  # index of the entity covering it, or -1


def _tokens(text: str, start: int, end: int, ent_at: dict[int, int]) -> list[_Tok]:
    toks: list[_Tok] = []
    for m in _TOKEN_RE.finditer(text, start, end):
        s, e = m.span()
        if toks and s < toks[-1].end:
            continue  # the period already joined to an abbreviation
        word = m.group()
        # Keep a final period on abbreviations and initials: "Mr.", "J.", "Jr."
        if e < end and text[e] == "." and (word.lower() in _ABBREV or (len(word) == 1 and word.isupper())):
            e += 1
            word += "."
        toks.append(_Tok(s, e, word, word.lower().rstrip("."), ent_at.get(s, -1)))
    return toks


def _words(text: str) -> int:
    return len(re.findall(r"[^\W_]+", text))


_LY_NOUNS = frozenset(
    "family ally rally italy july assembly supply belly bully fly reply lily folly anomaly "
    "monopoly homily melancholy jolly holly sally molly kelly emily billy".split()
)


def _is_adverb(word: str) -> bool:
    return len(word) > 4 and word.endswith("ly") and word not in _LY_NOUNS


_POSSESSIVES = frozenset("his her their its our my your".split())

_NUMERALS = frozenset(
    "one two three four five six seven eight nine ten both dozens hundreds thousands".split()
)

_NAME_TITLES = frozenset("mr mrs ms miss dr sir dame lord lady prof sen rep gov".split())
